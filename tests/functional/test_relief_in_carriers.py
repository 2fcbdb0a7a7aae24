"""Relief said in everyday words reaches RedFlagIntent through its open carriers ("it's {Symptom}")
with nothing resolved. It must be heard as relief, never get the clot question, and log no red
flag (issue 17); a warning sign in the same words still gets the red-flag answer."""

from __future__ import annotations

import pytest

from testkit.conversation import Conversation

CLOT_QUESTION = ("or is it just the cramp", "oder ist es nur der Krampf")  # the end of the clot question


def calf_then(world, locale: str, cramp: dict, words: str):
    talk = Conversation(locale, handler=world.handler, clock=world.clock)
    talk.intent("CrampIntent", **cramp)
    return talk, talk.intent("RedFlagIntent", Symptom=words)


@pytest.mark.parametrize("locale,cramp,words,after_care", [
    ("en-US", {"Muscle": "calf"}, "the pain has stopped", "glad"),
    ("en-US", {"Muscle": "calf"}, "kind of better now", "glad"),
    ("en-US", {"Muscle": "calf"}, "easing off", "glad"),
    ("de-DE", {"Muscle": "wade"}, "besser geworden", "schön"),
])
def test_relief_in_a_carrier_is_relief_not_the_clot_question(world, locale, cramp, words, after_care):
    _, reply = calf_then(world, locale, cramp, words)
    assert not any(question in reply.speech for question in CLOT_QUESTION)
    assert after_care in reply.speech.lower()
    [episode] = world.episodes()
    assert episode["outcome"] == "RELIEVED"


def test_a_sign_beside_relief_keeps_the_red_flag(world):
    _, reply = calf_then(world, "en-US", {"Muscle": "calf"}, "better but my calf has blown up like a balloon")
    assert "glad" not in reply.speech.lower()
    assert world.episodes()[0].get("outcome") != "RELIEVED"
