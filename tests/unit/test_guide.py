"""The step machine, exhaustively: every muscle, side, position, part and move.

Most tests here are about what a half-asleep listener would notice: how soon the first instruction
comes, whether a hold starts before they are in position, repeated sentences, singular words for
both legs, answers that run over a minute, massage without a safety check, and jargon.
"""

import itertools
import re

import pytest

from cramp_helper import content as content_module
from cramp_helper.guide import (
    BOTH_LIMIT_SECONDS,
    Move,
    Position,
    Turn,
    begin,
    go,
    is_last,
    part_count,
    technique_script,
)
from cramp_helper.speech import Hold, Pause, Say, Speech, estimate_seconds
from tools.alexa_rules import check_ssml

EN = content_module.load("en-US")
SIDES = ("LEFT", "RIGHT", "BOTH", None)
MUSCLES = tuple(EN.muscle_ids())
RELIEF = [m for m in EN.muscle_ids() if EN.routine(m).get("kind") != "prevention"]
MASSAGE_CHECK = "swollen, red, warm or painful to touch"


def words(turn: Turn) -> str:
    return " ".join(i.text for i in turn.script if isinstance(i, Say))


def answer(turn: Turn) -> list:
    return [*turn.script, Say(turn.question)]


def positions(muscle, side):
    """Every (technique, part) a routine can be at, in order."""
    for index in range(len(EN.techniques(muscle))):
        for part in range(part_count(EN, Position(muscle, side, index))):
            yield Position(muscle, side, index, part)


def every_turn(muscles=MUSCLES):
    """(label, turn) for every opening and every move from every position, every side."""
    for muscle, side in itertools.product(muscles, SIDES):
        yield (muscle, side, "begin"), begin(EN, muscle, side)
        if muscle == "CALF":  # an unknown muscle is guessed to be the calf
            yield (muscle, side, "begin after unknown"), begin(EN, muscle, side, after_unknown=True)
        for position, move in itertools.product(positions(muscle, side), Move):
            yield (position, move), go(EN, position, move)


def cue_texts() -> set[str]:
    """Short timing cues, said in every hold: these may recur in one answer."""
    cues = {EN.cues["halfway"], EN.cues["five_more"], EN.cues["release"], EN.cues["settled"],
            EN.phrase("again_label")}
    for technique in EN.data["techniques"].values():
        for step in technique["steps"]:
            cues.update(step[key] for key in ("release", "settled") if key in step)
    return cues


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]


# --- the machine ------------------------------------------------------------------------------
def test_every_position_and_move_gives_valid_speech_and_a_check_in():
    for label, turn in every_turn():
        muscle = turn.position.muscle
        count = len(EN.techniques(muscle))
        assert 0 <= turn.position.technique < count, label
        assert 0 <= turn.position.part < part_count(EN, turn.position), label
        ssml = Speech(EN.voice).add(turn.script).say(turn.question).ssml()
        assert check_ssml(ssml) == [], label
        assert "{" not in words(turn), "a placeholder was left unfilled"
        assert turn.question.endswith("?")


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("muscle", RELIEF)
def test_next_walks_every_technique_and_part_in_order_then_finishes(muscle, side):
    turn = begin(EN, muscle, side)
    seen = [turn.position]
    while True:
        turn = go(EN, turn.position, Move.NEXT)
        if turn.finished:
            break
        seen.append(turn.position)
    assert seen == list(positions(muscle, side))
    assert turn.question == EN.phrase("again_question")
    assert is_last(EN, seen[-1]) and not any(is_last(EN, p) for p in seen[:-1])


def test_one_side_is_never_split_and_both_legs_is_split_only_where_it_is_long():
    for muscle, side in itertools.product(RELIEF, ("LEFT", "RIGHT", None)):
        assert all(p.part == 0 for p in positions(muscle, side)), (muscle, side)
    assert part_count(EN, Position("CALF", "BOTH", 0)) == 2  # round one, round two
    assert part_count(EN, Position("CALF", "BOTH", 3)) == 1  # warmth: short
    assert part_count(EN, Position("QUADRICEPS", "BOTH", 0)) == 2  # left leg, right leg
    assert part_count(EN, Position("BEDTIME", "BOTH", 0)) == 1  # bedtime is exempt: hands-free


def test_moves_within_a_split_technique():
    first, second = Position("CALF", "BOTH", 0, 0), Position("CALF", "BOTH", 0, 1)
    assert go(EN, first, Move.NEXT).position == second
    assert go(EN, second, Move.NEXT).position == Position("CALF", "BOTH", 1, 0)
    assert go(EN, second, Move.PREVIOUS).position == first
    # back from the next technique: the previous one from its beginning
    assert go(EN, Position("CALF", "BOTH", 1, 0), Move.PREVIOUS).position == first
    for move in (Move.REPEAT, Move.RESUME):
        again = go(EN, second, move)
        assert again.position == second and "Toes toward your shins" in words(again)
    assert go(EN, Position("CALF", "BOTH", 2, 1), Move.START_OVER).position == first
    assert go(EN, first, Move.PREVIOUS).position == first  # "this is the first one"


