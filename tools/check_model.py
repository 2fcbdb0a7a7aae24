"""Checks the interaction models, skill.json and the code against Alexa's rules and each other.

Run from the repository root: ``python tools/check_model.py`` prints one line per problem, naming
the file, the intent and the utterance at fault, and exits 1; or prints
"model OK: N intents, M samples" and exits 0. Importable: ``check_all(root) -> list[Problem]``.

Every locale file in interaction_models/ is checked for:

* the invocation name: lowercase letters and spaces (possessive apostrophes and spaced
  abbreviations like "a. b." allowed), at least two words, none of Alexa's reserved words and no
  launch words ("open", "ask", ...);
* sample utterances: only letters, spaces, apostrophes, hyphens, periods in abbreviations and
  ``{Slot}`` references; no numerals; no duplicates in one intent or across intents; no sample
  that is also a usual phrasing of a built-in intent in the model; every ``{Slot}`` declared on
  its intent; custom intents have samples; no intent sample made only of slots ("{Muscle}",
  "{Side} {Muscle}", "{Time}"): with open slot types it captures unrelated words, so such
  answers belong to the dialog model's slot samples, used after Dialog.ElicitSlot;
* the dialog model: slot samples follow the same text rules, each names its own slot (and only
  slots of its intent), none repeats another sample of that intent; a slot with samples and
  every intent or slot the ``dialog`` section lists exist in the language model, with the same
  types; slot samples need the intent in the dialog model (delegationStrategy SKILL_RESPONSE:
  the skill sends Dialog.ElicitSlot itself);
* slot types: every declared type is defined in the model or is AMAZON.*; no words that resolve
  to two values of one type; every custom value id is known to the content file
  (``CONTENT_VALUES`` below says where each type's ids live);
* intents against code: every intent has a handler, every handled intent is in the model
  (cramp_helper.handlers.handled_intents); the required built-ins are present;
* skill.json: the locale is published, its example phrases resolve (tools.resolver) to a
  non-fallback intent straight from the samples, and the first one is "Alexa, <launch word>
  <invocation name> ...";
* both files parse into ask-smapi-model classes (which reject bad enum values).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``tools`` and the skill importable
    sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from tools.resolver import (  # noqa: E402 - after the script path fix above
    BUILTIN_PHRASINGS,
    FALLBACK,
    LAUNCH,
    Resolver,
    language_model,
    load_model,
    normalise,
)

ROOT = Path(__file__).resolve().parent.parent
MODELS = "interaction_models"
MANIFEST = "skill.json"
CONTENT = "lambda/cramp_helper/content"


@dataclass(frozen=True)
class ValueSource:
    """Where a custom slot type's value ids live in the content file.

    ``paths``: the mappings whose keys are ids (keys starting with "_" are notes, not ids); none
    for a type whose ids only the code knows (``also``). ``exact``: the ids and the keys of those
    mappings together must be the same set. Otherwise every id must be one of their keys (the
    mappings hold other things too). Compared case-insensitively.
    """

    paths: tuple[tuple[str, ...], ...]
    exact: bool = True
    also: frozenset[str] = frozenset()  # ids known to the code rather than the content (exactness aside)

    @property
    def where(self) -> str:
        return " and ".join(".".join(path) for path in self.paths)


sys.path[:0] = [str(ROOT / "lambda")]
from cramp_helper.periods import PART_OF_DAY_HALVES  # noqa: E402 - the same in every locale
from cramp_helper.signs import ALL as _SIGN_IDS  # noqa: E402 - the skill's one list of sign ids
from cramp_helper.triage import PRESCRIBED  # noqa: E402 - medicines answered by the prescriber line

# The one table of which content keys know each custom slot type's ids.
CONTENT_VALUES: dict[str, ValueSource] = {
    # leg and foot muscles the skill guides, and other body parts it only gives general advice for
    "MuscleType": ValueSource((("muscles",), ("other_parts",))),
    "SideType": ValueSource((("sides",),)),
    # the ids triage words a line for, and every sign id the interpreter and triage share (signs.py)
    "SymptomType": ValueSource((("red_flags", "symptoms"),), also=frozenset(_SIGN_IDS)),
    "DistressType": ValueSource((("distress",),), exact=False),  # distress.<KIND> lines
    "WhoType": ValueSource((("heard", "who"),)),  # someone else's cramp (issue 17)
    "PeriodType": ValueSource((("history",),), exact=False),  # history.week, history.month answers
    # medicines.<ID> answers (plus a "general" one); a statin or a water pill gets triage's safety line
    "MedicineType": ValueSource((("medicines", "answers"),), exact=False, also=frozenset(PRESCRIBED)),
    # "every night at {Time}": the half of the day each id means, in periods.py (no words of a locale)
    "PartOfDayType": ValueSource((), also=frozenset(PART_OF_DAY_HALVES)),
}

REQUIRED_BUILTINS = ("AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
                     "AMAZON.NavigateHomeIntent", "AMAZON.FallbackIntent")
RESERVED_WORDS = {"alexa", "amazon", "echo", "computer", "skill", "app"}
INVOCATION_LAUNCH_WORDS = {"open", "ask", "tell", "launch", "start", "play", "load", "begin",
                           "enable", "resume", "run", "use",
                           "öffne", "starte", "frag", "sag", "apri", "avvia", "chiedi", "lancia"}
EXAMPLE_LAUNCH_WORDS = ("open", "ask", "tell", "launch", "start", "begin", "load", "run", "play",
                        "use", "talk to",
                        "abre", "pídele a", "pide a", "dile a", "pregúntale a", "pregunta a",  # es
                        "öffne", "starte", "frag", "sag",  # de
                        "apri", "avvia", "chiedi a", "chiedi ad", "di' a", "di' ad",  # it
                        "ouvre", "lance", "demande à", "abra", "peça para")  # fr, pt
MAX_EXAMPLE_PHRASES = 3
INTERACTION_MODEL_CLASS = ("ask_smapi_model.v1.skill.interaction_model.interaction_model_data."
                           "InteractionModelData")
MANIFEST_CLASS = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"

_INVOCATION_WORD = re.compile(r"^(?:[^\W\d_A-Z]+(?:'s|s')?|[a-z]\.)$")  # lowercase letters of any language
_SLOT_REF = re.compile(r"\{([^{}]*)\}")
_SLOT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    intent: str | None = None
    utterance: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.intent:
            where.append(self.intent)
        if self.utterance is not None:
            where.append(repr(self.utterance))
        return f"{': '.join(where)}: {self.message}"


@dataclass
class LocaleModel:
    """One locale's model file, parsed."""

    root: Path
    locale: str
    file: str  # relative to root
    data: dict

    @property
    def lm(self) -> dict:
        return language_model(self.data)

    @property
    def intents(self) -> list[dict]:
        return self.lm.get("intents", [])

    def problem(self, message: str, intent: str | None = None, utterance: str | None = None) -> Problem:
        return Problem(self.file, message, intent, utterance)


