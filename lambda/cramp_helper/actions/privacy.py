"""Privacy by voice: "delete my cramp history", confirmed with yes or no."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import LOG_OFF, episode_log_mode
from ..dialogue import Question
from ..episodes import iso
from ..logs import log_event
from ..reply import Reply
from ..storage import StorageError
from .common import ask, in_relief, routine_checkin, say

if TYPE_CHECKING:
    from ..context import Context


def ask_delete(ctx: Context) -> Reply:
    if episode_log_mode() == LOG_OFF:  # issue 19: this deployment keeps no log to delete
        return _after(ctx, ctx.content.section("consent")["off"])
    return ask(ctx, say(ctx), Question.DELETE)


def delete(ctx: Context) -> Reply:
    """Yes: delete every item of this person's (the recognised voice profile's, else the
    account's), and anything still queued for the table. The deletion is stamped with this
    request's time: nothing that started before it, in any session on any device, is written
    afterwards (storage.Store.delete_all). What does not fit in this request finishes as a
    purge job on the queue.

    "Done" only once the tombstone is committed; "I've started, it will be complete within the
    hour" when only the purge job could be queued (SQS retries it for 5 receives 6 minutes apart,
    about half an hour, before it reaches the DLQ and its alarm); "couldn't" when neither."""
    words = ctx.content.section("privacy")
    state = ctx.state
    if not ctx.store.enabled:
        return _after(ctx, words["unavailable"])
    state.pending.clear()
    state.held.clear()
    state.episode = None  # the cramp in progress is not written back after "deleted"
    state.prevention = None
    if ctx.store.asks_consent:  # the consent goes with the history: the next cramp asks again
        state.consent, state.consent_asked = "absent", False
    at = iso(ctx.request_time)
    try:
        erased = ctx.store.delete_all(at=at)
    except StorageError as err:
        log_event("history_delete_failed", level="ERROR", error_type=err.kind)
        return _after(ctx, words["failed"])
    if erased.pending:
        # Only the purge job could be queued: nothing is deleted yet. Say it has started and
        # when it will be done; this session honours it until then (the job writes the tombstone
        # first when it runs; if it cannot within about half an hour, it reaches the DLQ and
        # PurgeDeadLetterAlarm fires).
        state.purge_at = at
        log_event("history_delete_queued")
        return _after(ctx, words["deleting"])
    log_event("history_deleted", items=erased.found)
    return _after(ctx, words["deleted" if erased.found else "nothing_to_delete"])


def keep(ctx: Context) -> Reply:
    return _after(ctx, ctx.content.section("privacy")["kept"])


def _after(ctx: Context, sentence: str) -> Reply:
    """Mid-cramp, back to the check-in; otherwise done."""
    if in_relief(ctx):
        return ask(ctx, say(ctx, sentence), routine_checkin(ctx))
    return Reply(say(ctx, sentence), end=True)
