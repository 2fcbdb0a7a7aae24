"""What the person meant: the slots Alexa filled, read together with every word it handed over. Pure.

Custom slot types are open. When a frightened person says "something is pressing on my chest" or
"it's easing off", Alexa may pick a carrier intent ("it's {Symptom}") and hand over words it could
not resolve (ER_SUCCESS_NO_MATCH). Those words are the message. ``interpret`` reads them with the
locale's lexicon (``content/lexicon/<language>.json``, plus ``<locale>.json`` for regional words)
and returns a ``Meaning``: a warning sign, a sign denied, distress, relief, soreness, still
cramping, a cramp in a named place, how long it has lasted, pregnancy, a medicine, someone else's
cramp, or nothing it knows.

Rules, in this order (the first that holds decides):

1. Warning signs win over everything else. A sign comes from a resolved Symptom id or from a
   lexicon phrase anywhere in the words; weakness of an arm or a hand is ARM_WEAK; an arm, back
   or neck in the Muscle slot with words said as the symptom ("my {Muscle} {Symptom}": "my back"
   + "hurts") is that place's pain sign; an injury or a cast said with unbearable pain ("my leg's
   in a cast and the pain is unbearable") is also pain out of proportion, COMPARTMENT. The result
   carries sign ids, never a level: triage decides how urgent each sign is.
2. A denial ("not swollen", "no chest pain") is itself a lexicon phrase. It covers only the words it
   matched: it never cancels a sign said elsewhere. There is no general negation rule.
3. Pregnancy said of oneself ("I'm pregnant, is this serious?" gets the pregnancy answer), then
   distress, someone else, pregnancy, a medicine, a request (the history, bedtime stretches, how
   to prevent cramps, deleting the log, a call or the lights the skill cannot make...: words an
   open carrier took, "I {Symptom}" + "want to see my cramp history"; a request's phrase names its
   verb, "call my daughter", so it is matched before the person inside it), relief, soreness,
   still cramping, a duration, a cramp, a body part: in that order.
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
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from .signs import ALL as SIGN_IDS
from .signs import LEG as LEG_SIGNS

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
            "sides", "requests")
# "It still hurts" (a "meanings" phrase's HURTS): still cramping, or, said with the cramp letting
# go ("it's gone but it still hurts"), sore. Never SORE alone: at "has it eased?", "no, it still
# hurts" is no relief, and ending the guidance on a cramp that has not let go is the worse mistake.
HURTS = "HURTS"
MEANINGS = (PREGNANT, RELIEF, SORE, STILL, CRAMP, HURTS)  # the kinds a "meanings" phrase may name
# The kinds a "requests" phrase may name: something to do, said inside a carrier's open slot
# ("I {Symptom}": "I want to see my cramp history"). The corpus's names (tests/nlu/README.md).
REQUESTS = ("HISTORY", "LAST_CRAMP", "COMMON_CRAMP", "CRAMP_COUNT", "DELETE", "BEDTIME", "REMINDER",
            "STOP_REMINDER", "PREVENTION", "CAUSE", "WHISPER", "LOUDER", "LOG_ON", "LOG_OFF",
            "CALL", "DEVICE")  # what the skill cannot do: a call or message; lights, music, an alarm

# Weakness said of an arm or a hand is the stroke sign ARM_WEAK, whatever words said it (the
# leg's WEAK asks the clot question; an arm's never waits for one).
ARM_IDS = frozenset({"ARM", "HAND"})
WEAKNESS = frozenset({"WEAK", "SUDDEN_WEAKNESS"})
# A body part where pain is itself a warning sign, named beside words said as a symptom that say
# no more than "it hurts" ("my {Muscle} {Symptom}": "my arm" + "hurts", "mal au" + "dos"): the
# sign was split across two slots, and is that place's pain sign (triage asks its question).
PAIN_SITES = {"ARM": "ARM_PAIN", "BACK": "BACK_PAIN", "NECK": "NECK_JAW_PAIN"}
# An injury or a cast with pain that is more than anyone can bear: severe pain out of proportion
# after an injury or in a tight cast, compartment syndrome (CONTENT_FACTS, "More warning signs").
OUT_OF_PROPORTION = (frozenset({"INJURY", "CAST"}), "UNBEARABLE", "COMPARTMENT")
SYMPTOM_SLOTS = frozenset({"Symptom", "OtherSymptom"})

# The custom slots whose words are read. Built-in slots (Minutes, Time) carry values, not words to read.
READ_SLOTS = frozenset({"Muscle", "Side", "Symptom", "OtherSymptom", "Medicine", "Period", "Who", "Kind"})

# Resolved SymptomType ids (the interaction model's) and the sign ids they stand for.
SYMPTOM_SIGNS = {
    "SWOLLEN": "SWOLLEN", "RED": "RED", "WARM": "WARM", "TENDER": "TENDER", "HARD": "TENDER",
    "DISCOLOURED": "DARKER", "BIGGER": "ONE_LEG_BIGGER", "CLOT": "CLOT", "FEVER": "FEVER",
    "WOUND": "WOUND", "NUMB": "NUMB", "WEAK": "WEAK", "CHEST_PAIN": "CHEST_PAIN",
    "BREATHLESS": "BREATHLESS", "COUGHING_BLOOD": "COUGHING_BLOOD", "WONT_STOP": "WONT_STOP",
    "PREGNANT": "PREGNANT",
    **{sign: sign for sign in SIGN_IDS},  # every sign id is a SymptomType value too (issue 17)
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
    """One locale's phrases, folded, by section: {section: {value: (phrase tokens, ...)}}, and the
    same phrases as a lookup for matching: {phrase tokens: ((section, value), ...)}, with the
    longest phrase's length, and every phrase's beginnings (a match extends a run of words only
    while it begins some phrase, so its cost does not grow with the lexicon); and the one-word
    sides ("left", "gauche", "links"), which may stand inside a place's phrase ("behind my left
    knee") and are read for themselves."""

    locale: str
    sections: Mapping[str, Mapping[str, tuple[tuple[str, ...], ...]]] = field(default_factory=dict)
    by_phrase: Mapping[tuple[str, ...], tuple[tuple[str, str], ...]] = field(default_factory=dict)
    longest: int = 0
    beginnings: frozenset[tuple[str, ...]] = field(init=False, repr=False, compare=False)
    side_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "beginnings", frozenset(
            phrase[:n] for phrase in self.by_phrase for n in range(1, len(phrase) + 1)))
        object.__setattr__(self, "side_words", frozenset(
            phrase[0] for phrases in self.sections.get("sides", {}).values()
            for phrase in phrases if len(phrase) == 1))

    @classmethod
    def from_json(cls, locale: str, data: Mapping) -> Lexicon:
        sections = {}
        index: dict[tuple[str, ...], list] = {}
        for section in SECTIONS:
            entries = data.get(section) or {}
            sections[section] = {str(value): tuple(t for t in (tokens(p) for p in phrases) if t)
                                 for value, phrases in entries.items()}
            for value, phrases in sections[section].items():
                for phrase in phrases:
                    index.setdefault(phrase, []).append((section, value))
        return cls(locale, sections, {phrase: tuple(found) for phrase, found in index.items()},
                   max(map(len, index), default=0))

    def phrases(self) -> Iterable[tuple[str, str, tuple[str, ...]]]:
        for section, values in self.sections.items():
            for value, phrases in values.items():
                for phrase in phrases:
                    yield section, value, phrase


