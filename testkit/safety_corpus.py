"""The safety corpus: tests/safety_corpus.yaml (en-US, and the `wheres` every locale shares) plus one
file a locale in tests/safety_corpus/<locale>.yaml. Data only; the tests that run it are
tests/unit/test_triage.py (through cramp_helper.triage) and tests/functional/test_safety_corpus.py
(through lambda_handler, in each entry's locale, on a device in that locale's country).

A locale file holds ``locale``, ``zone`` (a time zone of the country, for the device's number),
``number`` (that country's emergency number, as the skill must say it), ``phrases`` (the words the
functional test looks for in that language: see tests/safety_corpus/README.md) and ``entries`` in
the format of tests/safety_corpus.yaml. Every entry gets ``locale`` (en-US when the file is the main one).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from functools import cache
from pathlib import Path

import yaml

from testkit.conversation import Conversation, resolver
from testkit.world import World
from tools.conversation_files import SAFE_LOADER

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "tests" / "safety_corpus.yaml"
LOCALE_DIR = ROOT / "tests" / "safety_corpus"
DEFAULT_LOCALE = "en-US"

# en-US: what the main file's entries are checked for (the phrases a locale file gives itself).
EN_US = {"locale": "en-US", "zone": "America/New_York", "number": "911",
         "phrases": {"call_now": "call 911 now", "cant_call": "I can't call for you",
                     "department": "Go to the emergency department now", "call": "call 911",
                     "same_day": ["today", "tonight"], "clot_question": "swollen, red or warm"}}


@cache
def load() -> dict:
    """{"wheres": ..., "entries": [every entry, with its locale], "locales": {locale: its header}}."""
    main = yaml.load(MAIN.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    entries = [{**e, "locale": e.get("locale", DEFAULT_LOCALE)} for e in main["entries"]]
    locales = {DEFAULT_LOCALE: EN_US}
    for path in sorted(LOCALE_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        locale = data["locale"]
        assert path.stem == locale, path
        locales[locale] = {k: data[k] for k in ("locale", "zone", "number", "phrases")}
        entries += [{**e, "locale": e.get("locale", locale)} for e in data["entries"]]
    return {"wheres": main["wheres"], "entries": entries, "locales": locales}


CORPUS = load()
ENTRIES = CORPUS["entries"]
WHERES = CORPUS["wheres"]
LOCALES = CORPUS["locales"]
CARD_TITLES = {"red_flags.card_title", "red_flags.card_title_soon"}


@cache
def content(locale: str) -> dict:
    return json.loads((ROOT / "lambda" / "cramp_helper" / "content" / f"{locale}.json").read_text("utf-8"))


@cache
def care_cards(locale: str) -> frozenset:
    flags = content(locale)["red_flags"]
    return frozenset({flags["card_title"], flags["card_title_soon"]})


@cache
def step_openings(locale: str) -> tuple[str, ...]:
    """The first words of every step of every technique, up to its first placeholder: a stretch or
    massage instruction in the locale's own words (never said after a red flag)."""
    openings = []
    for technique in content(locale)["techniques"].values():
        for step in technique.get("steps", []):
            words = re.split(r"[{.,!?]", step.get("say", ""))[0].strip()
            if len(words) >= 12:
                openings.append(words)
    return tuple(openings)


def _say(talk: Conversation, intent: str, slots: dict):
    return talk.said(intent, {name: tuple(pair) for name, pair in (slots or {}).items()})


def _value_in(talk: Conversation, intent: str, slot: str, value_id: str) -> str:
    """The locale model's own word for a slot value id ("CALF": "Wade" in de-DE)."""
    slot_type = talk.types[(intent, slot)]
    for kind in talk.model["types"]:
        if kind["name"] == slot_type:
            for value in kind["values"]:
                if value.get("id") == value_id:
                    return value["name"]["value"]
    raise AssertionError(f"{talk.locale}: no {slot_type} value {value_id}")


def _setup(talk: Conversation, where: str) -> None:
    """Reach ``where``: the en-US steps of `wheres`, in the locale's words (the same slot ids)."""
    for name, slots in WHERES[where]["setup"]:
        if name == "LaunchRequest":
            talk.launch()
        elif talk.locale == "en-US":
            talk.intent(name, **slots)
        else:
            ids = {s: resolver("en-US").match(name, s, w).id for s, w in slots.items()}
            _say(talk, name, {s: [_value_in(talk, name, s, i), i] for s, i in ids.items()})


# --- playing an entry through lambda_handler (tests/functional/test_safety_corpus*.py) ----------
# The functional corpus runs in shards (SHARDS: one test module each), so two workers share it.
SHARDS = {"en_us": ("en-US",), "en": ("en-GB", "en-AU", "en-CA", "en-IN"), "es_pt": ("es-", "pt-"),
          "de_it_fr": ("de-", "it-", "fr-")}


