"""tools/check_model.py: the real model passes, and every rule catches a deliberately broken copy,
naming the file, the intent and the utterance at fault."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tools.check_model import Problem, check_all, handled_intents
from tools.resolver import Resolver

ROOT = Path(__file__).resolve().parents[2]
MODEL_FILE = "interaction_models/en-US.json"
CONTENT_FILE = "lambda/cramp_helper/content/en-US.json"
HANDLED = handled_intents(ROOT)


def test_the_real_model_and_manifest_pass_and_the_script_says_ok_with_the_counts():
    """One full check of the 13 models (it resolves every sample): the script's output lists each
    problem when there is one."""
    result = subprocess.run([sys.executable, "tools/check_model.py"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)  # a guard against a hang: a loaded machine takes 60 s
    models = [json.loads(path.read_text())["interactionModel"]["languageModel"]
              for path in sorted((ROOT / "interaction_models").glob("*.json"))]  # every locale
    intents = sum(len(lm["intents"]) for lm in models)
    samples = sum(len(i.get("samples", [])) for lm in models for i in lm["intents"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(f"model OK: {intents} intents, {samples} samples")


# --- broken copies -------------------------------------------------------------------------------
# What the broken copies below say, beside the manifest's example phrases: the samples they meet.
SAID_IN_BROKEN_COPIES = ("my {Muscle}", "Alexa, ask leg cramp helper um cramp in my foot please")


@functools.cache
def _small_model() -> str:
    """The en-US model with each intent's first 40 samples, and the ones its example phrases and
    the broken copies' words resolve to: every rule has what it reads (every slot, value, type
    and dialog entry stays), and a broken copy checks in a fraction of the time (the real
    model's 25,000 samples are checked once, by the script, above)."""
    model = json.loads((ROOT / MODEL_FILE).read_text())
    manifest = json.loads((ROOT / "skill.json").read_text())
    resolver = Resolver.from_locale("en-US")
    phrases = manifest["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    needed = {resolver.resolve(phrase).sample for phrase in (*phrases, *SAID_IN_BROKEN_COPIES)}
    needed |= set(SAID_IN_BROKEN_COPIES)
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        samples = intent.get("samples", [])
        intent["samples"] = samples[:40] + [s for s in samples[40:] if s in needed]
    return json.dumps(model)


class Project:
    """A small copy of the model (``_small_model``), the manifest and the content in tmp_path,
    to break one thing at a time."""

    def __init__(self, root: Path):
        self.root = root
        for relative in (MODEL_FILE, "skill.json", CONTENT_FILE):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / relative, root / relative)
        (root / MODEL_FILE).write_text(_small_model())
        self.model = json.loads((root / MODEL_FILE).read_text())
        self.manifest = json.loads((root / "skill.json").read_text())

    @property
    def lm(self) -> dict:
        return self.model["interactionModel"]["languageModel"]

    def intent(self, name: str) -> dict:
        return next(i for i in self.lm["intents"] if i["name"] == name)

    def slot_type(self, name: str) -> dict:
        return next(t for t in self.lm["types"] if t["name"] == name)

    def remove_intent(self, name: str) -> None:
        self.lm["intents"].remove(self.intent(name))

    def example_phrases(self) -> list[str]:
        return self.manifest["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"]

    def check(self) -> list[Problem]:
        (self.root / MODEL_FILE).write_text(json.dumps(self.model))
        (self.root / "skill.json").write_text(json.dumps(self.manifest))
        return check_all(self.root, handled=HANDLED)


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path)


