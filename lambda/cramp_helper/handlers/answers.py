"""A bare "yes" or "no", understood through the last question the skill asked."""

from __future__ import annotations

from .. import episodes
from ..guide import Move
from ..state import (
    EXPECT_AGAIN,
    EXPECT_BEDTIME_OFFER,
    EXPECT_CARRY_ON,
    EXPECT_CHECKIN,
    EXPECT_DELETE,
    EXPECT_NEXT_STRETCH,
    EXPECT_PAUSED,
)
from .base import IntentHandler, content_of, reply, soft, state_of
from .bedtime import start_bedtime
from .privacy import confirm_delete, keep_history
from .relief import PauseHandler, ask_where, finish_prevention, goodbye, move, relieved, start


def _carry_on(handler_input):
    if state_of(handler_input).position is not None:
        return move(handler_input, Move.RESUME)
    return start(handler_input, "LEG", state_of(handler_input).side)


def _no_bedtime(handler_input):
    state_of(handler_input).expect = None
    return reply(handler_input, soft(handler_input).say(content_of(handler_input).section("info")[
        "no_thanks"]), end=True)


YES = {
    EXPECT_DELETE: confirm_delete,
    EXPECT_CHECKIN: relieved,
    EXPECT_AGAIN: lambda h: move(h, Move.START_OVER),
    EXPECT_PAUSED: lambda h: move(h, Move.RESUME),
    EXPECT_CARRY_ON: _carry_on,
    EXPECT_NEXT_STRETCH: lambda h: move(h, Move.NEXT),
    EXPECT_BEDTIME_OFFER: start_bedtime,
}
NO = {
    EXPECT_DELETE: keep_history,
    EXPECT_CHECKIN: lambda h: move(h, Move.NEXT),
    EXPECT_AGAIN: lambda h: goodbye(h, "finished_goodbye", episodes.STILL_CRAMPING),
    EXPECT_PAUSED: lambda h: PauseHandler().handle(h),
    EXPECT_CARRY_ON: goodbye,
    EXPECT_NEXT_STRETCH: lambda h: finish_prevention(h, None),
    EXPECT_BEDTIME_OFFER: _no_bedtime,
}


class YesHandler(IntentHandler):
    intents = ("AMAZON.YesIntent",)

    def handle(self, handler_input):
        return YES.get(state_of(handler_input).expect, ask_where)(handler_input)


class NoHandler(IntentHandler):
    intents = ("AMAZON.NoIntent",)

    def handle(self, handler_input):
        return NO.get(state_of(handler_input).expect, ask_where)(handler_input)
