"""A nightly stretch reminder through the Alexa Reminders API, and its voice permission flow.

"Remind me to stretch every night at nine thirty": with the reminders permission, the skill
creates a reminder that recurs daily at that time in the device's time zone, and only then deletes
the ones of its own it had before (so a failure never leaves the person with none). Without a
time, it asks through Dialog Management (Dialog.ElicitSlot on the Time slot). A morning time is
confirmed ("six in the morning?"), never silently moved to the evening, unless the person said the
part of the day with it: Alexa hears "every night at nine thirty" as Time 09:30 plus the words
"every night", which the model's PartOfDay slot carries (NIGHT), so that sets 21:30 at once.

Without the permission the skill asks by voice (Connections.SendRequest "AskFor"); Alexa answers
with a Connections.Response (ACCEPTED, DENIED or NOT_ANSWERED) that carries the time in its token.
A consent card is the fallback when the voice request is refused or unanswered.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from ..dialogue import Question
from ..logs import log_event
from ..periods import PART_OF_DAY_HALVES, in_part_of_day
from ..reply import Reply
from ..timezone import known_zone
from .common import ask, evening_of, locale_of, say, spoken_time

if TYPE_CHECKING:
    from ..context import Context

PERMISSION = "alexa::alerts:reminders:skill:readwrite"
TOKEN_PREFIX = "reminder:"
PART_OF_DAY = {"NI": "21:30", "EV": "21:00"}  # "tonight", "in the evening"


def _words(ctx: Context) -> dict:
    return ctx.content.section("reminders")


def parse_time(value: str | None) -> str | None:
    """Alexa's AMAZON.TIME as HH:MM ("21:30"), or None when it is no clock time."""
    value = PART_OF_DAY.get(value or "", value)
    try:
        hour, minute = (int(part) for part in (value or "").split(":")[:2])
    except ValueError:
        return None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return f"{hour:02d}:{minute:02d}"


def is_morning(hhmm: str) -> bool:
    return int(hhmm[:2]) < 12


def said_part_of_day(ctx: Context) -> str | None:
    """ "am", "pm" or "night" from the PartOfDay slot ("every night", "jeden Abend", "ogni sera"),
    the same in every locale (periods.PART_OF_DAY_HALVES, which the interpreter reads too); None
    when no part of the day was said with the time."""
    reading = ctx.slot("PartOfDay")
    return PART_OF_DAY_HALVES.get(reading.id) if reading.id is not None else None


def reminder(ctx: Context) -> Reply:
    """ "Remind me to stretch [every night] [at nine thirty]"."""
    hhmm = parse_time(ctx.slot_value("Time"))
    if hhmm is None:
        return ask(ctx, say(ctx), Question.REMINDER_TIME)
    half = said_part_of_day(ctx)
    if half is not None:  # the person said which half of the day: never asked again
        return set_at(ctx, in_part_of_day(hhmm, half))
    if is_morning(hhmm):
        ctx.state.reminder_time = hhmm
        return ask(ctx, say(ctx), Question.REMINDER_MORNING)
    return set_at(ctx, hhmm)


def morning(ctx: Context) -> Reply:
    return set_at(ctx, ctx.state.reminder_time or "06:00")


def evening(ctx: Context) -> Reply:
    return set_at(ctx, evening_of(ctx.state.reminder_time or "06:00"))


def decline(ctx: Context) -> Reply:
    ctx.state.reminder_time = None
    return Reply(say(ctx, _words(ctx)["declined"]), end=True)


def set_at(ctx: Context, hhmm: str) -> Reply:
    ctx.state.reminder_time = None
    if not has_permission(ctx):
        return ask_permission(ctx, hhmm)
    return create_nightly(ctx, hhmm)


def has_permission(ctx: Context) -> bool:
    permissions = ctx.permissions
    if permissions is None:
        return False
    if getattr(permissions, "consent_token", None):
        return True
    scope = (getattr(permissions, "scopes", None) or {}).get(PERMISSION)
    status = getattr(getattr(scope, "status", None), "value", None)
    return status == "GRANTED"


