"""History by voice: counts, the last cramp, where it cramps most, and a summary card.

The words come from ``insights.answer`` (pure); this flow reads the person's items (one query,
paged past 1 MB by the repository) and speaks the answer. The session closes; the summary also
goes to the Alexa app as a card worded for a physical therapist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import insights
from ..reply import Reply
from ..storage import StorageError
from ..timezone import UTC, known_zone
from . import on_screen
from .common import say

if TYPE_CHECKING:
    from ..context import Context

def answer(ctx: Context, question: str) -> Reply:
    """``question``: what is asked (insights.COUNT, LAST, COMMON or SUMMARY)."""
    content = ctx.content
    if not ctx.store.enabled:
        return _speak(ctx, insights.unavailable(content))
    zone = known_zone(ctx)  # looked up by the turn before the action ran
    try:
        # Every question reads all of the person's episodes and bedtime sessions (400 days at
        # most, tiny items): the last cramp may sit behind a later warning sign, and a comparison
        # needs to know whether anything came before.
        items = ctx.store.history()
    except StorageError:
        return _speak(ctx, insights.unavailable(content))
    episodes = [i for i in items if i["kind"] == "episode"]
    sessions = [i for i in items if i["kind"] == "prevention"]
    now = ctx.now.astimezone(zone or UTC)
    period = ctx.slot("Period").id
    if not ctx.apl:
        return _speak(ctx, insights.answer(content, question, episodes, sessions, now, zone, period))
    # On a screen, the month of nights too: the same items, read once, by the same pure functions.
    return _speak(ctx, *insights.answer_and_chart(content, question, episodes, sessions, now, zone, period))


def _speak(ctx: Context, answer: insights.Answer, chart: insights.Chart | None = None) -> Reply:
    return Reply(say(ctx, *answer.sentences), end=True, card=answer.card,
                 screen=on_screen.history(ctx, answer.card, answer.sentences, chart))
