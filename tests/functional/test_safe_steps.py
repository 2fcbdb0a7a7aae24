"""Issue 18, parts 5, 6 and 9 through lambda_handler: safe steps at night, the ten minutes from
when the cramp began, and a child's leg pains.

Requests carry the ids Alexa would resolve (as tests/functional/test_safety_signs.py does), so
every locale is driven the same way. What is asserted is what the person hears and what is stored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cramp_helper import content as content_module
from testkit.conversation import Conversation

LOCALES = ["en-US", "en-GB", "en-AU", "en-CA", "en-IN", "de-DE", "fr-FR", "fr-CA", "es-ES", "es-MX",
           "es-US", "it-IT", "pt-BR"]
MUSCLES = ["CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES"]


def say(talk: Conversation, intent: str, values: dict | None = None, **ids: str):
    """An IntentRequest whose custom slots resolved to ``ids`` and whose built-in slots carry ``values``."""
    return talk.said(intent, {**{n: ("said", i) for n, i in ids.items()},
                              **{n: (v, v) for n, v in (values or {}).items()}})


def _first_words(content, technique: str) -> str:
    """The opening words of a technique's own first step (no placeholder), to find it in speech."""
    first = content.technique(technique)["steps"][0]["say"]
    return first.split("{")[0][:30]


def _longest_words(content, technique: str) -> str:
    """The longest stretch of a technique's own first step between placeholders (its mark)."""
    first = content.technique(technique)["steps"][0]["say"]
    return max((part.split("}")[-1] for part in first.split("{")), key=len)


# --- the standing guard: once, before the first standing step ----------------------------------
@pytest.mark.parametrize("locale", LOCALES)
def test_the_guard_comes_before_the_first_standing_step_of_every_routine_and_only_once(locale):
    content = content_module.load(locale)
    guard = content.data["safety_steps"]["guard"]
    standing = content.standing()
    for muscle in MUSCLES:
        talk = Conversation(locale)
        names = content.techniques(muscle)
        first_standing = next(i for i, n in enumerate(names) if n in standing)
        replies = [say(talk, "CrampIntent", Muscle=muscle)]
        for _ in range(len(names) - 1):
            replies.append(say(talk, "StillCrampingIntent"))
        replies.append(say(talk, "StillCrampingIntent"))  # "go through them again?"
        assert not replies[-1].ended and replies[-1].hold_seconds() == 0
        replies.append(say(talk, "AMAZON.YesIntent"))  # again, same session: the guard is not repeated
        for _ in range(len(names) - 1):
            replies.append(say(talk, "StillCrampingIntent"))
        heard = [guard in r.speech for r in replies]
        assert heard.count(True) == 1 and heard.index(True) == first_standing, (locale, muscle, heard)
        again = replies[len(names) + 1 + first_standing]  # the same standing step, the second time
        assert _first_words(content, names[first_standing]) in again.speech, (locale, muscle)
        speech = replies[first_standing].speech
        assert speech.count(guard) == 1
        step = speech.index(guard) + len(guard)
        assert speech.index(_first_words(content, names[first_standing]), step) >= step, (locale, muscle)
        assert replies[first_standing].hold_seconds() > 0


@pytest.mark.parametrize("locale", LOCALES)
def test_the_bedtime_wall_stretch_opens_with_the_guard_and_a_cramp_after_it_does_not_repeat_it(locale):
    content = content_module.load(locale)
    guard = content.data["safety_steps"]["guard"]
    talk = Conversation(locale)
    calf = say(talk, "BedtimeStretchIntent")
    wall = _first_words(content, "bedtime_calf")
    assert calf.speech.count(guard) == 1 and calf.speech.index(guard) < calf.speech.index(wall)
    say(talk, "CrampIntent", Muscle="CALF")  # a cramp mid-stretches: relief, same session
    press = say(talk, "StillCrampingIntent")  # the standing press
    assert guard not in press.speech and _first_words(content, "calf_stand_press") in press.speech


