"""The records the skill keeps, typed, each with its stored forms read and written in one place.

    Episode            a cramp: in the session (``state.episode``), and as the table's EP# item
    PreventionSession  bedtime stretches: in the session, and as the table's PS# item
    Bookmark           a cramp whose session closed before it ended (PROFILE.open_episode, and the
                       ``snapshot`` of a queued bookmark write); carries its episode and a version
    Profile            the PROFILE item: voice preference, bookmark, deletion tombstone, and the
                       person's answer about keeping a log (``Consent``, issue 19)
    PendingWrite       one queued table write (``state.pending``, and the ``ops`` of a queued SQS
                       message): start, end, prevention, bookmark, unbookmark

Compatibility is the rule (tests/fixtures/records/ holds today's forms; tests/unit/test_records.py):
``to_json`` writes exactly what the code before these records wrote, key for key and in the same
order, so a deploy that mixes old and new functions works both ways. Reading never raises: junk
reads as None (a record) or is skipped (a field), as state.py always did; unknown fields are kept
in ``extra`` and written back after the known ones, so a newer writer's fields survive an older
reader's round trip. Only one field is new: ``Bookmark.version``, written only when set, and read
as 0 (the oldest) when absent.

Pure data: no I/O, no Alexa or AWS types. docs/data-model.md describes every form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

# Attribute names of the PROFILE item (the storage layer's; above it, use Profile's properties).
VOICE = "voice"
BOOKMARK = "open_episode"
DELETED_AT = "deleted_at"  # the person's history was deleted as of this time (UTC ISO)
DISABLED_AT = "disabled_at"  # an account's: the skill was disabled (every person's data)
CONSENT = "log_consent"  # the person's answer about keeping a log of their cramps (issue 19)
WHISPER = "WHISPER"
NORMAL = "NORMAL"
OPS = ("start", "end", "prevention", "bookmark", "unbookmark")
MAX_TECHNIQUES = 20
MAX_ID = 100

_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


# --- small readers: never raise, junk becomes None / a default ---------------------------------
def iso(moment: datetime) -> str:
    """A UTC second stamp, as every record stores times: 2026-11-23T08:02:11Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(stamp: object) -> datetime | None:
    """An ISO time as the records hold them, or None."""
    if not isinstance(stamp, str) or len(stamp) > 40:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _text(value: object, limit: int = 100) -> str | None:
    return value if isinstance(value, str) and len(value) <= limit else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count(value: object, below: int = 100) -> int:
    number = _whole(value)
    return number if number is not None and 0 <= number < below else 0


def _techniques(value: object) -> list[str]:
    return [t for t in value if isinstance(t, str)][:MAX_TECHNIQUES] if isinstance(value, list) else []


def _duration(began: str, ended: datetime) -> int:
    start = parse_time(began)
    return max(0, int((ended - start).total_seconds())) if start is not None else 0


def _extra(value: dict, known: tuple[str, ...]) -> dict:
    return {k: v for k, v in value.items() if k not in known and isinstance(k, str)}


def _valid_id(value: object) -> bool:
    return isinstance(value, str) and len(value) < MAX_ID


# --- Episode -----------------------------------------------------------------------------------
_EPISODE_JSON = ("id", "started_at", "local_time", "muscle", "side", "locale", "techniques", "escalated")
_EPISODE_ITEM = ("sk", "kind", "started_at", "local_time", "muscle", "side", "locale", "techniques",
                 "escalated", "outcome", "ended_at", "duration_s")


