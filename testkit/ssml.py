"""Reading the skill's SSML the way a listener hears it: the words, and the timed silences."""

from __future__ import annotations

import re

from tools.alexa_rules import break_ms, spoken_text

__all__ = ["BREAK", "break_times", "hold_seconds", "spoken_text"]

# Every <break time="..."/> the skill writes; group 1 is the time as written ("2500ms", "10s").
BREAK = re.compile(r'<break\s+time="([^"]+)"\s*/>')


def break_times(ssml: str) -> list[str]:
    """The time attribute of each break, in order."""
    return BREAK.findall(ssml or "")


def hold_seconds(ssml: str) -> float:
    """Total timed silence in the speech, in seconds (a break without a valid unit counts 0)."""
    return sum(break_ms(time) or 0 for time in break_times(ssml)) / 1000
