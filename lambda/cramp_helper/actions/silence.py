"""Silence after the reprompt (issue 17, part 6): Alexa played the question's reprompt, heard
nothing again and ended the session. Nobody hears an answer; what the session keeps is the
table's choice (dialogue/table.py, the "(silence)" column)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import episodes
from ..reply import Reply
from ..speech import Speech

if TYPE_CHECKING:
    from ..context import Context


def close(ctx: Context) -> Reply:
    """Nothing was under way: the session closes, nothing is kept."""
    return Reply(Speech(), end=True)


def keep_place(ctx: Context, *, paused: bool = False) -> Reply:
    """A cramp under way keeps its place for twenty minutes ("still cramping" picks it up, from
    the technique it was at), paused when it was paused ("I'm ready" carries on)."""
    episodes.bookmark(ctx, paused=paused)
    return Reply(Speech(), end=True)


def bedtime_left(ctx: Context) -> Reply:
    """Bedtime stretches left part way: logged as not finished."""
    episodes.end_prevention(ctx, completed=False)
    return Reply(Speech(), end=True)
