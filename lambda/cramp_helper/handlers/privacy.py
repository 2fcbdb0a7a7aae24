"""Privacy by voice: "delete my cramp history", confirmed with yes or no; and SkillDisabled."""

from __future__ import annotations

from ..context import content_of, state_of
from ..episodes import user_id
from ..logs import log_event
from ..repository import StorageError, user_key
from ..services import services_of
from ..state import EXPECT_DELETE
from .base import IntentHandler, RequestTypeHandler, reply, soft

DELETE_INTENT = "DeleteHistoryIntent"


def _words(handler_input) -> dict:
    return content_of(handler_input).section("privacy")


class DeleteHistoryHandler(IntentHandler):
    intents = (DELETE_INTENT,)

    def handle(self, handler_input):
        words = _words(handler_input)
        state_of(handler_input).expect = EXPECT_DELETE
        return reply(handler_input, soft(handler_input), question=words["confirm"],
                     reprompt=words["reprompt"])


def confirm_delete(handler_input):
    """The user said yes: delete every item of theirs, and anything still queued for the table."""
    words = _words(handler_input)
    state = state_of(handler_input)
    state.expect = None
    repository = services_of(handler_input).repository
    uid = user_id(handler_input)
    if not repository.enabled or uid is None:
        return reply(handler_input, soft(handler_input).say(words["unavailable"]), end=True)
    state.pending.clear()
    state.episode = None
    state.prevention = None  # nothing written back after "deleted"
    state.clear_routine()
    try:
        deleted = repository.delete_user(user_key(uid))
    except StorageError as err:
        log_event("history_delete_failed", level="ERROR", error_type=err.kind)
        return reply(handler_input, soft(handler_input).say(words["failed"]), end=True)
    log_event("history_deleted", items=deleted)
    return reply(handler_input, soft(handler_input).say(words["deleted"]), end=True)


def keep_history(handler_input):
    state_of(handler_input).expect = None
    return reply(handler_input, soft(handler_input).say(_words(handler_input)["kept"]), end=True)


class SkillDisabledHandler(RequestTypeHandler):
    """Disabling the skill deletes the user's data. No speech: nobody is listening."""

    request_types = ("AlexaSkillEvent.SkillDisabled",)

    def handle(self, handler_input):
        repository = services_of(handler_input).repository
        uid = user_id(handler_input)
        if repository.enabled and uid is not None:
            try:
                deleted = repository.delete_user(user_key(uid))
                log_event("skill_disabled_data_deleted", items=deleted)
            except StorageError as err:
                log_event("skill_disabled_delete_failed", level="ERROR", error_type=err.kind)
        return handler_input.response_builder.response
