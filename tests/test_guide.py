"""The step machine, exhaustively: every muscle, side, position and move."""

import itertools

import pytest

from cramp_helper import content as content_module
from cramp_helper.guide import Move, Position, begin, go, technique_script
from cramp_helper.speech import Hold, Say, Speech
from tools.alexa_rules import check_ssml

EN = content_module.load("en-US")
SIDES = ("LEFT", "RIGHT", "BOTH", None)


def words(turn):
    return " ".join(i.text for i in turn.script if isinstance(i, Say))


def test_every_position_and_move_gives_valid_speech_and_a_check_in():
    for muscle, side in itertools.product(EN.muscle_ids(), SIDES):
        count = len(EN.techniques(muscle))
        for index, move in itertools.product(range(count), Move):
            turn = go(EN, Position(muscle, side, index), move)
            assert 0 <= turn.position.technique < count
            ssml = Speech(EN.voice).add(turn.script).say(turn.question).ssml()
            assert check_ssml(ssml) == [], (muscle, side, index, move)
            assert "{" not in words(turn), "a placeholder was left unfilled"
            assert turn.question.endswith("?")


def test_next_walks_the_routine_in_order_then_finishes():
    position = begin(EN, "CALF", "LEFT").position
    seen = [position.technique]
    while True:
        turn = go(EN, position, Move.NEXT)
        if turn.finished:
            break
        position = turn.position
        seen.append(position.technique)
    assert seen == list(range(len(EN.techniques("CALF"))))
    assert turn.question == EN.phrase("again_question")


@pytest.mark.parametrize("side,expected", [
    ("LEFT", "Keep your left leg straight"), ("RIGHT", "Keep your right leg straight"),
    ("BOTH", "Keep both legs straight"), (None, "Keep your leg straight")])
def test_wording_names_the_side(side, expected):
    assert expected in words(begin(EN, "CALF", side))


def test_names_read_naturally_for_each_muscle():
    assert words(begin(EN, "QUADRICEPS", "LEFT")).startswith("Okay, the front of your left thigh.")
    assert words(begin(EN, "TOES", "RIGHT")).startswith("Okay, the toes of your right foot.")
    assert words(begin(EN, "CALF", "BOTH")).startswith("Okay, both calves.")
    assert "press your heels down" in words(go(EN, Position("CALF", "BOTH", 0), Move.NEXT))


def test_a_stale_position_past_the_end_is_clamped_not_a_crash():
    turn = go(EN, Position("FOOT", "LEFT", 99), Move.REPEAT)
    assert turn.position.technique == len(EN.techniques("FOOT")) - 1


def test_per_leg_steps_run_once_per_leg_for_both_sides():
    one = [i for i in technique_script(EN, Position("QUADRICEPS", "LEFT", 0)) if isinstance(i, Hold)]
    both = [i for i in technique_script(EN, Position("QUADRICEPS", "BOTH", 0)) if isinstance(i, Hold)]
    assert len(both) == 2 * len(one)
