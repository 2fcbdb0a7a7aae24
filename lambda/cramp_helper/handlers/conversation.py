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
        name = intent_name(handler_input)
        heard = answer_to_intent(name)
        if name == "RedFlagIntent":
            heard = _relief_in_a_carrier(handler_input) or heard
        return answer(handler_input, heard)


# The open carriers ("it's {Symptom}", "I'm {Symptom}") bring everyday words for relief to
# RedFlagIntent with nothing resolved. Read with the locale's lexicon, relief answers as relief,
# never with the clot question (issue 17). A sign anywhere in the words, or any resolved symptom,
# keeps the red flag. "Still tight" and "a bit stiff" keep today's one clarifying question until
# issue 18 settles a cramp against a clot (tests/safety_corpus.yaml holds them there).
_CARRIED = {"RELIEF": Answer.GONE}


def _relief_in_a_carrier(handler_input) -> Answer | None:
    from ..interpreter import Said, heard, lexicon
    from ..slots import MATCH, read_slot, words_of

    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None)
    slots = {}
    for name in ("Symptom", "OtherSymptom", "Muscle", "Side"):
        reading = read_slot(intent, name)
        if name in ("Symptom", "OtherSymptom") and reading.status == MATCH:
            return None  # a symptom Alexa resolved: triage decides
        slots[name] = Said(reading.id if reading.status == MATCH else None, words_of(intent, name))
    locale = getattr(request, "locale", None)
    meaning = heard("RedFlagIntent", slots, lexicon(locale if isinstance(locale, str) else "en-US")).meaning
    return _CARRIED.get(meaning)


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