def shard(name: str) -> dict:
    """``pytest.mark.parametrize("entry", **shard(name))``: the shard's entries with readable ids."""
    picked = [(n, e) for n, e in enumerate(ENTRIES) if e["locale"].startswith(SHARDS[name])]
    return {"argvalues": [e for _, e in picked],
            "ids": [f"{e['locale']}-{n}-{e['where']}-{e['say'][:40]}" for n, e in picked]}


class Worlds:
    """One World a country (its zone: the device's emergency number), all on the module's table."""

    def __init__(self, table_world: World):
        self.made = {"America/New_York": table_world}

    def __call__(self, zone: str) -> World:
        if zone not in self.made:
            self.made[zone] = World(zone=zone)
        return self.made[zone]


def play(worlds, entry) -> None:
    """Say the entry where it is said, and check what a person would notice (the module docstring
    of tests/functional/test_safety_corpus.py)."""
    locale = LOCALES[entry["locale"]]
    phrases, number = locale["phrases"], locale["number"]
    world = worlds(locale["zone"])
    # each place's set-up played once (World.at): two of every three turns the corpus plays
    talk, _ = world.at(entry["where"], lambda talk: _setup(talk, entry["where"]), entry["locale"])
    user = talk.user_id
    if entry.get("elapsed") is not None:
        world.clock.now += timedelta(minutes=entry["elapsed"])
    try:
        reply = _say(talk, entry["intent"], entry.get("slots") or {})
    finally:
        if entry.get("elapsed") is not None:
            world.clock.now -= timedelta(minutes=entry["elapsed"])
    if entry.get("asks_how_long"):  # issue 18: no duration, at the start: asked once how long
        assert reply.speech.endswith("or how many minutes?") and "911" not in reply.speech
        assert not reply.ended and reply.hold_seconds() == 0 and not reply.card
        reply = _say(talk, entry["intent"], entry.get("slots") or {})  # no duration again: unknown
    speech = reply.speech
    urgency = entry["urgency"]
    number_said = re.search(rf"(?<!\d){re.escape(number)}(?!\d)", speech) is not None
    card = (reply.card or {}).get("title")
    mine = world.episodes(user)  # a Query on this user's partition of the shared table
    logged = [e.get("outcome") for e in mine]

    if entry["number"]:
        assert number_said, speech
    elif entry["session"] == "dialogue" or urgency in ("CLARIFY", "NONE"):
        assert not number_said, speech  # no emergency line for a false alarm or an unclear word
    if urgency == "EMERGENCY":  # issue 18: the action and the number first
        assert phrases["call_now"].lower() in speech.lower(), speech
        assert number in " ".join(speech.split()[:12]) and phrases["cant_call"] in speech, speech
    if urgency == "EMERGENCY_DEPARTMENT":
        assert speech.startswith(phrases["department"]) and phrases["call"] in speech, speech
    if urgency == "SAME_DAY":
        assert any(w in speech for w in phrases["same_day"]), speech
    if urgency in ("EMERGENCY", "EMERGENCY_DEPARTMENT", "SAME_DAY"):
        # never a stretch or a massage after a red flag: only "don't massage or stretch that leg"
        assert reply.hold_seconds() == 0
        assert not [s for s in step_openings(entry["locale"]) if s in speech], speech
        if entry["locale"] == "en-US":
            plain = speech.replace("Don't massage or stretch that leg", "").replace(
                "Don't massage or stretch your leg", "").replace("Don't massage that leg", "")
            assert "massage" not in plain.lower() and "pull your toes" not in plain
    if entry.get("asks") == "topic":  # issue 17: words nobody knows, no leg named: the neutral question
        assert speech.endswith(content(entry["locale"])["red_flags"]["topic_question"]), speech
        assert phrases["clot_question"] not in speech and not reply.ended, speech
    elif urgency == "CLARIFY":  # one question: the clot question, or the one the sign needs (issue 18)
        assert speech.endswith("?") and not reply.ended
        sign = (entry.get("slots") or {}).get("Symptom", [None, None])[1]
        if sign in (None, "TENDER", "HARD", "FEVER", "PREGNANT", "BLOOD_THINNER"):
            assert phrases["clot_question"] in speech, speech
    if entry["session"] == "ended":
        assert reply.ended
    elif entry["session"] == "open":
        assert not reply.ended
    if entry["card"]:
        assert card in care_cards(entry["locale"]), card
    else:
        assert card not in care_cards(entry["locale"]), card
    if entry["logged"] == "RED_FLAG":
        assert "RED_FLAG" in logged, logged
    else:
        assert "RED_FLAG" not in logged, logged