@dataclass
class Episode:
    """A cramp. In the session it is open (no outcome); in the table it may be ended.

    Session form (``to_json``): {"id", "started_at", "local_time", "muscle", "side", "locale",
    "techniques": [...], "escalated": true (only when set)}; local_time, muscle and side may be null.
    Table form (``to_item``): the EP# item's attributes, None left out."""

    id: str
    started_at: str
    local_time: str | None = None
    muscle: str | None = None
    side: str | None = None
    locale: str | None = None
    techniques: list[str] = field(default_factory=list)
    escalated: bool = False
    outcome: str | None = None
    ended_at: str | None = None
    duration_s: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def new(cls, episode_id: str, began: datetime, *, local_time: str | None, muscle: str | None,
            side: str | None, locale: str | None) -> Episode:
        """A cramp begins (episodes.start)."""
        return cls(episode_id, iso(began), local_time, muscle, side, locale)

    @classmethod
    def from_json(cls, value: object) -> Episode | None:
        """The session form; None unless it has what the code relies on: its id and start."""
        if not (isinstance(value, dict) and _valid_id(value.get("id"))
                and isinstance(value.get("started_at"), str) and _STAMP.match(value["started_at"])):
            return None
        return cls._read(value, value["id"], _extra(value, _EPISODE_JSON))

    @classmethod
    def _read(cls, value: dict, episode_id: str, extra: dict) -> Episode:
        return cls(episode_id, value["started_at"], _text(value.get("local_time"), 40),
                   _text(value.get("muscle"), 40), _text(value.get("side"), 40),
                   _text(value.get("locale"), 20), _techniques(value.get("techniques")),
                   value.get("escalated") is True, _text(value.get("outcome"), 40),
                   _text(value.get("ended_at"), 40), _whole(value.get("duration_s")), extra)

    def to_json(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "started_at": self.started_at, "local_time": self.local_time,
                                "muscle": self.muscle, "side": self.side, "locale": self.locale,
                                "techniques": list(self.techniques)}
        if self.escalated:
            data["escalated"] = True
        return {**data, **self.extra}

    # --- what its writes carry (episodes.py queues them as PendingWrites) ---
    def start_item(self) -> dict:
        """The start's item: what the table holds from the first moment (None kept: the table
        leaves it out)."""
        return {"started_at": self.started_at, "local_time": self.local_time, "muscle": self.muscle,
                "side": self.side, "locale": self.locale}

    def start_fields(self) -> dict:
        """What an end carries of its start, in case the start never landed."""
        start = {"started_at": self.started_at, "local_time": self.local_time, "locale": self.locale}
        return {k: v for k, v in start.items() if v is not None}

    def end_fields(self, outcome: str, ended: datetime) -> dict:
        """The end's fields (None kept, as episodes.py always queued them)."""
        return {"outcome": outcome, "ended_at": iso(ended),
                "duration_s": _duration(self.started_at, ended),
                "muscle": self.muscle, "side": self.side, "techniques": list(self.techniques) or None,
                "escalated": True if self.escalated else None}

    # --- the table ---
    @classmethod
    def from_item(cls, item: object) -> Episode | None:
        """The EP# item as the storage layer returns it (decoded; either key version)."""
        if not (isinstance(item, dict) and isinstance(item.get("sk"), str) and item["sk"].startswith("EP#")
                and isinstance(item.get("started_at"), str)):
            return None
        return cls._read(item, item["sk"][3:], _extra(item, _EPISODE_ITEM))

    def to_item(self) -> dict:
        item = {"sk": "EP#" + self.id, "kind": "episode", "started_at": self.started_at,
                "local_time": self.local_time, "muscle": self.muscle, "side": self.side,
                "locale": self.locale, "techniques": list(self.techniques) or None,
                "escalated": True if self.escalated else None, "outcome": self.outcome,
                "ended_at": self.ended_at, "duration_s": self.duration_s, **self.extra}
        return {k: v for k, v in item.items() if v is not None}


# --- PreventionSession -------------------------------------------------------------------------
_PREVENTION_JSON = ("id", "started_at", "local_time", "routine", "locale")
_PREVENTION_ITEM = ("sk", "kind", "started_at", "local_time", "routine", "locale", "completed",
                    "ended_at", "duration_s")


