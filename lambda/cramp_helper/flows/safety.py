"""Red flags: symptoms that must never get a stretch. They override any routine in progress.

A recognised symptom gets the urgency CONTENT_FACTS.md gives it, in the plain (never soft) voice,
and the session ends so the person can act. Words Alexa put in the symptom slot that match no
known symptom get one short clarifying question, then the person goes back to where they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import episodes, slots
from ..reply import Reply
from ..state import Question
from .common import ask, reask, say

if TYPE_CHECKING:
    from ..context import Context


def _card(ctx: Context, advice: str) -> tuple[str, str]:
    return ctx.content.red_flag("card_title"), advice


def triage(ctx: Context) -> Reply:
    content = ctx.content
    if ctx.intent == "EmergencyIntent":
        return urgent(ctx, "EMERGENCY")
    symptom = ctx.slot("Symptom")
    if symptom.status != slots.MATCH:
        return ask(ctx, say(ctx, content.red_flag("clarify_lead")), Question.CLARIFY)
    return urgent(ctx, content.red_flag("symptoms").get(symptom.id, "UNSPECIFIED"))


def urgent(ctx: Context, key: str) -> Reply:
    advice = ctx.content.red_flag(key)
    ctx.state.clear_routine()
    episodes.end(ctx, episodes.RED_FLAG)
    return Reply(say(ctx, advice), end=True, card=_card(ctx, advice))


def clarified(ctx: Context) -> Reply:
    """ "Yes" to "is your leg swollen, red or warm?": the same-day advice."""
    return urgent(ctx, "CLOT")


def carry_on(ctx: Context) -> Reply:
    """ "No, it's just the cramp": back to where the person was."""
    from ..guide import Move
    from .relief import begin, move

    if ctx.state.position is not None:
        return move(ctx, Move.RESUME)
    return begin(ctx, "LEG", ctx.state.side)


def long_cramp(ctx: Context) -> Reply:
    """A cramp past about ten minutes: same-day care advice leads; gentle guidance if asked."""
    episode = ctx.state.episode
    if episode is not None:
        episode["escalated"] = True
    speech = say(ctx, ctx.content.red_flag("PERSISTENT"))
    if ctx.state.position is not None:
        return ask(ctx, speech, Question.CARE_OFFER)
    return Reply(speech, end=True, card=_card(ctx, ctx.content.red_flag("PERSISTENT")))


def distress(ctx: Context) -> Reply:
    return reask(ctx, say(ctx, ctx.content.red_flag("UNSURE")))


def medicine(ctx: Context) -> Reply:
    return reask(ctx, say(ctx, ctx.content.section("medicines")["answers"]["general"]))
