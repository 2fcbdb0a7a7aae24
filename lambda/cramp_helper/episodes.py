"""An episode's life within a session, and the queue that gets it into the table.

Start, switch muscle, note techniques, end: each changes the episode held in the session. Table
writes go through a queue kept in the session (``state.pending``) and flushed once per request,
oldest first, stopping at the first failure. So a failed write is never lost within the session:
it is retried on the next request, and the guidance is spoken whatever the table does.

Writes per episode: one conditional put when it starts, one update when it ends (or, if the
start is still queued when it ends, the two are merged into a single put; should that put find
the item already there, because an earlier answer was lost after the write landed, the end is
applied as an update).
"""

from __future__ import annotations

from datetime import UTC, datetime

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor

from . import timezone as tz
from .context import save_state, state_of
from .logs import log_event, note_outcome
from .repository import EPISODE, PREVENTION, StorageError, item_key, user_key
from .services import services_of

RELIEVED = "RELIEVED"
STILL_CRAMPING = "STILL_CRAMPING"
ABANDONED = "ABANDONED"
RED_FLAG = "RED_FLAG"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def request_time(handler_input) -> datetime:
    stamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return services_of(handler_input).now()


def user_id(handler_input) -> str | None:
    envelope = handler_input.request_envelope
    for holder in (envelope.session, getattr(envelope.context, "system", None)):
        uid = getattr(getattr(holder, "user", None), "user_id", None)
        # ask-sdk turns a userId of the wrong type into its str() ("[]", "5"): only an Alexa id counts.
        if isinstance(uid, str) and uid.startswith("amzn1.") and len(uid) <= 512:
            return uid
    return None


def _storing(handler_input) -> bool:
    return services_of(handler_input).repository.enabled and user_id(handler_input) is not None


def start(handler_input, muscle: str | None, side: str | None) -> None:
    """A cramp begins (or the user corrects which muscle it is)."""
    state = state_of(handler_input)
    if state.episode is not None:
        state.episode.update(muscle=muscle, side=side)
        return
    if not _storing(handler_input):
        return
    began = request_time(handler_input)
    zone = tz.device_zone(handler_input)
    request = handler_input.request_envelope.request
    episode = {
        "sk": item_key(EPISODE, _iso(began), str(request.request_id or _iso(began))),
        "started_at": _iso(began),
        "local_time": tz.local(began, zone).isoformat(timespec="seconds") if zone else None,
        "muscle": muscle,
        "side": side,
        "locale": getattr(request, "locale", None),
        "techniques": [],
    }
    state.episode = episode
    item = {k: v for k, v in episode.items() if k != "techniques"}
    state.pending.append({"op": "put", "sk": episode["sk"], "item": {**item, "kind": "episode"}})


def start_prevention(handler_input, routine_id: str) -> None:
    """Bedtime stretches begin. Logged once, when they end, as a prevention session."""
    state = state_of(handler_input)
    if state.prevention is not None or not _storing(handler_input):
        return
    began = request_time(handler_input)
    zone = tz.device_zone(handler_input)
    request = handler_input.request_envelope.request
    state.prevention = {
        "sk": item_key(PREVENTION, _iso(began), str(request.request_id or _iso(began))),
        "started_at": _iso(began),
        "local_time": tz.local(began, zone).isoformat(timespec="seconds") if zone else None,
        "routine": routine_id,
        "locale": getattr(request, "locale", None),
    }


def end_prevention(handler_input, completed: bool) -> None:
    state = state_of(handler_input)
    session, state.prevention = state.prevention, None
    if session is None:
        return
    ended = request_time(handler_input)
    began = datetime.fromisoformat(session["started_at"].replace("Z", "+00:00"))
    item = {k: v for k, v in session.items() if k != "sk"}
    item.update(kind="prevention", completed=completed, ended_at=_iso(ended),
                duration_s=max(0, int((ended - began).total_seconds())))
    state.pending.append({"op": "put", "sk": session["sk"], "item": item})


def note_technique(handler_input, technique_id: str) -> None:
    episode = state_of(handler_input).episode
    if episode is not None and technique_id not in episode["techniques"]:
        episode["techniques"].append(technique_id)


def end(handler_input, outcome: str) -> None:
    """The episode ends with an outcome; a red flag with no episode open is logged as one."""
    state = state_of(handler_input)
    if state.episode is None:
        if outcome != RED_FLAG:
            return
        start(handler_input, None, None)
        if state.episode is None:
            return
    episode, state.episode = state.episode, None
    note_outcome(outcome)
    ended = request_time(handler_input)
    began = datetime.fromisoformat(episode["started_at"].replace("Z", "+00:00"))
    fields = {
        "outcome": outcome,
        "ended_at": _iso(ended),
        "duration_s": max(0, int((ended - began).total_seconds())),
        "muscle": episode.get("muscle"),
        "side": episode.get("side"),
        "techniques": episode.get("techniques") or None,
    }
    for op in state.pending:
        if op["op"] == "put" and op["sk"] == episode["sk"]:
            op["end"] = fields  # one put carries start and end; see flush for when it exists
            return
    state.pending.append({"op": "update", "sk": episode["sk"], "fields": fields})


def flush(handler_input) -> None:
    """Write what is queued, oldest first; stop at the first failure and keep the rest."""
    state = state_of(handler_input)
    if not state.pending:
        return
    uid = user_id(handler_input)
    repository = services_of(handler_input).repository
    if uid is None or not repository.enabled:
        return
    pk = user_key(uid)
    while state.pending:
        op = state.pending[0]
        try:
            if op["op"] == "put":
                end_fields = {k: v for k, v in (op.get("end") or {}).items() if v is not None}
                created = repository.put_new(pk, {"sk": op["sk"], **op["item"], **end_fields})
                if not created and end_fields:
                    # The start had landed after all (its answer was lost): add the end to it.
                    repository.update(pk, op["sk"], end_fields)
            else:
                repository.update(pk, op["sk"], op["fields"])
        except StorageError as err:
            log_event("table_write_failed", level="WARNING", operation=err.operation,
                      error_type=err.kind, queued=len(state.pending))
            return
        except (KeyError, TypeError):  # a corrupted queued write: drop it, keep the rest
            log_event("table_write_dropped", level="WARNING", error_type="MalformedQueuedWrite")
        state.pending.pop(0)


def persist(handler_input) -> None:
    """After every request: flush queued writes, then store the session state that remains."""
    flush(handler_input)
    save_state(handler_input)


class PersistSession(AbstractResponseInterceptor):
    """The response interceptor that runs ``persist`` once per request."""

    def process(self, handler_input, response) -> None:
        if getattr(handler_input.request_envelope.request, "object_type", None) == "CanFulfillIntentRequest":
            return  # answering "could you?" must change nothing
        closing = response is not None and response.should_end_session is not False
        if closing:
            if state_of(handler_input).episode:
                end(handler_input, ABANDONED)  # the skill closed the session mid-episode
            end_prevention(handler_input, completed=False)
        flush(handler_input)
        if closing and state_of(handler_input).pending:
            # No later request of this session will bring the queue back: one more try now.
            flush(handler_input)
        save_state(handler_input)
