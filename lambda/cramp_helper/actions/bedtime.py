"""The bedtime stretch routine: the trial protocol, hands-free, ending with one tip a night."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import episodes, guide
from ..dialogue import Question
from ..guide import Move, Turn
from ..periods import night_of
from ..reply import Reply
from ..timezone import known_zone
from . import on_screen
from .common import ask, guarded, is_prevention, say, steps

if TYPE_CHECKING:
    from ..context import Context

BEDTIME = "BEDTIME"


def start_bedtime(ctx: Context) -> Reply:
    ctx.state.unknown_tries = 0
    if ctx.state.episode is not None:  # asked for the stretches mid-cramp: that cramp is over
        episodes.end(ctx, episodes.ABANDONED)
    episodes.start_prevention(ctx, BEDTIME)
    turn = guarded(ctx, guide.begin(steps(ctx), BEDTIME, "BOTH"))
    if ctx.state.seated:  # dizzy or can't stand: the stretches sitting (issue 18)
        turn = guide.seated(steps(ctx), turn)
    ctx.state.move_to(turn.position)
    return deliver_stretch(ctx, turn)


def deliver_stretch(ctx: Context, turn: Turn) -> Reply:
    """A bedtime stretch; the last one runs straight into the night's tip and goodnight."""
    if turn.finished or guide.is_last(ctx.content, turn.position):
        return finish(ctx, turn)
    speech = say(ctx).add(turn.script)
    return Reply(speech, question=turn.question, reprompt=turn.reprompt, asks=Question.BEDTIME_NEXT,
                 screen=on_screen.bedtime(ctx, turn, speech))


def next_stretch(ctx: Context) -> Reply:
    if not is_prevention(ctx):
        return start_bedtime(ctx)
    turn = guide.go(steps(ctx), ctx.state.position, Move.NEXT)
    if ctx.state.seated:
        turn = guide.seated(steps(ctx), turn)
    return deliver_stretch(ctx, guarded(ctx, turn))


def wait(ctx: Context) -> Reply:
    return ask(ctx, say(ctx, ctx.content.phrase("bedtime_wait")), Question.BEDTIME_NEXT)


def finish(ctx: Context, turn: Turn | None = None) -> Reply:
    """Tonight's tip and goodnight; logged as completed only when the last stretch was done."""
    content = ctx.content
    tips = content.section("bedtime_tips")
    speech = say(ctx)
    screen = None
    if turn is not None:
        speech.add(turn.script)
        screen = on_screen.bedtime(ctx, turn, speech)
        speech.say(content.routine(BEDTIME)["done"])
    speech.say(tonight_tip(ctx, tips["tips"])).say(tips["goodnight"])
    episodes.end_prevention(ctx, completed=turn is not None)
    ctx.state.clear_routine()
    return Reply(speech, end=True, screen=screen)


def finish_early(ctx: Context) -> Reply:
    return finish(ctx, None)


def tonight_tip(ctx: Context, tips: list[str]) -> str:
    """A different tip each night, in turn."""
    zone = known_zone(ctx)
    return tips[night_of(ctx.now.astimezone(zone) if zone else ctx.now).toordinal() % len(tips)]