@cache
def lexicon(locale: str) -> Lexicon:
    """The locale's lexicon, read once per container: its language's phrases (``<language>.json``)
    with the locale's own added (``<locale>.json``, optional). A language with none reads empty."""
    merged: dict[str, dict[str, list]] = {}
    for name in (locale.split("-")[0], locale):
        for section, values in _read(LEXICON_DIR / f"{name}.json").items():
            if section not in SECTIONS or not isinstance(values, dict):
                continue
            for value, phrases in values.items():
                if isinstance(phrases, list):
                    merged.setdefault(section, {}).setdefault(value, []).extend(phrases)
    return Lexicon.from_json(locale, merged)


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_NOT_WORD = re.compile(r"[^\w']+")


def tokens(text: object) -> tuple[str, ...]:
    """Words folded for matching: lower case, one apostrophe, no accents, no punctuation."""
    if not isinstance(text, str):
        return ()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold()).translate(_ACCENTS)
    if not text.isascii():  # a mark outside the common accents: the general rule
        text = "".join(c for c in text if not unicodedata.combining(c))
    return tuple(w.strip("'") for w in _NOT_WORD.split(text) if w.strip("'"))


# The combining accents of Latin script (U+0300-U+036F), removed at once: what NFKD leaves of "é".
_ACCENTS = dict.fromkeys(range(0x300, 0x370))


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    section: str
    value: str
    gap: int | None = None  # the word inside it that is not the phrase's (``_spread``)

    @property
    def read(self) -> int:
        """How many words the phrase read."""
        return self.end - self.start - (self.gap is not None)


