"""The end of a session that Alexa closed (silence, an error, the user walking away)."""

from __future__ import annotations

from .. import episodes
from ..logs import log_event
from .base import RequestTypeHandler


class SessionEndedHandler(RequestTypeHandler):
    request_types = ("SessionEndedRequest",)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(request, "error", None)
        fields = {"reason": reason}
        if error is not None:
            fields["error_type"] = getattr(getattr(error, "object_type", None), "value", None)
            fields["error_message"] = getattr(error, "message", None)
        log_event("session_ended", **fields)
        episodes.end(handler_input, episodes.ABANDONED)
        episodes.end_prevention(handler_input, completed=False)
        # A response to a SessionEndedRequest cannot speak.
        return handler_input.response_builder.response