def set_invocation(name: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        p.lm["invocationName"] = name
    return change


def add_sample(intent: str, sample: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        p.intent(intent)["samples"].append(sample)
    return change


def add_value(slot_type: str, value_id: str, words: str, synonyms=()) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        p.slot_type(slot_type)["values"].append(
            {"id": value_id, "name": {"value": words, "synonyms": list(synonyms)}})
    return change


def drop_value(slot_type: str, value_id: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        values = p.slot_type(slot_type)["values"]
        values.remove(next(v for v in values if v["id"] == value_id))
    return change


def retype_slot(intent: str, slot: str, slot_type: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        next(s for s in p.intent(intent)["slots"] if s["name"] == slot)["type"] = slot_type
    return change


def add_intent(name: str, samples: list[str], slots=()) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        p.lm["intents"].append({"name": name, "samples": samples, "slots": list(slots)})
    return change


def add_mood_type(p: Project) -> None:
    p.lm["types"].append({"name": "MoodType", "values": [{"id": "GRUMPY", "name": {"value": "grumpy"}}]})
    p.intent("CrampIntent")["slots"].append({"name": "Mood", "type": "MoodType", "samples": []})


def remove(intent: str) -> Callable[[Project], None]:
    return lambda p: p.remove_intent(intent)


def set_phrase(index: int, phrase: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        p.example_phrases()[index] = phrase
    return change


def bad_dialog_enum(p: Project) -> None:
    p.model["interactionModel"]["dialog"] = {"delegationStrategy": "SOMETIMES", "intents": []}


def add_slot_sample(intent: str, slot_name: str, sample: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        next(s for s in p.intent(intent)["slots"] if s["name"] == slot_name)["samples"].append(sample)
    return change


def dialog_intent(p: Project, name: str) -> dict:
    return next(i for i in p.model["interactionModel"]["dialog"]["intents"] if i["name"] == name)


def drop_from_dialog(intent: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        dialog = p.model["interactionModel"]["dialog"]
        dialog["intents"].remove(dialog_intent(p, intent))
    return change


def dialog_names_a_lost_intent(p: Project) -> None:
    p.model["interactionModel"]["dialog"]["intents"].append(
        {"name": "DanceIntent", "confirmationRequired": False, "prompts": {}, "slots": []})


def dialog_retypes_a_slot(p: Project) -> None:
    slot = next(s for s in dialog_intent(p, "CrampIntent")["slots"] if s["name"] == "Side")
    slot["type"] = "MuscleType"


def dialog_delegates_to_alexa(p: Project) -> None:
    p.model["interactionModel"]["dialog"]["delegationStrategy"] = "ALWAYS"


def content_loses_other_parts(p: Project) -> None:
    path = p.root / CONTENT_FILE
    content = json.loads(path.read_text())
    del content["other_parts"]
    path.write_text(json.dumps(content))


def bad_country(p: Project) -> None:
    p.manifest["manifest"]["publishingInformation"]["distributionCountries"] = ["XX"]


def second_locale_without_manifest(p: Project) -> None:
    # nl-NL: a locale skill.json does not publish
    shutil.copy(p.root / MODEL_FILE, p.root / "interaction_models" / "nl-NL.json")


# (what is broken, the change, file, intent, utterance, words in the message)
BROKEN = [
    ("launch word in the invocation name", set_invocation("open cramp helper"),
     MODEL_FILE, None, None, "launch word 'open'"),
    ("one-word invocation name", set_invocation("crampy"), MODEL_FILE, None, None, "at least two words"),
    ("reserved word in the invocation name", set_invocation("cramp skill"),
     MODEL_FILE, None, None, "reserved word 'skill'"),
    ("capitals and digits in the invocation name", set_invocation("Leg Cramp Helper two2"),
     MODEL_FILE, None, None, "only lowercase letters"),
    ("numerals in a sample", add_sample("CrampIntent", "cramp for 10 minutes"),
     MODEL_FILE, "CrampIntent", "cramp for 10 minutes", "numerals"),
    ("punctuation in a sample", add_sample("CrampGoneIntent", "it's gone!"),
     MODEL_FILE, "CrampGoneIntent", "it's gone!", "characters not allowed"),
    ("a period that is no abbreviation", add_sample("CrampGoneIntent", "gone . now"),
     MODEL_FILE, "CrampGoneIntent", "gone . now", "periods"),
    ("a duplicate sample in one intent", add_sample("CrampIntent", "Leg  Cramp"),
     MODEL_FILE, "CrampIntent", "Leg  Cramp", "twice in this intent"),
    ("a duplicate sample across intents", add_sample("StillCrampingIntent", "It's gone"),
     MODEL_FILE, "StillCrampingIntent", "It's gone", "also in CrampGoneIntent"),
    ("a sample that is a built-in's usual phrasing", add_sample("StillCrampingIntent", "next one"),
     MODEL_FILE, "StillCrampingIntent", "next one", "AMAZON.NextIntent"),
    ("an undeclared slot in a sample", add_sample("CrampGoneIntent", "my {Muscle} is fine"),
     MODEL_FILE, "CrampGoneIntent", "my {Muscle} is fine", "slot {Muscle} is not declared"),
    ("a slot glued to a word", add_sample("CrampIntent", "my {Muscle}s"),
     MODEL_FILE, "CrampIntent", "my {Muscle}s", "word of its own"),
    ("a bare-slot intent sample", add_sample("CrampIntent", "{Muscle}"),
     MODEL_FILE, "CrampIntent", "{Muscle}", "made only of slots"),
    ("two bare slots as an intent sample", add_sample("CrampIntent", "{Side}  {Muscle}"),
     MODEL_FILE, "CrampIntent", "{Side}  {Muscle}", "made only of slots"),
    ("a bare time as an intent sample", add_sample("SetReminderIntent", "{Time}"),
     MODEL_FILE, "SetReminderIntent", "{Time}", "dialog model's slot samples"),
    ("a bare symptom as an intent sample", add_sample("RedFlagIntent", "{Symptom}"),
     MODEL_FILE, "RedFlagIntent", "{Symptom}", "captures unrelated words"),
    ("a slot sample without its own slot", add_slot_sample("CrampIntent", "Side", "my {Muscle} hurts a lot"),
     MODEL_FILE, "CrampIntent.Side", "my {Muscle} hurts a lot", "must contain {Side}"),
    ("a slot sample naming an undeclared slot",
     add_slot_sample("CrampIntent", "Muscle", "{Muscle} at {Time}"),
     MODEL_FILE, "CrampIntent.Muscle", "{Muscle} at {Time}", "slot {Time} is not declared"),
    ("a slot sample that repeats an intent sample", add_slot_sample("CrampIntent", "Muscle", "my {Muscle}"),
     MODEL_FILE, "CrampIntent.Muscle", "my {Muscle}", "also an intent sample of CrampIntent"),
    ("a slot sample with numerals", add_slot_sample("SetReminderIntent", "Time", "{Time} or 10"),
     MODEL_FILE, "SetReminderIntent.Time", "{Time} or 10", "numerals"),
    ("slot samples the dialog model cannot elicit", drop_from_dialog("SetReminderIntent"),
     MODEL_FILE, "SetReminderIntent", None, "the dialog model does not list it"),
    ("a dialog intent the language model lacks", dialog_names_a_lost_intent,
     MODEL_FILE, "DanceIntent", None, "the language model does not have"),
    ("a dialog slot with another type", dialog_retypes_a_slot,
     MODEL_FILE, "CrampIntent", None, "gives slot Side type 'MuscleType'"),
    ("a dialog model Alexa would drive", dialog_delegates_to_alexa,
     MODEL_FILE, None, None, "delegationStrategy must be SKILL_RESPONSE"),
    ("a custom intent with no samples", add_intent("EmptyIntent", []),
     MODEL_FILE, "EmptyIntent", None, "no sample utterances"),
    ("a slot type that is not defined", retype_slot("CrampIntent", "Muscle", "MuscleTypo"),
     MODEL_FILE, "CrampIntent", None, "'MuscleTypo', which is neither defined"),
    ("a muscle id the content does not know", add_value("MuscleType", "ELBOW", "elbow"),
     MODEL_FILE, None, None, f"value id ELBOW is unknown to {CONTENT_FILE}"),
    ("a symptom id the content does not know", add_value("SymptomType", "HICCUPS", "hiccups"),
     MODEL_FILE, None, None, "SymptomType: value id HICCUPS is unknown"),
    ("a medicine id the content does not know", add_value("MedicineType", "COFFEE", "coffee"),
     MODEL_FILE, None, None, "MedicineType: value id COFFEE is unknown"),
    ("a body part the content has but the model lost", drop_value("MuscleType", "HIP"),
     MODEL_FILE, None, None, "knows HIP, which no value in the model resolves to (muscles and other_parts)"),
    ("a content file without the other body parts", content_loses_other_parts,
     MODEL_FILE, None, None, "MuscleType: the content (lambda/cramp_helper/content/en-US.json) has no "
                             "other_parts"),
    ("a side the content has but the model lost", drop_value("SideType", "BOTH"),
     MODEL_FILE, None, None, "SideType: lambda/cramp_helper/content/en-US.json knows BOTH"),
    ("a muscle the content has but the model lost", drop_value("MuscleType", "TOES"),
     MODEL_FILE, None, None, "knows TOES, which no value in the model resolves to"),
    ("a custom type the content does not list", add_mood_type,
     MODEL_FILE, None, None, "MoodType: the content"),
    ("words that resolve to two values", add_value("MuscleType", "SHIN", "shin", ["calves"]),
     MODEL_FILE, None, "calves", "resolves to both CALF and SHIN"),
    ("an intent no handler handles", add_intent("DanceIntent", ["let's dance"]),
     MODEL_FILE, "DanceIntent", None, "no handler"),
    ("a handled intent missing from the model", remove("AMAZON.PauseIntent"),
     MODEL_FILE, "AMAZON.PauseIntent", None, "the model does not have it"),
    ("a required built-in missing", remove("AMAZON.CancelIntent"),
     MODEL_FILE, "AMAZON.CancelIntent", None, "required built-in intent"),
    ("an example phrase that resolves to nothing", set_phrase(2, "Alexa, ask leg cramp helper to juggle"),
     "skill.json", None, "Alexa, ask leg cramp helper to juggle", "does not resolve"),
    ("an example phrase that needs the resolver's leniency",
     set_phrase(2, "Alexa, ask leg cramp helper um cramp in my foot please"),
     "skill.json", None, "Alexa, ask leg cramp helper um cramp in my foot please", "by ignoring"),
    ("a first example phrase without the wake word", set_phrase(0, "open leg cramp helper"),
     "skill.json", None, "open leg cramp helper", "must start with 'Alexa, '"),
    ("a model the SMAPI classes reject", bad_dialog_enum,
     MODEL_FILE, None, None, "does not parse as an interaction model"),
    ("a manifest the SMAPI classes reject", bad_country,
     "skill.json", None, None, "does not parse as a skill manifest: 'XX' is not a valid"),
    ("a model locale with no manifest locale", second_locale_without_manifest,
     "skill.json", None, None, "nl-NL has an interaction model but no publishingInformation"),
]


@pytest.mark.parametrize(("change", "file", "intent", "utterance", "fragment"),
                         [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_copy_is_reported_at_the_right_place(project, change, file, intent, utterance, fragment):
    change(project)
    problems = project.check()
    hits = [p for p in problems if p.file == file and p.intent == intent and p.utterance == utterance
            and fragment in p.message]
    assert hits, "not reported; got:\n" + "\n".join(map(str, problems))
    line = str(hits[0])
    assert line.startswith(file) and (intent or "") in line and (utterance or "") in line


def test_an_unchanged_copy_passes(project):
    assert project.check() == []


def test_bare_slot_samples_live_only_in_the_dialog_model():
    """The shipped model: no intent sample is only slots; the answers to "where is the cramp?"
    and "what time?" are slot samples of the slots the skill elicits, each naming its slot."""
    lm = json.loads((ROOT / MODEL_FILE).read_text())["interactionModel"]
    intents = {i["name"]: i for i in lm["languageModel"]["intents"]}
    for intent in intents.values():
        for sample in intent.get("samples", []):
            assert re.sub(r"\{\w+\}", "", sample).strip(), (intent["name"], sample)
    slot_samples = {(name, s["name"]): s.get("samples", []) for name, i in intents.items()
                    for s in i.get("slots", [])}
    for target, bare in [(("CrampIntent", "Muscle"), "{Muscle}"), (("CrampIntent", "Side"), "{Side}"),
                         (("SetReminderIntent", "Time"), "{Time}")]:
        assert bare in slot_samples[target]
        assert all("{" + target[1] + "}" in s for s in slot_samples[target])
    assert lm["dialog"]["delegationStrategy"] == "SKILL_RESPONSE"
    listed = {(i["name"], s["name"]) for i in lm["dialog"]["intents"] for s in i["slots"]}
    assert {target for target, samples in slot_samples.items() if samples} <= listed


@pytest.mark.parametrize("name", ["mum's cramp helper", "the l. c. helper", "cramp helpers' friend"])
def test_possessives_and_spaced_abbreviations_are_allowed_in_the_invocation_name(project, name):
    set_invocation(name)(project)
    invocation = [p for p in project.check() if p.message.startswith("invocation name")]
    assert invocation == []


def test_invalid_json_is_reported_without_crashing(project):
    (project.root / MODEL_FILE).write_text('{"interactionModel": ')
    problems = check_all(project.root, handled=HANDLED)
    assert [p.file for p in problems] == [MODEL_FILE] and "not valid JSON" in problems[0].message


def test_the_script_prints_each_problem_and_exits_one(project):
    add_sample("CrampGoneIntent", "it's gone!")(project)
    set_invocation("open cramp helper")(project)
    project.check()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "check_model.py"), str(project.root)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    expected = f"{MODEL_FILE}: CrampGoneIntent: \"it's gone!\": characters not allowed in a sample: ['!']"
    assert expected in lines
    assert any(line.startswith(f"{MODEL_FILE}: invocation name 'open cramp helper'") for line in lines)
    assert "model OK" not in result.stdout