def _matches(words: tuple[str, ...], lex: Lexicon) -> list[_Match]:
    """Every phrase found, as said or, a denial aside, with one of the language's ``INSIDE_WORDS``
    inside it ("can't really breathe"; but "not very swollen" is no denial); then the ones that read
    the most words and don't overlap (as said before with a word inside; then the earlier). The word
    inside stays free: a sign said there is read for itself, so no phrase read this way ever covers
    another word."""
    found = []
    beginnings, by_phrase = lex.beginnings, lex.by_phrase
    for i in range(len(words)):
        for end in range(i + 1, min(i + lex.longest, len(words)) + 1):
            run = words[i:end]
            if run not in beginnings:  # no phrase begins so: none longer from here either
                break
            for section, value in by_phrase.get(run, ()):
                found.append(_Match(i, end, section, value))
    inside, sides = _inside_words(lex.locale), lex.side_words
    for gap in (n for n in range(1, len(words) - 1) if words[n] in inside or words[n] in sides):
        places_only = words[gap] not in inside  # "behind my left knee": a side inside a place
        for i in range(max(0, gap - lex.longest + 1), gap):
            if words[i:gap] not in beginnings:
                continue
            for end in range(gap + 2, min(i + lex.longest + 1, len(words)) + 1):
                run = words[i:gap] + words[gap + 1:end]
                if run not in beginnings:
                    break
                for section, value in by_phrase.get(run, ()):
                    # "not very swollen" is a little swollen; a side inside is only a place's
                    if section != "not_signs" and (section == "muscles" or not places_only):
                        found.append(_Match(i, end, section, value, gap))
    found.sort(key=lambda m: (-m.read, m.gap is not None, m.start))
    # Warning signs win (rule 1): a sign said as written is never covered by a phrase read around
    # a word ("my jaw aches a little bit" is not "aches a bit", soreness), nor by another phrase
    # that only shares a word with it ("my arm hurts a little bit": "arm hurts" and "hurts a
    # little bit"). A phrase holding the whole sign still reads it its own way ("no longer numb").
    said = [set(range(m.start, m.end)) for m in found if m.gap is None and m.section == "signs"]
    taken: set[int] = set()
    kept = []
    for match in found:
        span = set(range(match.start, match.end)) - {match.gap}
        if match.section != "signs" and any(span & sign and (match.gap is not None or not sign <= span)
                                            for sign in said):
            continue
        if not span & taken:
            taken |= span
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


# The words people put inside a phrase without changing it ("can't really breathe", "my calf's all
# swollen", "tout gonflé", "ganz geschwollen"), by language, folded as ``tokens`` folds: intensifiers
# and softeners only, never a word that could carry a meaning of its own.
INSIDE_WORDS = {
    "en": ("really", "so", "very", "all", "just", "kinda", "kind", "sort", "super",
           "proper", "totally", "completely", "quite", "pretty", "too", "real", "awfully", "bloody",
           "like", "um", "uh"),
    "es": ("muy", "bien", "todo", "toda", "re", "super", "tan", "bastante", "como", "medio", "eh"),
    "fr": ("tres", "tout", "toute", "vraiment", "super", "trop", "bien", "completement", "hyper",
           "carrement", "euh"),
    "de": ("sehr", "ganz", "total", "richtig", "echt", "voll", "irgendwie", "ziemlich",
           "so", "äh", "ah"),
    "it": ("molto", "tutto", "tutta", "davvero", "proprio", "troppo", "super", "cosi", "parecchio",
           "ehm"),
    "pt": ("muito", "todo", "toda", "tudo", "bem", "super", "bastante", "meio", "tao", "mo", "ta", "ne"),
}


