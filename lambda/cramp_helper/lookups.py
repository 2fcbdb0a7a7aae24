"""The per-turn look-ups: the device's time zone (Alexa Settings API) and the person's profile
(the voice preference, and the bookmark of a cramp that outlived its session). Called from the
turn only (turn.py), each at most once per session; the results are kept in the session state
and handed to the decisions (voice.decide, episodes, the actions), which never read storage or
the network themselves. Neither raises: a failure reads as "unknown" and is logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .logs import log_event
from .timezone import zone_named

if TYPE_CHECKING:
    from .context import Context
    from .records import Profile

def zone(ctx: Context, *, quick: bool = False) -> None:
    """Look up the device's time zone into the session (``state.tz``), once per session.
    ``quick``: before an urgent answer, within the API client's short budget; a look-up that
    fails or is too slow leaves the zone unknown for this answer, and a later one tries again."""
    if ctx.state.tz is not None:
        return
    if not quick:
        ctx.state.tz = _zone_of_device(ctx) or ""
        return
    from .alexa_api import quick_calls

    with quick_calls():
        found = _zone_of_device(ctx)
    if found:
        ctx.state.tz = found


def profile(ctx: Context) -> Profile:
    """The profile, read at most once per session (never raising: a failure reads as empty).
    The voice preference goes into the session (``state.voice``: "" once read and unset)."""
    from .records import Profile  # a request that reads no profile loads neither records nor storage
    from .storage import StorageError

    if ctx.state.profile_read or not ctx.store.enabled:
        return Profile()
    ctx.state.profile_read = True
    try:
        found = ctx.store.load_profile()
    except StorageError as err:
        log_event("profile_read_failed", level="WARNING", error_type=err.kind)
        ctx.state.voice = ""
        return Profile()  # the consent stays unknown: the question is never asked on a guess
    ctx.state.voice = found.voice or ""
    if ctx.store.asks_consent:  # issue 19: whether the consent question may be asked
        _note_consent(ctx, found)
    return found


def cramps_started(ctx: Context) -> list[tuple[str, str]]:
    """The cramps begun since yesterday, (episode id, start), for a bookmark found in the profile
    (a cramp begun after its close leaves it behind). Never raises: a failure reads as none."""
    from .storage import StorageError

    try:
        return ctx.store.cramps_started()
    except StorageError as err:
        log_event("cramps_started_read_failed", level="WARNING", error_type=err.kind)
        return []


def _note_consent(ctx: Context, profile: Profile) -> None:
    """What the session's one profile read says about consent (EPISODE_LOG=ask): "given" (a yes
    on record), "absent" (none, or a no over 30 days old: the question may be asked) or "quiet"
    (a recent no, or "stop logging": a cramp held for the question is let go)."""
    consent = profile.consent
    if consent is not None and consent.given:
        ctx.state.consent = "given"
    elif consent is None or consent.may_ask(ctx.request_time):
        ctx.state.consent = "absent"
    else:
        ctx.state.consent = "quiet"
        ctx.state.held.clear()


def _zone_of_device(ctx: Context) -> str | None:
    factory = ctx.service_client_factory
    if factory is None or not ctx.device_id:
        return None
    from .alexa_api import device_time_zone

    try:
        name = device_time_zone(factory.api_configuration, ctx.device_id)
    except Exception as exc:  # noqa: BLE001 - any failure means "use UTC"
        log_event("timezone_unavailable", error_type=type(exc).__name__)
        return None
    if not isinstance(name, str) or zone_named(name) is None:
        log_event("timezone_unavailable", error_type="UnknownZone")
        return None
    return name
