"""How the skill sounds: quiet at night, whispered or normal on request.

Night is 21:00 to 07:00 on the device's clock (and any time the clock is unknown: quieter is the
safe side when a partner may be asleep). A stored preference ("whisper to me", "speak normally")
overrides the clock. The preference lives in the user's PROFILE item and is read at most once per
session. Some requests never read it, so they stay as fast as the platform allows: the first
request of a one-shot cramp (first guidance makes one write and no reads, docs/data-model.md),
red flags, and help, stop and cancel (which need no table at all). They use the clock-based
voice, or the preference if this session has already read it.
"""

from __future__ import annotations

from datetime import datetime

from .context import content_of, state_of
from .episodes import user_id
from .logs import log_event
from .repository import PROFILE, StorageError, user_key
from .services import services_of
from .timezone import device_zone, known_zone

NIGHT_STARTS = 21
NIGHT_ENDS = 7
WHISPER = "WHISPER"
NORMAL = "NORMAL"
_FIRST_GUIDANCE = ("CrampIntent", "StillCrampingIntent")
_NEVER_READ = ("RedFlagIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
               "AMAZON.NavigateHomeIntent")


def is_night(local: datetime | None) -> bool:
    if local is None:
        return True
    return local.hour >= NIGHT_STARTS or local.hour < NIGHT_ENDS


def may_look_up(handler_input) -> bool:
    """Whether this request may spend time on lookups (the profile, the device time zone)."""
    request = handler_input.request_envelope.request
    if getattr(request, "object_type", None) not in ("LaunchRequest", "IntentRequest"):
        return False
    return getattr(getattr(request, "intent", None), "name", None) not in _NEVER_READ


def preference(handler_input) -> str | None:
    state = state_of(handler_input)
    if state.voice is not None:
        return state.voice or None
    envelope = handler_input.request_envelope
    intent = getattr(getattr(envelope.request, "intent", None), "name", None)
    first_guidance = getattr(envelope.session, "new", False) and intent in _FIRST_GUIDANCE
    repository = services_of(handler_input).repository
    uid = user_id(handler_input)
    if first_guidance or not may_look_up(handler_input) or not repository.enabled or uid is None:
        return None
    try:
        profile = repository.get(user_key(uid), PROFILE) or {}
    except StorageError as err:
        log_event("profile_read_failed", level="WARNING", error_type=err.kind)
        profile = {}
    state.voice = profile.get("voice") if profile.get("voice") in (WHISPER, NORMAL) else ""
    return state.voice or None


def save_preference(handler_input, value: str) -> bool:
    """Remember the preference for this session, and in the profile for later ones."""
    state_of(handler_input).voice = value
    repository = services_of(handler_input).repository
    uid = user_id(handler_input)
    if not repository.enabled or uid is None:
        return False
    try:
        repository.upsert(user_key(uid), PROFILE, {"voice": value, "kind": "profile"})
    except StorageError as err:
        log_event("profile_write_failed", level="WARNING", error_type=err.kind)
        return False
    return True


def voice_for(handler_input) -> dict:
    """The prosody (and effect) for this response."""
    voices = content_of(handler_input).section("voices")
    chosen = preference(handler_input)
    if chosen == WHISPER:
        return voices["whisper"]
    if chosen == NORMAL:
        return voices["normal"]
    zone = device_zone(handler_input) if may_look_up(handler_input) else known_zone(handler_input)
    local = services_of(handler_input).now().astimezone(zone) if zone else None
    return voices["night"] if is_night(local) else voices["day"]
