"""The device's time zone and wall clock, from what this session already knows (no look-up here:
lookups.zone asks the Alexa Settings API once per session and keeps the answer in the session).

A zone never known, or not usable, reads as None: local time is a nicety, never a reason to fail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from .context import Context

__all__ = ["UTC", "known_zone", "local", "local_now", "zone_named"]


def known_zone(ctx: Context) -> ZoneInfo | None:
    """The zone this session looked up (lookups.zone), if it has one."""
    return zone_named(ctx.state.tz)


def local_now(ctx: Context) -> datetime | None:
    """The device's wall clock now, or None when its zone is unknown."""
    zone = known_zone(ctx)
    return ctx.now.astimezone(zone) if zone else None


def zone_named(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    from zoneinfo import ZoneInfo  # deferred: only requests that know the device's zone need it

    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def local(moment: datetime, zone: ZoneInfo | None) -> datetime:
    return moment.astimezone(zone or UTC)
