"""Requests no other handler claims: a request type we ignore gets a clean, silent no-op."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from ..logs import log_event


class UnknownRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input) -> bool:
        return True

    def handle(self, handler_input):
        request_type = getattr(handler_input.request_envelope.request, "object_type", None)
        log_event("unhandled_request", request_type=request_type)
        return handler_input.response_builder.response
