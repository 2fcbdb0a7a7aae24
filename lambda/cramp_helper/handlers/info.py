"""Understanding cramps: how to prevent them, and why they come at night. Grounded, hedged."""

from __future__ import annotations

from ..state import EXPECT_BEDTIME_OFFER
from .base import IntentHandler, content_of, intent_name, reply, soft, state_of

PREVENT_INTENT = "PreventionInfoIntent"
CAUSE_INTENT = "CauseInfoIntent"


class InfoHandler(IntentHandler):
    intents = (PREVENT_INTENT, CAUSE_INTENT)

    def handle(self, handler_input):
        content = content_of(handler_input)
        info = content.section("info")
        speech = soft(handler_input).say(info["prevent" if intent_name(handler_input) == PREVENT_INTENT
                                              else "why"])
        state = state_of(handler_input)
        if state.position is not None:  # asked mid-cramp: go back to the cramp
            return reply(handler_input, speech, question=content.phrase("check_in"),
                         reprompt=content.phrase("check_in_reprompt"))
        state.expect = EXPECT_BEDTIME_OFFER
        return reply(handler_input, speech, question=info["question"], reprompt=info["reprompt"])
