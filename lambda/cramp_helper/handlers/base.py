"""What every handler shares: which requests it handles, and the one path to an answer (the
turn, turn.answer)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from ..turn import answer

__all__ = ["IntentHandler", "RequestTypeHandler", "answer", "intent_name"]


def intent_name(handler_input) -> str | None:
    request = handler_input.request_envelope.request
    if getattr(request, "object_type", None) != "IntentRequest":
        return None
    return getattr(getattr(request, "intent", None), "name", None)


class IntentHandler(AbstractRequestHandler):
    """Handles the intents named in ``intents``; subclasses implement ``handle``."""

    intents: tuple[str, ...] = ()

    def can_handle(self, handler_input) -> bool:
        return intent_name(handler_input) in self.intents


class RequestTypeHandler(AbstractRequestHandler):
    """Handles the request types named in ``request_types``."""

    request_types: tuple[str, ...] = ()

    def can_handle(self, handler_input) -> bool:
        request = handler_input.request_envelope.request
        return getattr(request, "object_type", None) in self.request_types