@cache
def _inside_words(locale: str) -> frozenset[str]:
    return frozenset(w for word in INSIDE_WORDS.get(locale.split("-")[0], ()) for w in tokens(word))


def interpret(slots: Mapping[str, Said], lex: Lexicon) -> Meaning:
    """What was meant (see the module docstring for the rules)."""
    signs: set[str] = set()
    denied: set[str] = set()
    found: dict[str, list[str]] = {section: [] for section in SECTIONS}
    heard_words = False
    unread_words = False
    symptom_words = False  # words in a sign slot that Alexa could not resolve, naming no place
    slot_place = None  # the body part the Muscle slot's own words name
    urine = False  # the Muscle slot's words are the urine ("my {Muscle} is {Symptom}": "urine" + "dark")
    resolved: dict[str, str] = {}
    for name, said in slots.items():
        if not isinstance(said, Said):
            continue
        if said.id:
            resolved[name] = said.id
            if name in ("Symptom", "OtherSymptom") and said.id in SYMPTOM_SIGNS:
                signs.add(SYMPTOM_SIGNS[said.id])
            continue
        words = tokens(said.words) if name in READ_SLOTS else ()
        if name == "Side" and words:  # "the back of my left" + "knee": one place, said around its side
            words += _words_of(slots.get("Muscle"))
        if not words:
            continue
        heard_words = True
        matches = _matches(words, lex)
        if name in SYMPTOM_SLOTS:  # words said as the symptom that name no place of their own
            symptom_words = symptom_words or not any(m.section in ("muscles", "sides") for m in matches)
        elif name == "Muscle":
            slot_place = next((m.value for m in matches if m.section == "muscles"), None)
            urine = urine or any(m.section == "signs" and m.value == "DARK_URINE" for m in matches)
        if not matches:
            unread_words = True
        for match in matches:
            found[match.section].append(match.value)
    if resolved.get("Who"):  # CrampIntent.Who: someone else's cramp, named by Alexa
        found["who"].insert(0, resolved["Who"])
    if resolved.get("Kind"):  # DistressIntent.Kind
        found["distress"].insert(0, resolved["Kind"])
    # The colour said is the urine's, no leg's: DARK_URINE alone, whether the urine words read it
    # beside a colour Alexa resolved ("urine" + "dark") or only with the colour ("pee" + "dark").
    if slot_place is None and (_colour_of_the_urine(slots, lex) or (
            urine and resolved.get("Symptom") == "DISCOLOURED" and "DARKER" not in found["signs"])):
        found["signs"] = [s for s in found["signs"] if s not in ("DARKER", "DARK_URINE")] + ["DARK_URINE"]
        signs.discard("DARKER")
    signs |= set(found["signs"])
    denied |= set(found["not_signs"])
    if "TENDER" in signs and _said_together(_words_of(slots.get("Side")) + _words_of(slots.get("Muscle")),
                                            _words_of(slots.get("Symptom")), lex, "HARD_VEINS",
                                            word_by_word=True):
        signs = (signs - {"TENDER"}) | {"HARD_VEINS"}  # "the veins on my calf are hard": no sore muscle
    if "NUMB" in signs and _numb_between_the_legs(slots, lex):  # "my groin is numb": no numb leg
        signs = (signs - {"NUMB"}) | {"SADDLE_NUMB"}
    muscle = next(iter(found["muscles"]), None) or resolved.get("Muscle")
    side = next(iter(found["sides"]), None) or resolved.get("Side")
    meanings = set(found["meanings"])
    if HURTS in meanings:
        let_go = bool(meanings & {RELIEF, SORE})  # "it's gone but it still hurts"
        meanings = (meanings - {HURTS, RELIEF}) | {SORE if let_go else STILL}
    if muscle in ARM_IDS and signs & WEAKNESS:  # "my arm is weak", "mon bras est faible": a stroke sign
        signs = (signs - WEAKNESS) | {"ARM_WEAK"}
    site = resolved.get("Muscle") or slot_place  # the place said in the Muscle slot, not in the symptom
    if (site in PAIN_SITES and symptom_words and not signs and not denied
            and not meanings & {RELIEF, PREGNANT} and not found["who"] and not found["medicines"]):
        signs = {PAIN_SITES[site]}  # "my arm" + "hurts": the pain sign split across two slots
    after, severe, sign = OUT_OF_PROPORTION
    if signs & after and severe in found["distress"]:  # "in a cast and the pain is unbearable"
        signs.add(sign)
    if signs == {"PREGNANT"}:  # pregnancy alone is context for the next answer, not a sign
        return Meaning(PREGNANT)
    if signs:
        return Meaning(SIGN, tuple(sorted(signs)), muscle=muscle, side=side)
    if PREGNANT in meanings and not found["who"]:  # "I'm pregnant, is it serious?": her own answer
        return Meaning(PREGNANT)
    if found["distress"]:
        return Meaning(DISTRESS, distress=found["distress"][0])
    if found["who"]:
        return Meaning(OTHER_PERSON, who=found["who"][0], muscle=muscle, side=side)
    if PREGNANT in meanings:
        return Meaning(PREGNANT)
    if found["medicines"]:
        return Meaning(MEDICINE, medicine=found["medicines"][0])
    requests = [r for r in found["requests"] if r in REQUESTS]
    if requests:  # "quiero ver mi historial" carried as a symptom: the request, not a cramp
        return Meaning(requests[0])
    for kind in (RELIEF, SORE, STILL):
        if kind in meanings:
            return Meaning(kind, muscle=muscle, side=side)
    if found["minutes"]:  # "la crampe dure depuis hier": how long, before the cramp named
        return Meaning(DURATION, minutes=max(int(m) for m in found["minutes"]), muscle=muscle)
    if CRAMP in meanings:  # "it's back", a cramp with no place named
        return Meaning(CRAMP, muscle=muscle, side=side)
    if denied:
        return Meaning(NOT_A_SIGN, tuple(sorted(denied)))
    if found["muscles"]:
        return Meaning(CRAMP, muscle=muscle, side=side)
    if heard_words and (unread_words or not found["sides"]):
        return Meaning(UNKNOWN, muscle=muscle, side=side)
    return Meaning(PASS, muscle=muscle, side=side)


