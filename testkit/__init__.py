"""The test kit: what tests, bench/ and tools/ share to talk to the skill as Alexa would.

    envelopes     LocalSession and the envelope builder (the one place requests are assembled)
    conversation  Conversation: one user's turns through lambda_handler; load_event, load_model
    response      ResponseView (Reply): speech, reprompt, card, holds, whether the session ended
    resolver      the shipped tools/resolver.py, re-exported
    world         World / DurableWorld: the skill on moto (in-process or loopback), Clock, fake APIs
    clock         Clock, NIGHT, alexa_timestamp
    ssml          break_times, hold_seconds, spoken_text
    alexa_api     RecordingApiClient, time_zone_route (Alexa's own APIs, faked)
    screens       the screen buttons' arguments

Import the submodules you need; this package imports nothing heavy itself.
"""
