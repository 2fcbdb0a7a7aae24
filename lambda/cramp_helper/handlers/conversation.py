"""The person talking (or touching the screen): every such request goes to the turn."""

from __future__ import annotations

from ..dialogue import INTENTS, Answer, answer_to_heard, answer_to_touch
from ..logs import log_event
from .base import IntentHandler, RequestTypeHandler, answer, intent_name


class LaunchHandler(RequestTypeHandler):
    """ "Open leg cramp helper"."""

    request_types = ("LaunchRequest",)

    def handle(self, handler_input):
        return answer(handler_input, Answer.LAUNCH)


class SpokenHandler(IntentHandler):
    """Every intent in the model: what the person meant (the intent read with every word Alexa
    handed over, interpreter.heard) answers the last question."""

    intents = tuple(INTENTS)

    def handle(self, handler_input):
        name = intent_name(handler_input)
        heard = hear(handler_input)
        if heard is None:  # an intent with no slot (help, yes, stop): nothing to read
            return answer(handler_input, answer_to_heard(name, None, False))
        return answer(handler_input, answer_to_heard(name, heard.meaning, heard.by_words,
                                                     leg_named=_leg_named(handler_input, heard)))


# Slots whose resolved ids say no more than the intent: a body part and a side.
PLACE_SLOTS = frozenset({"Muscle", "Side"})


def hear(handler_input):
    """What was meant, kept on the Context (``ctx.heard``) for the actions: every slot of the
    intent, by resolved id, or by the words Alexa could not resolve. Unresolved custom-slot words
    (ER_SUCCESS_NO_MATCH) are read with the locale's lexicon: relief in a carrier is relief, an
    unresolved "chest" is a warning sign (issue 17). The words are never logged or stored.
    An intent with no slot, or with only a resolved body part and side ("my left calf"), hears
    nothing more than its name (None): the interpreter is not loaded, and the lexicon is read only
    when some words were left unresolved (cold starts, issue 20)."""
    from ..context import Context
    from ..slots import MATCH, read_slot, words_of

    ctx = Context.of(handler_input)
    intent = ctx.raw_intent
    slots = getattr(intent, "slots", None)
    if not isinstance(slots, dict) or not slots:
        return None
    readings = {name: read_slot(intent, name) for name in slots}
    words = {name: words_of(intent, name) for name in slots}
    filled = [name for name in slots if words[name]]
    if set(filled) <= PLACE_SLOTS and all(readings[name].status == MATCH for name in filled):
        return None
    from ..interpreter import READ_SLOTS, Lexicon, Said, heard, lexicon

    said = {name: Said(reading.id if reading.status == MATCH else None, words[name])
            for name, reading in readings.items()}
    unread = any(s.words and not s.id for name, s in said.items() if name in READ_SLOTS)
    # a place and a symptom, both resolved, are still read together ("groin" + "numb" is numbness
    # between the legs, not a numb hip): the lexicon is needed for that too
    across = bool(words.get("Muscle")) and any(words.get(name) for name in ("Symptom", "OtherSymptom"))
    locale = ctx.content.locale
    ctx.heard = heard(ctx.intent, said, lexicon(locale) if unread or across else Lexicon(locale))
    return ctx.heard


def _leg_named(handler_input, heard) -> bool:
    """Words nobody knows, said with a body part Alexa resolved ("my calf feels {Symptom}"): then
    the words are about the leg (issue 17). A body part the lexicon reads in the Muscle slot's
    words never gets here: the interpreter hears those words as a cramp, not UNKNOWN."""
    if heard.meaning != "UNKNOWN":
        return False
    from ..context import Context
    from ..slots import MATCH, read_slot

    return read_slot(Context.of(handler_input).raw_intent, "Muscle").status == MATCH


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