@dataclass
class PreventionSession:
    """Bedtime stretches. Session form: {"id", "started_at", "local_time", "routine", "locale"}
    (local_time may be null); logged once, when they end, as the PS# item (``ended_item``)."""

    id: str
    started_at: str
    local_time: str | None = None
    routine: str | None = None
    locale: str | None = None
    completed: bool | None = None
    ended_at: str | None = None
    duration_s: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def new(cls, session_id: str, began: datetime, *, local_time: str | None, routine: str | None,
            locale: str | None) -> PreventionSession:
        return cls(session_id, iso(began), local_time, routine, locale)

    @classmethod
    def from_json(cls, value: object) -> PreventionSession | None:
        if not (isinstance(value, dict) and _valid_id(value.get("id"))
                and isinstance(value.get("started_at"), str) and _STAMP.match(value["started_at"])):
            return None
        return cls._read(value, value["id"], _extra(value, _PREVENTION_JSON))

    @classmethod
    def _read(cls, value: dict, session_id: str, extra: dict) -> PreventionSession:
        completed = value.get("completed")
        return cls(session_id, value["started_at"], _text(value.get("local_time"), 40),
                   _text(value.get("routine"), 40), _text(value.get("locale"), 20),
                   completed if isinstance(completed, bool) else None, _text(value.get("ended_at"), 40),
                   _whole(value.get("duration_s")), extra)

    def to_json(self) -> dict:
        return {"id": self.id, "started_at": self.started_at, "local_time": self.local_time,
                "routine": self.routine, "locale": self.locale, **self.extra}

    def ended_item(self, completed: bool, ended: datetime) -> dict:
        """The prevention write's item: the session without its id, then how it ended."""
        item = {k: v for k, v in self.to_json().items() if k != "id"}
        item.update(completed=completed, ended_at=iso(ended),
                    duration_s=_duration(self.started_at, ended))
        return item

    @classmethod
    def from_item(cls, item: object) -> PreventionSession | None:
        if not (isinstance(item, dict) and isinstance(item.get("sk"), str) and item["sk"].startswith("PS#")
                and isinstance(item.get("started_at"), str)):
            return None
        return cls._read(item, item["sk"][3:], _extra(item, _PREVENTION_ITEM))

    def to_item(self) -> dict:
        item = {"sk": "PS#" + self.id, "kind": "prevention", "started_at": self.started_at,
                "local_time": self.local_time, "routine": self.routine, "locale": self.locale,
                "completed": self.completed, "ended_at": self.ended_at, "duration_s": self.duration_s,
                **self.extra}
        return {k: v for k, v in item.items() if v is not None}


# --- Bookmark ----------------------------------------------------------------------------------
_BOOKMARK_JSON = (*_EPISODE_JSON, "closed_at", "paused", "technique", "part", "version")


@dataclass
class Bookmark:
    """A cramp whose session closed before it ended: the episode (with the position reached) and
    when it closed, for RESUME_MINUTES (episodes.py).

    JSON form (the queued write's ``snapshot``, and PROFILE.open_episode, where the table leaves
    None out): the episode's session form, then "closed_at", "paused", "technique", "part", and
    "version" (only when set).

    ``version`` orders bookmarks (issue 21): the close's time in epoch milliseconds, so it grows
    with every close of the same person (their sessions do not overlap), including a resumed
    episode closed again. A bookmark written before versions existed reads as 0, the oldest.
    ``supersedes`` is the rule every writer applies."""

    episode: Episode
    closed_at: str
    paused: bool = False
    technique: int = 0
    part: int = 0
    version: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def episode_id(self) -> str:
        return self.episode.id

    @classmethod
    def close(cls, episode: Episode, closed: datetime, *, paused: bool, muscle: str | None,
              side: str | None, technique: int, part: int, version: int | None = None) -> Bookmark:
        """The session closes with ``episode`` open (episodes.bookmark): its place is kept. The
        bookmark's muscle is the routine's (else the episode's); its side the routine's."""
        where = replace(episode, muscle=muscle or episode.muscle, side=side)
        return cls(where, iso(closed), paused, technique, part,
                   version_at(closed) if version is None else version)

    @classmethod
    def from_json(cls, value: object) -> Bookmark | None:
        """None unless it has an id, a start and a close that parse (what resume relies on)."""
        if not (isinstance(value, dict) and isinstance(value.get("id"), str) and len(value["id"]) <= MAX_ID
                and parse_time(value.get("started_at")) is not None
                and parse_time(value.get("closed_at")) is not None):
            return None
        episode = Episode._read(value, value["id"], {})
        version = _whole(value.get("version"))
        return cls(episode, value["closed_at"], value.get("paused") is True, _count(value.get("technique")),
                   _count(value.get("part")), version if version is not None and version > 0 else 0,
                   _extra(value, _BOOKMARK_JSON))

    def to_json(self) -> dict:
        data = {**self.episode.to_json(), "closed_at": self.closed_at, "paused": self.paused,
                "technique": self.technique, "part": self.part}
        if self.version:
            data["version"] = self.version
        return {**data, **self.extra}

    @property
    def closed(self) -> datetime:
        moment = parse_time(self.closed_at)
        assert moment is not None  # from_json and close only make parseable ones
        return moment

    def resumed(self) -> Episode:
        """The episode a resuming session carries on (episodes.resume): the fields a session
        episode has, nothing else (not ``escalated``)."""
        e = self.episode
        return Episode(e.id, e.started_at, e.local_time, e.muscle, e.side, e.locale, list(e.techniques))

    def newer_than(self, other: Bookmark | None) -> bool:
        """Strictly later in (version, closed_at): a replay is not newer than itself."""
        return other is None or (self.version, self.closed_at) > (other.version, other.closed_at)

    def supersedes(self, stored: Bookmark | None, *, episode_ended: bool) -> bool:
        """Whether this bookmark may be written over ``stored`` (the profile's, or None): only if
        its episode has not ended (a replay never revives a finished cramp) and it is newer than
        what is stored (a late or replayed one never overwrites a newer one)."""
        return not episode_ended and self.newer_than(stored)


