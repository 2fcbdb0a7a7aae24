"""What every handler shares: turn a request into a Context, and a Reply into a response."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from ..context import Context
from ..dialogue import Answer, respond
from ..reply import Reply, render


def answer(handler_input, what: Answer):
    """The one path for anything a person says or touches: the dialogue decides."""
    ctx = Context.of(handler_input)
    return render(ctx, respond(ctx, what))


def finish(handler_input, reply: Reply):
    """For requests that are not the person talking (events, permission answers)."""
    return render(Context.of(handler_input), reply)


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
