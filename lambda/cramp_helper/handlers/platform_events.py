"""Requests that are not a person talking: CanFulfillIntentRequest, the end of a session,
Alexa's answer to a permission request, skill lifecycle events and System.ExceptionEncountered.
Each gets a valid answer or a clean no-op."""

from __future__ import annotations

from .. import turn
from ..context import Context, account_id, trusted_time
from ..dialogue import Answer
from ..logs import log_event
from ..services import services_of
from ..slots import read_slot
from .base import RequestTypeHandler, answer

CAN_FULFILL = "CanFulfillIntentRequest"


class CanFulfillHandler(RequestTypeHandler):
    """Alexa asking whether we could handle an intent, before choosing a skill (canfulfill.py
    decides). No side effects: no table, no Alexa API, no session state."""

    request_types = (CAN_FULFILL,)

    def handle(self, handler_input):
        from ask_sdk_model.canfulfill import (  # only this request type needs these
            CanFulfillIntent,
            CanFulfillIntentValues,
            CanFulfillSlot,
            CanFulfillSlotValues,
            CanUnderstandSlotValues,
        )

        from .. import canfulfill

        intent = getattr(handler_input.request_envelope.request, "intent", None)
        slots = getattr(intent, "slots", None) or {}
        readings = {name: read_slot(intent, name) for name in slots} if isinstance(slots, dict) else {}
        decided = canfulfill.verdict(getattr(intent, "name", None) or "", readings)
        handler_input.response_builder.set_can_fulfill_intent(CanFulfillIntent(
            can_fulfill=CanFulfillIntentValues(decided.can_fulfill),
            slots={name: CanFulfillSlot(can_understand=CanUnderstandSlotValues(v.understand),
                                        can_fulfill=CanFulfillSlotValues(v.fulfill))
                   for name, v in decided.slots.items()} or None))
        return handler_input.response_builder.response


class SessionEndedHandler(RequestTypeHandler):
    """Alexa closed the session (silence after the reprompt, an error, the person walking away):
    the turn runs the table's "(silence)" answer to the question last asked (a cramp under way
    keeps its place, paused if it was paused), and turn.persist stores it. Nothing is said."""

    request_types = ("SessionEndedRequest",)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(request, "error", None)
        fields = {"reason": reason}
        if error is not None:
            fields["error_type"] = getattr(getattr(error, "object_type", None), "value", None)
            message = getattr(error, "message", None)
            fields["error_message"] = message[:200] if isinstance(message, str) else None
        log_event("session_ended", **fields)
        try:
            turn.respond(Context.of(handler_input), Answer.SILENCE)
        except Exception as exc:  # noqa: BLE001 - the session is over: nothing may be said now
            log_event("silence_failed", level="ERROR", error_type=type(exc).__name__)  # persist still closes
        return handler_input.response_builder.response  # a SessionEndedRequest cannot be answered


class PermissionResponseHandler(RequestTypeHandler):
    """Alexa's answer to our voice permission request for reminders: through the turn, like
    anything the person says (Answer.PERMISSION)."""

    request_types = ("Connections.Response",)

    def can_handle(self, handler_input) -> bool:
        request = handler_input.request_envelope.request
        return super().can_handle(handler_input) and getattr(request, "name", None) == "AskFor"

    def handle(self, handler_input):
        return answer(handler_input, Answer.PERMISSION)


class EventNotProcessed(Exception):  # noqa: N818 - it names what happened, not an error kind
    """A skill event whose work could neither be done nor queued: raised out of the Lambda
    invocation (the exception handler and skill.py let it through), so the event is not answered
    as done and Alexa delivers it again (docs/data-model.md, "When SkillDisabled fails")."""


class SkillDisabledHandler(RequestTypeHandler):
    """Disabling the skill deletes the account's data and every voice profile's of that account,
    for good (a tombstone blocks any write from a session still open; what does not fit in this
    request finishes as a purge job on the queue). No speech: nobody is listening.

    The cut-off is when the person disabled the skill (``request.eventCreationTime``), not when
    Alexa sent the event (``request.timestamp``, later for a late delivery): a cramp logged after
    re-enabling is never deleted by a late event. If the deletion fails, a purge of the account
    and its people is queued; if the queue refuses too, the invocation fails (EventNotProcessed)
    so the event is retried, and the ERROR skill_disabled_delete_failed is logged."""

    request_types = ("AlexaSkillEvent.SkillDisabled",)

    def handle(self, handler_input):
        from ..records import iso  # a rare event: the storage layer is loaded for it alone
        from ..storage import StorageError, Store

        ctx = Context.of(handler_input)
        request = handler_input.request_envelope.request
        created = getattr(request, "event_creation_time", None)
        at = iso(ctx.request_time if created is None else trusted_time(created, ctx.now, "eventCreationTime"))
        store = Store(services_of(handler_input).repository, account_id(handler_input.request_envelope),
                      erasing=True)  # also with EPISODE_LOG=off: what an earlier mode kept goes too
        if not store.enabled:
            return handler_input.response_builder.response
        try:
            log_event("skill_disabled_data_deleted", items=store.delete_everything(at=at))
        except StorageError as err:
            try:
                store.queue_delete_everything(at)
            except StorageError as queue_err:
                log_event("skill_disabled_delete_failed", level="ERROR", error_type=err.kind,
                          queue_error_type=queue_err.kind, retried_by="alexa")
                raise EventNotProcessed("SkillDisabled: neither deleted nor queued") from None
            log_event("skill_disabled_delete_queued", level="WARNING", error_type=err.kind)
        return handler_input.response_builder.response


class SkillEventHandler(RequestTypeHandler):
    """Enabled, permission accepted or changed: logged (event and scope names only)."""

    request_types = ("AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillPermissionAccepted",
                     "AlexaSkillEvent.SkillPermissionChanged", "AlexaSkillEvent.SkillAccountLinked",
                     "AlexaSkillEvent.ProactiveSubscriptionChanged",
                     "AlexaSkillEvent.NotificationSubscriptionChanged")

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        body = getattr(request, "body", None)
        scopes = [getattr(p, "scope", None) for p in (getattr(body, "accepted_permissions", None) or [])]
        log_event("skill_event", request_type=request.object_type,
                  scopes=[s for s in scopes if isinstance(s, str)] or None)
        return handler_input.response_builder.response


class SystemExceptionHandler(RequestTypeHandler):
    """Alexa telling us our last response was rejected: log why; nothing can be spoken."""

    request_types = ("System.ExceptionEncountered",)

    def handle(self, handler_input):
        error = getattr(handler_input.request_envelope.request, "error", None)
        message = getattr(error, "message", None)
        log_event("alexa_reported_error", level="ERROR",
                  error_type=getattr(getattr(error, "object_type", None), "value", None),
                  error_message=message[:200] if isinstance(message, str) else None)
        return handler_input.response_builder.response