# --- lying or sitting versions ---------------------------------------------------------------
@pytest.mark.parametrize("locale", LOCALES)
def test_after_i_cant_stand_every_muscle_gets_its_lying_or_sitting_version(locale):
    content = content_module.load(locale)
    sitting = content.data["safety_steps"]["sitting"]
    standing_words = [_longest_words(content, t) for t in content.standing()]
    for muscle in MUSCLES:
        talk = Conversation(locale)
        names = content.techniques(muscle)
        say(talk, "CrampIntent", Muscle=muscle)
        cant = say(talk, "DistressIntent", Kind="CANT_MOVE")  # "I can't stand"
        assert not cant.ended
        back = say(talk, "AMAZON.NoIntent")  # not a different colour: back to where they were
        replies = [back] + [say(talk, "StillCrampingIntent") for _ in range(len(names) - 1)]
        spoken = " ".join(r.speech for r in replies)
        assert content.data["safety_steps"]["guard"] not in spoken, (locale, muscle)
        assert not any(w in spoken for w in standing_words), (locale, muscle)
        versions = [sitting[n]["steps"][0]["say"].split("{")[0][:25] for n in names if n in sitting]
        assert versions and all(v in spoken for v in versions), (locale, muscle)


def test_the_quadriceps_after_dizziness_is_lying_on_your_side():
    talk = Conversation()
    say(talk, "DistressIntent", Kind="DIZZY")
    say(talk, "AMAZON.NoIntent")
    quad = say(talk, "CrampIntent", Muscle="QUADRICEPS")
    assert quad.speech.count("Lie on your side") == 1 and "Stand" not in quad.speech
    assert "Before you stand" not in quad.speech and quad.hold_seconds() > 0
    other = say(talk, "StillCrampingIntent")  # the other leg? no: one leg, so the next technique
    assert "Stand" not in other.speech


def test_bedtime_stretches_after_dizziness_are_sitting():
    talk = Conversation()
    say(talk, "DistressIntent", Kind="DIZZY")
    say(talk, "AMAZON.NoIntent")
    bedtime = say(talk, "BedtimeStretchIntent")
    assert "Calf stretch, sitting." in bedtime.speech and "wall" not in bedtime.speech
    assert "Before you stand" not in bedtime.speech


# --- the fluids caveat and the pregnancy tips ---------------------------------------------------
def test_drink_water_comes_with_the_fluids_caveat_in_the_after_care_and_the_prevention_answer():
    talk = Conversation()
    say(talk, "CrampIntent", Muscle="CALF")
    gone = say(talk, "CrampGoneIntent")
    assert "drink some water" in gone.speech and "told to limit fluids" in gone.speech
    assert gone.speech.index("drink some water") < gone.speech.index("limit fluids")
    assert "limit fluids" in gone.card["content"]
    prevent = say(Conversation(), "PreventionInfoIntent")
    assert "water" in prevent.speech and "dialysis or heart failure" in prevent.speech


def test_pregnant_without_a_leg_sign_hears_the_pregnancy_tips_and_no_alarm(table_world):
    talk = table_world.conversation()
    say(talk, "CrampIntent", Muscle="CALF")
    asked = say(talk, "RedFlagIntent", Symptom="PREGNANT")
    assert "911" not in asked.speech and not asked.ended
    back = say(talk, "AMAZON.NoIntent")  # no swollen, red or warm leg
    assert "From twenty-eight weeks, go to sleep on your side." in back.speech
    assert "911" not in back.speech and not back.ended and back.hold_seconds() > 0  # the stretch again
    assert not [e for e in table_world.episodes(talk.user_id) if e.get("outcome") == "RED_FLAG"]
    why = say(Conversation(), "CauseInfoIntent")
    assert "common in pregnancy" in why.speech


# --- ten minutes from when the cramp began ---------------------------------------------------
def test_it_wont_stop_at_the_start_asks_once_how_long_and_five_minutes_guides_as_usual(table_world):
    talk = table_world.conversation()
    asked = say(talk, "LongCrampIntent")  # "it won't stop", no duration
    assert asked.speech.endswith(
        "How long has it been cramping: five minutes, half an hour, or how many minutes?")
    assert "911" not in asked.speech and "today" not in asked.speech and not asked.ended
    five = say(talk, "LongCrampIntent", values={"Minutes": "5"})  # "five minutes": guided at once
    assert "911" not in five.speech and "How long" not in five.speech and not five.ended
    assert five.hold_seconds() > 0 and "ten minutes" not in five.speech
    table_world.clock.now += timedelta(minutes=6)  # eleven minutes since it began, six since it was said
    try:
        late = say(talk, "StillCrampingIntent")
    finally:
        table_world.clock.now -= timedelta(minutes=6)
    assert "about ten minutes" in late.speech and "911" in late.speech and late.hold_seconds() == 0


