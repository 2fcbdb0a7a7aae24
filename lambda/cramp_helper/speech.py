"""The one place that writes SSML: escaping, timed holds, pauses, prosody and Alexa's limits.

Nothing else in the skill concatenates tags. Callers add plain text (escaped here) and holds in
seconds (spoken as a chain of breaks of at most 10 s, with sparse cues so nobody has to count).
"""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_BREAK_SECONDS = 10
MAX_SPEECH_CHARS = 8000
HALFWAY_FROM = 20  # holds this long or longer get a "halfway" cue
FIVE_MORE_FROM = 15  # holds this long or longer get a "five more seconds" cue
# Alexa's speaking pace in words per second at prosody rate 100%: the one speech-rate constant
# (apl.py scales it by a voice's rate; tools/console.py moves its clock by it).
WORDS_PER_SECOND = 2.4

# Characters XML 1.0 forbids; a slot value or a corrupted attribute could carry them. A table for
# str.translate: it costs nothing at import, where a compiled pattern cost half a millisecond of
# every cold start, and it drops them faster.
_XML_INVALID = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


class SpeechTooLong(ValueError):
    """Raised instead of returning SSML Alexa would reject."""


# A trusted fragment may hold only these tags (a number said digit by digit or as a cardinal, or a
# <sub> alias such as "triple zero"); its text must already be escaped. Patterns as text: re compiles
# them on first use (only a spoken number needs them), not on every cold start.
_TRUSTED_TAG = (r'<say-as interpret-as="(?:digits|cardinal|telephone)">|</say-as>'
                r'|<sub alias="[^"<>&]{1,40}">|</sub>')
_TRUSTED_ENTITY = r"&(?:amp|lt|gt|quot|apos);"
_TRUSTED_MAX = 400

# The spoken items are NamedTuples, not frozen dataclasses: the same immutable values with fields by
# name, at a tenth of the cost to create at import (a frozen dataclass compiles its methods from
# source, 0.5-1 ms each of every cold start: issue 20).


class _Fragment(NamedTuple):
    ssml: str
    text: str


class Trusted(_Fragment):
    """A pre-built SSML fragment the builder inserts unescaped: a number in its spoken form.

    Made only by cramp_helper.countries (from content/countries/countries.json, never from anything
    a person said). Validated on construction: only say-as (digits, cardinal, telephone) and
    sub-alias tags, balanced and not nested; no other markup; entities escaped; short. ``text`` is
    what it reads as in writing (cards, screens, word counts, ``readable``).
    """

    __slots__ = ()

    def __new__(cls, ssml: str, text: str) -> Trusted:
        if not isinstance(ssml, str) or not isinstance(text, str):
            raise TypeError("a trusted fragment is two strings")
        if not ssml or len(ssml) > _TRUSTED_MAX or ssml.translate(_XML_INVALID) != ssml:
            raise ValueError("not a trusted SSML fragment")
        depth = 0
        for tag in re.findall(_TRUSTED_TAG, ssml):
            depth += -1 if tag.startswith("</") else 1
            if depth not in (0, 1):
                raise ValueError("unbalanced or nested tags in a trusted fragment")
        rest = re.sub(_TRUSTED_ENTITY, "", re.sub(_TRUSTED_TAG, "", ssml))
        if depth or any(c in rest for c in "<>&"):
            raise ValueError("markup other than say-as or sub in a trusted fragment")
        return super().__new__(cls, ssml, text)


class Say(NamedTuple):
    """A sentence or two to speak. ``spoken``, when set, is the same sentence as plain text and
    Trusted fragments (its numbers in their spoken forms); ``text`` stays the written sentence."""

    text: str
    spoken: tuple = ()

    def ssml(self) -> str:
        if not self.spoken:
            return escape(self.text)
        return "".join(part.ssml if isinstance(part, Trusted) else escape(part) for part in self.spoken)


class Hold(NamedTuple):
    """A timed hold: silence of ``seconds`` with cues inside, then ``release`` spoken."""

    seconds: int
    halfway: str
    five_more: str
    release: str


class Pause(NamedTuple):
    """Plain silence, for a breath between sentences."""

    seconds: float


Item = Say | Hold | Pause


