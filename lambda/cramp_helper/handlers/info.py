"""Understanding cramps: how to prevent them, and why they come at night. Grounded, hedged."""

from __future__ import annotations

from ..state import EXPECT_BEDTIME_OFFER
from .base import IntentHandler, content_of, intent_name, soft
from .general import reply_in_place

PREVENT_INTENT = "PreventionInfoIntent"
CAUSE_INTENT = "CauseInfoIntent"


class InfoHandler(IntentHandler):
    intents = (PREVENT_INTENT, CAUSE_INTENT)

    def handle(self, handler_input):
        content = content_of(handler_input)
        info = content.section("info")
        speech = soft(handler_input).say(info["prevent" if intent_name(handler_input) == PREVENT_INTENT
                                              else "why"])
        # Asked mid-cramp: back to the cramp. Otherwise, offer tonight's stretches.
        return reply_in_place(handler_input, speech, info["question"], info["reprompt"],
                              EXPECT_BEDTIME_OFFER)