def version_at(closed: datetime) -> int:
    """A bookmark's version: the close's time in epoch milliseconds."""
    return int(closed.timestamp() * 1000)


# --- Consent -----------------------------------------------------------------------------------
CONSENT_WORDING = "c1"  # the version of the consent question's wording (content: consent.question)
ASK_AGAIN_DAYS = 30  # after a "no", the question is not asked again for this long
CONSENT_HOW = ("yes", "no", "start", "stop")  # said yes / no to the question; "start" / "stop logging"


@dataclass
class Consent:
    """The person's answer about keeping a log of their cramps: PROFILE.log_consent,
    {"given": bool, "at": <UTC ISO>, "wording": <the question's version>, "how": yes|no|start|stop}.
    Written only by the person's answer; erased with their history (the tombstone) and by
    SkillDisabled, the 30-day "no" included."""

    given: bool
    at: str
    wording: str = CONSENT_WORDING
    how: str = "yes"

    @classmethod
    def answered(cls, given: bool, at: datetime, how: str) -> Consent:
        return cls(given, iso(at), CONSENT_WORDING, how)

    @classmethod
    def from_json(cls, value: object) -> Consent | None:
        if not (isinstance(value, dict) and isinstance(value.get("given"), bool)
                and isinstance(value.get("at"), str) and _STAMP.match(value["at"])):
            return None
        how = value.get("how") if value.get("how") in CONSENT_HOW else ("yes" if value["given"] else "no")
        return cls(value["given"], value["at"], _text(value.get("wording"), 20) or "", how)

    def to_json(self) -> dict:
        return {"given": self.given, "at": self.at, "wording": self.wording, "how": self.how}

    def may_ask(self, now: datetime) -> bool:
        """Whether the consent question may be asked: never after a yes or "stop logging my
        cramps" (the person decided; "start logging" is theirs to say), and after a "no" only once
        ASK_AGAIN_DAYS have passed."""
        if self.given or self.how == "stop":
            return False
        said = parse_time(self.at)
        return said is None or (now - said).total_seconds() >= ASK_AGAIN_DAYS * 86400


# --- Profile -----------------------------------------------------------------------------------
_PROFILE_ITEM = ("sk", "kind", VOICE, BOOKMARK, DELETED_AT, DISABLED_AT, CONSENT)


@dataclass
class Profile:
    """The PROFILE item: {"voice": WHISPER|NORMAL, "open_episode": <Bookmark>, "deleted_at",
    "disabled_at", "kind": "profile"} plus the key and bookkeeping. Read with ``from_item``, which
    never raises: an unknown voice or an unreadable bookmark reads as None."""

    voice: str | None = None
    bookmark: Bookmark | None = None
    deleted_at: str | None = None
    disabled_at: str | None = None
    extra: dict = field(default_factory=dict)
    consent: Consent | None = None  # None: never answered (or erased with the history)

    @classmethod
    def from_item(cls, item: object) -> Profile:
        if not isinstance(item, dict):
            return cls()
        voice = item.get(VOICE)
        stamps = [item.get(a) if isinstance(item.get(a), str) else None for a in (DELETED_AT, DISABLED_AT)]
        return cls(voice if voice in (WHISPER, NORMAL) else None, Bookmark.from_json(item.get(BOOKMARK)),
                   *stamps, _extra(item, _PROFILE_ITEM), consent=Consent.from_json(item.get(CONSENT)))

    def to_item(self) -> dict:
        item = {"sk": "PROFILE", "kind": "profile", VOICE: self.voice,
                BOOKMARK: self.bookmark.to_json() if self.bookmark else None,
                DELETED_AT: self.deleted_at, DISABLED_AT: self.disabled_at,
                CONSENT: self.consent.to_json() if self.consent else None, **self.extra}
        return {k: v for k, v in item.items() if v is not None}

    @property
    def deleted_as_of(self) -> str:
        """The tombstone history honours: the later of deleted_at and disabled_at ("" if none)."""
        return max((s for s in (self.deleted_at, self.disabled_at) if s), default="")


