"""Red flags: symptoms that must never get a stretch. They override any routine in progress."""

from __future__ import annotations

from .. import episodes, slots
from ..speech import Speech
from .base import IntentHandler, content_of, reply, state_of

RED_FLAG_INTENT = "RedFlagIntent"


def urgency_for(content, symptom_id: str | None) -> str:
    """Which advice a symptom gets; an unrecognised symptom gets the advice that covers all."""
    return content.red_flag("symptoms").get(symptom_id or "", "UNSPECIFIED")


class RedFlagHandler(IntentHandler):
    intents = (RED_FLAG_INTENT,)

    def handle(self, handler_input):
        content = content_of(handler_input)
        symptom = slots.read(handler_input, "Symptom")
        advice = content.red_flag(urgency_for(content, symptom.id))
        state_of(handler_input).clear_routine()
        episodes.end(handler_input, episodes.RED_FLAG)
        # Spoken in the normal voice, not the soft night voice: this must be heard clearly.
        return reply(handler_input, Speech().say(advice), end=True,
                     card=(content.red_flag("card_title"), advice))
