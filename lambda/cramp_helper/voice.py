"""How the skill sounds: quiet at night, whispered or normal on request, plain when urgent.

Night is 21:00 to 07:00 on the device's clock (and any time the clock is unknown: quieter is the
safe side when a partner may be asleep). A stored preference ("whisper to me", "speak normally")
overrides the clock. The preference lives in the person's profile; the turn reads it at most once
per session (lookups.profile, the same GetItem as the bookmark of a cramp that outlived its
session), and not at all on the requests that must stay as fast as the platform allows: the first
request of a one-shot cramp, red flags, help, stop and cancel. Those use the clock-based voice, or
the preference if this session has already read it. Urgent safety answers are never soft or
whispered.

``decide`` is pure: the voice from the preference, the device's local time and the urgency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

NIGHT_STARTS = 21
NIGHT_ENDS = 7
WHISPER = "WHISPER"
NORMAL = "NORMAL"


def is_night(local: datetime | None) -> bool:
    if local is None:
        return True
    return local.hour >= NIGHT_STARTS or local.hour < NIGHT_ENDS


def decide(voices: dict, preference: str | None, local: datetime | None, *,
           urgent: bool = False) -> dict | None:
    """The prosody (and effect) for this answer, from the locale's ``voices`` (content)."""
    if urgent:
        return None
    if preference == WHISPER:
        return voices["whisper"]
    if preference == NORMAL:
        return voices["normal"]
    return voices["night"] if is_night(local) else voices["day"]