def test_the_how_long_question_takes_a_bare_duration_when_asked_and_when_asked_again(table_world):
    """A bare "half an hour" fills AMAZON.DURATION only if Alexa was told to listen for it: the
    question elicits LongCrampIntent.Duration the first time and when it is asked again."""
    talk = table_world.conversation()

    def elicited(reply) -> list:
        return [(d["updatedIntent"]["name"], d["slotToElicit"]) for d in reply.envelope["response"].get(
            "directives", []) if d.get("type") == "Dialog.ElicitSlot"]

    asked = say(talk, "LongCrampIntent", Muscle="CALF")
    again = say(talk, "AMAZON.RepeatIntent")  # "what did you say?": the question again
    assert "How long" in asked.speech and "How long" in again.speech
    assert elicited(asked) == elicited(again) == [("LongCrampIntent", "Duration")]


def test_a_second_fresh_session_with_the_same_six_minutes_is_not_past_ten(table_world):
    """The control: the same six minutes from the start of guidance, with no earlier start said."""
    talk = table_world.conversation()
    say(talk, "CrampIntent", Muscle="CALF")
    table_world.clock.now += timedelta(minutes=6)
    try:
        early = say(talk, "StillCrampingIntent")
    finally:
        table_world.clock.now -= timedelta(minutes=6)
    assert "ten minutes" not in early.speech and early.hold_seconds() > 0


@pytest.mark.parametrize("answer", [
    ("LongCrampIntent", {}),  # "half an hour", "an hour", "about half an hour": no number slot
    ("LongCrampIntent", {"Minutes": "20"}),
    ("AMAZON.NoIntent", {}),  # not a duration: how long is unknown, the safe side
])
def test_past_ten_minutes_the_same_day_advice_then_gentle_options_with_a_stretch(table_world, answer):
    talk = table_world.conversation()
    say(talk, "LongCrampIntent")
    intent, values = answer
    advice = say(talk, intent, values=values)
    assert "needs care" in advice.speech and "urgent care today" in advice.speech and not advice.ended
    assert "How long" not in advice.speech and advice.speech.endswith("gentle ways to ease it?")
    gentle = say(talk, "AMAZON.YesIntent")
    assert "gentle stretch" in gentle.speech and "warm towel" in gentle.speech and not gentle.ended
    assert "shower" not in gentle.speech


def test_how_long_is_asked_only_once(table_world):
    talk = table_world.conversation()
    say(talk, "LongCrampIntent")
    first = say(talk, "LongCrampIntent", values={"Minutes": "3"})
    again = say(talk, "LongCrampIntent")  # "it won't stop" again: not asked twice
    assert "How long" not in first.speech and "How long" not in again.speech


# --- a sign named in answer to a sign's question ------------------------------------------------
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("first", "answer"), [
    ({"Symptom": "COLD", "OtherSymptom": "PALE"}, "NUMB"),  # "cold and pale" ... "it's numb"
    ({"Symptom": "FELL"}, "HIT_HEAD"),  # "I fell" ... "I hit my head"
])
def test_a_sign_named_in_answer_to_a_signs_question_counts_with_the_signs_that_raised_it(locale, first,
                                                                                         answer):
    content = content_module.load(locale)
    talk = Conversation(locale)
    asked = say(talk, "RedFlagIntent", **first)
    assert not asked.ended  # one question first
    reply = say(talk, "RedFlagIntent", Symptom=answer)
    line = content.data["safety"]["LIMB" if answer == "NUMB" else "FALL"]
    assert reply.ended and line.split("{emergency}")[1].strip()[:20] in reply.speech, (locale, reply.speech)


