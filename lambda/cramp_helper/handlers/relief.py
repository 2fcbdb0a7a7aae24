"""Guided relief: starting a routine, moving through it, and ending it when the cramp lets go."""

from __future__ import annotations

from .. import episodes, guide, slots
from ..guide import Move, Turn
from ..history import night_of
from ..services import services_of
from ..state import EXPECT_AGAIN, EXPECT_CHECKIN, EXPECT_MUSCLE, EXPECT_NEXT_STRETCH, EXPECT_PAUSED
from ..timezone import known_zone
from .base import IntentHandler, content_of, reply, soft, state_of

CRAMP_INTENT = "CrampIntent"
GONE_INTENT = "CrampGoneIntent"
STILL_INTENT = "StillCrampingIntent"


def deliver(handler_input, turn: Turn):
    """Speak a turn of the step machine and remember where we are."""
    content = content_of(handler_input)
    state = state_of(handler_input)
    state.move_to(turn.position)
    prevention = content.routine(turn.position.muscle).get("kind") == "prevention"
    if prevention and (turn.finished or guide.is_last(content, turn.position)):
        return finish_prevention(handler_input, turn)
    if prevention:
        state.expect = EXPECT_NEXT_STRETCH
    else:
        state.expect = EXPECT_AGAIN if turn.finished else EXPECT_CHECKIN
    if not turn.finished:
        technique = content.techniques(turn.position.muscle)[turn.position.technique]
        episodes.note_technique(handler_input, technique)
    return reply(handler_input, soft(handler_input).add(turn.script),
                 question=turn.question, reprompt=turn.reprompt)


def finish_prevention(handler_input, turn: Turn | None):
    """The last bedtime stretch runs straight into the night's tip and goodnight: hands-free."""
    content = content_of(handler_input)
    state = state_of(handler_input)
    routine = content.routine(state.muscle or "BEDTIME")
    tips = content.section("bedtime_tips")
    speech = soft(handler_input)
    if turn is not None:
        speech.add(turn.script).say(routine["done"])
    speech.say(tonight_tip(handler_input, tips["tips"])).say(tips["goodnight"])
    episodes.end_prevention(handler_input, completed=turn is not None)
    state.clear_routine()
    return reply(handler_input, speech, end=True)


def tonight_tip(handler_input, tips: list[str]) -> str:
    """A different tip each night, in turn."""
    now = services_of(handler_input).now()
    zone = known_zone(handler_input)
    return tips[night_of(now.astimezone(zone) if zone else now).toordinal() % len(tips)]


def start(handler_input, muscle: str, side: str | None, *, after_unknown: bool = False):
    state = state_of(handler_input)
    state.asked_muscle = False
    episodes.start(handler_input, muscle, side)
    return deliver(handler_input, guide.begin(content_of(handler_input), muscle, side,
                                              after_unknown=after_unknown))


def move(handler_input, how: Move):
    """Navigate within a routine; with none in progress, ask where the cramp is."""
    state = state_of(handler_input)
    if state.position is None:
        content = content_of(handler_input)
        state.expect = EXPECT_MUSCLE
        return reply(handler_input, soft(handler_input).say(content.phrase("no_routine")),
                     question=content.phrase("help_question_idle"),
                     reprompt=content.phrase("ask_muscle_reprompt"))
    return deliver(handler_input, guide.go(content_of(handler_input), state.position, how))


def relieved(handler_input):
    content = content_of(handler_input)
    state = state_of(handler_input)
    state.clear_routine()
    episodes.end(handler_input, episodes.RELIEVED)
    return reply(handler_input, soft(handler_input).say(content.phrase("relieved")), end=True,
                 card=(content.phrase("card_title_aftercare"), content.phrase("card_aftercare")))


def goodbye(handler_input, phrase: str = "goodbye", outcome: str = episodes.ABANDONED):
    state_of(handler_input).clear_routine()
    episodes.end(handler_input, outcome)
    return reply(handler_input, soft(handler_input).say(content_of(handler_input).phrase(phrase)),
                 end=True)


class CrampHandler(IntentHandler):
    """ "my left calf is cramping": start (or switch to) the routine for that muscle."""

    intents = (CRAMP_INTENT,)

    def handle(self, handler_input):
        content = content_of(handler_input)
        state = state_of(handler_input)
        muscle = slots.read(handler_input, "Muscle")
        side = slots.read(handler_input, "Side")
        side_id = side.id if side.status == slots.MATCH and side.id in content.side_ids() else None
        if muscle.status == slots.MATCH and content.knows_muscle(muscle.id):
            return start(handler_input, muscle.id, side_id)
        if muscle.status == slots.MISSING:
            if content.knows_muscle(state.muscle):  # "my left one" mid-routine: same muscle, new side
                return start(handler_input, state.muscle, side_id or state.side)
            return start(handler_input, "LEG", side_id)
        if not state.asked_muscle:  # a muscle we do not know: ask once, briefly
            state.asked_muscle = True
            state.side = side_id or state.side
            state.expect = EXPECT_MUSCLE
            return reply(handler_input, soft(handler_input),
                         question=content.phrase("ask_unknown_muscle"),
                         reprompt=content.phrase("ask_muscle_reprompt"))
        return start(handler_input, "CALF", side_id or state.side, after_unknown=True)


class GoneHandler(IntentHandler):
    """ "it's gone": after-care, then close."""

    intents = (GONE_INTENT,)

    def handle(self, handler_input):
        return relieved(handler_input)


class StillCrampingHandler(IntentHandler):
    """ "still cramping": the next technique; with no routine yet, start with the calf."""

    intents = (STILL_INTENT,)

    def handle(self, handler_input):
        state = state_of(handler_input)
        if not content_of(handler_input).knows_muscle(state.muscle):  # none, or bedtime stretches
            return start(handler_input, "LEG", None)
        return move(handler_input, Move.NEXT)


class NavigationHandler(IntentHandler):
    """next, previous, repeat, start over and resume, at every step."""

    moves = {
        "AMAZON.NextIntent": Move.NEXT,
        "AMAZON.PreviousIntent": Move.PREVIOUS,
        "AMAZON.RepeatIntent": Move.REPEAT,
        "AMAZON.StartOverIntent": Move.START_OVER,
        "AMAZON.ResumeIntent": Move.RESUME,
    }
    intents = tuple(moves)

    def handle(self, handler_input):
        return move(handler_input, self.moves[handler_input.request_envelope.request.intent.name])


class PauseHandler(IntentHandler):
    intents = ("AMAZON.PauseIntent",)

    def handle(self, handler_input):
        content = content_of(handler_input)
        state = state_of(handler_input)
        if state.position is None:
            return move(handler_input, Move.REPEAT)
        state.expect = EXPECT_PAUSED
        return reply(handler_input, soft(handler_input).say(content.phrase("paused")),
                     question=content.phrase("paused_question"),
                     reprompt=content.phrase("paused_reprompt"))


def ask_where(handler_input):
    content = content_of(handler_input)
    state_of(handler_input).expect = EXPECT_MUSCLE
    return reply(handler_input, soft(handler_input), question=content.phrase("yes_no_idle"),
                 reprompt=content.phrase("ask_muscle_reprompt"))