def test_a_stale_position_past_the_end_is_clamped_not_a_crash():
    turn = go(EN, Position("FOOT", "LEFT", 99, 7), Move.REPEAT)
    assert turn.position == Position("FOOT", "LEFT", len(EN.techniques("FOOT")) - 1, 0)
    turn = go(EN, Position("CALF", "BOTH", 0, 9), Move.REPEAT)
    assert turn.position == Position("CALF", "BOTH", 0, 1)
    assert go(EN, Position("CALF", "BOTH", -3, -1), Move.REPEAT).position == Position("CALF", "BOTH", 0, 0)


def test_per_leg_steps_run_once_per_leg_for_both_sides_across_the_parts():
    def holds(side):
        return [i for p in positions("QUADRICEPS", side) if p.technique == 0
                for i in technique_script(EN, p) if isinstance(i, Hold)]
    assert len(holds("BOTH")) == 2 * len(holds("LEFT"))


# --- wording -----------------------------------------------------------------------------------
@pytest.mark.parametrize("side,expected", [
    ("LEFT", "Keep your left leg straight"), ("RIGHT", "Keep your right leg straight"),
    ("BOTH", "Keep both legs straight"), (None, "Keep your leg straight")])
def test_wording_names_the_side(side, expected):
    assert expected in words(begin(EN, "CALF", side))


def test_names_read_naturally_for_each_muscle():
    assert words(begin(EN, "QUADRICEPS", "LEFT")).startswith("Okay, the front of your left thigh.")
    assert words(begin(EN, "TOES", "RIGHT")).startswith("Okay, the toes of your right foot.")
    assert words(begin(EN, "CALF", "BOTH")).startswith("Okay, both calves.")
    assert words(begin(EN, "LEG", "LEFT")).startswith("Let's start with your left calf,")
    assert "press your heels down" in words(go(EN, Position("CALF", "BOTH", 0, 1), Move.NEXT))


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("muscle", RELIEF)
def test_at_most_twelve_words_before_the_first_instruction(muscle, side):
    for after_unknown in (False, True) if muscle == "CALF" else (False,):
        turn = begin(EN, muscle, side, after_unknown=after_unknown)
        assert turn.words_before_instruction <= 12, (muscle, side, words(turn))
        body = technique_script(EN, turn.position)
        lead = turn.script[:turn.script.index(body[0])]
        assert turn.words_before_instruction == sum(len(i.text.split()) for i in lead)
        assert "somewhere else" not in " ".join(i.text for i in lead)


def test_a_guessed_muscle_says_how_to_correct_it_after_the_first_instruction():
    for turn in (begin(EN, "LEG", None), begin(EN, "CALF", "LEFT", after_unknown=True)):
        said = words(turn)
        assert said.index("Keep your") < said.index(EN.phrase("start_elsewhere"))
    assert EN.phrase("start_elsewhere") not in words(begin(EN, "CALF", "LEFT"))


def test_thigh_starts_without_a_preamble():
    assert begin(EN, "THIGH", "LEFT").words_before_instruction <= 7
    assert "A thigh cramp can be" not in words(begin(EN, "THIGH", None))


def test_no_two_answers_in_a_row_open_with_the_same_lead():
    for muscle, side in itertools.product(RELIEF, SIDES):
        turn = begin(EN, muscle, side)
        openings = [sentences(words(turn))[0]]
        while not (turn := go(EN, turn.position, Move.NEXT)).finished:
            openings.append(sentences(words(turn))[0])
        for before, after in itertools.pairwise(openings):
            assert before != after, (muscle, side, openings)
        leads = [o for o in openings if o in {EN.phrase("next_technique"),
                                               *EN.phrase_list("next_technique_variants")}]
        assert all(a != b for a, b in itertools.pairwise(leads)), (muscle, side, leads)


def test_no_sentence_is_said_twice_in_one_answer():
    cues = cue_texts()
    for label, turn in every_turn():
        said = [s for s in sentences(words(turn) + " " + turn.question) if s not in cues]
        repeated = {s for s in said if said.count(s) > 1}
        assert not repeated, (label, repeated)


def test_a_repeat_does_not_say_once_more_twice():
    turn = go(EN, Position("CALF", "LEFT", 0), Move.REPEAT)
    assert words(turn).count("Once more.") == 1


def test_nothing_spoken_is_jargon():
    for label, turn in every_turn():
        said = (words(turn) + " " + turn.question + " " + turn.reprompt).lower()
        assert not re.search(r"\b(techniques?|routines?)\b", said), (label, said)