# --- a child's leg pains ---------------------------------------------------------------------
@pytest.mark.parametrize("locale", LOCALES)
def test_a_childs_leg_pains_get_the_children_line_never_the_routine_never_logged(table_world, locale):
    content = content_module.load(locale)
    talk = Conversation(locale, handler=table_world.handler, clock=table_world.clock)
    reply = say(talk, "CrampIntent", Muscle="CALF", Who="CHILD")  # "my son has cramps in his calf"
    child = content.data["safety_steps"]["child"]
    assert child in reply.speech and reply.ended and reply.hold_seconds() == 0
    for name in content.techniques("CALF"):
        assert _first_words(content, name) not in reply.speech, (locale, name)
    assert table_world.partition(talk.user_id) == []  # nothing in the adult's history
    own = say(talk, "CrampIntent", Muscle="CALF")  # then the adult's own cramp: the routine, logged
    assert own.hold_seconds() > 0 and child not in own.speech
    say(talk, "CrampGoneIntent")
    assert len(table_world.episodes(talk.user_id)) == 1


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("who", ["PARTNER", "PARENT", "OTHER"])
def test_someone_elses_cramp_is_guided_for_the_helper_and_never_logged(table_world, locale, who):
    content = content_module.load(locale)
    talk = Conversation(locale, handler=table_world.handler, clock=table_world.clock)
    reply = say(talk, "CrampIntent", Muscle="CALF", Who=who)  # "my wife's got a cramp in her calf"
    helper = content.section("heard")["helper"]
    assert reply.speech.count(helper) == 1 and reply.hold_seconds() > 0 and not reply.ended
    nxt = say(talk, "StillCrampingIntent")  # the routine goes on; the helper line is said once
    assert helper not in nxt.speech and nxt.hold_seconds() > 0
    say(talk, "RedFlagIntent", Symptom="SWOLLEN")  # even a warning sign of theirs is not logged
    say(talk, "CrampGoneIntent")
    assert table_world.partition(talk.user_id) == []


def test_a_cramp_named_with_someone_elses_words_in_another_slot_is_theirs(table_world):
    """ "my wife has a cramp in her calf" heard as RedFlagIntent with the words "my wife" in
    Symptom: the interpreter reads the person, and the cramp is not logged."""
    talk = Conversation("en-US", handler=table_world.handler, clock=table_world.clock)
    reply = talk.said("RedFlagIntent", {"Symptom": ("my wife", None), "Muscle": ("calf", "CALF")})
    assert reply.hold_seconds() > 0 and "nothing about this cramp goes in your own history" in reply.speech
    say(talk, "CrampGoneIntent")
    assert table_world.partition(talk.user_id) == []


def test_no_who_slot_is_the_persons_own_cramp():
    reply = say(Conversation(), "CrampIntent", Muscle="CALF")
    assert reply.hold_seconds() > 0 and "growing pains" not in reply.speech


# --- false alarms ----------------------------------------------------------------------------
@pytest.mark.parametrize("symptom", [
    {"Symptom": "TENDER"},  # "my calf is sore", "the muscle is hard"
    {"Symptom": None},  # "not pregnant", "no swelling", "it's still sore after": words Alexa can't resolve
])
def test_a_sore_or_hard_muscle_or_a_denial_never_gets_the_number_or_a_red_flag(table_world, symptom):
    talk = table_world.conversation()
    say(talk, "CrampIntent", Muscle="CALF")
    reply = talk.said("RedFlagIntent", {"Symptom": ("said", symptom["Symptom"])})
    assert "911" not in reply.speech and "today" not in reply.speech and not reply.ended
    back = say(talk, "NoSignIntent")  # "no, it's just the cramp": to the clot or the neutral question
    assert "911" not in back.speech and not back.ended and back.hold_seconds() > 0
    say(talk, "CrampGoneIntent")
    outcomes = [e.get("outcome") for e in table_world.episodes(talk.user_id)]
    assert outcomes == ["RELIEVED"], outcomes


def test_soreness_after_the_cramp_is_relief_with_after_care_not_a_red_flag(table_world):
    talk = table_world.conversation()
    say(talk, "CrampIntent", Muscle="CALF")
    gone = say(talk, "CrampGoneIntent")  # "it's eased, it's just sore now"
    assert "sore for a day" in gone.speech and "911" not in gone.speech
    assert [e.get("outcome") for e in table_world.episodes(talk.user_id)] == ["RELIEVED"]
