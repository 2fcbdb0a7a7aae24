"""Leg Cramp Helper: an Alexa skill that talks a person through a night leg cramp.

Layout: ``content/`` holds what the skill says (data, per locale); ``guide`` is the pure step
machine; ``speech`` owns SSML; ``state`` owns the session attributes; ``handlers/`` turn Alexa
requests into calls on those; ``skill`` wires the handlers into an ask-sdk skill.
"""
