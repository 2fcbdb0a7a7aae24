"""Requests no other handler claims: an intent we do not model, or a request type we ignore."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from ..logs import log_event
from .general import FallbackHandler


class UnknownIntentHandler(AbstractRequestHandler):
    """An intent not in our model (an old model, a new built-in): treated like the fallback."""

    def can_handle(self, handler_input) -> bool:
        return getattr(handler_input.request_envelope.request, "object_type", None) == "IntentRequest"

    def handle(self, handler_input):
        log_event("unknown_intent")
        return FallbackHandler().handle(handler_input)


class UnknownRequestHandler(AbstractRequestHandler):
    """Any other request type gets a clean, silent no-op."""

    def can_handle(self, handler_input) -> bool:
        return True

    def handle(self, handler_input):
        request_type = getattr(handler_input.request_envelope.request, "object_type", None)
        log_event("unhandled_request", request_type=request_type)
        return handler_input.response_builder.response
