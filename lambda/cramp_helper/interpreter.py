"""What the person meant: the slots Alexa filled, read together with every word it handed over. Pure.

Custom slot types are open. When a frightened person says "something is pressing on my chest" or
"it's easing off", Alexa may pick a carrier intent ("it's {Symptom}") and hand over words it could
not resolve (ER_SUCCESS_NO_MATCH). Those words are the message. ``interpret`` reads them with the
locale's lexicon (``content/lexicon/<locale>.json``) and returns a ``Meaning``: a warning sign, a
sign denied, distress, relief, soreness, still cramping, a cramp in a named place, how long it has
lasted, pregnancy, a medicine, someone else's cramp, or nothing it knows.

Rules, in this order (the first that holds decides):

1. Warning signs win over everything else. A sign comes from a resolved Symptom id or from a
   lexicon phrase anywhere in the words. The result carries sign ids, never a level: triage
   decides how urgent each sign is.
2. A denial ("not swollen", "no chest pain") is itself a lexicon phrase. It covers only the words it
   matched: it never cancels a sign said elsewhere. There is no general negation rule.
3. Distress, someone else, pregnancy, a medicine, relief, soreness, still cramping, a duration, a
   body part: in that order.
4. Words that match nothing: UNKNOWN (the caller asks one neutral question). No words at all, or
   only resolved values: PASS (the intent stands as Alexa chose it).

Phrases match whole words, longest first, after folding case, apostrophes, punctuation and accents,
so "I'm not swollen" is a denial and "chest" inside "chestnut" is nothing. Lexicon files are data a
clinician or a native speaker can review; ``tests/unit/test_interpreter.py`` checks every entry.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent / "content" / "lexicon"

# What ``Meaning.kind`` can be. The order of the second block is the order of rule 3.
SIGN = "SIGN"
NOT_A_SIGN = "NOT_A_SIGN"
DISTRESS = "DISTRESS"
OTHER_PERSON = "OTHER_PERSON"
PREGNANT = "PREGNANT"
MEDICINE = "MEDICINE"
RELIEF = "RELIEF"
SORE = "SORE"
STILL = "STILL"
DURATION = "DURATION"
CRAMP = "CRAMP"
UNKNOWN = "UNKNOWN"
PASS = "PASS"

# The lexicon's sections: section name -> what a phrase in it contributes.
SECTIONS = ("signs", "not_signs", "distress", "who", "meanings", "medicines", "minutes", "muscles",
            "sides")
MEANINGS = (PREGNANT, RELIEF, SORE, STILL)  # the kinds a "meanings" phrase may name

# Resolved SymptomType ids (the interaction model's) and the sign ids they stand for.
SYMPTOM_SIGNS = {
    "SWOLLEN": "SWOLLEN", "RED": "RED", "WARM": "WARM", "TENDER": "TENDER", "HARD": "TENDER",
    "DISCOLOURED": "DARKER", "BIGGER": "ONE_LEG_BIGGER", "CLOT": "CLOT", "FEVER": "FEVER",
    "WOUND": "WOUND", "NUMB": "NUMB", "WEAK": "WEAK", "CHEST_PAIN": "CHEST_PAIN",
    "BREATHLESS": "BREATHLESS", "COUGHING_BLOOD": "COUGHING_BLOOD", "WONT_STOP": "WONT_STOP",
}


@dataclass(frozen=True)
class Said:
    """One slot as Alexa handed it over: the resolved id (None when unresolved) and the words.
    The words are never logged."""

    id: str | None = None
    words: str | None = None


@dataclass(frozen=True)
class Meaning:
    kind: str
    signs: tuple[str, ...] = ()  # sign ids, sorted (SIGN), or the signs denied (NOT_A_SIGN)
    muscle: str | None = None
    side: str | None = None
    minutes: int | None = None
    who: str | None = None
    medicine: str | None = None
    distress: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """One locale's phrases, folded, by section: {section: {value: (phrase tokens, ...)}}."""

    locale: str
    sections: Mapping[str, Mapping[str, tuple[tuple[str, ...], ...]]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, locale: str, data: Mapping) -> Lexicon:
        sections = {}
        for section in SECTIONS:
            entries = data.get(section) or {}
            sections[section] = {str(value): tuple(t for t in (tokens(p) for p in phrases) if t)
                                 for value, phrases in entries.items()}
        return cls(locale, sections)

    def phrases(self) -> Iterable[tuple[str, str, tuple[str, ...]]]:
        for section, values in self.sections.items():
            for value, phrases in values.items():
                for phrase in phrases:
                    yield section, value, phrase


