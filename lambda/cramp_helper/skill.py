"""Wires the handlers into an ask-sdk skill and exposes the Lambda entry point.

The skill is built once per container, at import, and holds no per-request state: everything a
request needs lives in its own HandlerInput. Nothing here imports boto3 or requests.
"""

from __future__ import annotations

import os
import time

from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model.request import Request

from . import content as content_module
from . import envelope_reader as envelope_module
from .alexa_api import TimedApiClient
from .alexa_api import preload as platform_preload
from .handlers import EXCEPTION_HANDLERS, REQUEST_HANDLERS
from .handlers.platform_events import EventNotProcessed
from .logs import begin_request, log_event
from .reply import take_spliced
from .services import ProvideServices, Services
from .speech import Speech
from .storage.budget import end_request_budget, start_request_budget
from .turn import PersistSession, kept_state

_SERIALIZER = envelope_module.SERIALIZER
MAX_LOGGED_NAME = 100  # an intent name in the log line (ours are short; a hostile one is not)
KNOWN_REQUEST_TYPES = frozenset(Request.discriminator_value_class_map)


def build_skill(services: Services | None = None, api_client=None):
    builder = CustomSkillBuilder(api_client=api_client or TimedApiClient())
    builder.add_global_request_interceptor(ProvideServices(services or Services()))
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler)
    for handler in EXCEPTION_HANDLERS:
        builder.add_exception_handler(handler)
    builder.add_global_response_interceptor(PersistSession())
    return builder.create()


SILENT_TYPES = ("SessionEndedRequest", "System.ExceptionEncountered", "CanFulfillIntentRequest")


def _error_response(raw_type, event) -> dict:
    """The answer when a request cannot be served: silent for a request that cannot be spoken to,
    else a spoken apology that carries the session's own state back to Alexa (see kept_state), so
    a queued write of the episode is not lost with this turn."""
    if raw_type in SILENT_TYPES or (isinstance(raw_type, str) and raw_type.startswith("AlexaSkillEvent.")):
        return {"version": "1.0", "response": {}}
    body = _unreadable_request_response()
    try:
        kept = kept_state(envelope_module.session_attributes(event))
    except Exception as exc:  # noqa: BLE001 - the error path itself never raises
        log_event("error_state_dropped", level="WARNING", error_type=type(exc).__name__)
        kept = None
    if kept:
        body["sessionAttributes"] = kept
    return body


def _unreadable_request_response() -> dict:
    """A valid spoken answer for an envelope the SDK cannot even parse."""
    content = content_module.load(None)
    speech = Speech(content.voice).say(content.phrase("error")).say(content.phrase("help_question_idle"))
    reprompt = Speech(content.voice).say(content.phrase("ask_muscle_reprompt"))
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": speech.ssml()},
            "reprompt": {"outputSpeech": {"type": "SSML", "ssml": reprompt.ssml()}},
            "shouldEndSession": False,
        },
    }