def _colour_of_the_urine(slots: Mapping[str, Said], lex: Lexicon) -> bool:
    """The Muscle slot's unresolved words and the words said as the symptom (resolved or not), read
    together either way round ("pee" + "dark": "dark pee"; "pee's really" + "dark": "pee's (really)
    dark"), are a dark-urine phrase: the colour was said of the urine. "pee" alone is no sign."""
    muscle, symptom = slots.get("Muscle"), slots.get("Symptom")
    if not (isinstance(muscle, Said) and isinstance(symptom, Said)) or muscle.id:
        return False
    place, colour = tokens(muscle.words), tokens(symptom.words)
    if not (place and colour) or any(m.section == "muscles" for m in _matches(colour, lex)):
        return False  # "dark, and my leg is darker": a leg named beside the colour keeps its own
    return _said_together(place, colour, lex, "DARK_URINE")


def _numb_between_the_legs(slots: Mapping[str, Said], lex: Lexicon) -> bool:
    """The Muscle slot's words (resolved or not: "groin" is a hip synonym) and the symptom's words,
    read together either way round ("groin" + "numb": "groin numb"; "i'm numb" + "groin": "i'm numb
    in my groin"), are the numbness between the legs: the emergency sign, not a numb leg."""
    place, numb = _words_of(slots.get("Muscle")), _words_of(slots.get("Symptom"))
    return bool(place and numb) and _said_together(place, numb, lex, "SADDLE_NUMB", joints=SAID_IN)


SAID_IN = (("in", "my"), ("in", "the"))  # how English says where a symptom is ("numb in my groin")


def _words_of(said: object) -> tuple[str, ...]:
    return tokens(said.words) if isinstance(said, Said) else ()


def _said_together(place: tuple[str, ...], symptom: tuple[str, ...], lex: Lexicon, sign: str,
                   joints: tuple[tuple[str, ...], ...] = (), word_by_word: bool = False) -> bool:
    """Whether a place's words and a symptom's words, said in two slots, are ``sign``'s phrase when
    read as one: either way round, or the symptom, one of ``joints``, then the place; with
    ``word_by_word``, also each of the symptom's words before the place ("hard and sore" + "veins
    on my calf": "sore veins", which "hard and sore", read first as the longer phrase, would hide)."""
    readings = (place + symptom, symptom + place, *(symptom + joint + place for joint in joints),
                *(((word,) + place for word in symptom) if word_by_word else ()))
    return any(m.section == "signs" and m.value == sign for words in readings for m in _matches(words, lex))


