"""The last line of defence: any exception still gets a spoken, in-character answer, and the
session state (with its queued writes) is kept: the turn answers it (turn.recover), through the
same persistence path as every other request."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler

from ..logs import log_event
from ..turn import recover
from .platform_events import EventNotProcessed


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception) -> bool:
        return not isinstance(exception, EventNotProcessed)  # that one must fail the invocation

    def handle(self, handler_input, exception):
        log_event("handler_error", level="ERROR", error_type=type(exception).__name__)
        return recover(handler_input)
