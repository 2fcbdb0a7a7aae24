"""Requests that are not a user talking: CanFulfillIntentRequest, skill lifecycle events,
System.ExceptionEncountered and APL user events. Each gets a valid answer or a clean no-op."""

from __future__ import annotations

from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)

from .. import slots
from ..logs import log_event
from .base import RequestTypeHandler, reply, soft
from .general import context_question

CAN_FULFILL = "CanFulfillIntentRequest"


class CanFulfillHandler(RequestTypeHandler):
    """Alexa asking whether we could handle an intent, before choosing a skill. No side effects:
    no table, no Alexa API, no session state."""

    request_types = (CAN_FULFILL,)

    def handle(self, handler_input):
        from . import handled_intents  # the registry imports this module

        intent = getattr(handler_input.request_envelope.request, "intent", None)
        name = getattr(intent, "name", None)
        if not name or name.startswith("AMAZON.") or name not in handled_intents():
            verdict = CanFulfillIntent(can_fulfill=CanFulfillIntentValues.NO)
        else:
            verdict = _verdict(handler_input, intent)
        handler_input.response_builder.set_can_fulfill_intent(verdict)
        return handler_input.response_builder.response


def _verdict(handler_input, intent) -> CanFulfillIntent:
    answers = {}
    unsure = False
    for name in (intent.slots or {}):
        reading = slots.read(handler_input, name)
        if reading.status == slots.MISSING:
            continue
        understood = reading.status == slots.MATCH
        unsure = unsure or not understood
        answers[name] = CanFulfillSlot(
            can_understand=CanUnderstandSlotValues.YES if understood else CanUnderstandSlotValues.MAYBE,
            can_fulfill=CanFulfillSlotValues.YES)
    return CanFulfillIntent(
        can_fulfill=CanFulfillIntentValues.MAYBE if unsure else CanFulfillIntentValues.YES,
        slots=answers or None)


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
        log_event("alexa_reported_error", level="ERROR",
                  error_type=getattr(getattr(error, "object_type", None), "value", None),
                  error_message=getattr(error, "message", None))
        return handler_input.response_builder.response


class AplUserEventHandler(RequestTypeHandler):
    """A touch on an Echo Show screen: carry on from where the user is."""

    request_types = ("Alexa.Presentation.APL.UserEvent",)

    def handle(self, handler_input):
        if handler_input.request_envelope.session is None:
            return handler_input.response_builder.response
        question, reprompt = context_question(handler_input)
        return reply(handler_input, soft(handler_input), question=question, reprompt=reprompt)
