"""The corpus under tests/corpus/: what people really say half asleep, resolved through
tools/resolver.py with the shipped model (issue 10 item 9, issue 11).

Each file has a ``kind`` and ``entries``. An entry is ``text``, an optional ``elicit``
("Intent.Slot": the skill's last response carried Dialog.ElicitSlot for that slot), the ``intent``
expected (null: not understood, i.e. AMAZON.FallbackIntent; "launch": the skill opens) and the
``slots`` expected filled (a value id; NO_MATCH for words that are no value; for AMAZON.* slots
the value Alexa sends). Slots not listed must stay empty.

* general entries: at least 97 % resolve exactly right (the misses are printed);
* safety entries (warning signs, emergencies, distress, medicines, a cramp that won't stop) and
  false alarms ("I'm okay", "my calf is still tight", ...): every one resolves exactly right;
* at least 40 % of the corpus is not a literal sample of the model. An entry is literal when its
  words (after "tell leg cramp helper ...") are exactly a sample utterance, a dialog slot sample or
  a usual built-in phrasing, with every slot filled by its value's own name (not a synonym) and no
  filler dropped. Synonyms, fillers, unknown words and things the skill must not understand make
  an entry not literal. The share is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tools.conversation_files import SAFE_LOADER
from tools.resolver import (
    ASK_CONNECTORS,
    FALLBACK,
    LAUNCH,
    NO_MATCH,
    TELL_CONNECTORS,
    Resolution,
    Resolver,
    language_model,
    load_model,
    normalise,
)

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
RESOLVER = Resolver.from_locale("en-US")
LM = language_model(load_model("en-US"))
KINDS = ("general", "safety", "false_alarm")
MIN_GENERAL, MIN_SAFETY = 500, 200
MIN_ACCURACY, MIN_NOT_LITERAL = 0.97, 0.40
UNRESOLVED = "NO_MATCH"
EMERGENCY_LIKE = {"RedFlagIntent", "EmergencyIntent"}


@dataclass(frozen=True)
class Entry:
    file: str
    kind: str
    text: str
    intent: str  # an intent name, FALLBACK, or "launch"
    slots: dict[str, str] = field(default_factory=dict)
    elicit: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        return f"{self.text!r}" + (f" after eliciting {'.'.join(self.elicit)}" if self.elicit else "")


def load_corpus(directory: Path = CORPUS_DIR) -> list[Entry]:
    entries = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        assert data["kind"] in KINDS, f"{path.name}: kind must be one of {KINDS}"
        for raw in data["entries"]:
            unknown = set(raw) - {"text", "intent", "slots", "elicit"}
            assert not unknown, f"{path.name}: {raw!r} has unknown keys {unknown}"
            elicit = tuple(raw["elicit"].split(".")) if raw.get("elicit") else None
            entries.append(Entry(path.name, data["kind"], str(raw["text"]), raw["intent"] or FALLBACK,
                                 {k: str(v) for k, v in (raw.get("slots") or {}).items()}, elicit))
    return entries


CORPUS = load_corpus()
BY_KIND = {kind: [e for e in CORPUS if e.kind == kind] for kind in KINDS}


def resolve(entry: Entry) -> Resolution:
    return RESOLVER.resolve(entry.text, elicit=entry.elicit)


def outcome(resolution: Resolution) -> tuple[str, dict[str, str]]:
    if resolution.kind == LAUNCH:
        return "launch", {}
    slots = {name: (UNRESOLVED if slot.status == NO_MATCH else slot.id if slot.status else str(slot.value))
             for name, slot in resolution.slots.items()}
    return resolution.intent or FALLBACK, slots


def miss(entry: Entry) -> str | None:
    """Why ``entry`` resolves wrong, or None when it is right."""
    resolution = resolve(entry)
    got = outcome(resolution)
    if got == (entry.intent, entry.slots):
        return None
    return (f"{entry.file}: {entry.label}: expected {entry.intent} {entry.slots}, got {got[0]} {got[1]}"
            f" via {resolution.sample!r}")


def is_literal(entry: Entry) -> bool:
    """True when the words are exactly a sample (see the module docstring)."""
    resolution = resolve(entry)
    if resolution.kind != "intent" or resolution.is_fallback or not resolution.sample:
        return False
    if any(word not in ASK_CONNECTORS + TELL_CONNECTORS for word in resolution.ignored):
        return False
    filled = resolution.sample
    for name, slot in resolution.slots.items():
        if slot.status == NO_MATCH:
            return False
        filled = filled.replace("{" + name + "}", slot.name if slot.status else slot.words)
    sample, words = normalise(filled), normalise(entry.text)
    if resolution.new_session:
        return words[-len(sample):] == sample
    return words == sample


# --- the corpus itself ------------------------------------------------------------------------------
def test_the_corpus_is_large_enough():
    counts = {kind: len(entries) for kind, entries in BY_KIND.items()}
    print(f"\ncorpus: {len(CORPUS)} entries {counts}")
    assert counts["general"] >= MIN_GENERAL
    assert counts["safety"] >= MIN_SAFETY
    assert counts["false_alarm"] >= 20


def test_every_entry_names_real_intents_slots_and_ids():
    declared = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])} for i in LM["intents"]}
    ids = {t["name"]: {v["id"] for v in t["values"]} for t in LM["types"]}
    problems = []
    for entry in CORPUS:
        if entry.intent == "launch":
            continue
        if entry.intent not in declared:
            problems.append(f"{entry.label}: no intent {entry.intent}")
            continue
        for name, value in entry.slots.items():
            slot_type = declared[entry.intent].get(name)
            if slot_type is None:
                problems.append(f"{entry.label}: {entry.intent} has no slot {name}")
            elif slot_type in ids and value not in ids[slot_type] | {UNRESOLVED}:
                problems.append(f"{entry.label}: {value} is no {slot_type} id")
        if entry.elicit and entry.elicit[1] not in declared.get(entry.elicit[0], {}):
            problems.append(f"{entry.label}: cannot elicit {'.'.join(entry.elicit)}")
    assert problems == []


def test_no_entry_is_written_twice():
    seen: dict[tuple, str] = {}
    twice = []
    for entry in CORPUS:
        key = (tuple(normalise(entry.text)), entry.elicit)
        if key in seen:
            twice.append(f"{entry.label} in {entry.file} and {seen[key]}")
        seen[key] = entry.file
    assert twice == []


def test_every_intent_of_the_model_is_in_the_corpus():
    said = {entry.intent for entry in CORPUS}
    assert {i["name"] for i in LM["intents"]} - said == set()


# --- resolving it -----------------------------------------------------------------------------------
def test_at_least_97_percent_of_the_corpus_resolves_right():
    misses = [why for why in map(miss, CORPUS) if why]
    accuracy = 1 - len(misses) / len(CORPUS)
    print(f"\ncorpus accuracy: {len(CORPUS) - len(misses)}/{len(CORPUS)} = {accuracy:.1%}")
    for why in misses:
        print("  miss:", why)
    assert accuracy >= MIN_ACCURACY, "\n".join(misses)


@pytest.mark.parametrize("entry", BY_KIND["safety"], ids=[e.text for e in BY_KIND["safety"]])
def test_every_safety_phrasing_resolves_exactly(entry):
    assert miss(entry) is None, miss(entry)


@pytest.mark.parametrize("entry", BY_KIND["false_alarm"], ids=[e.text for e in BY_KIND["false_alarm"]])
def test_a_false_alarm_never_reaches_a_red_flag(entry):
    assert miss(entry) is None, miss(entry)
    assert resolve(entry).intent not in EMERGENCY_LIKE


def test_safety_covers_every_symptom_every_medicine_and_each_wording():
    safety = BY_KIND["safety"]
    symptoms = {v["id"] for t in LM["types"] if t["name"] == "SymptomType" for v in t["values"]}
    medicines = {v["id"] for t in LM["types"] if t["name"] == "MedicineType" for v in t["values"]}
    named = {value for e in safety for name, value in e.slots.items() if name in ("Symptom", "OtherSymptom")}
    assert symptoms - named == set(), "every symptom id is said at least once"
    assert medicines - {e.slots.get("Medicine") for e in safety} == set()
    texts = [e.text.lower() for e in safety]
    for wording in (r"^it's ", r"^it feels ", r"^my leg looks ", r"^i have ", r"cramp.* and (it's|my)"):
        assert any(re.search(wording, text) for text in texts), wording
    for intent in ("EmergencyIntent", "DistressIntent", "MedicineIntent", "LongCrampIntent"):
        assert sum(e.intent == intent for e in safety) >= 15, intent


def test_at_least_40_percent_of_the_corpus_is_not_a_literal_sample():
    literal = [entry for entry in CORPUS if is_literal(entry)]
    share = 1 - len(literal) / len(CORPUS)
    print(f"\nnot a literal sample: {len(CORPUS) - len(literal)}/{len(CORPUS)} = {share:.1%}")
    assert share >= MIN_NOT_LITERAL


def test_the_literal_rule_itself():
    def entry(text, elicit=None):
        return Entry("-", "general", text, "", {}, elicit)
    assert is_literal(entry("it's gone"))
    assert is_literal(entry("my calf is cramping"))  # "my {Muscle} is cramping" with the value's own name
    assert not is_literal(entry("my calves are cramping"))  # a synonym
    assert not is_literal(entry("um it's gone"))  # a filler dropped
    assert not is_literal(entry("my jaw is cramping"))  # unknown words
    assert not is_literal(entry("purple bananas"))
    assert is_literal(entry("tell leg cramp helper it's gone"))
    assert is_literal(entry("calf", ("CrampIntent", "Muscle")))
