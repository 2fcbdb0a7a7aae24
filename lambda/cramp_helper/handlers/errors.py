"""The last line of defence: any exception still gets a spoken, in-character answer."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler

from .. import episodes
from ..logs import log_event
from .base import content_of, reply, soft
from .general import context_question


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception) -> bool:
        return True

    def handle(self, handler_input, exception):
        log_event("handler_error", level="ERROR", error_type=type(exception).__name__)
        content = content_of(handler_input)
        try:
            question, reprompt = context_question(handler_input)
        except Exception:  # noqa: BLE001 - state itself may be what broke
            question, reprompt = content.phrase("help_question_idle"), content.phrase(
                "ask_muscle_reprompt")
        response = reply(handler_input, soft(handler_input).say(content.phrase("error")),
                         question=question, reprompt=reprompt)
        try:
            episodes.persist(handler_input)  # response interceptors do not run after an exception
        except Exception as exc:  # noqa: BLE001 - the spoken answer matters more
            log_event("persist_failed", level="ERROR", error_type=type(exc).__name__)
        return response
