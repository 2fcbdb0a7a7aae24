"""An episode's life, within a session and across sessions, and the queue that gets it stored.

Start, switch muscle, note techniques, end: each changes the episode held in the session. Table
writes go through a queue kept in the session (``state.pending``) and flushed once per request,
oldest first, stopping at the first failure. So a failed write is never lost within the session:
it is retried on the next request, and the guidance is spoken whatever the table does. When the
session closes with writes still failing, they go to an SQS queue and a drain function applies
them later (``hand_off``; docs/data-model.md, "The drain").

Writes per episode: one conditional create when it starts (a transaction that also checks the
deletion tombstone), one update when it ends (or, if the start is still queued when it ends, the
two merged into a single create).

A cramp can outlast its session: people go quiet mid-stretch and come back a minute later. When a
session closes with an episode open, the episode is not ended: its position is bookmarked in the
person's profile (``bookmark``). A new session that carries on ("still cramping", "I'm ready",
"next", "it's gone", "repeat") reads the profile once (``resume``) and, within ``RESUME_MINUTES``
of the close, continues that same episode: same muscle, same side, the next technique. Past that,
the old episode is ended as ABANDONED, as it would have been at the close.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor

from . import timezone as tz
from .logs import log_event, note_outcome
from .storage import FINAL_WRITE_RESERVE_S, StorageError, Store, reserved_budget
from .voice import read_profile

if TYPE_CHECKING:
    from .context import Context

RELIEVED = "RELIEVED"
STILL_CRAMPING = "STILL_CRAMPING"
ABANDONED = "ABANDONED"
RED_FLAG = "RED_FLAG"
RESUME_MINUTES = 20


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def minutes_since_start(ctx: Context) -> float | None:
    episode = ctx.state.episode
    if episode is None:
        return None
    return (ctx.request_time - parse_iso(episode["started_at"])).total_seconds() / 60


def start(ctx: Context, muscle: str | None, side: str | None) -> None:
    """A cramp begins (or the person corrects which muscle it is)."""
    state = ctx.state
    if state.episode is not None:
        state.episode.update(muscle=muscle, side=side)
        return
    if not ctx.store.enabled:
        return
    began = ctx.request_time
    zone = tz.device_zone(ctx)
    episode = {
        "id": Store.new_id(ctx.request_id or iso(began)),
        "started_at": iso(began),
        "local_time": tz.local(began, zone).isoformat(timespec="seconds") if zone else None,
        "muscle": muscle,
        "side": side,
        "locale": ctx.content.locale,
        "techniques": [],
    }
    state.episode = episode
    item = {k: v for k, v in episode.items() if k not in ("id", "techniques")}
    state.pending.append({"op": "start", "id": episode["id"], "item": item})


def note_technique(ctx: Context, technique_id: str) -> None:
    episode = ctx.state.episode
    if episode is not None and technique_id not in episode["techniques"]:
        episode["techniques"].append(technique_id)


def end(ctx: Context, outcome: str) -> None:
    """The episode ends with an outcome; a red flag with no episode open is logged as one."""
    state = ctx.state
    if state.episode is None:
        if outcome != RED_FLAG:
            return
        start(ctx, None, None)
        if state.episode is None:
            return
    episode, state.episode = state.episode, None
    note_outcome(outcome)
    _queue_end(ctx, episode, outcome, ctx.request_time)


def _queue_end(ctx: Context, episode: dict, outcome: str, ended: datetime) -> None:
    began = parse_iso(episode["started_at"])
    fields = {
        "outcome": outcome,
        "ended_at": iso(ended),
        "duration_s": max(0, int((ended - began).total_seconds())),
        "muscle": episode.get("muscle"),
        "side": episode.get("side"),
        "techniques": episode.get("techniques") or None,
        "escalated": True if episode.get("escalated") else None,  # same-day care advised (10 min)
    }
    for op in ctx.state.pending:
        if op["op"] == "start" and op["id"] == episode["id"]:
            op["end"] = fields  # one put carries start and end
            return
    # The start travels with the end: if the start never landed (it may still be on its way
    # through the queue), the end writes both, under the same tombstone check.
    start = {k: episode.get(k) for k in ("started_at", "local_time", "locale")}
    ctx.state.pending.append({"op": "end", "id": episode["id"], "fields": fields,
                              "item": {k: v for k, v in start.items() if v is not None}})


# --- a cramp that outlasts its session ---------------------------------------------------
def bookmark(ctx: Context, *, paused: bool = False) -> None:
    """The session closes with the cramp still open: keep its place for RESUME_MINUTES."""
    state = ctx.state
    episode = state.episode
    if episode is None:
        return
    state.episode = None
    snapshot = {**episode, "closed_at": iso(ctx.request_time), "paused": paused,
                "muscle": state.muscle or episode.get("muscle"), "side": state.side,
                "technique": state.technique, "part": state.part}
    state.pending.append({"op": "bookmark", "snapshot": snapshot})
    log_event("episode_bookmarked")


def resume(ctx: Context) -> dict | None:
    """At the start of a session that carries on: the bookmarked episode, if still fresh.

    Costs the one profile read of the session (shared with the voice preference). A fresh
    bookmark is taken (and cleared from the profile); a stale one ends its episode as ABANDONED.
    """
    state = ctx.state
    if state.episode is not None or state.profile_read:
        return None
    snapshot = read_profile(ctx).get("open_episode")
    if not isinstance(snapshot, dict) or not _valid_snapshot(snapshot):
        return None
    state.pending.append({"op": "unbookmark", "id": snapshot["id"]})
    closed = parse_iso(snapshot["closed_at"])
    if ctx.request_time - closed > timedelta(minutes=RESUME_MINUTES):
        _queue_end(ctx, snapshot, ABANDONED, closed)
        log_event("bookmark_expired")
        ctx.extras["expired"] = True  # a cramp "still" going after that is a long cramp
        return None
    state.episode = {k: snapshot.get(k) for k in
                     ("id", "started_at", "local_time", "muscle", "side", "locale", "techniques")}
    state.episode["techniques"] = [t for t in snapshot.get("techniques") or [] if isinstance(t, str)]
    log_event("episode_resumed")
    return snapshot


def _valid_snapshot(snapshot: dict) -> bool:
    try:
        parse_iso(str(snapshot["closed_at"]))
        parse_iso(str(snapshot["started_at"]))
    except (KeyError, ValueError):
        return False
    return isinstance(snapshot.get("id"), str)


# --- bedtime stretches ---------------------------------------------------------------------
def start_prevention(ctx: Context, routine_id: str) -> None:
    """Bedtime stretches begin. Logged once, when they end, as a prevention session."""
    state = ctx.state
    if state.prevention is not None or not ctx.store.enabled:
        return
    began = ctx.request_time
    zone = tz.device_zone(ctx)
    state.prevention = {
        "id": Store.new_id(ctx.request_id or iso(began)),
        "started_at": iso(began),
        "local_time": tz.local(began, zone).isoformat(timespec="seconds") if zone else None,
        "routine": routine_id,
        "locale": ctx.content.locale,
    }


def end_prevention(ctx: Context, completed: bool) -> None:
    state = ctx.state
    session, state.prevention = state.prevention, None
    if session is None:
        return
    ended = ctx.request_time
    item = {k: v for k, v in session.items() if k != "id"}
    item.update(completed=completed, ended_at=iso(ended),
                duration_s=max(0, int((ended - parse_iso(session["started_at"])).total_seconds())))
    state.pending.append({"op": "prevention", "id": session["id"], "item": item})


# --- the queue ------------------------------------------------------------------------------
def flush(ctx: Context) -> None:
    """Write what is queued, oldest first; stop at the first failure and keep the rest."""
    state = ctx.state
    if not state.pending or not ctx.store.enabled:
        return
    while state.pending:
        try:
            ctx.store.apply(state.pending[0])
        except StorageError as err:
            log_event("table_write_failed", level="WARNING", operation=err.operation,
                      error_type=err.kind, queued=len(state.pending))
            return
        except (KeyError, TypeError, ValueError):  # a corrupted queued write: drop it, keep the rest
            log_event("table_write_dropped", level="WARNING", error_type="MalformedQueuedWrite")
        state.pending.pop(0)


def hand_off(ctx: Context) -> None:
    """The session is closing with writes still failing: no later request of it will bring them
    back, so they go to the queue, in order, for the drain to apply (docs/data-model.md)."""
    state = ctx.state
    if not state.pending or not ctx.store.enabled:
        return
    try:
        ctx.store.hand_off(state.pending)
    except StorageError as err:
        log_event("table_writes_lost", level="ERROR" if err.kind != "NoQueue" else "WARNING",
                  error_type=err.kind, queued=len(state.pending))
        return
    log_event("table_writes_handed_off", queued=len(state.pending))
    state.pending.clear()


def close_session(ctx: Context) -> None:
    """The session is closing (our answer ends it, or Alexa ended it): nothing may stay open.
    A cramp still open is bookmarked; bedtime stretches not finished are logged as such."""
    if ctx.state.episode is not None:
        bookmark(ctx, paused=ctx.state.question.value == "paused")
    end_prevention(ctx, completed=False)


def persist(ctx: Context, *, closing: bool) -> None:
    """After every request: flush queued writes, then store the session state that remains.

    On the turn that closes the session, what is still queued gets one more try in a window of
    its own (storage.FINAL_WRITE_RESERVE_S: a slow table earlier in the turn cannot starve
    it), and whatever still fails goes to the queue (``hand_off``)."""
    if closing:
        close_session(ctx)
    flush(ctx)
    if closing and ctx.state.pending:
        with reserved_budget(FINAL_WRITE_RESERVE_S):
            flush(ctx)
    if closing and ctx.state.pending:
        hand_off(ctx)


class PersistSession(AbstractResponseInterceptor):
    """The response interceptor that runs ``persist`` once per request."""

    def process(self, handler_input, response) -> None:
        from .context import Context, save_state

        request = handler_input.request_envelope.request
        if getattr(request, "object_type", None) == "CanFulfillIntentRequest":
            return  # answering "could you?" must change nothing
        ctx = Context.of(handler_input)
        closing = response is None or response.should_end_session is not False
        persist(ctx, closing=closing)
        save_state(handler_input)
