"""A nightly stretch reminder through the Alexa Reminders API, and its voice permission flow.

"Remind me to stretch every night at nine thirty": with the reminders permission, the skill
replaces any reminder of its own with one that recurs daily at that time in the device's time
zone. Without it, the skill asks by voice (Connections.SendRequest "AskFor"); Alexa answers with
a Connections.Response (ACCEPTED, DENIED or NOT_ANSWERED) that carries the time in its token.
A consent card is the fallback when the voice request is refused or unanswered.
"""

from __future__ import annotations

from datetime import timedelta

from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from .. import slots
from ..logs import log_event
from ..services import services_of
from ..timezone import UTC, device_zone
from .base import IntentHandler, RequestTypeHandler, content_of, reply, soft

SET_INTENT = "SetReminderIntent"
STOP_INTENT = "StopReminderIntent"
PERMISSION = "alexa::alerts:reminders:skill:readwrite"
TOKEN_PREFIX = "reminder:"
PART_OF_DAY = {"NI": "21:30", "EV": "21:00"}  # "tonight", "in the evening"


def _words(handler_input) -> dict:
    return content_of(handler_input).section("reminders")


def evening_time(value: str | None) -> str | None:
    """Alexa's AMAZON.TIME as HH:MM for a bedtime reminder: "09:30" said at night means 21:30."""
    value = PART_OF_DAY.get(value or "", value)
    try:
        hour, minute = (int(part) for part in (value or "").split(":")[:2])
    except ValueError:
        return None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    if 5 <= hour < 12:  # nobody stretches for bed at nine in the morning
        hour += 12
    return f"{hour:02d}:{minute:02d}"


def spoken_time(words: dict, hhmm: str) -> str:
    hour, minute = (int(x) for x in hhmm.split(":"))
    half = "am" if hour < 12 else "pm"
    h = hour % 12 or 12
    if minute == 0:
        return words["time_words"][f"{half}_hour"].format(h=h)
    return words["time_words"][half].format(h=h, m=f"{minute:02d}")


def has_permission(handler_input) -> bool:
    user = getattr(getattr(handler_input.request_envelope.context, "system", None), "user", None)
    permissions = getattr(user, "permissions", None)
    if permissions is None:
        return False
    if permissions.consent_token:
        return True
    scope = (permissions.scopes or {}).get(PERMISSION)
    status = getattr(getattr(scope, "status", None), "value", None)
    return status == "GRANTED"


def ask_permission(handler_input, hhmm: str):
    """Ask by voice; Alexa takes over the conversation and answers with Connections.Response."""
    directive = SendRequestDirective(
        name="AskFor",
        payload={"@type": "AskForPermissionsConsentRequest", "@version": "1",
                 "permissionScope": PERMISSION},
        token=TOKEN_PREFIX + hhmm)
    handler_input.response_builder.add_directive(directive)
    return reply(handler_input, soft(handler_input).say(_words(handler_input)["permission_speech"]),
                 end=True)


def consent_card_reply(handler_input, key: str):
    handler_input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[PERMISSION]))
    return reply(handler_input, soft(handler_input).say(_words(handler_input)[key]), end=True)


def _service(handler_input):
    factory = handler_input.service_client_factory
    if factory is None:
        raise RuntimeError("no Alexa API access in this request")
    return factory.get_reminder_management_service()


