"""The device's time zone, from the Alexa Settings API: looked up once per session, never slow.

The answer (or the fact that there was none) is kept in the session, so a session asks at most
once. Any failure falls back to UTC quietly: local time is a nicety, never a reason to fail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .logs import log_event

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from .context import Context

__all__ = ["UTC", "device_zone", "known_zone", "local", "local_now"]


def device_zone(ctx: Context) -> ZoneInfo | None:
    if ctx.state.tz is None:
        ctx.state.tz = _look_up(ctx) or ""
    return _zone(ctx.state.tz)


def known_zone(ctx: Context) -> ZoneInfo | None:
    """The zone this session already looked up, without looking it up."""
    return _zone(ctx.state.tz)


def local_now(ctx: Context, *, look_up: bool = True) -> datetime | None:
    """The device's wall clock now, or None when its zone is unknown."""
    zone = device_zone(ctx) if look_up else known_zone(ctx)
    return ctx.now.astimezone(zone) if zone else None


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    from zoneinfo import ZoneInfo  # deferred: only requests that know the device's zone need it

    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def _look_up(ctx: Context) -> str | None:
    factory = ctx.service_client_factory
    if factory is None or not ctx.device_id:
        return None
    try:
        name = factory.get_ups_service().get_system_time_zone(ctx.device_id)
    except Exception as exc:  # noqa: BLE001 - any failure means "use UTC"
        log_event("timezone_unavailable", error_type=type(exc).__name__)
        return None
    if not isinstance(name, str) or _zone(name) is None:
        log_event("timezone_unavailable", error_type="UnknownZone")
        return None
    return name


def local(moment: datetime, zone: ZoneInfo | None) -> datetime:
    return moment.astimezone(zone or UTC)
