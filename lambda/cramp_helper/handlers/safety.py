"""Red flags: symptoms that must never get a stretch. They override any routine in progress.

A recognised symptom gets the urgency CONTENT_FACTS.md gives it, in the normal (not the soft
night) voice, and the session ends so the person can act. Words Alexa put in the symptom slot
that match no known symptom ("I'm cramping badly" can land here) get the safety line that covers
every red flag, but the cramp is not abandoned: the user is asked whether to carry on.
"""

from __future__ import annotations

from .. import episodes, slots
from ..speech import Speech
from ..state import EXPECT_CARRY_ON
from .base import IntentHandler, content_of, reply, state_of

RED_FLAG_INTENT = "RedFlagIntent"


def urgency_for(content, symptom_id: str | None) -> str:
    """Which advice a symptom gets; no symptom named gets the advice that covers all."""
    return content.red_flag("symptoms").get(symptom_id or "", "UNSPECIFIED")


class RedFlagHandler(IntentHandler):
    intents = (RED_FLAG_INTENT,)

    def handle(self, handler_input):
        content = content_of(handler_input)
        state = state_of(handler_input)
        symptom = slots.read(handler_input, "Symptom")
        if symptom.status == slots.NO_MATCH:
            state.expect = EXPECT_CARRY_ON
            key = "unsure_question_routine" if state.position is not None else "unsure_question_idle"
            return reply(handler_input, Speech().say(content.red_flag("UNSURE")),
                         question=content.red_flag(key),
                         reprompt=content.red_flag("unsure_reprompt"),
                         card=(content.red_flag("card_title"), content.red_flag("UNSURE")))
        advice = content.red_flag(urgency_for(content, symptom.id))
        state.clear_routine()
        episodes.end(handler_input, episodes.RED_FLAG)
        return reply(handler_input, Speech().say(advice), end=True,
                     card=(content.red_flag("card_title"), advice))
