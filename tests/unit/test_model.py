"""The interaction model and the code, checked against each other in both directions."""

import json
import re
from pathlib import Path

import pytest

from cramp_helper.handlers import handled_intents
from testkit.conversation import load_model
from tools.resolver import Resolver

ROOT = Path(__file__).resolve().parents[2]
MODEL = load_model("en-US")
INTENTS = {i["name"]: i for i in MODEL["intents"]}
RESOLVER = Resolver.from_locale("en-US")

REQUIRED_BUILTINS = {
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent",
    "AMAZON.RepeatIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
    "AMAZON.StartOverIntent", "AMAZON.YesIntent", "AMAZON.NoIntent"}


def test_every_model_intent_has_a_handler_and_every_handled_intent_is_in_the_model():
    assert set(INTENTS) - handled_intents() == set(), "intents nobody handles"
    assert handled_intents() - set(INTENTS) == set(), "handlers for intents not in the model"


def test_invocation_name_and_builtins():
    assert MODEL["invocationName"] == "leg cramp helper"
    assert REQUIRED_BUILTINS <= set(INTENTS)


def test_cramp_intent_has_muscle_and_side_slots_and_varied_samples():
    cramp = INTENTS["CrampIntent"]
    assert {s["name"]: s["type"] for s in cramp["slots"]} == {"Muscle": "MuscleType",
                                                               "Side": "SideType", "Who": "WhoType"}
    samples = cramp["samples"]
    assert len(samples) >= 40
    for needed in ("my {Side} {Muscle} is cramping", "cramp", "my {Muscle}", "my {Side} {Muscle}"):
        assert needed in samples
    # A bare answer ("calf", "the left one") is a slot sample, heard after the skill asks where.
    slot_samples = {s["name"]: s.get("samples", []) for s in cramp["slots"]}
    assert "{Muscle}" in slot_samples["Muscle"] and "{Muscle}" not in samples


def test_muscle_synonyms_people_really_say():
    values = {v["id"]: [v["name"]["value"], *v["name"]["synonyms"]]
              for t in MODEL["types"] if t["name"] == "MuscleType" for v in t["values"]}
    assert {"CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES"} <= set(values)
    for muscle, said in [("CALF", "charley horse"), ("CALF", "charlie horse"),
                         ("CALF", "calf muscle"), ("CALF", "calves"), ("CALF", "back of my leg"),
                         ("FOOT", "arch"), ("FOOT", "sole"), ("QUADRICEPS", "quad"),
                         ("QUADRICEPS", "quads"), ("HAMSTRING", "hammy")]:
        assert said in values[muscle]


def test_gone_and_still_cramping_intents_carry_the_phrases_from_the_design():
    gone = INTENTS["CrampGoneIntent"]["samples"]
    for phrase in ("it's gone", "it stopped", "that helped", "I'm better"):
        assert phrase in gone
    still = INTENTS["StillCrampingIntent"]["samples"]
    for phrase in ("still cramping", "it's not working", "it still hurts"):
        assert phrase in still


def test_samples_use_allowed_characters_and_are_unique_across_intents():
    seen = {}
    for name, intent in INTENTS.items():
        slots = {s["name"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            assert re.fullmatch(r"[a-zA-Z' .{}-]+", sample), sample
            for slot in re.findall(r"{(\w+)}", sample):
                assert slot in slots, (name, sample)
            key = sample.lower()
            assert key not in seen, f"{sample!r} in {name} and {seen.get(key)}"
            seen[key] = name


@pytest.mark.parametrize("words,intent,symptoms", [
    ("my leg is swollen and red", "RedFlagIntent", {"SWOLLEN"}),
    ("I have chest pain", "RedFlagIntent", {"CHEST_PAIN"}),  # round 6: the sign id travels in Symptom
    ("I can't breathe", "RedFlagIntent", {"BREATHLESS"}),
    ("my chest is tight", "RedFlagIntent", {"CHEST_PAIN"}),
    ("my left calf is swollen", "RedFlagIntent", {"SWOLLEN"}),
    ("it won't stop", "LongCrampIntent", set()),
    ("I'm pregnant and my leg is swollen", "RedFlagIntent", {"PREGNANT", "SWOLLEN"}),
    ("my leg is red and hot", "RedFlagIntent", {"RED"})])
def test_red_flag_phrases_from_the_design_keep_their_symptom(words, intent, symptoms):
    resolution = RESOLVER.resolve(words)
    heard = {resolution.slot_ids.get(name) for name in ("Symptom", "OtherSymptom")} - {None}
    assert resolution.intent == intent and symptoms <= heard


def test_manifest_carries_the_health_disclaimer():
    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    locale = manifest["publishingInformation"]["locales"]["en-US"]
    assert "not medical advice" in locale["description"]
    assert "call 911" in locale["description"]
    assert manifest["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"
    first = locale["examplePhrases"][0]
    assert first.startswith("Alexa, ") and "leg cramp helper" in first


def test_manifest_subscribes_to_skill_disabled_so_data_can_be_deleted():
    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    events = [s["eventName"] for s in manifest["events"]["subscriptions"]]
    assert "SKILL_DISABLED" in events
    assert manifest["privacyAndCompliance"]["usesPersonalInfo"] is True
    assert manifest["privacyAndCompliance"]["locales"]["en-US"]["privacyPolicyUrl"].startswith("https://")


def test_manifest_asks_for_the_reminders_permission_the_skill_uses():
    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    assert {"name": "alexa::alerts:reminders:skill:readwrite"} in manifest["permissions"]


MIN_SAMPLES = 30  # issue 17: every custom intent, every locale
MODEL_FILES = sorted((Path(__file__).resolve().parents[2] / "interaction_models").glob("*.json"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_every_custom_intent_has_at_least_thirty_samples_in_every_locale(path):
    intents = json.loads(path.read_text("utf-8"))["interactionModel"]["languageModel"]["intents"]
    short = {i["name"]: len(i.get("samples", [])) for i in intents
             if not i["name"].startswith("AMAZON.") and len(i.get("samples", [])) < MIN_SAMPLES}
    assert not short, f"{path.stem}: intents with fewer than {MIN_SAMPLES} samples: {short}"