# --- what was heard: the intent and the words together ---------------------------------------------
# The meaning of each intent when the interpreter finds nothing more in its words (tests/nlu/README.md
# names the same meanings). Intents not listed mean UNKNOWN.
INTENT_MEANINGS = {
    "CrampIntent": CRAMP, "CrampGoneIntent": RELIEF, "StillCrampingIntent": STILL,
    "NotYetIntent": "NOT_YET", "ThankYouIntent": "THANKS", "FeelingOkayIntent": "OKAY",
    "ReadyIntent": "BACK", "EmergencyIntent": SIGN, "RedFlagIntent": SIGN, "DistressIntent": DISTRESS,
    "MedicineIntent": MEDICINE, "LongCrampIntent": DURATION, "CrampCountIntent": "CRAMP_COUNT",
    "LastCrampIntent": "LAST_CRAMP", "CommonCrampIntent": "COMMON_CRAMP",
    "HistorySummaryIntent": "HISTORY", "DeleteHistoryIntent": "DELETE",
    "BedtimeStretchIntent": "BEDTIME", "WhisperIntent": "WHISPER", "SpeakNormallyIntent": "LOUDER",
    "SetReminderIntent": "REMINDER", "StopReminderIntent": "STOP_REMINDER",
    "PreventionInfoIntent": "PREVENTION", "CauseInfoIntent": "CAUSE",
    "AMAZON.HelpIntent": "HELP", "AMAZON.StopIntent": "STOP", "AMAZON.CancelIntent": "CANCEL",
    "AMAZON.NavigateHomeIntent": "STOP", "AMAZON.NextIntent": "NEXT", "AMAZON.PreviousIntent": "PREVIOUS",
    "AMAZON.RepeatIntent": "REPEAT", "AMAZON.PauseIntent": "WAIT", "AMAZON.ResumeIntent": "BACK",
    "AMAZON.StartOverIntent": "START_OVER", "AMAZON.YesIntent": "YES", "AMAZON.NoIntent": "NO",
    "SlowerIntent": "SLOWER", "FirstPartIntent": "FIRST_PART", "LaterIntent": "LATER", "SoreIntent": SORE,
    "NoSignIntent": NOT_A_SIGN, "StartLoggingIntent": "LOG_ON", "StopLoggingIntent": "LOG_OFF",
    "CallSomeoneIntent": "CALL", "DeviceActionIntent": "DEVICE",
}
# Intents whose Symptom names the sign denied ("nah, not swollen"), never a sign said.
DENYING_INTENTS = frozenset({"NoSignIntent"})
# Intents whose unresolved words are the whole message ("it's {Symptom}", "no {Symptom}"): words
# nobody knows there are UNKNOWN (the neutral question; a plain no). Any other intent keeps the
# meaning Alexa chose when its words mean nothing more ("how were my cramps" + words nobody knows
# is still the history), as the dialogue answers it (dialogue.answer_to_heard).
OPEN_CARRIERS = frozenset({"RedFlagIntent"}) | DENYING_INTENTS
# The leg signs the clot question asks about: a denial's words that are only these ("nah, not
# puffy", Alexa leaving "puffy" unresolved) deny them. Any other sign, or any other word beside
# them ("no, it's swollen"), is heard as said: no denial ever cancels an emergency word.
DENIABLE_SIGNS = frozenset(LEG_SIGNS) - {"CLOT", "WONT_STOP"}


# The word a denial's carrier takes away ("no {Symptom}", "not {Symptom}"), by language: put back,
# it may show a sign that begins with it ("no puedo levantar el brazo", "no feeling in my foot").
NEGATIONS = {"en": ("no", "not"), "de": ("nicht", "kein", "keine"), "es": ("no",), "fr": ("pas", "plus"),
             "it": ("non",), "pt": ("não",)}


