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
"next", "it's gone", "repeat"), or that says a cramp is here without saying where ("it's back"),
reads the profile once (the turn, through lookups.profile) and hands it to ``resume``: within
``RESUME_MINUTES`` of the close, continues that same episode: same muscle, same side, the next
technique, the ten-minute clock running on from its start. Past that, or when the other side is
named, the old episode is ended as ABANDONED, as it would have been at the close. (A cramp that
names its muscle is first guidance and reads nothing: a new episode.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from . import timezone as tz
from .logs import log_event, note_outcome
from .records import Bookmark, Episode, PendingWrite, PreventionSession, Profile, version_at
from .storage import FINAL_WRITE_RESERVE_S, StorageError, Store, reserved_budget

if TYPE_CHECKING:
    from .context import Context

RELIEVED = "RELIEVED"
STILL_CRAMPING = "STILL_CRAMPING"
ABANDONED = "ABANDONED"
RED_FLAG = "RED_FLAG"
RESUME_MINUTES = 20
RESUMED_VERSION = "resumed_version"  # session episode: the version of the bookmark it was resumed from


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def minutes_since_start(ctx: Context) -> float | None:
    """Minutes since the cramp began: from when the person said it began ("it started five
    minutes ago", state.began_at) when that is earlier, else from the episode's start."""
    episode = ctx.state.episode
    if episode is None:
        return None
    start = parse_iso(episode["started_at"])
    if ctx.state.began_at:
        start = min(start, parse_iso(ctx.state.began_at))
    return (ctx.request_time - start).total_seconds() / 60


def start(ctx: Context, muscle: str | None, side: str | None) -> None:
    """A cramp begins (or the person corrects which muscle it is)."""
    state = ctx.state
    if state.episode is not None:
        state.episode.update(muscle=muscle, side=side)
        return
    if not ctx.store.enabled or state.for_other:  # someone else's cramp is never in this history
        return
    began = ctx.request_time
    zone = tz.known_zone(ctx)  # looked up by the turn (lookups.zone) before the action ran
    episode = Episode.new(Store.new_id(ctx.request_id or iso(began)), began,
                          local_time=tz.local(began, zone).isoformat(timespec="seconds") if zone else None,
                          muscle=muscle, side=side, locale=ctx.content.locale)
    state.episode = episode.to_json()
    queue(ctx, PendingWrite.start(episode).to_json())


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
    episode, state.episode = Episode.from_json(state.episode), None
    note_outcome(outcome)
    if episode is not None:
        _queue_end(ctx, episode, outcome, ctx.request_time)


def _queue_end(ctx: Context, episode: Episode, outcome: str, ended: datetime) -> None:
    fields = episode.end_fields(outcome, ended)  # escalated: same-day care advised (10 min)
    for op in (*ctx.state.pending, *ctx.state.held):
        if op["op"] == "start" and op["id"] == episode.id:
            op["end"] = fields  # one put carries start and end
            return
    # The start travels with the end: if the start never landed (it may still be on its way
    # through the queue), the end writes both, under the same tombstone check.
    queue(ctx, PendingWrite.end_of(episode, outcome, ended).to_json())


# --- consent before the log (EPISODE_LOG=ask, issue 19) -------------------------------------
def queue(ctx: Context, op: dict) -> None:
    """Queue a cramp's write. Before the person's yes (ask mode, the consent known to be
    absent) it is held in the session for the consent question instead, so nothing about the
    cramp leaves the session. After a recent no (or "stop logging") a new record is not kept at
    all; the end or bookmark of a cramp logged before the stop still goes (the table refuses
    either where no yes is on record)."""
    state = ctx.state
    if state.consent == "absent" and ctx.store.asks_consent:
        if len(state.held) < MAX_HELD:
            state.held.append(op)
        return
    if state.consent == "quiet" and op.get("op") in ("start", "prevention") and ctx.store.asks_consent:
        return
    state.pending.append(op)


MAX_HELD = 4  # a start (its end merged in) and a bookmark: well inside the session size limit


def _applied(ctx: Context, op: dict, result: object) -> None:
    """What a flushed write came to, for the session: a start refused for want of consent is
    held for the question (and the consent known absent); one that landed means a yes is
    there; "same:<id>": the cramp is the open episode ``id`` (its first answer was lost), so
    the session carries on with that id (issue 21, finding 7)."""
    state = ctx.state
    if not isinstance(result, str):
        return
    if result == "unconsented":
        if state.consent != "quiet":
            state.consent = "absent"
            if len(state.held) < MAX_HELD:
                state.held.append(op)
    elif result in ("created", "exists") and ctx.store.asks_consent:
        state.consent = "given"
    elif result.startswith("same:"):
        old, new = op.get("id"), result[len("same:"):]
        if state.episode is not None and state.episode.get("id") == old:
            state.episode["id"] = new
        for later in (*state.pending, *state.held):
            if later.get("id") == old:
                later["id"] = new
            if isinstance(later.get("snapshot"), dict) and later["snapshot"].get("id") == old:
                later["snapshot"]["id"] = new


# --- a cramp that outlasts its session ---------------------------------------------------
def bookmark(ctx: Context, *, paused: bool = False) -> None:
    """The session closes with the cramp still open: keep its place for RESUME_MINUTES."""
    state = ctx.state
    episode, state.episode = Episode.from_json(state.episode), None
    if episode is None:
        return
    # A resumed episode closed again gets a version above the bookmark it was resumed from, even
    # if the request time did not move on (Alexa's timestamps are whole seconds): else the store
    # would refuse it as not newer (issue 21).
    resumed = episode.extra.pop(RESUMED_VERSION, 0)
    floor = resumed + 1 if isinstance(resumed, int) and not isinstance(resumed, bool) else 0
    mark = Bookmark.close(episode, ctx.request_time, paused=paused, muscle=state.muscle,
                          side=state.side, technique=state.technique, part=state.part,
                          version=max(version_at(ctx.request_time), floor))
    queue(ctx, PendingWrite.bookmark_of(mark).to_json())
    log_event("episode_bookmarked")


class Resumption(NamedTuple):
    bookmark: Bookmark | None  # the bookmarked cramp, taken up again: where it was
    expired: bool = False  # a bookmark too old to resume: a cramp "still" going is a long cramp


class CrampSaid(NamedTuple):
    """A cramp said as a session opens with no body part ("it's back", "my left one again"; the
    turn's ``_cramp_back``): the side, if one was said."""
    side: str | None = None

    def continues(self, mark: Bookmark) -> bool:
        """The bookmarked cramp come back: not the other side named (a cramp whose side was never
        said may be the one named now)."""
        return self.side is None or mark.episode.side in (None, self.side)


def still_fresh(ctx: Context, mark: Bookmark) -> bool:
    """The bookmark closed no more than RESUME_MINUTES ago: its cramp may still be going."""
    return ctx.request_time - mark.closed <= timedelta(minutes=RESUME_MINUTES)


def may_resume(ctx: Context) -> bool:
    """Nothing open in this session and the profile not yet read: a bookmark may be waiting."""
    return ctx.state.episode is None and not ctx.state.profile_read


def resume(ctx: Context, profile: Profile, cramp: CrampSaid | None = None,
           started: list[tuple[str, str]] = ()) -> Resumption:
    """At the start of a session that carries on (or says a cramp is here: ``cramp``): the
    bookmarked episode in ``profile`` (the session's one profile read, made by the turn), if still
    fresh. A fresh bookmark is taken (and cleared from the profile); a stale one ends its episode
    as ABANDONED, and so does one left behind: another cramp began after its close (``started``:
    (episode id, start) of the cramps begun since, read by the turn for a fresh bookmark only), or
    the other side's is here."""
    state = ctx.state
    mark = profile.bookmark
    if mark is None:
        return Resumption(None)
    state.pending.append(PendingWrite.unbookmark(mark.episode_id).to_json())
    if not still_fresh(ctx, mark):
        _queue_end(ctx, mark.episode, ABANDONED, mark.closed)
        log_event("bookmark_expired")
        return Resumption(None, expired=True)
    later = any(began > mark.closed_at and episode_id != mark.episode_id for episode_id, began in started)
    if later or (cramp is not None and not cramp.continues(mark)):
        _queue_end(ctx, mark.episode, ABANDONED, mark.closed)
        log_event("bookmark_superseded")
        return Resumption(None)
    state.episode = {**mark.resumed().to_json(), RESUMED_VERSION: mark.version}
    log_event("episode_resumed")
    return Resumption(mark)


# --- bedtime stretches ---------------------------------------------------------------------
def start_prevention(ctx: Context, routine_id: str) -> None:
    """Bedtime stretches begin. Logged once, when they end, as a prevention session."""
    state = ctx.state
    if state.prevention is not None or not ctx.store.enabled:
        return
    began = ctx.request_time
    zone = tz.known_zone(ctx)
    state.prevention = PreventionSession.new(
        Store.new_id(ctx.request_id or iso(began)), began,
        local_time=tz.local(began, zone).isoformat(timespec="seconds") if zone else None,
        routine=routine_id, locale=ctx.content.locale).to_json()


def end_prevention(ctx: Context, completed: bool) -> None:
    state = ctx.state
    session, state.prevention = PreventionSession.from_json(state.prevention), None
    if session is None:
        return
    queue(ctx, PendingWrite.prevention(session, completed, ctx.request_time).to_json())


# --- the queue ------------------------------------------------------------------------------
def flush(ctx: Context) -> None:
    """Write what is queued, oldest first; stop at the first failure and keep the rest."""
    state = ctx.state
    if not state.pending or not ctx.store.enabled:
        return
    while state.pending:
        try:
            _applied(ctx, state.pending[0], ctx.store.apply(state.pending[0]))
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
    A cramp still open is bookmarked; bedtime stretches not finished are logged as such. (Silence
    after a question is the table's to decide: actions/silence.py has bookmarked the cramp, paused
    where it was paused, before this runs.)"""
    if ctx.state.episode is not None:
        bookmark(ctx)
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

