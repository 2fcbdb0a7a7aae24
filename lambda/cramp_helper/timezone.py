"""The device's time zone, from the Alexa Settings API: looked up once per session, never slow.

The answer (or the fact that there was none) is kept in the session, so a session asks at most
once. Any failure falls back to UTC quietly: local time is a nicety, never a reason to fail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .context import state_of
from .logs import log_event

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = ["UTC", "device_zone", "known_zone", "local"]


def device_zone(handler_input) -> ZoneInfo | None:
    state = state_of(handler_input)
    if state.tz is None:
        state.tz = _look_up(handler_input) or ""
    return _zone(state.tz)


def known_zone(handler_input) -> ZoneInfo | None:
    """The zone this session already looked up, without looking it up."""
    return _zone(state_of(handler_input).tz)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    from zoneinfo import ZoneInfo  # deferred: only requests that know the device's zone need it

    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def _look_up(handler_input) -> str | None:
    factory = handler_input.service_client_factory
    system = getattr(handler_input.request_envelope.context, "system", None)
    device_id = getattr(getattr(system, "device", None), "device_id", None)
    if factory is None or not device_id:
        return None
    try:
        name = factory.get_ups_service().get_system_time_zone(device_id)
    except Exception as exc:  # noqa: BLE001 - any failure means "use UTC"
        log_event("timezone_unavailable", error_type=type(exc).__name__)
        return None
    if not isinstance(name, str) or _zone(name) is None:
        log_event("timezone_unavailable", error_type="UnknownZone")
        return None
    return name


def local(moment: datetime, zone: ZoneInfo | None) -> datetime:
    return moment.astimezone(zone or UTC)
