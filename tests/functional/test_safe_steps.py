"""Issue 18, parts 5, 6 and 9 through lambda_handler: safe steps at night, the ten minutes from
when the cramp began, and a child's leg pains.

Requests carry the ids Alexa would resolve (as tests/functional/test_safety_signs.py does), so
every locale is driven the same way. What is asserted is what the person hears and what is stored.
"""

from __future__ import annotations

import copy

import pytest

from cramp_helper import content as content_module
from testkit.conversation import Conversation

LOCALES = ["en-US", "en-GB", "en-AU", "en-CA", "en-IN", "de-DE", "fr-FR", "fr-CA", "es-ES", "es-MX",
           "es-US", "it-IT", "pt-BR"]
MUSCLES = ["CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES"]


def _slot(name: str, value_id: str | None, words: str = "said") -> dict:
    entry = {"name": name, "value": words, "confirmationStatus": "NONE", "source": "USER"}
    if value_id is not None:
        entry["resolutions"] = {"resolutionsPerAuthority": [{
            "authority": f"amzn1.er-authority.echo-sdk.SKILL.{name}Type",
            "status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"name": words, "id": value_id}}]}]}
    return entry


def say(talk: Conversation, intent: str, values: dict | None = None, **ids: str):
    """An IntentRequest whose custom slots resolved to ``ids`` and whose built-in slots carry ``values``."""
    slots = {n: _slot(n, i) for n, i in ids.items()}
    slots |= {n: {"name": n, "value": v, "confirmationStatus": "NONE"} for n, v in (values or {}).items()}
    request = {"type": "IntentRequest", "dialogState": "COMPLETED",
               "intent": {"name": intent, "confirmationStatus": "NONE", "slots": slots}}
    return talk.send(talk.envelope(copy.deepcopy(request)))


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