# --- PendingWrite ------------------------------------------------------------------------------
_WRITE_JSON = ("op", "id", "item", "end", "fields", "snapshot")


@dataclass
class PendingWrite:
    """One queued table write, the only definition of its format. JSON forms, key order as
    written (episodes.py queues them in ``state.pending``; Store.hand_off sends them as the
    ``ops`` of a queued message; Store.apply applies them):

        {"op": "start", "id": <episode id>, "item": {<start item>}, "end": {<end fields>}?}
        {"op": "end", "id": <episode id>, "fields": {<end fields>}, "item": {<start fields>}}
        {"op": "prevention", "id": <session id>, "item": {<ended item>}}
        {"op": "bookmark", "snapshot": {<Bookmark JSON>}}
        {"op": "unbookmark", "id": <episode id>?}

    ``from_json`` is the validation state.py and the drain apply (None: unreadable, dropped)."""

    op: str
    id: str | None = None
    item: dict | None = None
    end: dict | None = None
    fields: dict | None = None
    snapshot: dict | None = None
    extra: dict = field(default_factory=dict)

    # --- constructors (episodes.py) ---
    @classmethod
    def start(cls, episode: Episode) -> PendingWrite:
        return cls("start", episode.id, item=episode.start_item())

    @classmethod
    def end_of(cls, episode: Episode, outcome: str, ended: datetime) -> PendingWrite:
        """The end, carrying its start (written together if the start never landed)."""
        return cls("end", episode.id, item=episode.start_fields(), fields=episode.end_fields(outcome, ended))

    @classmethod
    def prevention(cls, session: PreventionSession, completed: bool, ended: datetime) -> PendingWrite:
        return cls("prevention", session.id, item=session.ended_item(completed, ended))

    @classmethod
    def bookmark_of(cls, bookmark: Bookmark) -> PendingWrite:
        return cls("bookmark", snapshot=bookmark.to_json())

    @classmethod
    def unbookmark(cls, episode_id: str | None) -> PendingWrite:
        return cls("unbookmark", episode_id)

    # --- reading and writing ---
    @classmethod
    def from_json(cls, value: object) -> PendingWrite | None:
        if not isinstance(value, dict) or value.get("op") not in OPS:
            return None
        op, extra = value["op"], _extra(value, _WRITE_JSON)
        if op == "unbookmark":
            return cls(op, value["id"] if isinstance(value.get("id"), str) else None, extra=extra)
        if op == "bookmark":
            snapshot = value.get("snapshot")
            return cls(op, snapshot=snapshot, extra=extra) if isinstance(snapshot, dict) else None
        if not isinstance(value.get("id"), str):
            return None
        if op == "end":
            if not isinstance(value.get("fields"), dict):
                return None
            item = value.get("item")
            return cls(op, value["id"], item=item if isinstance(item, dict) else None,
                       fields=value["fields"], extra=extra)
        end = value.get("end", {})
        if not isinstance(value.get("item"), dict) or not isinstance(end, dict):
            return None
        return cls(op, value["id"], item=value["item"], end=value["end"] if "end" in value else None,
                   extra=extra)

    def to_json(self) -> dict:
        data: dict[str, Any] = {"op": self.op}
        if self.op == "bookmark":
            data["snapshot"] = self.snapshot
        elif self.op == "unbookmark":
            if self.id is not None:
                data["id"] = self.id
        elif self.op == "end":
            data.update(id=self.id, fields=self.fields)
            if self.item is not None:
                data["item"] = self.item
        else:
            data.update(id=self.id, item=self.item)
            if self.end is not None:
                data["end"] = self.end
        return {**data, **self.extra}

    @property
    def bookmark(self) -> Bookmark | None:
        """A bookmark write's record (None for other ops, or an unreadable snapshot)."""
        return Bookmark.from_json(self.snapshot) if self.op == "bookmark" else None
