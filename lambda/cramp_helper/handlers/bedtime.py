"""The bedtime stretch routine: the trial protocol, hands-free, ending with one tip a night."""

from __future__ import annotations

from .. import episodes, guide
from .base import IntentHandler, content_of, state_of
from .relief import deliver

BEDTIME_INTENT = "BedtimeStretchIntent"
BEDTIME = "BEDTIME"


def start_bedtime(handler_input):
    state = state_of(handler_input)
    state.asked_muscle = False
    episodes.start_prevention(handler_input, BEDTIME)
    return deliver(handler_input, guide.begin(content_of(handler_input), BEDTIME, "BOTH"))


class BedtimeHandler(IntentHandler):
    intents = (BEDTIME_INTENT,)

    def handle(self, handler_input):
        return start_bedtime(handler_input)
