"""The person talking (or touching the screen): every such request goes to the turn."""

from __future__ import annotations

from ..dialogue import INTENTS, Answer, answer_to_intent, answer_to_touch
from ..logs import log_event
from .base import IntentHandler, RequestTypeHandler, answer, intent_name


class LaunchHandler(RequestTypeHandler):
    """ "Open leg cramp helper"."""

    request_types = ("LaunchRequest",)

    def handle(self, handler_input):
        return answer(handler_input, Answer.LAUNCH)


class SpokenHandler(IntentHandler):
    """Every intent in the model: its meaning (dialogue.INTENTS) answers the last question."""

    intents = tuple(INTENTS)

    def handle(self, handler_input):
        return answer(handler_input, answer_to_intent(intent_name(handler_input)))


class UnknownIntentHandler(RequestTypeHandler):
    """An intent not in our model (an old model, a new built-in): not understood."""

    request_types = ("IntentRequest",)

    def handle(self, handler_input):
        log_event("unknown_intent")
        return answer(handler_input, Answer.FALLBACK)


class AplUserEventHandler(RequestTypeHandler):
    """A touch on an Echo Show button: the same dialogue as the spoken answer."""

    request_types = ("Alexa.Presentation.APL.UserEvent",)

    def handle(self, handler_input):
        if handler_input.request_envelope.session is None:
            return handler_input.response_builder.response
        arguments = getattr(handler_input.request_envelope.request, "arguments", None) or []
        return answer(handler_input, answer_to_touch(arguments[0] if arguments else None))