def ask_permission(ctx: Context, hhmm: str) -> Reply:
    """Ask by voice; Alexa takes over the conversation and answers with Connections.Response."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    directive = SendRequestDirective(
        name="AskFor",
        payload={"@type": "AskForPermissionsConsentRequest", "@version": "1",
                 "permissionScope": PERMISSION},
        token=TOKEN_PREFIX + hhmm)
    return Reply(say(ctx, _words(ctx)["permission_speech"]), end=True, directives=[directive])


def consent_card_reply(ctx: Context, key: str) -> Reply:
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    ctx.response_builder.set_card(AskForPermissionsConsentCard(permissions=[PERMISSION]))
    return Reply(say(ctx, _words(ctx)[key]), end=True)


def _service(ctx: Context):
    if ctx.service_client_factory is None:
        raise RuntimeError("no Alexa API access in this request")
    return ctx.service_client_factory.get_reminder_management_service()


def _failure_kind(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    body = str(getattr(exc, "body", "") or "") + str(exc)
    if status in (401, 403):
        return "NO_PERMISSION"
    if "DEVICE_NOT_SUPPORTED" in body.upper():
        return "DEVICE_NOT_SUPPORTED"
    return "API_ERROR"


def create_nightly(ctx: Context, hhmm: str) -> Reply:
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        Recurrence,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    words = _words(ctx)
    zone = known_zone(ctx)  # looked up by the turn before the action ran
    local_now = ctx.now.astimezone(zone) if zone else ctx.now.astimezone(UTC)
    hour, minute = (int(x) for x in hhmm.split(":"))
    first = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if first <= local_now:
        first += timedelta(days=1)
    request = ReminderRequest(
        request_time=ctx.now.astimezone(UTC).replace(tzinfo=None),
        trigger=Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE,
                        scheduled_time=first.replace(tzinfo=None),
                        time_zone_id=zone.key if zone else None,
                        # RFC 5545 rules: the non-deprecated way to say "every day".
                        recurrence=Recurrence(recurrence_rules=["FREQ=DAILY;INTERVAL=1"])),
        alert_info=AlertInfo(spoken_info=SpokenInfo(
            content=[SpokenText(locale=ctx.content.locale, text=words["reminder_text"])])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED))
    try:
        service = _service(ctx)
        before = _ours(service)
        service.create_reminder(request)  # the new one first: a failure leaves the old in place
    except Exception as exc:  # noqa: BLE001 - every failure gets a spoken answer
        kind = _failure_kind(exc)
        log_event("reminder_failed", level="WARNING", error_type=kind)
        if kind == "NO_PERMISSION":
            return ask_permission(ctx, hhmm)
        key = "device_unsupported" if kind == "DEVICE_NOT_SUPPORTED" else "api_error"
        return Reply(say(ctx, words[key]), end=True)
    for token in before:  # one nightly reminder, not one more each time
        try:
            service.delete_reminder(token)
        except Exception as exc:  # noqa: BLE001 - an old one left behind is not worth failing for
            log_event("reminder_old_not_deleted", level="WARNING", error_type=_failure_kind(exc))
    log_event("reminder_created", replaced=len(before))
    return Reply(say(ctx, words["created"].format(time=spoken_time(locale_of(ctx), hhmm))), end=True)


def _ours(service) -> list[str]:
    alerts = getattr(service.get_reminders(), "alerts", None) or []
    return [a.alert_token for a in alerts if getattr(a, "alert_token", None)]


def stop_reminder(ctx: Context) -> Reply:
    words = _words(ctx)
    if not has_permission(ctx):
        return Reply(say(ctx, words["none_to_delete"]), end=True)
    try:
        service = _service(ctx)
        tokens = _ours(service)
        for token in tokens:
            service.delete_reminder(token)
    except Exception as exc:  # noqa: BLE001
        log_event("reminder_delete_failed", level="WARNING", error_type=_failure_kind(exc))
        return Reply(say(ctx, words["delete_error"]), end=True)
    return Reply(say(ctx, words["deleted" if tokens else "none_to_delete"]), end=True)


def permission_response(ctx: Context) -> Reply:
    """Alexa's answer to our voice permission request (Connections.Response, name AskFor)."""
    request = ctx.raw_request
    payload = request.payload if isinstance(getattr(request, "payload", None), dict) else {}
    status = payload.get("status")
    token = request.token if isinstance(getattr(request, "token", None), str) else ""
    hhmm = parse_time(token[len(TOKEN_PREFIX):]) if token.startswith(TOKEN_PREFIX) else None
    log_event("reminder_permission", outcome=status if isinstance(status, str) else None)
    if status == "ACCEPTED":
        return create_nightly(ctx, hhmm or "21:30")
    if status == "DENIED":
        return consent_card_reply(ctx, "denied")
    return consent_card_reply(ctx, "not_answered")
