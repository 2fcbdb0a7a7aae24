"""The safety corpus (tests/safety_corpus.yaml), every entry end to end through lambda_handler.

Each entry is said where the corpus says (one-shot, at each technique of the calf routine, during
the bedtime stretches, at each question), as the intent and slot ids Alexa would send. Then what a
person would notice is checked: how urgent the answer is, whether the emergency number is said,
that no stretch or massage follows a red flag, the card, whether the session stays open, and what
the episode log records.
"""

from __future__ import annotations

import copy
import uuid
from pathlib import Path

import pytest
import yaml

from testkit.conversation import Conversation

CORPUS_PATH = Path(__file__).resolve().parents[1] / "safety_corpus.yaml"
CORPUS = yaml.safe_load(CORPUS_PATH.read_text(encoding="utf-8"))
ENTRIES = CORPUS["entries"]
WHERES = CORPUS["wheres"]
CARE_CARDS = {"Get medical care", "See a doctor soon"}


def _slots(model_types: dict, intent: str, slots: dict) -> dict:
    """Slots exactly as the corpus says Alexa sends them: the words, and the id or no match."""
    filled = {}
    for name, (words, value) in (slots or {}).items():
        entry = {"name": name, "value": str(words), "confirmationStatus": "NONE", "source": "USER"}
        slot_type = model_types.get((intent, name), "")
        if name == "Minutes":
            entry["value"] = str(value)
        elif not slot_type.startswith("AMAZON."):
            authority = f"amzn1.er-authority.echo-sdk.SKILL.{slot_type}"
            if value is None:
                entry["resolutions"] = {"resolutionsPerAuthority": [
                    {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}]}
            else:
                entry["resolutions"] = {"resolutionsPerAuthority": [
                    {"authority": authority, "status": {"code": "ER_SUCCESS_MATCH"},
                     "values": [{"value": {"name": str(words), "id": value}}]}]}
        filled[name] = entry
    return filled


def _say(talk: Conversation, intent: str, slots: dict):
    request = {"type": "IntentRequest", "dialogState": "COMPLETED",
               "intent": {"name": intent, "confirmationStatus": "NONE",
                          "slots": _slots(talk.types, intent, slots)}}
    return talk.send(talk.envelope(copy.deepcopy(request)))


def _setup(talk: Conversation, where: str) -> None:
    for name, slots in WHERES[where]["setup"]:
        if name == "LaunchRequest":
            talk.launch()
        else:
            talk.intent(name, **slots)


@pytest.mark.parametrize("entry", ENTRIES,
                         ids=[f"{n}-{e['where']}-{e['say'][:40]}" for n, e in enumerate(ENTRIES)])
def test_each_safety_phrasing_end_to_end(table_world, entry):
    world = table_world
    user = f"amzn1.ask.account.SAFETY{uuid.uuid4().hex.upper()}"
    talk = world.conversation(user)
    _setup(talk, entry["where"])
    if entry.get("elapsed") is not None:
        world.clock.now += __import__("datetime").timedelta(minutes=entry["elapsed"])
    try:
        reply = _say(talk, entry["intent"], entry.get("slots") or {})
    finally:
        if entry.get("elapsed") is not None:
            world.clock.now -= __import__("datetime").timedelta(minutes=entry["elapsed"])
    if entry.get("asks_how_long"):  # issue 18: no duration, at the start: asked once how long
        assert reply.speech.endswith("or how many minutes?") and "911" not in reply.speech
        assert not reply.ended and reply.hold_seconds() == 0 and not reply.card
        reply = _say(talk, entry["intent"], entry.get("slots") or {})  # no duration again: unknown
    speech = reply.speech
    urgency = entry["urgency"]
    number_said = "911" in speech
    card = (reply.card or {}).get("title")
    mine = world.episodes(user)  # a Query on this user's partition of the shared table
    logged = [e.get("outcome") for e in mine]

    if entry["number"]:
        assert number_said, speech
    elif entry["session"] == "dialogue" or urgency in ("CLARIFY", "NONE"):
        assert not number_said, speech  # no emergency line for a false alarm or an unclear word
    if urgency == "EMERGENCY":  # issue 18: the action and the number first
        assert "call 911 now" in speech.lower()
        assert "911" in " ".join(speech.split()[:12]) and "I can't call for you" in speech
    if urgency == "EMERGENCY_DEPARTMENT":
        assert speech.startswith("Go to the emergency department now") and "call 911" in speech
    if urgency == "SAME_DAY":
        assert "today" in speech or "tonight" in speech
    if urgency in ("EMERGENCY", "EMERGENCY_DEPARTMENT", "SAME_DAY"):
        # never a stretch or a massage after a red flag: only "don't massage or stretch that leg"
        assert reply.hold_seconds() == 0
        plain = speech.replace("Don't massage or stretch that leg", "").replace(
            "Don't massage or stretch your leg", "").replace("Don't massage that leg", "")
        assert "massage" not in plain.lower() and "pull your toes" not in plain
    if urgency == "CLARIFY":  # one question: the clot question, or the one the sign needs (issue 18)
        assert speech.endswith("?") and not reply.ended
        sign = (entry.get("slots") or {}).get("Symptom", [None, None])[1]
        if sign in (None, "TENDER", "HARD", "FEVER", "PREGNANT", "BLOOD_THINNER"):
            assert "swollen, red or warm" in speech
    if entry["session"] == "ended":
        assert reply.ended
    elif entry["session"] == "open":
        assert not reply.ended
    if entry["card"]:
        assert card in CARE_CARDS, card
    else:
        assert card not in CARE_CARDS, card
    if entry["logged"] == "RED_FLAG":
        assert "RED_FLAG" in logged, logged
    else:
        assert "RED_FLAG" not in logged, logged


def test_the_corpus_is_large_and_covers_every_place():
    assert len(ENTRIES) >= 200
    assert {e["where"] for e in ENTRIES} == set(WHERES)