def _failure_kind(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    body = str(getattr(exc, "body", "") or "") + str(exc)
    if status in (401, 403):
        return "NO_PERMISSION"
    if "DEVICE_NOT_SUPPORTED" in body.upper():
        return "DEVICE_NOT_SUPPORTED"
    return "API_ERROR"


def create_nightly(handler_input, hhmm: str):
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        Recurrence,
        RecurrenceFreq,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    words = _words(handler_input)
    zone = device_zone(handler_input)
    now = services_of(handler_input).now()
    local_now = now.astimezone(zone) if zone else now.astimezone(UTC)
    hour, minute = (int(x) for x in hhmm.split(":"))
    first = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if first <= local_now:
        first += timedelta(days=1)
    locale = getattr(handler_input.request_envelope.request, "locale", None) or "en-US"
    request = ReminderRequest(
        request_time=now.astimezone(UTC).replace(tzinfo=None),
        trigger=Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE,
                        scheduled_time=first.replace(tzinfo=None),
                        time_zone_id=zone.key if zone else None,
                        recurrence=Recurrence(freq=RecurrenceFreq.DAILY)),
        alert_info=AlertInfo(spoken_info=SpokenInfo(
            content=[SpokenText(locale=locale, text=words["reminder_text"])])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED))
    try:
        service = _service(handler_input)
        _delete_ours(service)  # one nightly reminder, not one more each time
        service.create_reminder(request)
    except Exception as exc:  # noqa: BLE001 - every failure gets a spoken answer
        kind = _failure_kind(exc)
        log_event("reminder_failed", level="WARNING", error_type=kind)
        if kind == "NO_PERMISSION":
            return ask_permission(handler_input, hhmm)
        key = "device_unsupported" if kind == "DEVICE_NOT_SUPPORTED" else "api_error"
        return reply(handler_input, soft(handler_input).say(words[key]), end=True)
    log_event("reminder_created")
    return reply(handler_input, soft(handler_input).say(
        words["created"].format(time=spoken_time(words, hhmm))), end=True)


def _delete_ours(service) -> int:
    alerts = getattr(service.get_reminders(), "alerts", None) or []
    for alert in alerts:
        service.delete_reminder(alert.alert_token)
    return len(alerts)


class SetReminderHandler(IntentHandler):
    intents = (SET_INTENT,)

    def handle(self, handler_input):
        words = _words(handler_input)
        slot = slots.read(handler_input, "Time")
        raw = None
        if slot.status != slots.MISSING:
            raw = handler_input.request_envelope.request.intent.slots["Time"].value
        hhmm = evening_time(raw)
        if hhmm is None:
            return reply(handler_input, soft(handler_input), question=words["ask_time"],
                         reprompt=words["ask_time_reprompt"])
        if not has_permission(handler_input):
            return ask_permission(handler_input, hhmm)
        return create_nightly(handler_input, hhmm)


class StopReminderHandler(IntentHandler):
    intents = (STOP_INTENT,)

    def handle(self, handler_input):
        words = _words(handler_input)
        if not has_permission(handler_input):
            return reply(handler_input, soft(handler_input).say(words["none_to_delete"]), end=True)
        try:
            deleted = _delete_ours(_service(handler_input))
        except Exception as exc:  # noqa: BLE001
            log_event("reminder_delete_failed", level="WARNING", error_type=_failure_kind(exc))
            return reply(handler_input, soft(handler_input).say(words["delete_error"]), end=True)
        key = "deleted" if deleted else "none_to_delete"
        return reply(handler_input, soft(handler_input).say(words[key]), end=True)


class PermissionResponseHandler(RequestTypeHandler):
    """Alexa's answer to our voice permission request."""

    request_types = ("Connections.Response",)

    def can_handle(self, handler_input) -> bool:
        request = handler_input.request_envelope.request
        return super().can_handle(handler_input) and getattr(request, "name", None) == "AskFor"

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        payload = request.payload if isinstance(request.payload, dict) else {}
        status = payload.get("status")
        token = request.token if isinstance(request.token, str) else ""
        hhmm = evening_time(token[len(TOKEN_PREFIX):]) if token.startswith(TOKEN_PREFIX) else None
        log_event("reminder_permission", outcome=status)
        if status == "ACCEPTED":
            return create_nightly(handler_input, hhmm or "21:30")
        if status == "DENIED":
            return consent_card_reply(handler_input, "denied")
        return consent_card_reply(handler_input, "not_answered")
