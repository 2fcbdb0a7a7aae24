"""Issue 18 through lambda_handler: what a frightened person hears.

Requests carry the ids Alexa would resolve (the models that resolve the new sign ids are issue 17's
work), as tests/functional/test_safety_corpus.py does. Checked: the emergency number is said and the
session ends, no stretch follows, a sign that needs one question asks it and a yes is the emergency,
dizziness keeps every later step off the feet, the standing guard comes before standing, and the
ten minutes run from when the person said the cramp began.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from testkit.conversation import Conversation


def say(talk: Conversation, intent: str, **slots: tuple[str, str | None]):
    return talk.said(intent, slots)


STEP_WORDS = ("Hold", "hold it", "Put your weight", "pull your toes", "massage your", "Press")


def no_step(reply) -> bool:
    return reply.hold_seconds() == 0 and not any(w in reply.speech for w in STEP_WORDS)


@pytest.fixture
def talk(table_world):
    return table_world.conversation()


def test_about_to_pass_out_gets_the_number_at_once_and_nothing_about_cramps(talk):
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("StillCrampingIntent")  # about to stand and press
    reply = say(talk, "DistressIntent", Kind=("I feel like I'm going to pass out", "FAINT"))
    assert reply.speech.startswith("Call 911 now.") and "I can't call for you" in reply.speech
    assert "Most cramps stop on their own" not in reply.speech and "swollen, red or warm" not in reply.speech
    assert reply.ended and no_step(reply) and reply.card["title"] == "Get medical care"


@pytest.mark.parametrize("kind,words", [
    ("SERIOUS", "stay sore for a day"), ("DYING", "I'm here with you"), ("UNBEARABLE", "so much"),
    ("CANT_MOVE", "lock the muscle"), ("SCARED", "frightening"), ("HOSPITAL", "Call 911 now for chest pain"),
])
def test_each_kind_of_distress_gets_its_own_line_then_the_clot_question(talk, kind, words):
    reply = say(talk, "DistressIntent", Kind=("said", kind))
    assert words in reply.speech
    assert "911" in reply.speech and reply.speech.endswith("or is it just the cramp?") and not reply.ended
    general = say(Conversation(), "DistressIntent")  # no Kind: the general line
    assert "I'm here with you" in general.speech and "Most cramps stop on their own" in general.speech


def test_dizzy_sits_the_person_down_and_no_standing_step_follows_for_the_rest_of_the_session(talk):
    talk.intent("CrampIntent", Muscle="calf")  # the toe pull, sitting
    dizzy = say(talk, "DistressIntent", Kind=("I feel dizzy", "DIZZY"))
    assert "sitting or lying down" in dizzy.speech and dizzy.speech.endswith("feel sick or faint?")
    assert no_step(dizzy) and not dizzy.ended and "911" not in dizzy.speech
    back = talk.intent("AMAZON.NoIntent")  # no chest pain: back to the routine
    assert "stand" not in back.speech.lower() or "skip the standing stretch" in back.speech
    after = talk.intent("StillCrampingIntent")  # next would be the standing press: its sitting version
    assert "Stay sitting or lying" in after.speech and "Put your weight" not in after.speech
    assert "Before you stand" not in after.speech and after.hold_seconds() > 0
    massage = talk.intent("StillCrampingIntent")
    assert "massage your calf" in massage.speech


def test_dizzy_then_yes_to_the_heart_question_is_the_emergency(talk):
    say(talk, "RedFlagIntent", Symptom=("light-headed", "DIZZY"))
    reply = talk.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("Call 911 now.") and reply.ended and no_step(reply)


@pytest.mark.parametrize("sign,words,question", [
    ("COLD", "my foot is cold", "numb, a different color, or impossible to move?"),
    ("PALE", "my foot looks pale", "numb, a different color, or impossible to move?"),
    ("ARM_PAIN", "a cramp in my arm", "feel sick or faint?"),
    ("RACING_HEART", "my heart is pounding", "feel sick or faint?"),
    ("FELL", "I fell", "Did you hit your head, or are you unable to get up?"),
])
def test_a_sign_that_needs_one_question_asks_it_and_yes_is_the_number(table_world, sign, words, question):
    talk = table_world.conversation()
    talk.intent("CrampIntent", Muscle="calf")
    asked = say(talk, "RedFlagIntent", Symptom=(words, sign))
    assert asked.speech.endswith(question) and "911" not in asked.speech and not asked.ended
    assert no_step(asked) and "gentle stretch" not in asked.speech
    again = talk.intent("AMAZON.RepeatIntent")  # asked again, the same question
    assert question in again.speech
    yes = talk.intent("AMAZON.YesIntent")
    assert yes.speech.startswith("Call 911 now.") and yes.ended and no_step(yes)
    other = table_world.conversation()
    other.intent("CrampIntent", Muscle="calf")
    say(other, "RedFlagIntent", Symptom=(words, sign))
    no = other.intent("AMAZON.NoIntent")
    assert "911" not in no.speech and not no.ended


@pytest.mark.parametrize("signs,start", [
    ((("my foot is cold and pale", "COLD"), ("and numb", "NUMB")), "Call 911 now."),
    ((("my arm hurts", "ARM_PAIN"), ("and I'm sweating", "SWEATING")), "Call 911 now."),
    ((("my leg suddenly went weak", "SUDDEN_WEAKNESS"), ("and my back hurts", "BACK_PAIN")),
     "Go to the emergency department now, or call 911"),
    ((("my leg suddenly went weak", "SUDDEN_WEAKNESS"), ("my face is drooping", "FACE_DROOP")),
     "Call 911 now."),
    ((("my leg suddenly went weak", "SUDDEN_WEAKNESS"), None), "Call 911 now."),
    ((("I hit my head", "HIT_HEAD"), None), "Call 911 now."),
    ((("I can't get up", "CANT_GET_UP"), None), "Call 911 now."),
    ((("my foot's gone white", "BLUE_GREY_WHITE"), None), "Call 911 now."),
])
def test_compound_and_fall_signs_get_the_emergency_and_no_stretch(table_world, signs, start):
    talk = table_world.conversation()
    talk.intent("CrampIntent", Muscle="calf")
    first, second = signs
    slots = {"Symptom": first} | ({"OtherSymptom": second} if second else {})
    reply = say(talk, "RedFlagIntent", **slots)
    assert reply.speech.startswith(start) and reply.ended and no_step(reply)
    assert reply.card["title"] == "Get medical care"


def test_a_sore_muscle_after_the_cramp_asks_and_does_not_send_anyone_to_care(talk):
    talk.intent("CrampIntent", Muscle="calf")
    reply = say(talk, "RedFlagIntent", Symptom=("it's sore", "TENDER"))
    assert "911" not in reply.speech and "today" not in reply.speech and not reply.ended
    assert reply.speech.endswith("or is it just the cramp?") and (reply.card or {}).get("title") is None


def test_the_standing_guard_comes_before_the_first_standing_step(talk):
    talk.intent("CrampIntent", Muscle="calf")
    stand = talk.intent("StillCrampingIntent")
    guard = ("Before you stand: sit on the edge of the bed, turn on a light, and stand up slowly, holding "
             "something steady. If you feel dizzy, stay sitting.")
    assert guard in stand.speech and stand.speech.index(guard) < stand.speech.index("Put your weight")
    quad = Conversation().intent("CrampIntent", Muscle="quad")
    assert quad.speech.index("turn on a light") < quad.speech.index("If you can stand safely")


def test_warmth_is_a_warm_towel_never_a_shower_or_a_heating_pad(talk):
    talk.intent("CrampIntent", Muscle="calf")
    for _ in range(3):
        reply = talk.intent("StillCrampingIntent")
    assert "warm towel" in reply.speech and "numb, swollen or red" in reply.speech
    assert "shower" not in reply.speech and "heating pad" not in reply.speech


def test_the_ten_minutes_run_from_when_the_person_said_the_cramp_began(table_world):
    started = table_world.conversation()  # "it started five minutes ago", at launch
    reply = started.send(started.envelope({
        "type": "IntentRequest", "dialogState": "COMPLETED",
        "intent": {"name": "LongCrampIntent", "confirmationStatus": "NONE",
                   "slots": {"Minutes": {"name": "Minutes", "value": "5", "confirmationStatus": "NONE"}}}}))
    assert "911" not in reply.speech and not reply.ended  # under ten minutes: guide as usual, at once
    assert reply.hold_seconds() > 0
    fresh = table_world.conversation()
    fresh.intent("CrampIntent", Muscle="calf")
    table_world.clock.now += timedelta(minutes=6)  # eleven minutes since it began, six since launch
    try:
        late = started.intent("StillCrampingIntent")
        early = fresh.intent("StillCrampingIntent")
    finally:
        table_world.clock.now -= timedelta(minutes=6)
    assert "about ten minutes" in late.speech and "911" in late.speech and late.hold_seconds() == 0
    assert "ten minutes" not in early.speech and early.hold_seconds() > 0
