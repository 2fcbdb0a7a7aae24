"""What a frightened person says in their own words, heard through the interpreter on every turn
(issue 17): a warning sign in any slot's unresolved words reaches triage, relief and soreness never
raise the clot question, a denial answers it, and the new answers (slower, the first part again,
later) do what a person would expect. Envelopes carry the words as Alexa hands them over
(ER_SUCCESS_NO_MATCH for words that are no value of the slot type)."""

from __future__ import annotations

import re

import pytest

from cramp_helper import content
from testkit.conversation import Conversation

# the end of the clot question, "Is your leg swollen, red or warm, or is it just the cramp?"
CLOT_QUESTION = "or is it just the cramp"


def talk(world, locale: str = "en-US") -> Conversation:
    return Conversation(locale, handler=world.handler, clock=world.clock)


def calf(world, locale: str = "en-US"):
    conversation = talk(world, locale)
    words = {"en-US": "calf", "de-DE": "wade", "es-ES": "gemelo", "fr-FR": "mollet"}[locale]
    first = conversation.intent("CrampIntent", Muscle=words)
    assert first.hold_seconds() > 0 and not first.ended
    return conversation


def emergency_line(locale: str) -> str:
    """The first words of the locale's chest-sign line after its action (the number, which is the
    device's country's, comes first: issue 18)."""
    return content.load(locale).data["safety"]["CHEST"].split(". ", 1)[1][:25]


@pytest.mark.parametrize("locale,intent,slots", [
    ("en-US", "CrampIntent", {"Muscle": "something pressing on my chest"}),
    ("en-US", "CrampIntent", {"Muscle": "chest"}),
    ("en-US", "StillCrampingIntent", {"Muscle": "chest and i can't breathe"}),
    ("de-DE", "CrampIntent", {"Muscle": "druck auf der brust"}),
    ("es-ES", "CrampIntent", {"Muscle": "el pecho"}),
    ("fr-FR", "CrampIntent", {"Muscle": "la poitrine"}),
])
def test_chest_said_in_a_sentence_gets_the_emergency_line_not_the_clot_question(world, locale, intent, slots):
    reply = talk(world, locale).intent(intent, **slots)
    assert emergency_line(locale) in reply.speech and "911" in reply.speech and reply.ended
    assert CLOT_QUESTION not in reply.speech and reply.hold_seconds() == 0


@pytest.mark.parametrize("locale,words,line", [
    ("en-US", "blown up like a balloon", "blood clot"),
    ("de-DE", "ganz dick geworden", "Blutgerinnsel"),
    ("es-ES", "muy hinchada", "coágulo"),
    ("fr-FR", "tout gonflé", "caillot"),
])
def test_swelling_in_everyday_words_mid_routine_ends_it_as_a_red_flag(world, locale, words, line):
    conversation = calf(world, locale)
    reply = conversation.intent("RedFlagIntent", Symptom=words)
    assert line in reply.speech and reply.ended and reply.hold_seconds() == 0
    assert [e["outcome"] for e in world.episodes(conversation.session.user_id)] == ["RED_FLAG"]


@pytest.mark.parametrize("words", ["still tight", "a bit stiff", "it's just sore now"])
def test_still_and_sore_words_in_a_carrier_never_get_the_clot_question(world, words):
    conversation = calf(world)
    reply = conversation.intent("RedFlagIntent", Symptom=words)
    assert CLOT_QUESTION not in reply.speech
    assert "911" not in reply.speech


def test_just_sore_ends_the_cramp_with_after_care_and_logs_relief(world):
    conversation = calf(world)
    reply = conversation.intent("SoreIntent")
    assert "let go" in reply.speech and "glad" in reply.speech.lower() and reply.ended
    assert [e["outcome"] for e in world.episodes(conversation.session.user_id)] == ["RELIEVED"]


def test_a_denial_answers_the_clot_question_and_the_routine_carries_on(world):
    conversation = calf(world)
    asked = conversation.intent("RedFlagIntent", Symptom="tender")  # a sore muscle: one question
    assert CLOT_QUESTION in asked.speech
    reply = conversation.intent("NoSignIntent", Symptom="swollen")  # "nah, not swollen"
    assert "just the cramp" in reply.speech and reply.hold_seconds() > 0 and not reply.ended
    assert not any(e.get("outcome") == "RED_FLAG" for e in world.episodes(conversation.session.user_id))


def test_a_warning_sign_in_a_denials_own_words_still_wins(world):
    conversation = calf(world)
    conversation.intent("RedFlagIntent", Symptom="tender")
    reply = conversation.intent("NoSignIntent", Symptom="my chest hurts")
    assert "911" in reply.speech and reply.ended


def _rates(reply) -> list[int]:
    return [int(r) for r in re.findall(r'rate="(\d+)%"', reply.ssml)]


def test_slower_repeats_the_same_step_more_slowly_with_longer_pauses(world):
    conversation = calf(world)
    before = conversation.replies[-1]
    reply = conversation.intent("SlowerIntent")
    assert max(_rates(reply)) < min(_rates(before))  # a slower voice
    assert reply.hold_seconds() > before.hold_seconds() and not reply.ended  # the same holds, and a breath
    assert "pull your toes" in before.speech.lower() and "pull your toes" in reply.speech.lower()


def test_the_first_part_again_is_the_same_technique_from_its_start(world):
    conversation = calf(world)
    first = conversation.replies[-1]
    reply = conversation.intent("FirstPartIntent")
    assert reply.hold_seconds() == first.hold_seconds() and not reply.ended
    assert "pull your toes" in reply.speech.lower()


@pytest.mark.parametrize("setup,ended", [
    ([("PreventionInfoIntent", {})], True),  # "your bedtime stretches now?" - "maybe later"
    ([("CrampIntent", {"Muscle": "calf"})], False),  # "has it eased?" - "not right now": a not-yet
])
def test_later_declines_an_offer_and_is_a_not_yet_mid_cramp(world, setup, ended):
    conversation = talk(world)
    for name, slots in setup:
        conversation.intent(name, **slots)
    reply = conversation.intent("LaterIntent")
    assert reply.ended is ended
    if not ended:
        assert reply.hold_seconds() > 0  # the next way to ease it


@pytest.mark.parametrize("locale,shin,leg_words", [
    ("en-US", "shin", "pull your toes"),
    ("de-DE", "schienbein", "Richtung Schienbein"),
    ("es-ES", "espinilla", "tira de la punta"),
    ("fr-FR", "tibia", "tirez les orteils"),
])
def test_a_shin_cramp_never_gets_the_calf_stretch(world, locale, shin, leg_words):
    reply = talk(world, locale).intent("CrampIntent", Muscle=shin)
    assert reply.hold_seconds() == 0 and leg_words not in reply.speech and not reply.ended
    assert content.load(locale).data["other_parts"]["SHIN"]["lead"] in reply.speech


def test_behind_the_knee_asks_calf_or_hamstring_and_the_answer_starts_that_routine(world):
    conversation = talk(world)
    asked = conversation.intent("CrampIntent", Muscle="behind my knee")
    assert "calf, or in the back of your thigh?" in asked.speech and asked.hold_seconds() == 0
    assert "not behind your knee" not in asked.speech
    reply = conversation.intent("CrampIntent", Muscle="calf")
    assert "pull your toes" in reply.speech.lower() and reply.hold_seconds() > 0
