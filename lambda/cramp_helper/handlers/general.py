"""Launch, help, stop and cancel, and the fallback for words the skill did not understand."""

from __future__ import annotations

from ..state import EXPECT_CHECKIN, EXPECT_MUSCLE, EXPECT_NEXT_STRETCH
from .base import IntentHandler, RequestTypeHandler, content_of, reply, soft, state_of
from .relief import goodbye


def routine_question(handler_input) -> tuple[str, str]:
    """Re-ask the routine's own check-in, and make a bare yes/no answer exactly that question
    (never one asked earlier, such as "delete your history?")."""
    content = content_of(handler_input)
    state = state_of(handler_input)
    routine = content.routine(state.muscle)
    state.expect = EXPECT_NEXT_STRETCH if routine.get("kind") == "prevention" else EXPECT_CHECKIN
    return (routine.get("check_in", content.phrase("check_in")),
            routine.get("check_in_reprompt", content.phrase("check_in_reprompt")))


def context_question(handler_input) -> tuple[str, str]:
    """The question that fits where the user is: mid-routine, or not started."""
    content = content_of(handler_input)
    state = state_of(handler_input)
    if state.position is not None:
        return routine_question(handler_input)
    state.expect = EXPECT_MUSCLE
    return content.phrase("help_question_idle"), content.phrase("ask_muscle_reprompt")


def reply_in_place(handler_input, speech, idle_question: str, idle_reprompt: str,
                   idle_expect: str | None):
    """Finish with the routine's check-in if one is under way, else with the idle question."""
    state = state_of(handler_input)
    if state.position is not None:
        question, reprompt = routine_question(handler_input)
        return reply(handler_input, speech, question=question, reprompt=reprompt)
    state.expect = idle_expect
    return reply(handler_input, speech, question=idle_question, reprompt=idle_reprompt)


class LaunchHandler(RequestTypeHandler):
    """ "open leg cramp helper": one short welcome, then which muscle."""

    request_types = ("LaunchRequest",)

    def handle(self, handler_input):
        content = content_of(handler_input)
        state_of(handler_input).expect = EXPECT_MUSCLE
        return reply(handler_input, soft(handler_input), question=content.phrase("welcome"),
                     reprompt=content.phrase("ask_muscle_reprompt"))


class HelpHandler(IntentHandler):
    intents = ("AMAZON.HelpIntent",)

    def handle(self, handler_input):
        content = content_of(handler_input)
        # Mid-routine, re-ask the check-in itself: an either/or question cannot take a yes.
        question, reprompt = context_question(handler_input)
        return reply(handler_input, soft(handler_input).say(content.phrase("help")),
                     question=question, reprompt=reprompt)


class StopHandler(IntentHandler):
    """Stop, cancel and "go home" end the session at once, even in the middle of a hold."""

    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def handle(self, handler_input):
        return goodbye(handler_input)


class FallbackHandler(IntentHandler):
    intents = ("AMAZON.FallbackIntent",)

    def handle(self, handler_input):
        content = content_of(handler_input)
        question, reprompt = context_question(handler_input)
        return reply(handler_input, soft(handler_input).say(content.phrase("fallback")),
                     question=question, reprompt=reprompt)
