"""History by voice: counts, the last cramp, where it cramps most, and a summary card.

The words come from ``insights.answer`` (pure); this flow reads the person's items (one query,
paged past 1 MB by the repository) and speaks the answer. The session closes; the summary also
goes to the Alexa app as a card worded for a physical therapist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import insights
from ..config import LOG_OFF, episode_log_mode
from ..reply import Reply
from ..storage import StorageError
from ..timezone import UTC, known_zone
from . import on_screen
from .common import say

if TYPE_CHECKING:
    from ..context import Context

def answer(ctx: Context, question: str) -> Reply:
    """``question``: what is asked (insights.COUNT, LAST, COMMON or SUMMARY). With EPISODE_LOG
    off the answer says this deployment keeps no log; with ask and no yes on record, it says
    when nothing is kept, and asks the consent question (issue 19)."""
    content = ctx.content
    if episode_log_mode() == LOG_OFF:
        return Reply(say(ctx, content.section("consent")["off"]), end=True)
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
    if ctx.store.asks_consent and ctx.state.consent in ("absent", "quiet") and not items:
        return _nothing_kept(ctx)
    episodes = [i for i in items if i["kind"] == "episode"]
    sessions = [i for i in items if i["kind"] == "prevention"]
    now = ctx.now.astimezone(zone or UTC)
    period = ctx.slot("Period").id
    if not ctx.apl:
        reply = _speak(ctx, insights.answer(content, question, episodes, sessions, now, zone, period))
    else:  # on a screen, the month of nights too: the same items, read once, by the same pure functions
        reply = _speak(ctx, *insights.answer_and_chart(content, question, episodes, sessions, now, zone,
                                                       period))
    if ctx.store.asks_consent and ctx.state.consent == "absent":
        from .consent import may_ask  # kept from before consent: asked once
        from .consent import question as consent_question

        if may_ask(ctx):
            return consent_question(ctx, reply)
    return reply


def _nothing_kept(ctx: Context) -> Reply:
    """Ask mode, no yes on record, nothing stored: say so; then the question, or how to start."""
    from .consent import may_ask
    from .consent import question as consent_question

    words = ctx.content.section("consent")
    if may_ask(ctx):
        return consent_question(ctx, Reply(say(ctx, words["nothing_kept"]), end=True))
    return Reply(say(ctx, words["nothing_kept"], words["how_to_start"]), end=True)


def _speak(ctx: Context, answer: insights.Answer, chart: insights.Chart | None = None) -> Reply:
    return Reply(say(ctx, *answer.sentences), end=True, card=answer.card,
                 screen=on_screen.history(ctx, answer.card, answer.sentences, chart))
