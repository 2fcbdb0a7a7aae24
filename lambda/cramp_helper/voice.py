"""How the skill sounds: quiet at night, whispered or normal on request, plain when urgent.

Night is 21:00 to 07:00 on the device's clock (and any time the clock is unknown: quieter is the
safe side when a partner may be asleep). A stored preference ("whisper to me", "speak normally")
overrides the clock. The preference lives in the person's profile and is read at most once per
session, in the same GetItem as the bookmark of a cramp that outlived its session (episodes.py).

The dialogue decides the voice once per request (``decide``), before any words are built. Some
requests never read the profile, so they stay as fast as the platform allows: the first request of
a one-shot cramp (first guidance makes one write and no reads, docs/data-model.md), red flags, and
help, stop and cancel. They use the clock-based voice, or the preference if this session has
already read it. Urgent safety answers are never soft or whispered.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .logs import log_event
from .storage import StorageError
from .timezone import local_now

if TYPE_CHECKING:
    from .context import Context

NIGHT_STARTS = 21
NIGHT_ENDS = 7
WHISPER = "WHISPER"
NORMAL = "NORMAL"


def is_night(local: datetime | None) -> bool:
    if local is None:
        return True
    return local.hour >= NIGHT_STARTS or local.hour < NIGHT_ENDS


def read_profile(ctx: Context) -> dict:
    """The profile, read at most once per session (never raising: a failure reads as empty)."""
    if ctx.state.profile_read or not ctx.store.enabled:
        return {}
    ctx.state.profile_read = True
    try:
        profile = ctx.store.profile()
    except StorageError as err:
        log_event("profile_read_failed", level="WARNING", error_type=err.kind)
        profile = {}
    ctx.state.voice = profile.get("voice") if profile.get("voice") in (WHISPER, NORMAL) else ""
    return profile


def decide(ctx: Context, *, look_up: bool, urgent: bool = False) -> dict | None:
    """The prosody (and effect) for this answer; ``look_up``: may read the profile and the zone."""
    if urgent:
        return None
    voices = ctx.content.section("voices")
    if ctx.state.voice is None and look_up:
        read_profile(ctx)
    if ctx.state.voice == WHISPER:
        return voices["whisper"]
    if ctx.state.voice == NORMAL:
        return voices["normal"]
    return voices["night"] if is_night(local_now(ctx, look_up=look_up)) else voices["day"]


def save_preference(ctx: Context, value: str) -> bool:
    """Remember the preference for this session, and in the profile for later ones."""
    ctx.state.voice = value
    if not ctx.store.enabled:
        return False
    try:
        ctx.store.save_voice(value)
    except StorageError as err:
        log_event("profile_write_failed", level="WARNING", error_type=err.kind)
        return False
    return True
