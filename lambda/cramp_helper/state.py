"""Owns the session attributes: their one key, their shape, and what happens when they are bad.

Session attributes come back from Alexa as plain JSON, possibly from an older version of the skill
or corrupted. ``SessionState.load`` never raises: anything it cannot trust is dropped, so the worst
case is a fresh start, never a crash mid-cramp.

The question the skill asked last is a ``Question`` (dialogue/ says what each answer to it means).
Only the turn (turn.py) writes it; ``load`` reads it back from the attributes.
"""

from __future__ import annotations

import json
import re
from copy import deepcopy
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from .dialogue.vocabulary import Question

if TYPE_CHECKING:
    from .guide import Position

__all__ = ["KEY", "MAX_PENDING", "MAX_STATE_BYTES", "VERSION", "Question", "SessionState"]

KEY = "cramp"
VERSION = 2
MAX_STATE_BYTES = 6000  # our own state is a few hundred bytes; anything near this is not ours
MAX_PENDING = 20  # queued writes kept at most (a session is minutes long)


@dataclass
class SessionState:
    muscle: str | None = None
    side: str | None = None
    technique: int = 0
    part: int = 0
    question: Question = Question.NONE
    unknown_tries: int = 0  # body parts named that this skill does not guide, this session
    episode: dict | None = None  # the cramp in progress (see episodes.py)
    prevention: dict | None = None  # the bedtime stretches in progress
    pending: list = field(default_factory=list)  # table writes not yet done, oldest first
    tz: str | None = None  # the device's time zone; "" once looked up and unavailable
    voice: str | None = None  # WHISPER / NORMAL from the profile; "" once read and unset
    profile_read: bool = False  # the profile (voice, bookmark) was read this session
    reminder_time: str | None = None  # "HH:MM" waiting for "in the morning?" to be confirmed
    symptoms: list = field(default_factory=list)  # symptom ids heard before "is it swollen?"
    named: str | None = None  # the muscle named with them, no routine yet ("my left calf is rock hard")
    purge_at: str | None = None  # "delete my history" queued as a purge job, not yet in force
    # issue 19, EPISODE_LOG=ask: "given" (the person said yes), "absent" (no yes: the question may
    # be asked), "quiet" (a no in the last 30 days, or "stop logging": not asked); None: unknown
    consent: str | None = None
    held: list = field(default_factory=list)  # a cramp's writes waiting for the consent question
    consent_asked: bool = False  # the question was asked this session (asked once)
    seated: bool = False  # dizzy this session: no standing step from now on (issue 18)
    began_at: str | None = None  # when the person said the cramp began ("five minutes ago"), UTC stamp
    guarded: bool = False  # the standing guard was said this session (said once, issue 18)
    asked_how_long: bool = False  # "how long has it been cramping?" was asked (asked once, issue 18)
    asked_heart: bool = False  # an arm, neck or back named: chest and breathing asked about (once)
    for_other: str | None = None  # the cramp is someone else's (PARTNER, PARENT, OTHER): nothing logged

    @property
    def position(self) -> Position | None:
        if self.muscle is None:
            return None
        from .guide import Position  # the step machine: only a request with a routine needs it

        return Position(self.muscle, self.side, self.technique, self.part)

    def move_to(self, position: Position) -> None:
        self.muscle, self.side, self.technique = position.muscle, position.side, position.technique
        self.part = getattr(position, "part", 0)

    def clear_routine(self) -> None:
        self.muscle, self.side, self.technique, self.part = None, None, 0, 0

    @classmethod
    def load(cls, attributes: object, *, muscles: list[str], sides: list[str]) -> SessionState:
        raw = attributes.get(KEY) if isinstance(attributes, dict) else None
        if not isinstance(raw, dict) or raw.get("v") != VERSION or _size(raw) > MAX_STATE_BYTES:
            return cls()
        try:
            question = Question(raw.get("question", "none"))
        except ValueError:
            question = Question.NONE
        state = cls(question=question)
        state.side = raw.get("side") if raw.get("side") in sides else None
        if raw.get("muscle") in muscles:
            state.muscle = raw["muscle"]
            state.technique = _count(raw.get("technique"))
            state.part = _count(raw.get("part"))
        state.unknown_tries = min(_count(raw.get("unknown_tries")), 9)
        if raw.get("episode") is not None or raw.get("prevention") is not None or raw.get("pending"):
            from .records import Episode, PendingWrite, PreventionSession  # only a session holding one

            episode = Episode.from_json(raw.get("episode"))
            state.episode = episode.to_json() if episode is not None else None
            prevention = PreventionSession.from_json(raw.get("prevention"))
            state.prevention = prevention.to_json() if prevention is not None else None
            if isinstance(raw.get("pending"), list):
                state.pending = [w.to_json() for w in map(PendingWrite.from_json, raw["pending"])
                                 if w is not None][:MAX_PENDING]
        if isinstance(raw.get("tz"), str) and len(raw["tz"]) < 64:
            state.tz = raw["tz"]
        if raw.get("voice") in ("WHISPER", "NORMAL", ""):
            state.voice = raw["voice"]
        state.profile_read = raw.get("profile_read") is True
        if isinstance(raw.get("reminder_time"), str) and _HHMM.match(raw["reminder_time"]):
            state.reminder_time = raw["reminder_time"]
        if isinstance(raw.get("symptoms"), list):
            state.symptoms = [s for s in raw["symptoms"] if isinstance(s, str) and len(s) < 40][:5]
        if raw.get("named") in muscles:
            state.named = raw["named"]
        if isinstance(raw.get("purge_at"), str) and _STAMP.match(raw["purge_at"]):
            state.purge_at = raw["purge_at"]
        if raw.get("consent") in CONSENT_STATES:
            state.consent = raw["consent"]
        if isinstance(raw.get("held"), list) and raw["held"]:
            from .records import PendingWrite

            state.held = [w.to_json() for w in map(PendingWrite.from_json, raw["held"])
                          if w is not None][:MAX_PENDING]
        state.consent_asked = raw.get("consent_asked") is True
        state.seated = raw.get("seated") is True
        state.guarded = raw.get("guarded") is True
        state.asked_how_long = raw.get("asked_how_long") is True
        state.asked_heart = raw.get("asked_heart") is True
        if raw.get("for_other") in OTHER_PEOPLE:
            state.for_other = raw["for_other"]
        if isinstance(raw.get("began_at"), str) and _STAMP.match(raw["began_at"]):
            state.began_at = raw["began_at"]
        return state

    def save(self, attributes: dict) -> None:
        data = {}
        for name in _FIELDS:  # what asdict() gives, without its recursion through every value
            v = getattr(self, name)
            if v is not None and v is not False and v != [] and v != 0:
                data[name] = deepcopy(v) if isinstance(v, dict | list) else v
        data["question"] = self.question.value
        data["v"] = VERSION
        attributes.clear()  # only our own key goes back to Alexa: nothing foreign is echoed
        attributes[KEY] = data


_FIELDS = tuple(f.name for f in fields(SessionState))


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100 else 0


def _size(value: object) -> int:
    try:
        return len(json.dumps(value))
    except (TypeError, ValueError):
        return MAX_STATE_BYTES + 1


CONSENT_STATES = ("given", "absent", "quiet")
OTHER_PEOPLE = ("PARTNER", "PARENT", "OTHER")  # the Who ids whose cramp is guided, never logged
_HHMM = re.compile(r"^\d{2}:\d{2}$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