SINGULAR = re.compile(r"\byour (leg|foot|knee|heel|shin|calf|thigh|sole|arch|toe)\b")


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("technique_id", sorted(EN.data["techniques"]))
def test_every_technique_agrees_in_number_with_the_side(technique_id, side):
    muscles = [m for m in EN.muscle_ids() if technique_id in EN.techniques(m)] or ["BEDTIME"]
    for muscle in muscles:
        for index, tid in enumerate(EN.techniques(muscle)):
            if tid != technique_id:
                continue
            said = " ".join(i.text for p in positions(muscle, side) if p.technique == index
                            for i in technique_script(EN, p) if isinstance(i, Say))
            assert "{" not in said
            if side == "BOTH":
                # singular only where a per-leg step names the leg it is on
                assert not SINGULAR.search(said), (muscle, said)
            elif side in ("LEFT", "RIGHT"):
                assert not re.search(r"\bboth\b|\b(shins|knees|heels|calves|thighs|soles)\b", said), said
                assert EN.data["sides"][side] in said, (muscle, said)
            else:
                assert not re.search(r"\b(left|right|both)\b", said), (muscle, said)


def test_both_legs_get_plural_words():
    said = words(begin(EN, "CALF", "BOTH")) + words(go(EN, Position("CALF", "BOTH", 0, 1), Move.NEXT))
    for plural in ("both legs", "your shins", "your feet", "your heels", "your knees"):
        assert plural in said, plural
    assert "massage your left calf" in words(go(EN, Position("CALF", "BOTH", 2, 0), Move.REPEAT))
    assert "massage your right calf" in words(go(EN, Position("CALF", "BOTH", 2, 1), Move.REPEAT))
    assert "warm towel on both calves" in words(go(EN, Position("CALF", "BOTH", 3), Move.REPEAT))  # issue 18
    assert "the backs of your thighs" in words(begin(EN, "HAMSTRING", "BOTH"))
    assert "stretch the arches" in words(begin(EN, "FOOT", "BOTH"))


@pytest.mark.parametrize("muscle", ["FOOT", "TOES"])
def test_a_foot_is_never_called_a_leg(muscle):
    for label, turn in every_turn((muscle,)):
        said = " ".join(s for s in sentences(words(turn)) if MASSAGE_CHECK not in s)
        assert not re.search(r"\blegs?\b", said), (label, said)


# --- time ----------------------------------------------------------------------------------------
def test_a_both_legs_answer_stays_under_a_minute():
    for label, turn in every_turn(tuple(RELIEF)):
        if turn.position.side == "BOTH":
            assert estimate_seconds(answer(turn)) < BOTH_LIMIT_SECONDS, (label, words(turn))


def test_holds_start_only_after_time_to_get_into_position():
    moving = re.compile(r"\bstand\b|\bsit\b|towel", re.IGNORECASE)
    checked = 0
    for muscle, side in itertools.product(EN.position_ids(), SIDES):
        for position in positions(muscle, side):
            script = technique_script(EN, position)
            for at, item in enumerate(script):
                if not (isinstance(item, Say) and moving.search(item.text)):
                    continue
                rest = script[at + 1:]
                hold = next((n for n, i in enumerate(rest) if isinstance(i, Hold)), None)
                if hold is None:
                    continue
                before = rest[:hold]
                assert len(before) == 2, (position, item.text)
                pause, cue = before
                assert isinstance(pause, Pause) and pause.seconds >= 3, (position, item.text)
                assert isinstance(cue, Say) and cue.text.startswith("Now"), (position, cue)
                checked += 1
    assert checked > 50


def test_switching_legs_also_gets_time_before_the_hold():
    script = technique_script(EN, Position("QUADRICEPS", "BOTH", 0, 1))
    assert isinstance(script[1], Pause) and script[1].seconds >= 2
    assert script[2] == Say(EN.cues["settled"]) and isinstance(script[3], Hold)


def test_warmth_has_no_countdown():
    warm = re.compile(r"shower|heating pad|warm towel", re.IGNORECASE)
    for technique_id, technique in EN.data["techniques"].items():
        for step in technique["steps"]:
            if warm.search(step["say"]):
                assert not step.get("hold"), technique_id
    script = technique_script(EN, Position("CALF", "LEFT", 3))
    assert not any(isinstance(i, Hold) for i in script)


# --- massage -------------------------------------------------------------------------------------
def test_every_massage_first_says_when_not_to_massage():
    massage = re.compile(r"\b(massage|rub)\b", re.IGNORECASE)
    seen = 0
    for label, turn in every_turn():
        said = [i.text for i in turn.script if isinstance(i, Say)]
        for at, text in enumerate(said):
            if massage.search(text) and MASSAGE_CHECK not in text:
                warned = [t for t in said[:at] if MASSAGE_CHECK in t]
                assert warned, (label, text)
                assert "today" in warned[-1] and warned[-1].startswith("Don't")
                seen += 1
    assert seen > 100


def test_the_speech_figures_bench_reports_every_target_met():
    from testkit.speech_figures import figures

    result = figures(EN)
    assert result["over_target"] == 0
    assert result["words_before_instruction_max"] <= 12
    assert result["both_longest_s"] < 60
    assert {r["muscle"] for r in result["rows"]} >= set(RELIEF)
