"""Privacy by voice: "delete my cramp history", confirmed with yes or no."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..episodes import iso
from ..logs import log_event
from ..reply import Reply
from ..state import Question
from ..storage import StorageError
from .common import ask, in_relief, routine_checkin, say

if TYPE_CHECKING:
    from ..context import Context


def ask_delete(ctx: Context) -> Reply:
    return ask(ctx, say(ctx), Question.DELETE)


def delete(ctx: Context) -> Reply:
    """Yes: delete every item of this person's (the recognised voice profile's, else the
    account's), and anything still queued for the table. The deletion is stamped with this
    request's time: nothing that started before it, in any session on any device, is written
    afterwards (storage.Store.delete_all). What does not fit in this request finishes as a
    purge job on the queue."""
    words = ctx.content.section("privacy")
    state = ctx.state
    if not ctx.store.enabled:
        return _after(ctx, words["unavailable"])
    state.pending.clear()
    state.episode = None  # the cramp in progress is not written back after "deleted"
    state.prevention = None
    try:
        deleted = ctx.store.delete_all(at=iso(ctx.request_time))
    except StorageError as err:
        log_event("history_delete_failed", level="ERROR", error_type=err.kind)
        return _after(ctx, words["failed"])
    log_event("history_deleted", items=deleted)
    return _after(ctx, words["deleted" if deleted else "nothing_to_delete"])


def keep(ctx: Context) -> Reply:
    return _after(ctx, ctx.content.section("privacy")["kept"])


def _after(ctx: Context, sentence: str) -> Reply:
    """Mid-cramp, back to the check-in; otherwise done."""
    if in_relief(ctx):
        return ask(ctx, say(ctx, sentence), routine_checkin(ctx))
    return Reply(say(ctx, sentence), end=True)