# --- entry points -----------------------------------------------------------------------------
def check_all(root: Path | str = ROOT, *, handled: set[str] | None = None) -> list[Problem]:
    """Every problem in every locale's model and in skill.json; empty means all is well."""
    root = Path(root)
    problems: list[Problem] = []
    manifest = _load_json(root, MANIFEST, problems)
    if manifest is not None:
        problems += check_manifest_schema(manifest)
    handled = handled if handled is not None else handled_intents(root)
    for path in sorted((root / MODELS).glob("*.json")):
        model = _load_model(root, path, problems)
        if model is not None:
            problems += check_locale(model, manifest, handled)
    if not list((root / MODELS).glob("*.json")):
        problems.append(Problem(MODELS, "no interaction model files"))
    return problems


def check_locale(model: LocaleModel, manifest: dict | None, handled: set[str]) -> list[Problem]:
    problems = check_invocation(model) + check_samples(model) + check_slot_samples(model)
    problems += check_dialog(model) + check_slot_types(model)
    problems += check_values(model) + check_builtins(model) + check_handlers(model, handled)
    if manifest is not None:
        problems += check_example_phrases(model, manifest)
    return problems


def summary(root: Path | str = ROOT) -> tuple[int, int]:
    """(intents, samples) over every locale."""
    intents = samples = 0
    for path in sorted((Path(root) / MODELS).glob("*.json")):
        lm = language_model(json.loads(path.read_text(encoding="utf-8")))
        intents += len(lm["intents"])
        samples += sum(len(i.get("samples", [])) for i in lm["intents"])
    return intents, samples


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0]) if argv else ROOT
    problems = check_all(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    intents, samples = summary(root)
    print(f"model OK: {intents} intents, {samples} samples")
    return 0


# --- loading ----------------------------------------------------------------------------------
def _load_json(root: Path, relative: str, problems: list[Problem]) -> dict | None:
    try:
        return json.loads((root / relative).read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(relative, "file is missing"))
    except json.JSONDecodeError as exc:
        problems.append(Problem(relative, f"not valid JSON: {exc}"))
    return None


def _load_model(root: Path, path: Path, problems: list[Problem]) -> LocaleModel | None:
    relative = path.relative_to(root).as_posix()
    data = _load_json(root, relative, problems)
    if data is None:
        return None
    schema = _schema_problems(data, INTERACTION_MODEL_CLASS)
    if schema:
        problems.append(Problem(relative, f"does not parse as an interaction model: {schema}"))
        return None
    return LocaleModel(root, path.stem, relative, data)


def _schema_problems(data: dict, class_path: str) -> str | None:
    """Why ask-smapi-model's class rejects ``data`` (bad enum values, wrong shapes), or None."""
    from ask_sdk_core.serialize import DefaultSerializer

    module, _, name = class_path.rpartition(".")
    model_class = getattr(importlib.import_module(module), name)
    try:
        parsed = DefaultSerializer().deserialize(json.dumps(data), model_class)
    except Exception as exc:  # noqa: BLE001 - the SDK raises several types for bad input
        return str(exc).splitlines()[0] or type(exc).__name__
    return None if parsed is not None else "empty"


def handled_intents(root: Path) -> set[str]:
    """The intents the skill's handlers claim: cramp_helper from root/lambda, else this project's."""
    for base in (Path(root), ROOT):
        lambda_dir = base / "lambda"
        if (lambda_dir / "cramp_helper" / "handlers").is_dir():
            if str(lambda_dir) not in sys.path:
                sys.path.insert(0, str(lambda_dir))
            break
    return set(importlib.import_module("cramp_helper.handlers").handled_intents())


def _content(model: LocaleModel) -> tuple[str, dict | None]:
    relative = f"{CONTENT}/{model.locale}.json"
    path = model.root / relative
    if not path.exists():
        return relative, None
    return relative, json.loads(path.read_text(encoding="utf-8"))


# --- invocation name --------------------------------------------------------------------------
def check_invocation(model: LocaleModel) -> list[Problem]:
    name = model.lm.get("invocationName", "")
    if not isinstance(name, str) or not name:
        return [model.problem("has no invocationName")]
    said = f"invocation name {name!r}"
    problems = []
    if name != name.strip() or "  " in name:
        problems.append(model.problem(f"{said} has stray spaces"))
    words = name.split()
    bad = [w for w in words if not _INVOCATION_WORD.match(w)]
    if bad:
        problems.append(model.problem(f"{said}: only lowercase letters and spaces (and possessive "
                                      f"apostrophes or spaced abbreviations), not {bad}"))
    if len(words) < 2:
        problems.append(model.problem(f"{said} must have at least two words"))
    for word in words:
        if word in RESERVED_WORDS:
            problems.append(model.problem(f"{said} contains the reserved word {word!r}"))
        if word in INVOCATION_LAUNCH_WORDS:
            problems.append(model.problem(f"{said} contains the launch word {word!r}"))
    return problems


# --- sample utterances ------------------------------------------------------------------------
def _key(sample: str) -> str:
    return " ".join(sample.lower().split())


def check_samples(model: LocaleModel) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    builtins = _builtin_phrasings(model)
    for intent in model.intents:
        name = intent["name"]
        declared = {slot["name"] for slot in intent.get("slots", [])}
        samples = intent.get("samples", [])
        if not name.startswith("AMAZON.") and not samples:
            problems.append(model.problem("custom intent has no sample utterances", name))
        for sample in samples:
            problems += _sample_text_problems(model, name, sample, declared)
            if _only_slots(sample):
                problems.append(model.problem(
                    "a sample made only of slots captures unrelated words; put it in the dialog "
                    "model's slot samples (used after Dialog.ElicitSlot)", name, sample))
            key = _key(sample)
            if key in seen:
                where = "twice in this intent" if seen[key] == name else f"also in {seen[key]}"
                problems.append(model.problem(f"duplicate sample: {where}", name, sample))
            else:
                seen[key] = name
            clash = builtins.get(" ".join(normalise(sample)))
            if clash and clash != name:
                problems.append(model.problem(f"is also how people say {clash}; Alexa may send either",
                                              name, sample))
    return problems


def _only_slots(sample: str) -> bool:
    return bool(_SLOT_REF.search(sample)) and not _SLOT_REF.sub(" ", sample).strip()


def check_slot_samples(model: LocaleModel) -> list[Problem]:
    """The dialog model's slot samples (intents[].slots[].samples): what a person says when the
    skill elicits that slot. Bare answers ("{Muscle}") are allowed here and only here."""
    problems = []
    dialog = _dialog_slots(model)
    for intent in model.intents:
        name = intent["name"]
        declared = {slot["name"] for slot in intent.get("slots", [])}
        seen = {_key(sample): "an intent sample" for sample in intent.get("samples", [])}
        for slot in intent.get("slots", []):
            samples = slot.get("samples") or []
            if samples and (name, slot["name"]) not in dialog:
                problems.append(model.problem(
                    f"slot {slot['name']} has samples, but the dialog model does not list it; Alexa "
                    "only uses slot samples for a slot it can elicit", name))
            for sample in samples:
                label = f"{name}.{slot['name']}"
                problems += _sample_text_problems(model, label, sample, declared)
                if f"{{{slot['name']}}}" not in sample:
                    problems.append(model.problem(f"a slot sample of {slot['name']} must contain "
                                                  f"{{{slot['name']}}}", label, sample))
                key = _key(sample)
                if key in seen:
                    problems.append(model.problem(f"duplicate sample: also {seen[key]} of {name}",
                                                  label, sample))
                else:
                    seen[key] = f"a slot sample of {slot['name']}"
    return problems


def _dialog_slots(model: LocaleModel) -> dict[tuple[str, str], str | None]:
    """(intent, slot) -> slot type, for every slot the dialog model lists."""
    dialog = model.data.get("interactionModel", {}).get("dialog") or {}
    return {(intent.get("name"), slot.get("name")): slot.get("type")
            for intent in dialog.get("intents") or [] for slot in intent.get("slots") or []}


def check_dialog(model: LocaleModel) -> list[Problem]:
    """The dialog model names only intents and slots the language model has, with their types."""
    dialog = model.data.get("interactionModel", {}).get("dialog")
    if not dialog:
        return []
    problems = []
    if dialog.get("delegationStrategy") != "SKILL_RESPONSE":
        problems.append(model.problem("the dialog model's delegationStrategy must be SKILL_RESPONSE: "
                                      "the skill elicits slots itself (Dialog.ElicitSlot)"))
    types = {intent["name"]: {slot["name"]: slot.get("type") for slot in intent.get("slots", [])}
             for intent in model.intents}
    for intent in dialog.get("intents") or []:
        name = intent.get("name")
        if name not in types:
            problems.append(model.problem("the dialog model lists an intent the language model does "
                                          "not have", name))
            continue
        for slot in intent.get("slots") or []:
            if slot.get("name") not in types[name]:
                problems.append(model.problem(f"the dialog model lists slot {slot.get('name')}, which "
                                              f"{name} does not declare", name))
            elif slot.get("type") != types[name][slot["name"]]:
                problems.append(model.problem(f"the dialog model gives slot {slot['name']} type "
                                              f"{slot.get('type')!r}, the language model "
                                              f"{types[name][slot['name']]!r}", name))
    return problems


def _builtin_phrasings(model: LocaleModel) -> dict[str, str]:
    present = {intent["name"] for intent in model.intents}
    return {" ".join(normalise(p)): intent for intent, phrasings in BUILTIN_PHRASINGS.items()
            if intent in present for p in phrasings}


def _sample_text_problems(model: LocaleModel, intent: str, sample: str,
                          declared: set[str]) -> list[Problem]:
    return [model.problem(message, intent, sample)
            for message in _sample_text_findings(sample, frozenset(declared), intent)]


_NUMERAL = re.compile(r"\d")
_ALLOWED = re.compile(r"[^\W\d_]|[' .\-{}0-9]")
_LONE_PERIOD = re.compile(r"(?<![^\W\d_])\.")


@functools.lru_cache(maxsize=1 << 16)
def _sample_text_findings(sample: str, declared: frozenset[str], intent: str) -> tuple[str, ...]:
    """What is wrong with one sample's text, as messages. Pure, so remembered: the tests check
    dozens of broken copies of a model whose 17,000 other samples are the same each time."""
    if not sample.strip():
        return ("empty sample",)
    found = []
    outside = _SLOT_REF.sub(" ", sample)  # the words, without {Slot} references
    if _NUMERAL.search(outside):
        found.append("numerals are not allowed: write numbers as words")
    bad = sorted(set(_ALLOWED.sub("", outside)))  # letters of any language
    if bad:
        found.append(f"characters not allowed in a sample: {bad}")
    if _LONE_PERIOD.search(outside):
        found.append("periods are only allowed in abbreviations")
    if "{" in outside or "}" in outside:
        found.append("unbalanced braces")
    for match in _SLOT_REF.finditer(sample):
        found += _slot_ref_findings(intent, sample, match, declared)
    return tuple(found)


def _slot_ref_findings(intent: str, sample: str, match: re.Match, declared: frozenset[str]) -> list[str]:
    slot = match.group(1)
    if not _SLOT_NAME.match(slot):
        return [f"{{{slot}}} is not a valid slot name"]
    found = []
    if slot not in declared:
        found.append(f"slot {{{slot}}} is not declared on {intent}")
    before, after = sample[:match.start()][-1:], sample[match.end():][:1]
    if before not in ("", " ") or after not in ("", " "):
        found.append(f"{{{slot}}} must be a word of its own")
    return found


# --- slot types and values --------------------------------------------------------------------
def check_slot_types(model: LocaleModel) -> list[Problem]:
    defined = {t["name"] for t in model.lm.get("types", [])}
    problems = []
    for intent in model.intents:
        for slot in intent.get("slots", []):
            slot_type = slot.get("type", "")
            if not slot_type.startswith("AMAZON.") and slot_type not in defined:
                problems.append(model.problem(
                    f"slot {slot['name']} has type {slot_type!r}, which is neither defined in the "
                    "model nor AMAZON.*", intent["name"]))
    return problems


def check_values(model: LocaleModel) -> list[Problem]:
    content_file, content = _content(model)
    problems = []
    for slot_type in model.lm.get("types", []):
        problems += _synonym_clashes(model, slot_type)
        ids = [value.get("id") for value in slot_type.get("values", [])]
        if None in ids or "" in ids:
            problems.append(model.problem(f"slot type {slot_type['name']} has a value without an id"))
        problems += _content_knows(model, slot_type["name"], {i for i in ids if i}, content_file, content)
    return problems


def _synonym_clashes(model: LocaleModel, slot_type: dict) -> list[Problem]:
    owner: dict[str, str] = {}
    problems = []
    for value in slot_type.get("values", []):
        value_id = value.get("id") or value["name"]["value"]
        for said in (value["name"]["value"], *value["name"].get("synonyms", [])):
            key = " ".join(normalise(said))
            if key in owner and owner[key] != value_id:
                problems.append(model.problem(f"slot type {slot_type['name']}: {said!r} resolves to both "
                                              f"{owner[key]} and {value_id}", utterance=said))
            owner.setdefault(key, value_id)
    return problems


def _content_knows(model: LocaleModel, type_name: str, ids: set[str], content_file: str,
                   content: dict | None) -> list[Problem]:
    if content is None:
        return [Problem(content_file, f"no content file for {model.locale}, so {type_name} ids are unknown")]
    source = CONTENT_VALUES.get(type_name) or ValueSource(((type_name,),))
    known: list[str] = []
    for path in source.paths:
        listing = _lookup(content, path)
        if not isinstance(listing, dict | list):
            return [model.problem(f"slot type {type_name}: the content ({content_file}) has no "
                                  f"{'.'.join(path)} listing its ids; map it in CONTENT_VALUES in "
                                  "tools/check_model.py")]
        known += [str(k) for k in listing if not str(k).startswith("_")]
    keys = {k.casefold() for k in known} | {k.casefold() for k in source.also}
    problems = [model.problem(f"slot type {type_name}: value id {i} is unknown to {content_file}")
                for i in sorted(ids) if i.casefold() not in keys]
    if source is None or source.exact:
        model_ids = {i.casefold() for i in ids}
        problems += [model.problem(f"slot type {type_name}: {content_file} knows {k}, which no value in "
                                   f"the model resolves to ({source.where})") for k in sorted(known)
                     if k.casefold() not in model_ids]
    return problems


def _lookup(data: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


# --- intents against built-ins and code ------------------------------------------------------
def check_builtins(model: LocaleModel) -> list[Problem]:
    present = {intent["name"] for intent in model.intents}
    return [model.problem(f"required built-in intent {name} is missing", name)
            for name in REQUIRED_BUILTINS if name not in present]


def check_handlers(model: LocaleModel, handled: set[str]) -> list[Problem]:
    present = {intent["name"] for intent in model.intents}
    problems = [model.problem("no handler in cramp_helper.handlers handles this intent", name)
                for name in sorted(present - handled)]
    problems += [model.problem("a handler handles this intent, but the model does not have it", name)
                 for name in sorted(handled - present)]
    return problems


# --- skill.json -------------------------------------------------------------------------------
# Interface types Alexa documents for apis.custom.interfaces that ask-smapi-model's Python classes
# do not (yet) know; they are checked by name here and left out of the class-based parse.
INTERFACES_UNKNOWN_TO_SMAPI_MODEL = {"CAN_FULFILL_INTENT_REQUEST"}


def check_manifest_schema(manifest: dict) -> list[Problem]:
    copy = json.loads(json.dumps(manifest))
    custom = _lookup(copy, ("manifest", "apis", "custom")) or {}
    interfaces = custom.get("interfaces") or []
    custom["interfaces"] = [i for i in interfaces
                            if i.get("type") not in INTERFACES_UNKNOWN_TO_SMAPI_MODEL]
    schema = _schema_problems(copy, MANIFEST_CLASS)
    return [Problem(MANIFEST, f"does not parse as a skill manifest: {schema}")] if schema else []


def check_example_phrases(model: LocaleModel, manifest: dict) -> list[Problem]:
    locales = _lookup(manifest, ("manifest", "publishingInformation", "locales")) or {}
    if model.locale not in locales:
        return [Problem(MANIFEST, f"{model.locale} has an interaction model but no "
                                  "publishingInformation.locales entry")]
    phrases = locales[model.locale].get("examplePhrases") or []
    if not phrases:
        return [Problem(MANIFEST, f"{model.locale} has no examplePhrases")]
    problems = []
    if len(phrases) > MAX_EXAMPLE_PHRASES:
        problems.append(Problem(MANIFEST, f"{model.locale} has {len(phrases)} example phrases "
                                          f"(at most {MAX_EXAMPLE_PHRASES})"))
    problems += _first_phrase_problems(model, phrases[0])
    resolver = _resolver(model)
    for phrase in phrases:
        problems += _phrase_problems(resolver, model.locale, phrase)
    return problems


def _resolver(model: LocaleModel) -> Resolver:
    """The resolver for the model as parsed. Building one reads every sample, so the one this
    process built already is used when the model is the repository's own, or one read before (the
    tests check dozens of broken copies, many of which leave the model as it is)."""
    try:
        if load_model(model.locale, ROOT) == model.data:
            return Resolver.from_locale(model.locale)  # built once a process (tests share it)
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256(json.dumps(model.data, sort_keys=True).encode()).hexdigest()
    key = (model.locale, digest)
    if key not in _RESOLVERS:
        _RESOLVERS.clear()  # one model at a time: a resolver is 50,000 objects
        _RESOLVERS[key] = Resolver(model.data, locale=model.locale)
    return _RESOLVERS[key]


_RESOLVERS: dict[tuple[str, str], Resolver] = {}  # (locale, the model's digest) -> its resolver


def _first_phrase_problems(model: LocaleModel, phrase: str) -> list[Problem]:
    name = re.escape(model.lm.get("invocationName", ""))
    launch = "|".join(re.escape(w) for w in EXAMPLE_LAUNCH_WORDS)
    if re.match(rf"^Alexa, (?:{launch}) {name}(?:\W|$)", phrase):
        return []
    return [Problem(MANIFEST, f"{model.locale}: the first example phrase must start with 'Alexa, ' then "
                              "a launch word and the invocation name", utterance=phrase)]


def _phrase_problems(resolver: Resolver, locale: str, phrase: str) -> list[Problem]:
    resolution = resolver.resolve(phrase)
    if resolution.kind == LAUNCH:
        return []
    if resolution.intent in (None, FALLBACK):
        return [Problem(MANIFEST, f"{locale}: example phrase does not resolve to any intent",
                        utterance=phrase)]
    extra = [w for w in resolution.ignored if w not in resolver.connectors]
    if extra:
        return [Problem(MANIFEST, f"{locale}: example phrase only reaches {resolution.intent} by ignoring "
                                  f"{extra}; use a sample utterance as written", utterance=phrase)]
    return []


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