def escape(text: str) -> str:
    """Text made safe inside SSML: XML metacharacters escaped, forbidden characters dropped.

    (Not xml.sax.saxutils: importing it pulls in urllib, http and ssl, 40-60 ms of cold start.)"""
    text = str(text).translate(_XML_INVALID)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hold_timeline(item: Hold) -> list[tuple[str, float]]:
    """A hold as a list of ("break", seconds) and ("cue", text) events; breaks add up to the hold.

    Cues are spoken over the hold rather than eating into it, so the muscle is held at least as
    long as stated.
    """
    seconds = max(0, int(item.seconds))
    marks: list[tuple[float, str]] = []
    if seconds >= HALFWAY_FROM:
        marks.append((seconds / 2, item.halfway))
    if seconds >= FIVE_MORE_FROM:
        marks.append((seconds - 5, item.five_more))
    events: list[tuple[str, float]] = []
    at = 0.0
    for mark, cue in marks:
        events.extend(("break", chunk) for chunk in _chunks(mark - at))
        events.append(("cue", cue))
        at = mark
    events.extend(("break", chunk) for chunk in _chunks(seconds - at))
    events.append(("cue", item.release))
    return events


def spoken_words(items: list[Item]) -> int:
    """How many words a listener hears in ``items``, the cues inside holds included."""
    words = 0
    for item in items:
        if isinstance(item, Say):
            words += len(item.text.split())
        elif isinstance(item, Hold):
            words += sum(len(value.split()) for kind, value in hold_timeline(item) if kind == "cue")
    return words


def estimate_seconds(items: list[Item], words_per_second: float = WORDS_PER_SECOND) -> float:
    """How long ``items`` take to hear: every word at ``words_per_second`` plus every silence."""
    silence = 0.0
    for item in items:
        if isinstance(item, Pause):
            silence += max(0.0, float(item.seconds))
        elif isinstance(item, Hold):
            silence += sum(value for kind, value in hold_timeline(item) if kind == "break")
    return silence + spoken_words(items) / words_per_second


def _chunks(seconds: float) -> list[float]:
    out = []
    remaining = round(seconds, 3)
    while remaining > 0:
        chunk = min(MAX_BREAK_SECONDS, remaining)
        out.append(chunk)
        remaining = round(remaining - chunk, 3)
    return out


def _break_tag(seconds: float) -> str:
    if float(seconds).is_integer():
        return f'<break time="{int(seconds)}s"/>'
    return f'<break time="{int(round(seconds * 1000))}ms"/>'


def _prosody_attrs(voice: dict | None) -> str:
    if not voice:
        return ""
    allowed = ("volume", "rate", "pitch")
    return " ".join(f'{k}="{escape(v)}"' for k, v in voice.items() if k in allowed and v)


class Speech:
    """Builds one outputSpeech. ``voice`` holds prosody attributes for the whole speech."""

    def __init__(self, voice: dict | None = None):
        self.voice = voice
        self.items: list[Item] = []

    def say(self, text: str | Say) -> Speech:
        """Add a sentence: plain text (escaped), or a Say whose spoken parts may hold Trusted numbers."""
        if isinstance(text, Say):
            if text.text:
                self.items.append(text)
        elif text:
            self.items.append(Say(text))
        return self

    def pause(self, seconds: float) -> Speech:
        self.items.append(Pause(seconds))
        return self

    def add(self, items: list[Item]) -> Speech:
        self.items.extend(items)
        return self

    def _body(self) -> str:
        parts: list[str] = []
        for item in self.items:
            if isinstance(item, Say):
                parts.append(item.ssml())
            elif isinstance(item, Pause):
                parts.extend(_break_tag(c) for c in _chunks(item.seconds))
            else:
                for kind, value in hold_timeline(item):
                    parts.append(_break_tag(value) if kind == "break" else escape(value))
        return " ".join(parts)

    def ssml(self) -> str:
        body = self._body()
        attrs = _prosody_attrs(self.voice)
        if attrs:
            body = f"<prosody {attrs}>{body}</prosody>"
        if self.voice and self.voice.get("effect") == "whispered":
            body = f'<amazon:effect name="whispered">{body}</amazon:effect>'

        ssml = f"<speak>{body}</speak>"
        if len(ssml) >= MAX_SPEECH_CHARS:
            raise SpeechTooLong(f"{len(ssml)} characters of SSML")
        return ssml

    def readable(self) -> str:
        """What a person would hear, with silences shown as "(10 s)"; for consoles and logs."""
        parts: list[str] = []
        silence = 0.0

        def flush():
            nonlocal silence
            if silence:
                parts.append(f"({silence:g} s)")
                silence = 0.0

        for item in self.items:
            if isinstance(item, Say):
                flush()
                parts.append(item.text)
            elif isinstance(item, Pause):
                silence += item.seconds
            else:
                for kind, value in hold_timeline(item):
                    if kind == "break":
                        silence += value
                    else:
                        flush()
                        parts.append(value)
        flush()
        return " ".join(parts)
