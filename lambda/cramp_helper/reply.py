"""What an action answers, as plain data, and the one place it becomes an Alexa response.

Actions (actions/) return a ``Reply``; the dialogue records the question it asks; ``render`` turns it
into ask-sdk's response, so every response obeys the same rules: speech through the speech builder,
and a question plus a reprompt whenever the session stays open.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .dialogue import Question
from .speech import Speech

if TYPE_CHECKING:
    from .context import Context


@dataclass
class Reply:
    speech: Speech
    question: str | None = None  # spoken last; required when the session stays open
    reprompt: str | None = None
    asks: Question = Question.NONE  # what a bare "yes"/"no"/"not yet" will answer next turn
    end: bool = False
    card: tuple[str, str] | None = None
    # (intent, slot), or (intent, slot, {slot: words}): Dialog.ElicitSlot for the answer; the words
    # are slots already said, which Alexa carries into the answer's request ("my calf" before "how long?")
    elicit: tuple | None = None
    directives: list[Any] = field(default_factory=list)
    screen: dict | None = None  # an Alexa.Presentation.APL.RenderDocument (actions/on_screen.py)

    def __post_init__(self):
        if not self.end and not self.question:
            raise ValueError("an open session must ask the person something")


# Directives of this request's answer written as plain dicts, added to the response after ask-sdk
# has serialized it (skill.py): the screen (ask-sdk's serializer would walk every node of the APL
# document, about 0.8 ms a screen) and Dialog.ElicitSlot (its ask-sdk-model classes cost a first
# request about 10 ms to import). The finished dicts go to Lambda's JSON encoder as they are.
_SPLICED: ContextVar[tuple[dict, ...]] = ContextVar("cramp_spliced", default=())


def take_spliced() -> list[dict]:
    """This request's plain-dict directives (once), for skill.py to add to the serialized response."""
    spliced = _SPLICED.get()
    _SPLICED.set(())
    return list(spliced)


def render(ctx: Context, reply: Reply):
    """Build ask-sdk's response for ``reply``."""
    builder = ctx.response_builder
    speech = reply.speech
    if reply.question:
        speech.say(reply.question)
    builder.speak(speech.ssml())
    if reply.end:
        builder.set_should_end_session(True)
    else:
        builder.ask(Speech(speech.voice).say(reply.reprompt or reply.question).ssml())
    if reply.card:
        from ask_sdk_model.ui import SimpleCard

        builder.set_card(SimpleCard(title=reply.card[0], content=reply.card[1]))
    for directive in reply.directives:
        builder.add_directive(directive)
    spliced = []
    if reply.elicit and not reply.end and ctx.request_type in ("IntentRequest", "LaunchRequest"):
        spliced.append(elicit_slot(*reply.elicit))
    if reply.screen:
        spliced.append(reply.screen)
    _SPLICED.set(tuple(spliced))
    return builder.response


# The slots of the intents the skill elicits (the updated intent names every slot, empty).
INTENT_SLOTS = {"CrampIntent": ("Muscle", "Side"), "SetReminderIntent": ("Time",),
                "LongCrampIntent": ("Minutes", "Muscle", "Duration")}


# The longest value (in characters) sent back in an elicitation's updated intent: a body part or a
# side is a few words; a longer value (a hostile envelope's 20 KB "Muscle") is not echoed back.
MAX_ECHOED_CHARS = 100


def elicit_slot(intent: str, slot: str, said: dict | None = None) -> dict:
    """Dialog.ElicitSlot: Alexa listens for this slot's own samples next ("calf", "nine thirty").
    The JSON ask-sdk-model's ElicitSlotDirective serializes to, written directly. ``said``: slots
    already filled, sent back in the updated intent so the answer's request still carries them."""
    slots = {name: {"name": name, "confirmationStatus": "NONE"} for name in INTENT_SLOTS.get(intent, (slot,))}
    for name, words in (said or {}).items():
        if name in slots and isinstance(words, str) and 0 < len(words) <= MAX_ECHOED_CHARS:
            slots[name]["value"] = words
    return {"type": "Dialog.ElicitSlot",
            "updatedIntent": {"name": intent, "slots": slots, "confirmationStatus": "NONE"},
            "slotToElicit": slot}