def _sign_behind_the_denial(slots: Mapping[str, Said], lex: Lexicon) -> Meaning | None:
    """A sign that is not a leg sign the clot question asked about, said in a denial's words: as
    they stand ("not my leg, my chest"), or with the carrier's negation put back when the sign
    begins with it ("no puedo levantar el brazo"). That sign was said, not denied. So is a sign
    Alexa resolved whose own words begin with a negation ("no" + "no puedo mover la pierna"): the
    negation is the sign's, not a denial of it."""
    negations = NEGATIONS.get(lex.locale.split("-")[0], ())
    for name in ("Symptom", "OtherSymptom"):
        said = slots.get(name)
        if isinstance(said, Said) and said.id:
            sign = SYMPTOM_SIGNS.get(said.id)
            first = tokens(said.words)[:1]
            if sign and sign not in DENIABLE_SIGNS and first and first[0] in negations:
                return Meaning(SIGN, (sign,))
            continue
        if not isinstance(said, Said) or not said.words:
            continue
        plain = interpret({name: Said(None, said.words)}, lex)  # "c'est pas ma jambe, c'est ma poitrine"
        if plain.kind == SIGN and set(plain.signs) - DENIABLE_SIGNS:
            return plain
        for negation in negations:
            words = f"{negation} {said.words}"
            begins = [m for m in _matches(tokens(words), lex) if m.start == 0]
            if not (begins and begins[0].section == "signs"):
                continue  # the sign must begin with the negation ("no puedo levantar el brazo"), not
                # merely follow it ("nein kein kribbeln": "kein" + "kribbeln" is no tingling)
            meaning = interpret({name: Said(None, words)}, lex)
            if meaning.kind == SIGN and set(meaning.signs) - DENIABLE_SIGNS:
                return meaning
    return None


def _denied_words(said: object, lex: Lexicon) -> bool:
    """Unresolved words that are, all of them, the denied leg signs' phrases."""
    words = tokens(said.words) if isinstance(said, Said) else ()
    matches = _matches(words, lex) if words else []
    return (bool(matches) and sum(m.read for m in matches) == len(words)
            and all(m.section in ("signs", "not_signs") and m.value in DENIABLE_SIGNS for m in matches))


@dataclass(frozen=True)
class Heard:
    """What the person meant, in the corpus's vocabulary: a meaning name and the ids named
    (``Muscle``, ``Side``, ``Sign`` (several), ``Minutes``, ``Period``, ``Time``, ``Medicine``,
    ``Kind``, ``Who``)."""

    meaning: str
    slots: tuple[tuple[str, str], ...] = ()
    # True when the words (or a resolved sign) decided the meaning, not the intent's name: the
    # dialogue then answers the meaning; otherwise it answers the intent as Alexa chose it.
    by_words: bool = field(default=False, compare=False)
    # The body part and side said with a sign ("I can't feel my left calf"): not part of what a
    # sign means (the corpus scores the signs), but "no, just the cramp" then starts there.
    place: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def slot(self, name: str) -> str | None:
        return next((v for k, v in (*self.slots, *self.place) if k == name), None)