def make_handler(services: Services | None = None, api_client=None, skill_id: str | None = None):
    """A Lambda handler over a skill built with these services (tests inject fakes here).

    ``skill_id`` (default: the SKILL_ID environment variable) is verified on every request
    before any handler runs: a request for another skill gets an empty response and touches
    nothing. In Lambda (AWS_LAMBDA_FUNCTION_NAME set) a missing or blank id fails closed: every
    request gets an empty response, touches nothing, and logs one ERROR line ``skill_id_missing``.
    Only local runs may leave it unset: then nothing is verified, and the first request says so
    in the log.
    """
    skill = build_skill(services, api_client)
    expected = (skill_id if skill_id is not None else os.environ.get("SKILL_ID", "")).strip() or None
    fail_closed = expected is None and bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "").strip())
    warned = []

    def handler(event, context):
        try:
            return handle(event, context)
        finally:
            end_request_budget()

    def handle(event, context):
        started = time.perf_counter()
        record = begin_request(_request_id(event))
        take_spliced()  # nothing left over from an earlier request on this thread
        if fail_closed:
            record["outcome"] = "rejected"
            log_event("skill_id_missing", level="ERROR",
                      message="SKILL_ID is not set in this Lambda function: every request is rejected")
            return {"version": "1.0", "response": {}}
        start_request_budget()
        raw_request = event.get("request") if isinstance(event, dict) else None
        raw_type = raw_request.get("type") if isinstance(raw_request, dict) else None
        if isinstance(raw_type, str) and raw_type not in KNOWN_REQUEST_TYPES:
            log_event("request", request_type="unknown", outcome="ignored")
            return {"version": "1.0", "response": {}}  # a type from the future: a clean no-op
        try:
            envelope = envelope_module.read(event)
        except Exception as exc:  # noqa: BLE001 - any unreadable input still gets an answer
            log_event("unreadable_request", level="ERROR", error_type=type(exc).__name__)
            return _error_response(raw_type, event)
        request_type = getattr(envelope.request, "object_type", None)
        intent = getattr(getattr(envelope.request, "intent", None), "name", None)
        if isinstance(intent, str) and len(intent) > MAX_LOGGED_NAME:
            intent = intent[:MAX_LOGGED_NAME] + "..."
        if expected is None and not warned:
            warned.append(True)
            log_event("skill_id_not_verified", level="WARNING")
        if expected is not None and _application_id(envelope) != expected:
            record["outcome"] = "rejected"
            log_event("request", request_type=request_type, outcome="rejected",
                      latency_ms=round((time.perf_counter() - started) * 1000, 1))
            return {"version": "1.0", "response": {}}
        try:
            response = skill.invoke(request_envelope=envelope, context=context)
        except EventNotProcessed:
            record["outcome"] = "failed"
            raise  # a skill event neither done nor queued: Alexa must deliver it again
        except Exception as exc:  # noqa: BLE001 - ask-sdk itself can fail on a malformed envelope
            log_event("invoke_failed", level="ERROR", error_type=type(exc).__name__)
            return _error_response(request_type, event)
        body = _SERIALIZER.serialize(response)
        spliced = take_spliced()
        if spliced and isinstance(body.get("response"), dict):
            body["response"]["directives"] = [*(body["response"].get("directives") or []), *spliced]
        if request_type == "CanFulfillIntentRequest":
            body.pop("sessionAttributes", None)  # a "could you?" answer carries no state
        ended = (body.get("response") or {}).get("shouldEndSession")
        log_event("request", request_type=request_type, intent=intent,
                  outcome=record.get("outcome") or ("ended" if ended is not False else "open"),
                  latency_ms=round((time.perf_counter() - started) * 1000, 1))
        return body

    return handler


def _request_id(event) -> str | None:
    request = event.get("request") if isinstance(event, dict) else None
    request_id = request.get("requestId") if isinstance(request, dict) else None
    return request_id if isinstance(request_id, str) and len(request_id) < 200 else None


def _application_id(envelope) -> str | None:
    """The skill a request is for: context.System.application, else the session's."""
    system = getattr(envelope.context, "system", None)
    for holder in (system, envelope.session):
        app_id = getattr(getattr(holder, "application", None), "application_id", None)
        if app_id:
            return app_id
    return None


lambda_handler = make_handler()


def prime_for_snapshot() -> None:
    """Under SnapStart the init phase is snapshotted once and restored for every cold start, so
    work done here is free after restore. Import what the first table request would import, and
    run one request that touches neither the table nor an Alexa API, so ask-sdk loads the model
    classes it needs. No client is created and no connection opened: those must not be shared by
    every restored environment."""
    from . import episodes, storage  # what a table request imports, paid here, before the snapshot

    storage.preload()
    assert episodes.RESUME_MINUTES  # loaded, with the records it queues
    platform_preload()

    skill_id = os.environ.get("SKILL_ID", "").strip() or "amzn1.ask.skill.prime"
    application = {"applicationId": skill_id}
    user = {"userId": "amzn1.ask.account.SNAPSTART-PRIME"}
    lambda_handler({
        "version": "1.0",
        "session": {"new": True, "sessionId": "amzn1.echo-api.session.prime",
                    "application": application, "user": user},
        "context": {"System": {"application": application, "user": user,
                               "device": {"deviceId": "prime", "supportedInterfaces": {}}}},
        "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.prime",
                    "timestamp": "2026-01-01T00:00:00Z", "locale": "en-US",
                    "intent": {"name": "AMAZON.HelpIntent", "slots": {}}},
    }, None)
