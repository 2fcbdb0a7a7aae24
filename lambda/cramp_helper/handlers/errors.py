"""The last line of defence: any exception still gets a spoken, in-character answer, and the
session state (with its queued writes) is kept."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler

from .. import episodes
from ..context import Context, save_state
from ..flows.common import reask, say
from ..logs import log_event
from ..reply import Reply, render
from ..speech import Speech


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception) -> bool:
        return True

    def handle(self, handler_input, exception):
        log_event("handler_error", level="ERROR", error_type=type(exception).__name__)
        ctx = Context.of(handler_input)
        content = ctx.content
        try:
            reply = reask(ctx, say(ctx, content.phrase("error")))
        except Exception:  # noqa: BLE001 - state itself may be what broke
            reply = Reply(Speech().say(content.phrase("error")),
                          question=content.phrase("help_question_idle"),
                          reprompt=content.phrase("ask_muscle_reprompt"))
        ctx.state.question = reply.asks
        partial = handler_input.response_builder.response  # whatever the failed handler began
        partial.directives, partial.card = None, None
        response = render(ctx, reply)
        try:
            episodes.persist(ctx, closing=False)  # response interceptors do not run after an exception
            save_state(handler_input)
        except Exception as exc:  # noqa: BLE001 - the spoken answer matters more
            log_event("persist_failed", level="ERROR", error_type=type(exc).__name__)
        return response