@cache
def lexicon(locale: str) -> Lexicon:
    """The locale's lexicon, read once per container. A locale with none reads an empty one."""
    path = LEXICON_DIR / f"{locale}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    return Lexicon.from_json(locale, data if isinstance(data, dict) else {})


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_NOT_WORD = re.compile(r"[^\w']+")


def tokens(text: object) -> tuple[str, ...]:
    """Words folded for matching: lower case, one apostrophe, no accents, no punctuation."""
    if not isinstance(text, str):
        return ()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return tuple(w.strip("'") for w in _NOT_WORD.split(text) if w.strip("'"))


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    section: str
    value: str


def _matches(words: tuple[str, ...], lex: Lexicon) -> list[_Match]:
    """Every phrase found, then the longest ones that don't overlap (earlier wins a tie)."""
    found = []
    for section, value, phrase in lex.phrases():
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if words[i:i + n] == phrase:
                found.append(_Match(i, i + n, section, value))
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken: set[int] = set()
    kept = []
    for match in found:
        span = set(range(match.start, match.end))
        if not span & taken:
            taken |= span
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def interpret(slots: Mapping[str, Said], lex: Lexicon) -> Meaning:
    """What was meant (see the module docstring for the rules)."""
    signs: set[str] = set()
    denied: set[str] = set()
    found: dict[str, list[str]] = {section: [] for section in SECTIONS}
    heard_words = False
    unread_words = False
    resolved: dict[str, str] = {}
    for name, said in slots.items():
        if not isinstance(said, Said):
            continue
        if said.id:
            resolved[name] = said.id
            if name in ("Symptom", "OtherSymptom") and said.id in SYMPTOM_SIGNS:
                signs.add(SYMPTOM_SIGNS[said.id])
            continue
        words = tokens(said.words)
        if not words:
            continue
        heard_words = True
        matches = _matches(words, lex)
        if not matches:
            unread_words = True
        for match in matches:
            found[match.section].append(match.value)
    signs |= set(found["signs"])
    denied |= set(found["not_signs"])
    muscle = _first(found["muscles"]) or _resolved(resolved, "Muscle")
    side = _first(found["sides"]) or _resolved(resolved, "Side")
    meanings = set(found["meanings"])
    if signs:
        return Meaning(SIGN, tuple(sorted(signs)), muscle=muscle, side=side)
    if found["distress"]:
        return Meaning(DISTRESS, distress=found["distress"][0])
    if found["who"]:
        return Meaning(OTHER_PERSON, who=found["who"][0], muscle=muscle, side=side)
    if PREGNANT in meanings:
        return Meaning(PREGNANT)
    if found["medicines"]:
        return Meaning(MEDICINE, medicine=found["medicines"][0])
    for kind in (RELIEF, SORE, STILL):
        if kind in meanings:
            return Meaning(kind, muscle=muscle, side=side)
    if found["minutes"]:
        return Meaning(DURATION, minutes=max(int(m) for m in found["minutes"]), muscle=muscle)
    if denied:
        return Meaning(NOT_A_SIGN, tuple(sorted(denied)))
    if found["muscles"]:
        return Meaning(CRAMP, muscle=muscle, side=side)
    if heard_words and (unread_words or not found["sides"]):
        return Meaning(UNKNOWN, muscle=muscle, side=side)
    return Meaning(PASS, muscle=muscle, side=side)


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _resolved(resolved: Mapping[str, str], name: str) -> str | None:
    return resolved.get(name)
