"""What every handler shares: the request's content and state, and one way to build a reply.

``reply`` is the only place a response is assembled, so every response obeys the same rules:
speech through the speech builder, and a question plus a reprompt whenever the session stays open.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_model.ui import SimpleCard

from ..context import content_of, save_state, state_of  # noqa: F401 - re-exported for handlers
from ..speech import Speech


def soft(handler_input) -> Speech:
    """A speech in the voice this user and this hour call for (see voice.py)."""
    from ..voice import voice_for  # voice reads services; imported late to keep base light

    return Speech(voice_for(handler_input))


def reply(handler_input, speech: Speech, *, question: str | None = None,
          reprompt: str | None = None, end: bool = False,
          card: tuple[str, str] | None = None):
    """Finish the response: speech, then either a question with a reprompt, or the end."""
    builder = handler_input.response_builder
    if not end and not question:
        raise ValueError("an open session must ask the user something")
    if question:
        speech.say(question)
    builder.speak(speech.ssml())
    if end:
        builder.set_should_end_session(True)
    else:
        builder.ask(Speech(speech.voice).say(reprompt or question).ssml())
    if card:
        builder.set_card(SimpleCard(title=card[0], content=card[1]))
    return builder.response


def intent_name(handler_input) -> str | None:
    request = handler_input.request_envelope.request
    if getattr(request, "object_type", None) != "IntentRequest":
        return None
    return getattr(getattr(request, "intent", None), "name", None)


class IntentHandler(AbstractRequestHandler):
    """Handles the intents named in ``intents``; subclasses implement ``handle``."""

    intents: tuple[str, ...] = ()

    def can_handle(self, handler_input) -> bool:
        return intent_name(handler_input) in self.intents


class RequestTypeHandler(AbstractRequestHandler):
    """Handles the request types named in ``request_types``."""

    request_types: tuple[str, ...] = ()

    def can_handle(self, handler_input) -> bool:
        request = handler_input.request_envelope.request
        return getattr(request, "object_type", None) in self.request_types