def heard(intent: str | None, slots: Mapping[str, Said], lex: Lexicon) -> Heard:
    """The intent Alexa chose, corrected by what the interpreter reads in the words."""
    if intent in DENYING_INTENTS:  # the denied sign is not a sign said; other words still count
        behind = _sign_behind_the_denial(slots, lex)
        if behind is not None:
            return replace(_from_meaning(behind), by_words=True)
        slots = {name: said for name, said in slots.items()
                 if not (name in ("Symptom", "OtherSymptom") and isinstance(said, Said)
                         and (said.id or _denied_words(said, lex)))}
    meaning = interpret(slots, lex)
    kind = INTENT_MEANINGS.get(intent or "", UNKNOWN)
    if kind == DURATION and meaning.kind in (PASS, CRAMP, UNKNOWN) and _a_moment(_words(slots, "Duration")):
        return Heard("WAIT", by_words=True)  # "one sec", "un segundo": a moment asked for, no duration
    if meaning.kind == UNKNOWN and intent not in OPEN_CARRIERS and kind != UNKNOWN:
        meaning = replace(meaning, kind=PASS)  # "how were my cramps {Period}": the intent stands
    if meaning.kind != PASS and not (intent in DENYING_INTENTS and meaning.kind == NOT_A_SIGN):
        return replace(_from_meaning(meaning), by_words=True)
    ids = {name: s.id for name, s in slots.items() if isinstance(s, Said) and s.id}
    read = {"Muscle": meaning.muscle, "Side": meaning.side}  # "le mollet gauche je crois": Side unresolved
    named: list[tuple[str, str]] = []
    for name in ("Muscle", "Side", "Period", "Time", "Medicine"):
        if ids.get(name) or read.get(name):
            named.append((name, ids.get(name) or read[name]))
    if kind == SIGN:
        found = sorted({SYMPTOM_SIGNS[i] for n, i in ids.items()
                        if n in ("Symptom", "OtherSymptom") and i in SYMPTOM_SIGNS})
        return Heard(SIGN, tuple(("Sign", s) for s in found))
    if kind == DURATION:
        minutes = (ids.get("Minutes") or _words(slots, "Minutes")
                   or duration_minutes(_words(slots, "Duration")))
        if minutes and str(minutes).isdigit():
            return Heard(DURATION, (("Minutes", str(int(minutes))),))
        return Heard(SIGN, (("Sign", "WONT_STOP"),))
    if kind == "REMINDER":
        time = _words(slots, "Time")
        if time and re.fullmatch(r"\d{2}:\d{2}", time):  # "every night at nine thirty": 21:30
            from .periods import PART_OF_DAY_HALVES, in_part_of_day  # only a reminder needs these

            time = in_part_of_day(time, PART_OF_DAY_HALVES.get(ids.get("PartOfDay") or ""))
        return Heard(kind, (("Time", time),) if time else ())
    if kind in (CRAMP, STILL, RELIEF, SORE):
        return Heard(kind, tuple(n for n in named if n[0] in ("Muscle", "Side")))
    return Heard(kind, tuple(n for n in named if n[0] in ("Period", "Medicine")))


_ISO_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def _duration_parts(value: str | None) -> tuple[int, int, int, int, int] | None:
    """AMAZON.DURATION as Alexa sends it ("PT30M", "P1D"): (weeks, days, hours, minutes, seconds)."""
    match = _ISO_DURATION.match(value.strip().upper()) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        return None
    weeks, days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return weeks, days, hours, minutes, seconds


def duration_minutes(value: str | None) -> str | None:
    """AMAZON.DURATION as Alexa sends it ("PT30M", "PT1H", "P1D") in whole minutes, or None."""
    parts = _duration_parts(value)
    if parts is None:
        return None
    weeks, days, hours, minutes, seconds = parts
    total = ((weeks * 7 + days) * 24 + hours) * 60 + minutes + (1 if seconds >= 30 else 0)
    return str(total) if total > 0 else None


def _a_moment(value: str | None) -> bool:
    """AMAZON.DURATION of seconds only, under a minute ("PT1S", "PT30S"): no cramp lasts that
    long in anyone's telling; it is "one sec", "just a second", "eine Sekunde"."""
    parts = _duration_parts(value)
    return parts is not None and not any(parts[:4]) and parts[4] < 60


def _words(slots: Mapping[str, Said], name: str) -> str | None:
    said = slots.get(name)
    return said.words if isinstance(said, Said) and said.words else None


def _from_meaning(meaning: Meaning) -> Heard:
    body = tuple((k, v) for k, v in (("Muscle", meaning.muscle), ("Side", meaning.side)) if v)
    if meaning.kind == SIGN:
        return Heard(SIGN, tuple(("Sign", s) for s in meaning.signs), place=body)
    if meaning.kind == NOT_A_SIGN:
        return Heard(NOT_A_SIGN)
    if meaning.kind == DISTRESS:
        return Heard(DISTRESS, (("Kind", meaning.distress),))
    if meaning.kind == OTHER_PERSON:
        return Heard(OTHER_PERSON, (("Who", meaning.who),) + body)
    if meaning.kind == MEDICINE:
        return Heard(MEDICINE, (("Medicine", meaning.medicine),))
    if meaning.kind == DURATION:
        return Heard(DURATION, (("Minutes", str(meaning.minutes)),))
    if meaning.kind in (CRAMP, RELIEF, SORE, STILL):
        return Heard(meaning.kind, body)
    return Heard(meaning.kind)
