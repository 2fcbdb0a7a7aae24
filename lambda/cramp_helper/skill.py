"""Wires the handlers into an ask-sdk skill and exposes the Lambda entry point.

The skill is built once per container, at import, and holds no per-request state: everything a
request needs lives in its own HandlerInput. Nothing here imports boto3 or requests.
"""

from __future__ import annotations

import json

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope

from . import content as content_module
from .episodes import PersistSession
from .handlers import EXCEPTION_HANDLERS, REQUEST_HANDLERS
from .logs import log_event
from .platform import TimedApiClient
from .services import ProvideServices, Services
from .speech import Speech

_SERIALIZER = DefaultSerializer()


def build_skill(services: Services | None = None, api_client=None):
    builder = CustomSkillBuilder(api_client=api_client or TimedApiClient())
    builder.add_global_request_interceptor(ProvideServices(services or Services()))
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler)
    for handler in EXCEPTION_HANDLERS:
        builder.add_exception_handler(handler)
    builder.add_global_response_interceptor(PersistSession())
    return builder.create()


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


def make_handler(services: Services | None = None, api_client=None):
    """A Lambda handler over a skill built with these services (tests inject fakes here)."""
    skill = build_skill(services, api_client)

    def handler(event, context):
        try:
            envelope = _SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
            if envelope is None or envelope.request is None:
                raise ValueError("no request in the envelope")
        except Exception as exc:  # noqa: BLE001 - any unreadable input still gets an answer
            log_event("unreadable_request", level="ERROR", error_type=type(exc).__name__)
            return _unreadable_request_response()
        try:
            response = skill.invoke(request_envelope=envelope, context=context)
        except Exception as exc:  # noqa: BLE001 - ask-sdk itself can fail on a malformed envelope
            log_event("invoke_failed", level="ERROR", error_type=type(exc).__name__)
            if getattr(envelope.request, "object_type", None) == "SessionEndedRequest":
                return {"version": "1.0", "response": {}}
            return _unreadable_request_response()
        return _SERIALIZER.serialize(response)

    return handler


lambda_handler = make_handler()
