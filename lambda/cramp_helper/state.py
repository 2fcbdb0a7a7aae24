"""Owns the session attributes: their one key, their shape, and what happens when they are bad.

Session attributes come back from Alexa as plain JSON, possibly from an older version of the skill
or corrupted. ``SessionState.load`` never raises: anything it cannot trust is dropped, so the worst
case is a fresh start, never a crash mid-cramp.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from .guide import Position

KEY = "cramp"
VERSION = 1
MAX_STATE_BYTES = 6000  # our own state is a few hundred bytes; anything near this is not ours
MAX_PENDING = 20  # queued writes kept at most (a session is minutes long)

# What the last question asked, so a bare "yes" or "no" can be understood.
EXPECT_MUSCLE = "muscle"
EXPECT_CHECKIN = "checkin"
EXPECT_AGAIN = "again"
EXPECT_PAUSED = "paused"
EXPECT_DELETE = "delete"
EXPECT_CARRY_ON = "carry_on"  # after an unclear red flag: "if it's just a cramp, carry on?"
EXPECT_NEXT_STRETCH = "next_stretch"  # bedtime routine: "ready for the hamstrings?"
EXPECT_BEDTIME_OFFER = "bedtime_offer"  # after a prevention answer: "do your stretches now?"
EXPECTS = (EXPECT_MUSCLE, EXPECT_CHECKIN, EXPECT_AGAIN, EXPECT_PAUSED, EXPECT_DELETE,
           EXPECT_CARRY_ON, EXPECT_NEXT_STRETCH, EXPECT_BEDTIME_OFFER)


@dataclass
class SessionState:
    muscle: str | None = None
    side: str | None = None
    technique: int = 0
    expect: str | None = None
    asked_muscle: bool = False
    episode: dict | None = None  # the episode in progress (see episodes.py)
    prevention: dict | None = None  # the bedtime stretches in progress
    pending: list = field(default_factory=list)  # table writes not yet done, oldest first
    tz: str | None = None  # the device's time zone; "" once looked up and unavailable
    voice: str | None = None  # WHISPER / NORMAL from the profile; "" once read and unset

    @property
    def position(self) -> Position | None:
        if self.muscle is None:
            return None
        return Position(self.muscle, self.side, self.technique)

    def move_to(self, position: Position) -> None:
        self.muscle, self.side, self.technique = position.muscle, position.side, position.technique

    def clear_routine(self) -> None:
        self.muscle, self.side, self.technique, self.expect = None, None, 0, None

    @classmethod
    def load(cls, attributes: object, *, muscles: list[str], sides: list[str]) -> SessionState:
        raw = attributes.get(KEY) if isinstance(attributes, dict) else None
        if not isinstance(raw, dict) or raw.get("v") != VERSION or _size(raw) > MAX_STATE_BYTES:
            return cls()
        state = cls()
        state.side = raw.get("side") if raw.get("side") in sides else None
        if raw.get("muscle") in muscles:
            state.muscle = raw["muscle"]
            technique = raw.get("technique")
            if isinstance(technique, int) and not isinstance(technique, bool) and technique >= 0:
                state.technique = technique
        if raw.get("expect") in EXPECTS:
            state.expect = raw["expect"]
        state.asked_muscle = raw.get("asked_muscle") is True
        state.episode = _record(raw.get("episode"))
        if state.episode is not None:
            techniques = state.episode.get("techniques")
            state.episode["techniques"] = [t for t in techniques if isinstance(t, str)] \
                if isinstance(techniques, list) else []
        state.prevention = _record(raw.get("prevention"))
        if isinstance(raw.get("tz"), str) and len(raw["tz"]) < 64:
            state.tz = raw["tz"]
        if raw.get("voice") in ("WHISPER", "NORMAL", ""):
            state.voice = raw["voice"]
        if isinstance(raw.get("pending"), list):
            state.pending = [p for p in raw["pending"] if _queued_write(p)][:MAX_PENDING]
        return state

    def save(self, attributes: dict) -> None:
        data = {k: v for k, v in asdict(self).items() if v is not None and v is not False and v != []}
        data["v"] = VERSION
        attributes.clear()  # only our own key goes back to Alexa: nothing foreign is echoed
        attributes[KEY] = data


def _size(value: object) -> int:
    try:
        return len(json.dumps(value))
    except (TypeError, ValueError):
        return MAX_STATE_BYTES + 1


_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _record(value: object) -> dict | None:
    """An episode or prevention record, if it has what the code relies on: its key and start."""
    if (isinstance(value, dict) and isinstance(value.get("sk"), str)
            and isinstance(value.get("started_at"), str) and _STAMP.match(value["started_at"])):
        return value
    return None


def _queued_write(value: object) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("sk"), str):
        return False
    if value.get("op") == "put":
        return isinstance(value.get("item"), dict) and isinstance(value.get("end", {}), dict)
    return value.get("op") == "update" and isinstance(value.get("fields"), dict)
