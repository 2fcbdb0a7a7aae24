"""Typed words -> intent and slots, read from the interaction model itself, as Alexa's NLU would.

This is what lets the console, the conversation files and the tests speak in words ("my left calf
is cramping") instead of intent names. It knows nothing about this skill's intents: everything comes
from ``interaction_models/<locale>.json`` at run time, plus one table of the usual phrasings of
Amazon's built-in intents (only used for built-ins the model declares).

How an utterance is resolved:

1. Normalise: lowercase, curly quotes straightened, punctuation dropped except apostrophes inside
   words, "p.m." -> "pm", hyphens -> spaces, digits -> number words (emergency numbers digit by
   digit: "911" -> "nine one one"), spaces collapsed.
2. Invocation: "open/launch/start leg cramp helper" (or the bare name) is a launch;
   "ask leg cramp helper (to|about|for|if|whether) X", "tell leg cramp helper (that|to) X",
   "open leg cramp helper and X" and "X using/with/from leg cramp helper" are one-shots of X,
   which start a new session. Spanish models get the same: "abre ayuda para calambres (y X)",
   "pídele a / dile a ayuda para calambres que X", "pregúntale a ayuda para calambres X".
   "<session ended>" stands for the user walking away.
3. Match X against every sample utterance. Literal words must match exactly; a ``{Slot}`` takes
   one or more words, trying every split, so adjacent slots ("my {Side} {Muscle}") work. Custom
   slot words that are a value or synonym of their type resolve (ER_SUCCESS_MATCH with its id);
   other words are still captured (ER_SUCCESS_NO_MATCH), except that a sample made only of slots
   matches only when every slot resolves (otherwise "{Muscle}" would swallow everything). A slot
   of a built-in type Alexa recognises (AMAZON.NUMBER, TIME, DATE, DURATION) only takes words
   that are one ("set a timer for ten" is no number of minutes).
4. Fillers ("um", "uh", "alexa", "oh", "ow", "ouch", a leading "okay" or "so", "please", "thanks"
   or "sorry" at the ends, a trailing "now", a leading article, words repeated in a row) are tried
   both kept and dropped, so samples that contain them ("ow my {Muscle}", "my {Muscle} please", "uh huh",
   "bye bye") still match as written.
5. Best candidate wins, by ``Score``: an exact literal sample beats any slot sample; then more
   slots resolved; then more literal words; then fewer unresolved slot words; then fewer fillers
   dropped. Nothing at all -> AMAZON.FallbackIntent (when the model has it).
6. Elicitation: ``resolve(text, elicit=(intent, slot))`` says the skill's last response carried
   ``Dialog.ElicitSlot`` for that slot. Then the slot samples of that intent (the dialog model's
   ``slots[].samples``: "{Muscle}", "the {Side} one", "at {Time}") are tried too, and one whose
   slots all resolve wins over everything else, as Alexa biases recognition toward the slot it
   asked for. Without ``elicit`` slot samples are never used: a bare "calf" or "left" is
   fallback, as on Alexa. A one-shot ("tell leg cramp helper ...") starts a new session and
   ignores ``elicit``. ``Elicitation`` reads the directive from a response and marks the next
   request (dialogState IN_PROGRESS, the updatedIntent's slots kept) as Alexa does.

7. Near matches. Alexa's NLU is statistical: it hears a phrasing a word or two away from a sample
   as that sample's intent. When nothing matches exactly, the sample nearest the words is taken, a
   word added or a sample word left out costing one (``near_budget``: none under four words, one
   up to six, two up to eleven, three beyond), provided more literal words match than were
   changed or left in unresolved slots (half a point each), never adding or leaving out a word
   that turns the sentence around ("not", "nicht", "não": ``NEGATIONS`` and each language's), and
   a dialog slot sample only when its slot resolves. ``Resolution.near`` says how many words it
   took; ``Resolver(near=False)`` and ``tools/nlu.py --strict`` keep to exact matches.

Built-in slot types get a value the way Alexa sends them, read in the model's language (English,
Spanish, Portuguese, German, French or Italian: one ``Spoken`` table each in ``SPOKEN``; other
languages use English): AMAZON.NUMBER as digits ("veintiuno" -> "21", "quatre-vingt-dix" ->
"90"), AMAZON.TIME as "HH:MM" ("halb zehn" -> "09:30", with "abends" "21:30") or "MO"/"AF"/
"EV"/"NI" for a part of the day alone, AMAZON.DURATION as ISO 8601 ("media hora" -> "PT30M",
"an hour and a half" -> "PT1H30M"), AMAZON.DATE as ISO 8601 ("2026-11-23", "2026-W47",
"2026-11") for common relative phrases; other AMAZON.* types carry the words. Built-in types
have no entity resolution.

Public API: ``Resolver.from_locale(locale)``, ``Resolver(model)``,
``Resolver.resolve(text, elicit=None)`` -> ``Resolution``; ``SlotMatch``; ``Elicitation``;
``normalise(text)``; ``load_model(locale)``; ``BUILTIN_PHRASINGS``; ``SESSION_ENDED``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = ROOT / "interaction_models"

LAUNCH = "launch"
INTENT = "intent"
END = "end"
SESSION_ENDED = "<session ended>"  # typed to stand for the user walking away (SessionEndedRequest)

MATCH = "ER_SUCCESS_MATCH"
NO_MATCH = "ER_SUCCESS_NO_MATCH"
FALLBACK = "AMAZON.FallbackIntent"
STOP = "AMAZON.StopIntent"

# The usual ways people say Amazon's built-in intents (Alexa trains these itself; a skill's model
# lists none of them). Used only for built-ins present in the model, alongside its own samples.
BUILTIN_PHRASINGS: dict[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": (
        "help", "help me", "i need help", "what can i say", "what do i say", "what can you do",
        "what do i do", "how does this work", "how do i use this", "instructions", "options"),
    "AMAZON.StopIntent": (
        "stop", "stop it", "stop talking", "shut up", "be quiet", "quiet", "enough",
        "that's enough", "i'm done", "exit", "quit", "goodbye", "good bye", "bye", "good night",
        "goodnight", "turn off", "off", "end"),
    "AMAZON.CancelIntent": (
        "cancel", "cancel that", "never mind", "nevermind", "forget it", "forget about it"),
    "AMAZON.NextIntent": (
        "next", "next one", "the next one", "next step", "next stretch", "skip", "skip it",
        "skip this", "skip this one", "move on"),
    "AMAZON.PreviousIntent": (
        "previous", "previous one", "the previous one", "previous step", "previous stretch",
        "go back", "back", "last one", "the last one", "the one before"),
    "AMAZON.RepeatIntent": (
        "repeat", "repeat that", "say that again", "say it again", "again", "pardon",
        "pardon me", "what", "come again", "what did you say", "one more time",
        "can you repeat that"),
    "AMAZON.PauseIntent": (
        "pause", "pause it", "hold on", "hold", "wait", "wait a minute", "wait a second",
        "hang on", "just a minute", "just a second", "give me a minute", "give me a second",
        "one moment", "one second", "one sec"),
    "AMAZON.ResumeIntent": (
        "resume", "continue", "go on", "carry on", "keep going", "unpause", "let's continue"),
    "AMAZON.StartOverIntent": (
        "start over", "restart", "start again", "begin again", "from the top",
        "start from the beginning", "from the beginning", "go back to the start"),
    "AMAZON.YesIntent": (
        "yes", "yeah", "yep", "yup", "yes please", "sure", "okay", "ok", "uh huh", "of course",
        "alright", "all right", "sounds good", "yes it has", "please do"),
    "AMAZON.NoIntent": (
        "no", "nope", "nah", "no thanks", "no thank you", "not really", "no it hasn't",
        "no it's not", "no way"),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "go to home", "go to the home screen",
                                  "home screen"),
}

LAUNCH_WORDS = ("open", "launch", "start", "begin", "load", "run", "play", "resume", "use",
                "abre", "inicia", "empieza", "comienza",  # es: "abre ayuda para calambres"
                "ouvre", "lance", "démarre", "abra", "abrir", "inicie")  # fr, pt
# Words before the invocation name that make a one-shot ("ask/tell <name> ..."); es: "pídele a
# <name> que ...", "dile a <name> que ...", "pregúntale a <name> ..."; fr "demande à <name> ...";
# pt "peça para <name> ...".
INVOKE_PREFIXES = (("ask",), ("tell",), ("pídele", "a"), ("pide", "a"), ("dile", "a"),
                   ("pregúntale", "a"), ("pregunta", "a"), ("demande", "à"), ("dis", "à"),
                   ("peça", "para"), ("peça", "à"), ("pede", "para"), ("pergunte", "à"),
                   ("pergunte", "para"), ("pede", "pra"), ("peça", "pra"), ("pergunta", "pra"),
                   ("pergunte", "pra"), ("pergunta", "para"), ("fala", "pra"), ("fala", "para"),
                   ("fala", "com"), ("falar", "com"),
                   ("diz", "pra"), ("diga", "para"), ("diga", "à"))
# An article people put before the skill's name ("pede para a ajuda para cãibras", "abre a ajuda
# para cãibras", "open the leg cramp helper"): dropped when the name follows it.
NAME_ARTICLES = ("the", "a", "o", "la", "el", "le", "l'", "die", "der", "das", "den", "dem", "il", "lo")
ASK_CONNECTORS = ("to", "about", "for", "if", "whether", "si", "sobre", "de", "se")
TELL_CONNECTORS = ("that", "to", "que", "para")
AND_WORDS = ("and", "y", "et", "e")  # "open <name> and ...", "abre <name> y ...", "ouvre <name> et ..."
TRAILING_INVOCATION = ("using", "with", "from", "on", "con")
WAKE_WORDS = ("alexa",)
FILLERS = frozenset({"um", "umm", "uh", "er", "erm", "hmm", "mm", "ah", "oh", "ow", "ouch", "ugh", "argh",
                     "oof", "phew", "whew", "alexa",
                     # interjections, every English locale's ("blimey", "crikey", "arre", "yaar")
                     "jeez", "geez", "damn", "dammit", "crap", "blimey", "crikey", "arre", "yaar",
                     "wait"})  # "wait, it's gone purple": an interruption before what matters
LEADING_FILLERS = frozenset({"okay", "ok", "so", "well", "hey", "now", "a", "an", "the"})
# "cheers" is how en-GB and en-AU say thanks
EDGE_FILLERS = ("please", "thanks", "thank you", "cheers", "sorry", "por favor")
# Words that turn a sentence around: a near match never adds or leaves one out ("I want you to log
# my cramps" is not "I don't want you to log my cramps"), in English and the locale's language.
NEGATIONS = frozenset({"no", "not", "never", "nothing", "nah", "nope", "don't", "doesn't", "didn't", "isn't",
                       "aren't", "wasn't", "won't", "can't", "cannot", "couldn't", "haven't", "hasn't",
                       "hadn't", "shouldn't", "wouldn't", "ain't", "nor", "neither", "none", "no one"})
TRAILING_FILLERS = ("now",)  # "it's easing off now", "I'm ready to go now"
# Contractions typed without their apostrophe ("im done", "dont delete it", "whats my history"):
# speech recognition writes what it hears with the apostrophe, so typed words are read as it would
# write them, and no model needs a misspelt copy of its samples. Only forms that are no other word
# ("its", "well", "ill", "were", "id", "hell", "shed", "wed", "lets", "cant", "wont" stay as typed).
TYPED_CONTRACTIONS = {"en": dict(pair.split(":") for pair in (
    "im:i'm ive:i've youre:you're youve:you've hes:he's shes:she's theyre:they're weve:we've "
    "dont:don't doesnt:doesn't didnt:didn't isnt:isn't arent:aren't wasnt:wasn't werent:weren't "
    "havent:haven't hasnt:hasn't hadnt:hadn't couldnt:couldn't shouldnt:shouldn't wouldnt:wouldn't "
    "aint:ain't thats:that's whats:what's wheres:where's hows:how's theres:there's "
    "whos:who's thatll:that'll itll:it'll").split())}

_SLOT = re.compile(r"^\{(\w+)\}$")
_SLOT_SPLIT = re.compile(r"(\{\w+\})")


@dataclass(frozen=True)
class LanguageWords:
    """How people invoke a skill and pad their words in one language (besides English's, which
    every locale keeps: the constants above). ``verbs``: launch and one-shot verbs ("öffne", "frag",
    "apri", "chiedi"); ``to``: words that may stand between a verb and the invocation name
    ("chiedi ad aiuto crampi"); ``connectors``: words between the name and the request ("frag
    beinkrampf helfer, ob ..."); ``trailing``: "X mit beinkrampf helfer"."""

    verbs: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    connectors: tuple[str, ...] = ()
    trailing: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    edge_fillers: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()  # words a near match may never add or leave out (step 7)
    words: tuple[str, ...] = ()  # English fillers that are ordinary words here (pt "um": "a", "one")


LANGUAGES: dict[str, LanguageWords] = {
    "de": LanguageWords(
        verbs=("öffne", "öffnen", "starte", "starten", "frag", "frage", "sag", "sage", "bitte",
               "spiel", "lade", "benutze", "nutze"),
        to=(),
        connectors=("ob", "nach", "wegen", "dass", "zu", "wie", "was", "wann", "um"),
        trailing=("mit", "bei", "von", "über"),
        fillers=("äh", "ähm", "öhm", "hm", "au", "aua", "autsch", "aah", "uff", "warte", "mal",
                 "ach", "och", "oje", "mist", "scheiße", "verdammt"),  # interjections
        edge_fillers=("bitte", "danke", "entschuldigung"),
        words=("um",),
        negations=("nicht", "nich", "kein", "keine", "keinen", "keiner", "keinem", "nie", "niemals", "nein",
                   "nichts", "nix")),
    "it": LanguageWords(
        verbs=("apri", "avvia", "chiedi", "di'", "dì", "di", "lancia", "fai", "usa"),
        to=("a", "ad"),
        connectors=("di", "se", "che", "come", "per", "su", "quando", "perché"),
        trailing=("con", "su"),
        fillers=("ehm", "uhm", "mmm", "ahi", "ahia", "ahio", "uffa", "aspetta",
                 "mannaggia", "accidenti", "cavolo", "oddio"),  # interjections
        edge_fillers=("per favore", "grazie", "scusa"),
        negations=("non", "mai", "niente", "nulla", "né", "no")),
    # es, fr, pt: their launch and one-shot words are in the shared constants below; the padding
    # people put around what they say is theirs ("pues ya se me pasó", "euh ça tire encore")
    "es": LanguageWords(fillers=("eh", "ehm", "em", "mmm", "ay", "uf", "pues", "bueno", "oye", "mira",
                                 "espera",
                                 # interjections, Spain's and the Americas' ("ostras", "híjole")
                                 "uy", "híjole", "ostras", "jolín", "joder", "chin"),
                        edge_fillers=("por favor", "gracias", "perdón", "porfa"),
                        negations=("no", "nunca", "jamás", "ni", "nada", "tampoco", "nel")),
    "fr": LanguageWords(fillers=("euh", "heu", "hum", "bah", "ben", "bon", "ouille", "aïe", "ouf", "attends",
                                 "attendez",
                                 # interjections, France's and Québec's ("ayoye", "coudonc", "tsé")
                                 "merde", "putain", "mince", "ayoye", "coudonc", "tabarnak", "voyons", "tsé",
                                 "genre"),
                        edge_fillers=("s'il vous plaît", "s'il te plaît", "merci", "pardon", "là"),
                        negations=("ne", "n'", "pas", "plus", "jamais", "rien", "non", "ni", "pu")),
    "pt": LanguageWords(fillers=("hum", "ah", "ai", "ui", "ué", "né", "tipo", "olha", "bom", "espera",
                                 "peraí",
                                 "eita", "vixe", "poxa", "ufa", "uai", "caramba"),  # interjections
                        edge_fillers=("por favor", "obrigado", "obrigada", "desculpa"),
                        words=("um",),
                        negations=("não", "nao", "nunca", "nem", "nada", "jamais")),
}


# --- normalising -----------------------------------------------------------------------------
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {word: n for n, word in enumerate(_ONES)} | {
    word: n * 10 for n, word in enumerate(_TENS) if word != "_"}


def number_words(n: int) -> str:
    """0..999 as words ("twenty five"); larger numbers are left as digits."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    return str(n)


def words_to_number(words: str) -> int | None:
    """"twenty five" -> 25, "a hundred" -> 100, "12" -> 12; None when it is not a number."""
    tokens = words.split()
    if len(tokens) == 1 and tokens[0].isdigit():
        return int(tokens[0])
    total, current, seen = 0, 0, False
    for token in tokens:
        if token in _WORD_VALUES:
            current += _WORD_VALUES[token]
        elif token == "hundred" and (current or seen or tokens[0] in ("a", "one")):
            current = (current or 1) * 100
        elif token in ("a", "and") and not seen:
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


# Numbers said digit by digit: emergency numbers ("nine one one", not "nine hundred eleven").
DIGIT_BY_DIGIT = frozenset({"911", "999", "112", "000", "111"})


def _number_said(digits: str) -> str:
    if digits in DIGIT_BY_DIGIT:
        return " ".join(_ONES[int(d)] for d in digits)
    return number_words(int(digits))


def normalise(text: str) -> list[str]:
    """The words of ``text`` as the matcher compares them (see the module docstring)."""
    return list(_normalised(text))


_ABBREVIATION_DOT = re.compile(r"(?<=[a-z])\.(?=[a-z])")
_DIGITS = re.compile(r"\d+")
_NOT_A_WORD = re.compile(r"[^\w'{}\s]|_")


@functools.lru_cache(maxsize=1 << 17)
def _normalised(text: str) -> tuple[str, ...]:
    """``normalise``, remembered: every Resolver of a locale normalises the same 5,000 samples."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    if "." in text:
        text = _ABBREVIATION_DOT.sub("", text)  # "p.m." -> "pm."
    text = _DIGITS.sub(lambda m: f" {_number_said(m.group())} ", text)
    text = _NOT_A_WORD.sub(" ", text)  # letters of any language ("sí", "fuß", "è") stay
    words = []
    for word in text.split():
        word = word.lstrip("'")
        if word.endswith("'") and not word.endswith("s'"):
            word = word.rstrip("'")
        if word:
            words.append(word)
    return tuple(words)


def load_model(locale: str = "en-US", root: Path = ROOT) -> dict:
    """The whole interaction model file for ``locale`` (as stored in interaction_models/)."""
    path = Path(root) / "interaction_models" / f"{locale}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def language_model(model: Mapping) -> Mapping:
    """The ``languageModel`` part, whether given the whole file or the part itself."""
    if "interactionModel" in model:
        return model["interactionModel"]["languageModel"]
    return model


# --- results ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SlotMatch:
    """One filled slot. ``status`` is None for AMAZON.* types, which carry no entity resolution."""

    words: str
    id: str | None
    status: str | None
    slot_type: str = ""
    name: str | None = None  # the matched value's canonical name ("calf" for "calves")
    value: str | None = None  # what Alexa sends as slot.value; defaults to the words

    @property
    def spoken(self) -> str:
        return self.value if self.value is not None else self.words


@dataclass(frozen=True)
class Resolution:
    """What Alexa would send for some typed words.

    ``kind`` is "launch", "intent" or "end" (the user walked away). ``new_session`` is true for a
    launch and a one-shot ("tell leg cramp helper ..."). ``slot_types`` lists every slot the
    intent declares (filled or not); ``slots`` only the filled ones. ``sample`` is the sample
    utterance (or built-in phrasing) that matched, ``ignored`` the filler words dropped, ``ties``
    other intents that matched exactly as well (a clash in the model). ``elicited`` is the slot
    whose dialog slot sample matched (only when resolved with ``elicit``).
    """

    kind: str
    intent: str | None
    slots: dict[str, SlotMatch]
    text: str
    new_session: bool = False
    slot_types: dict[str, str] = field(default_factory=dict)
    sample: str | None = None
    ignored: tuple[str, ...] = ()
    ties: tuple[str, ...] = ()
    elicited: str | None = None
    near: int = 0  # words added or left out against ``sample`` (step 7); 0 for an exact match

    @property
    def slot_ids(self) -> dict[str, str | None]:
        """Filled slot name -> resolved id (None when the words did not resolve)."""
        return {name: slot.id for name, slot in self.slots.items()}

    @property
    def is_fallback(self) -> bool:
        return self.kind == INTENT and self.intent in (FALLBACK, None)


@dataclass(frozen=True, order=True)
class Score:
    """Higher is better; fields compare in this order."""

    elicited: int  # 1: a slot sample of the elicited intent, every slot resolved
    literal: int  # 1: the words are exactly a sample with no slots
    resolved: int  # slots whose words resolved
    literal_words: int  # literal words of the sample matched
    unresolved: int  # minus the number of words in unresolved slots
    dropped: int  # minus the number of filler words dropped


@dataclass(frozen=True)
class _Sample:
    intent: str
    text: str
    parts: tuple[tuple[bool, str], ...]  # (is_slot, word or slot name)
    literals: frozenset[str]
    literal_count: int
    slots_only: bool
    slot: str | None = None  # for a dialog slot sample: the slot it answers


@dataclass(frozen=True)
class _Candidate:
    score: Score
    intent: str
    sample: str
    slots: dict[str, SlotMatch]
    ignored: tuple[str, ...]
    elicited: str | None = None


@dataclass(frozen=True)
class Elicitation:
    """A ``Dialog.ElicitSlot`` the skill sent: which intent and slot the next answer fills.

    ``updated_slots`` are the updatedIntent's slots as sent; Alexa carries them into the next
    request for that intent, so a slot filled earlier ("left") is still there with the answer.
    """

    intent: str
    slot: str
    updated_slots: Mapping = field(default_factory=dict)

    @property
    def target(self) -> tuple[str, str]:
        return (self.intent, self.slot)

    @classmethod
    def from_response(cls, response: Mapping | None) -> Elicitation | None:
        """The ElicitSlot directive in a skill response whose session stays open, or None."""
        body = (response or {}).get("response") or {}
        if body.get("shouldEndSession") is not False:
            return None
        for directive in body.get("directives") or ():
            if directive.get("type") == "Dialog.ElicitSlot":
                intent = directive.get("updatedIntent") or {}
                if intent.get("name") and directive.get("slotToElicit"):
                    return cls(intent["name"], directive["slotToElicit"], intent.get("slots") or {})
        return None

    def apply(self, request: dict) -> dict:
        """Mark ``request`` as the answer when it carries this intent: dialogState IN_PROGRESS and
        the updatedIntent's slot values kept where the answer left them empty."""
        body = request.get("request") or {}
        intent = body.get("intent") or {}
        if body.get("type") != "IntentRequest" or intent.get("name") != self.intent:
            return request
        body["dialogState"] = "IN_PROGRESS"
        slots = intent.setdefault("slots", {})
        for name, slot in self.updated_slots.items():
            if slot and slot.get("value") is not None and (slots.get(name) or {}).get("value") is None:
                slots[name] = dict(slot)
        return request


# --- built-in slot types: numbers, times, durations and dates as people say them ------------------
# One table per language (``SPOKEN``): the words, and which words join them. The code below only
# reads the tables. Every language also takes English number words, because typed digits become
# English words when normalised ("21:30" -> "twenty one thirty", "9h30" -> "nine h thirty").

def _table(text: str) -> dict[str, str]:
    """"a: X; b c: Y" -> {"a": "X", "b c": "Y"}: compact tables of phrases."""
    out = {}
    for entry in text.split(";"):
        if entry.strip():
            phrases, value = entry.rsplit(":", 1)
            for phrase in phrases.split(","):
                out[phrase.strip()] = value.strip()
    return out


def _words(text: str) -> dict[int, str]:
    """"0 zero; 1 one|a" -> {0: "zero", 1: "one|a"}: a number and its forms, "|" between forms."""
    out = {}
    for entry in text.split(";"):
        if entry.strip():
            n, forms = entry.split(None, 1)
            out[int(n)] = forms.strip()
    return out


@dataclass(frozen=True)
class Numerals:
    """How one language says 0..999. ``words``: every number said irregularly (n -> "form|form");
    the rest are composed: tens and ones by ``tens_ones``, hundreds by ``hundreds`` (from the ones
    word) and ``hundreds_rest``. ``joined``: written as one word ("dreiundzwanzig", "ventitré"),
    so compared with spaces removed; ``elide``: a vowel meets a vowel ("venti" + "otto" ->
    "ventotto"); ``vigesimal``: tens said as the ten before plus 10..19 (French 70 and 90)."""

    words: Mapping[int, str]
    tens_ones: tuple[str, ...] = ("{tens} {ones}",)
    hundreds: str = ""
    hundreds_rest: tuple[str, ...] = ("{hundreds} {rest}",)
    joined: bool = False
    elide: bool = False
    vigesimal: frozenset[int] = frozenset()

    def forms(self, n: int, memo: dict[int, set[str]] | None = None) -> set[str]:
        """Every way to say ``n`` (0..999)."""
        memo = {} if memo is None else memo
        if n not in memo:
            memo[n] = self._forms(n, memo)
        return memo[n]

    def _forms(self, n: int, memo: dict[int, set[str]]) -> set[str]:
        if n in self.words:
            return set(self.words[n].split("|"))
        if n < 100:
            tens, ones = divmod(n, 10)
            out = set()
            if tens * 10 in self.vigesimal:  # "soixante douze", "quatre vingt dix"
                out |= {f"{t} {o}" for t in self.forms(tens * 10 - 10, memo)
                        for o in self.forms(10 + ones, memo)}
            for template in self.tens_ones:
                for t in self.forms(tens * 10, memo):
                    for o in self.forms(ones, memo):
                        out.add(template.format(tens=self._elided(t, o), ones=o))
            return out
        hundreds, rest = divmod(n, 100)
        heads = (set(self.words[hundreds * 100].split("|")) if hundreds * 100 in self.words
                 else {t.format(ones=o) for t in self.hundreds.split("|")
                       for o in self.forms(hundreds, memo)})
        if not rest:
            return heads
        out = set()
        for template in self.hundreds_rest:
            for h in heads:
                for r in self.forms(rest, memo):
                    out.add(template.format(hundreds=h, rest=r))
                    out.add(template.format(hundreds=self._elided(h, r), rest=r))
        return out

    def _elided(self, head: str, tail: str) -> str:
        if self.elide and tail[:1] in "aeiou" and head[-1:] in "aeiou":
            return head[:-1]
        return head


@dataclass(frozen=True)
class Clock:
    """How one language says a time of day (AMAZON.TIME).

    ``at``: words before a time ("at", "a las", "um"); ``marks``: words that only mark an hour or
    minutes and are dropped ("o'clock", "Uhr", "heures", "en punto"); ``named``: "noon",
    "midnight"; ``fractions``: minutes said as part of an hour ("half", "cuarto", "demie");
    ``plus``/``minus``: between an hour and minutes after/before it ("nueve y media", "diez menos
    cuarto"); ``past``/``to``: between minutes and the hour they follow/precede ("ten past nine",
    "viertel vor zehn"); ``into``: German "halb zehn" (9:30), minutes into the hour before the one
    said; ``onto``: British "half nine" (9:30), minutes into the hour said; ``zero``: "nine oh
    five"; ``parts``: parts of the day, alone ("tonight" -> "NI") or
    after a time, where they say a.m. or p.m. ("nine thirty at night" -> 21:30)."""

    at: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    named: Mapping[str, int] = field(default_factory=dict)
    fractions: Mapping[str, int] = field(default_factory=dict)
    plus: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    past: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    into: Mapping[str, int] = field(default_factory=dict)
    onto: Mapping[str, int] = field(default_factory=dict)
    zero: tuple[str, ...] = ()
    parts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Durations:
    """How one language says a length of time (AMAZON.DURATION). ``units``: word -> ISO 8601
    designator ("MO" for months); ``idioms``: whole phrases ("media hora" -> "PT30M");
    ``amounts``: amounts that are no number ("a" 1, "anderthalb" 1.5); ``ands``: between two
    parts ("an hour and ten minutes"); ``tails``: a fraction of the unit said after it or after
    the number ("an hour and a half", "one and a half hours", "dos horas y media")."""

    units: Mapping[str, str]
    idioms: Mapping[str, str] = field(default_factory=dict)
    amounts: Mapping[str, float] = field(default_factory=dict)
    ands: tuple[str, ...] = ()
    tails: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Spoken:
    """One language's numbers, times, durations and relative dates (phrase -> days from today)."""

    numerals: Numerals
    clock: Clock
    durations: Durations
    days: Mapping[str, int] = field(default_factory=dict)
    examples: Mapping[str, str] = field(default_factory=dict)  # words that fill a built-in slot


_PARTS = {"MO", "AF", "EV", "NI"}

SPOKEN: dict[str, Spoken] = {
    "en": Spoken(
        Numerals(_words(
            "0 zero|nought; 1 one; 2 two; 3 three; 4 four; 5 five; 6 six; 7 seven; 8 eight; 9 nine; "
            "10 ten; 11 eleven; 12 twelve; 13 thirteen; 14 fourteen; 15 fifteen; 16 sixteen; "
            "17 seventeen; 18 eighteen; 19 nineteen; 20 twenty; 30 thirty; 40 forty; 50 fifty; "
            "60 sixty; 70 seventy; 80 eighty; 90 ninety; 100 one hundred|a hundred|hundred"),
            hundreds="{ones} hundred", hundreds_rest=("{hundreds} {rest}", "{hundreds} and {rest}")),
        Clock(at=("at", "around", "at around", "at about", "about", "by"),
              marks=("o'clock", "oclock", "sharp"),
              named={"noon": 12, "midday": 12, "twelve noon": 12, "midnight": 0, "twelve midnight": 0},
              fractions={"half": 30, "quarter": 15, "a quarter": 15},
              past=("past", "after"), to=("to", "till", "til", "before", "of"), zero=("oh", "o"),
              onto={"half": 30},  # "half nine": half past nine, as Britain, Ireland and India say it
              parts=_table("tonight, at night, night, tonight at night: NI; in the evening, evening, "
                           "this evening: EV; in the afternoon, afternoon, this afternoon: AF; "
                           "in the morning, morning, this morning: MO")),
        Durations(
            units=_table("second, seconds, sec, secs: S; minute, minutes, min, mins: M; hour, hours, hr, "
                         "hrs: H; day, days: D; week, weeks: W; month, months: MO; year, years: Y"),
            idioms=_table("half an hour, half hour, a half hour, a half an hour: PT30M; quarter of an hour, "
                          "a quarter of an hour, a quarter hour, quarter hour, quarter of an hour: PT15M; "
                          "three quarters of an hour: PT45M; hour and a half, an hour and a half: PT1H30M"),
            amounts={"a": 1, "an": 1, "one": 1, "a couple of": 2, "a couple": 2, "couple of": 2},
            ands=("and",), tails={"and a half": 0.5, "and a quarter": 0.25}),
        days={"today": 0, "tonight": 0, "yesterday": -1, "last night": -1, "tomorrow": 1},
        examples={"AMAZON.NUMBER": "five", "AMAZON.DURATION": "ten minutes", "AMAZON.DATE": "last week",
                  "AMAZON.TIME": "nine thirty"}),
    "es": Spoken(
        Numerals(_words(
            "0 cero; 1 uno|un|una; 2 dos; 3 tres; 4 cuatro; 5 cinco; 6 seis; 7 siete; 8 ocho; 9 nueve; "
            "10 diez; 11 once; 12 doce; 13 trece; 14 catorce; 15 quince; 16 dieciséis; 17 diecisiete; "
            "18 dieciocho; 19 diecinueve; 20 veinte; 21 veintiuno|veintiún|veintiuna; 22 veintidós; "
            "23 veintitrés; 24 veinticuatro; 25 veinticinco; 26 veintiséis; 27 veintisiete; "
            "28 veintiocho; 29 veintinueve; 30 treinta; 40 cuarenta; 50 cincuenta; 60 sesenta; "
            "70 setenta; 80 ochenta; 90 noventa; 100 cien|ciento; 200 doscientos|doscientas; "
            "300 trescientos|trescientas; 400 cuatrocientos|cuatrocientas; 500 quinientos|quinientas; "
            "600 seiscientos|seiscientas; 700 setecientos|setecientas; 800 ochocientos|ochocientas; "
            "900 novecientos|novecientas"),
            tens_ones=("{tens} y {ones}",)),
        Clock(at=("a las", "a la", "las", "la", "sobre las", "sobre la", "hacia las", "para las",
                  "para la", "a eso de las", "a eso de la", "como a las"),
              marks=("en punto", "horas", "hora"),
              named={"mediodía": 12, "medio día": 12, "las doce del mediodía": 12, "medianoche": 0,
                     "media noche": 0},
              fractions={"media": 30, "cuarto": 15, "un cuarto": 15},
              plus=("y",), minus=("menos",), to=("para las", "para la"),  # Mexico: "cuarto para las diez"
              parts=_table("de la noche, por la noche, en la noche, esta noche, noche: NI; de la tarde, "
                           "por la tarde, en la tarde, esta tarde: AF; de la mañana, por la mañana, en la "
                           "mañana, esta mañana, de la madrugada, de madrugada, en la madrugada: MO")),
        Durations(
            units=_table("segundo, segundos: S; minuto, minutos: M; hora, horas: H; día, días: D; "
                         "semana, semanas: W; mes, meses: MO; año, años: Y"),
            idioms=_table("media hora, una media hora: PT30M; cuarto de hora, un cuarto de hora: PT15M; "
                          "tres cuartos de hora: PT45M; hora y media: PT1H30M; hora y cuarto: PT1H15M"),
            amounts={"un par de": 2, "par de": 2},
            ands=("y",), tails={"y media": 0.5, "y cuarto": 0.25, "y un cuarto": 0.25}),
        days={"hoy": 0, "esta noche": 0, "ayer": -1, "anoche": -1, "ayer por la noche": -1, "mañana": 1,
              "anteayer": -2, "antier": -2},
        examples={"AMAZON.NUMBER": "cinco", "AMAZON.DURATION": "diez minutos", "AMAZON.DATE": "ayer",
                  "AMAZON.TIME": "nueve y media"}),
    "pt": Spoken(
        Numerals(_words(
            "0 zero; 1 um|uma; 2 dois|duas; 3 três; 4 quatro; 5 cinco; 6 seis; 7 sete; 8 oito; 9 nove; "
            "10 dez; 11 onze; 12 doze; 13 treze; 14 catorze|quatorze; 15 quinze; 16 dezesseis|dezasseis; "
            "17 dezessete|dezassete; 18 dezoito; 19 dezenove|dezanove; 20 vinte; 30 trinta; "
            "40 quarenta; 50 cinquenta|cincoenta; 60 sessenta; 70 setenta; 80 oitenta; 90 noventa; "
            "100 cem|cento; 200 duzentos|duzentas; 300 trezentos|trezentas; "
            "400 quatrocentos|quatrocentas; 500 quinhentos|quinhentas; 600 seiscentos|seiscentas; "
            "700 setecentos|setecentas; 800 oitocentos|oitocentas; 900 novecentos|novecentas"),
            tens_ones=("{tens} e {ones}",), hundreds_rest=("{hundreds} e {rest}",)),
        Clock(at=("às", "à", "as", "a", "lá pelas", "lá pela", "pelas", "pela", "para as", "para a",
                  "por volta das", "por volta da", "umas", "tipo"),
              marks=("em ponto", "horas", "hora", "h"),
              named={"meio dia": 12, "meia noite": 0},
              fractions={"meia": 30, "um quarto": 15, "quarto": 15},
              plus=("e",), minus=("menos",), to=("para as", "para a", "pras", "pra", "para"),
              parts=_table("da noite, à noite, de noite, hoje à noite, esta noite, essa noite: NI; "
                           "da tarde, à tarde, de tarde, hoje à tarde, esta tarde: AF; da manhã, de manhã, "
                           "pela manhã, hoje de manhã, esta manhã, da madrugada, de madrugada: MO")),
        Durations(
            units=_table("segundo, segundos: S; minuto, minutos: M; hora, horas: H; dia, dias: D; "
                         "semana, semanas: W; mês, meses: MO; ano, anos: Y"),
            idioms=_table("meia hora, uma meia hora: PT30M; quarto de hora, um quarto de hora: PT15M; "
                          "três quartos de hora: PT45M; hora e meia: PT1H30M; hora e quinze: PT1H15M"),
            amounts={"um par de": 2, "uns": 1},
            ands=("e",), tails={"e meia": 0.5, "e um quarto": 0.25}),
        days={"hoje": 0, "hoje à noite": 0, "esta noite": 0, "ontem": -1, "ontem à noite": -1,
              "amanhã": 1, "anteontem": -2},
        examples={"AMAZON.NUMBER": "cinco", "AMAZON.DURATION": "dez minutos", "AMAZON.DATE": "ontem",
                  "AMAZON.TIME": "nove e meia"}),
    "de": Spoken(
        Numerals(_words(
            "0 null; 1 eins|ein|eine|einen|einer|einem; 2 zwei|zwo; 3 drei; 4 vier; 5 fünf; 6 sechs; "
            "7 sieben; 8 acht; 9 neun; 10 zehn; 11 elf; 12 zwölf; 13 dreizehn; 14 vierzehn; "
            "15 fünfzehn; 16 sechzehn; 17 siebzehn; 18 achtzehn; 19 neunzehn; 20 zwanzig; "
            "30 dreißig; 40 vierzig; 50 fünfzig; 60 sechzig; 70 siebzig; 80 achtzig; 90 neunzig; "
            "100 hundert|einhundert"),
            tens_ones=("{ones}und{tens}",), hundreds="{ones}hundert",
            hundreds_rest=("{hundreds}{rest}", "{hundreds}und{rest}"), joined=True),
        Clock(at=("um", "gegen", "so um", "so gegen", "ab", "bis"),
              marks=("uhr", "punkt"),
              named={"mittag": 12, "mittags": 12, "zwölf uhr mittags": 12, "mitternacht": 0},
              fractions={"viertel": 15, "halb": 30},
              past=("nach",), to=("vor",), into={"halb": 30, "viertel": 15, "dreiviertel": 45,
                                                  "drei viertel": 45},
              parts=_table("abends, am abend, heute abend: EV; nachts, in der nacht, heute nacht: NI; "
                           "nachmittags, am nachmittag, heute nachmittag: AF; morgens, früh, am morgen, "
                           "morgens früh, vormittags, am vormittag, heute morgen, in der früh: MO")),
        Durations(
            units=_table("sekunde, sekunden: S; minute, minuten: M; stunde, stunden: H; tag, tage, tagen: D; "
                         "woche, wochen: W; monat, monate, monaten: MO; jahr, jahre, jahren: Y"),
            idioms=_table("halbe stunde, eine halbe stunde, einer halben stunde, halben stunde, ne halbe "
                          "stunde, ner halben stunde: PT30M; viertelstunde, eine viertelstunde, einer "
                          "viertelstunde, ne viertelstunde, viertel stunde, eine viertel stunde: PT15M; "
                          "dreiviertelstunde, eine dreiviertelstunde, einer dreiviertelstunde: PT45M; "
                          "anderthalb stunden, eineinhalb stunden, einundeinhalb stunden: PT1H30M"),
            amounts={"anderthalb": 1.5, "eineinhalb": 1.5, "zweieinhalb": 2.5, "dreieinhalb": 3.5,
                     "ein paar": 2, "paar": 2},
            ands=("und",), tails={"und eine halbe": 0.5, "und ein halb": 0.5, "einhalb": 0.5}),
        days={"heute": 0, "heute nacht": 0, "heute abend": 0, "gestern": -1, "gestern abend": -1,
              "gestern nacht": -1, "letzte nacht": -1, "morgen": 1, "vorgestern": -2},
        examples={"AMAZON.NUMBER": "fünf", "AMAZON.DURATION": "zehn minuten", "AMAZON.DATE": "gestern",
                  "AMAZON.TIME": "halb zehn"}),
    "fr": Spoken(
        Numerals(_words(
            "0 zéro; 1 un|une; 2 deux; 3 trois; 4 quatre; 5 cinq; 6 six; 7 sept; 8 huit; 9 neuf; "
            "10 dix; 11 onze; 12 douze; 13 treize; 14 quatorze; 15 quinze; 16 seize; 17 dix sept; "
            "18 dix huit; 19 dix neuf; 20 vingt; 21 vingt et un|vingt et une; 30 trente; "
            "31 trente et un|trente et une; 40 quarante; 41 quarante et un|quarante et une; "
            "50 cinquante; 51 cinquante et un|cinquante et une; 60 soixante; "
            "61 soixante et un|soixante et une; 70 soixante dix|septante; "
            "71 soixante et onze|septante et un|septante un; 80 quatre vingts|quatre vingt|huitante|octante; "
            "90 quatre vingt dix|nonante; 100 cent"),
            hundreds="{ones} cents|{ones} cent", hundreds_rest=("{hundreds} {rest}",),
            vigesimal=frozenset({70, 90})),
        Clock(at=("à", "a", "vers", "pour", "aux alentours de", "sur les", "dès"),
              marks=("heures", "heure", "h", "pile", "précises"),
              named={"midi": 12, "minuit": 0},
              fractions={"demie": 30, "demi": 30, "quart": 15, "le quart": 15},
              plus=("et",), minus=("moins",),
              parts=_table("du soir, ce soir, le soir: EV; de la nuit, cette nuit, la nuit: NI; "
                           "de l'après-midi, l'après-midi, cet après-midi: AF; du matin, le matin, "
                           "ce matin: MO")),
        Durations(
            units=_table("seconde, secondes: S; minute, minutes: M; heure, heures: H; jour, jours: D; "
                         "semaine, semaines: W; mois: MO; an, ans, année, années: Y"),
            idioms=_table("demi heure, une demi heure, une demie heure, demie heure: PT30M; quart d'heure, "
                          "un quart d'heure: PT15M; trois quarts d'heure, trois quart d'heure: PT45M"),
            amounts={"quelques": 2},
            ands=("et",), tails={"et demie": 0.5, "et demi": 0.5, "et quart": 0.25, "et un quart": 0.25}),
        days={"aujourd'hui": 0, "ce soir": 0, "cette nuit": 0, "hier": -1, "hier soir": -1,
              "demain": 1, "avant hier": -2},
        examples={"AMAZON.NUMBER": "cinq", "AMAZON.DURATION": "dix minutes", "AMAZON.DATE": "hier",
                  "AMAZON.TIME": "neuf heures et demie"}),
    "it": Spoken(
        Numerals(_words(
            "0 zero; 1 uno|un|una|un'; 2 due; 3 tre|tré; 4 quattro; 5 cinque; 6 sei; 7 sette; 8 otto; "
            "9 nove; 10 dieci; 11 undici; 12 dodici; 13 tredici; 14 quattordici; 15 quindici; "
            "16 sedici; 17 diciassette; 18 diciotto; 19 diciannove; 20 venti; 30 trenta; "
            "40 quaranta; 50 cinquanta; 60 sessanta; 70 settanta; 80 ottanta; 90 novanta; 100 cento"),
            tens_ones=("{tens}{ones}",), hundreds="{ones}cento", hundreds_rest=("{hundreds}{rest}",),
            joined=True, elide=True),
        Clock(at=("alle", "all'", "le", "l'", "verso le", "verso l'", "per le", "per l'", "intorno alle",
                  "intorno all'", "a", "ad"),
              marks=("in punto",),
              named={"mezzogiorno": 12, "mezzodì": 12, "mezzanotte": 0},
              fractions={"mezza": 30, "mezzo": 30, "un quarto": 15, "quarto": 15},
              plus=("e",), minus=("meno",),
              parts=_table("di sera, della sera, la sera, stasera, questa sera: EV; di notte, della notte, "
                           "la notte, stanotte, questa notte: NI; del pomeriggio, di pomeriggio, il "
                           "pomeriggio, oggi pomeriggio, questo pomeriggio: AF; di mattina, della mattina, "
                           "del mattino, di mattino, la mattina, stamattina, stamani: MO")),
        Durations(
            units=_table("secondo, secondi: S; minuto, minuti: M; ora, ore: H; giorno, giorni: D; "
                         "settimana, settimane: W; mese, mesi: MO; anno, anni: Y"),
            idioms=_table("mezz'ora, mezzora, mezza ora, una mezz'ora, una mezzora, una mezza ora: PT30M; "
                          "quarto d'ora, un quarto d'ora: PT15M; tre quarti d'ora: PT45M; "
                          "un'ora e mezza, un'ora e mezzo, un ora e mezza, ora e mezza: PT1H30M"),
            amounts={"un paio di": 2, "qualche": 2},
            ands=("e",), tails={"e mezza": 0.5, "e mezzo": 0.5, "e un quarto": 0.25, "e quarto": 0.25}),
        days={"oggi": 0, "stanotte": 0, "stasera": 0, "ieri": -1, "ieri sera": -1, "ieri notte": -1,
              "domani": 1, "l'altro ieri": -2, "altro ieri": -2},
        examples={"AMAZON.NUMBER": "cinque", "AMAZON.DURATION": "dieci minuti", "AMAZON.DATE": "ieri",
                  "AMAZON.TIME": "nove e mezza"}),
}


def _plain(words: str) -> tuple[str, ...]:
    """Words as the built-in tables compare them: accents dropped and "ß" -> "ss" (typed
    "veintitres", "dreissig" and "a las" for "a las"), elisions split ("mezz'ora" -> "mezz'",
    "ora"; "o'clock" -> "o'", "clock"), hyphens dropped ("demi-heure")."""
    text = words.lower().replace("-", " ")
    if not text.isascii():
        text = unicodedata.normalize("NFD", text.replace("ß", "ss"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    if "'" not in text:
        return tuple(text.split())
    out: list[str] = []
    for token in text.split():
        head, apostrophe, tail = token.partition("'")
        out.extend((head + "'", tail) if apostrophe and head and tail else (token,))
    return tuple(out)


# Built resolvers kept between processes (build/resolvers/, not in git): the tests, the tools
# they start and the 3.13 tier each build the thirteen locales, a second or two apiece, and
# unpickling one takes a third of that. Keyed by the model file's bytes and this file's own, so a
# change to either builds afresh; anything unreadable is built afresh too.
STORE = ROOT / "build" / "resolvers"


def _kept(cls, path: Path, locale: str, near: bool, build: Callable[[], Resolver]) -> Resolver:
    """The resolver ``build`` makes, read from STORE when a process before this one built it."""
    import hashlib
    import os
    import pickle
    import sys

    if cls is not Resolver or __name__ != "tools.resolver":  # run as a script: classes of __main__
        return build()
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"  # the tiers keep one each
    digest = hashlib.sha256(path.read_bytes() + Path(__file__).read_bytes()
                            + f"{locale} {near} {sys.version}".encode()).hexdigest()[:24]
    stored = STORE / f"{locale}-{python}-{digest}.pickle"
    try:
        with _collections_paused():
            return pickle.loads(stored.read_bytes())
    except Exception:  # noqa: BLE001 - none kept yet, or a half-written or stale file: build it
        pass
    built = build()
    try:
        STORE.mkdir(parents=True, exist_ok=True)
        for old in STORE.glob(f"{locale}-{python}-*.pickle"):  # what older models or code built
            old.unlink(missing_ok=True)
        partial = stored.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, stored)  # whole or not at all, whichever process writes last
    except OSError:
        pass  # a read-only tree: built each time, as before
    return built


@contextmanager
def _collections_paused() -> Iterator[None]:
    """No garbage collection while a resolver is built or unpickled: each adds 50,000 objects that
    stay, and the collector, counting them as they come, ran full collections over them and the
    whole heap again and again (six locales built in 3.0 s with it, 1.7 s without; thirteen kept
    ones unpickled in 11 s with it, 5 s without). Nothing made here is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _out_of_the_collectors_sight() -> None:
    """Freeze what is alive now (gc.freeze) after a resolver is built. A resolver is 50,000 objects
    a locale that never change; a test worker that builds all thirteen holds 700,000 of them, and
    every full collection scanned them all (0.7 s each, dozens of times a run: a fifth of the
    resolver-heavy test files' time, and once a pause of two seconds inside a request, which spent
    its table budget). Garbage is collected first, so nothing already dead is kept."""
    gc.collect()
    gc.freeze()


@functools.cache
def _compiled(lang: str) -> _CompiledSpoken:
    return _CompiledSpoken(SPOKEN[lang])


class _CompiledSpoken:
    """One language's tables keyed by plain words (built once, on first use)."""

    def __init__(self, spoken: Spoken):
        self.spoken, num, clock, dur = spoken, spoken.numerals, spoken.clock, spoken.durations
        self.joined = num.joined
        self.numbers: dict[str, int] = {}
        memo: dict[int, set[str]] = {}
        for n in range(1000):
            for form in sorted(num.forms(n, memo)):
                self.numbers.setdefault(self.key(_plain(form)), n)
        phrases = lambda table: {_plain(p): v for p, v in table.items()}  # noqa: E731
        self.at = sorted((_plain(p) for p in clock.at), key=len, reverse=True)
        self.marks = [_plain(p) for p in clock.marks]
        self.named = {self.key(_plain(p)): h for p, h in clock.named.items()}
        self.fractions = {" ".join(_plain(p)): m for p, m in clock.fractions.items()}
        self.joins = [(_plain(w), kind) for kind, words in (("plus", clock.plus), ("minus", clock.minus),
                                                            ("past", clock.past), ("to", clock.to))
                      for w in words]
        self.into = {_plain(p): m for p, m in clock.into.items()}
        self.onto = {_plain(p): m for p, m in clock.onto.items()}
        self.zero = set(clock.zero)
        self.parts = sorted(phrases(clock.parts).items(), key=lambda kv: len(kv[0]), reverse=True)
        self.units = {" ".join(_plain(w)): u for w, u in dur.units.items()}
        self.idioms = {self.key(_plain(p)): v for p, v in dur.idioms.items()}
        self.amounts = {self.key(_plain(p)): v for p, v in dur.amounts.items()}
        self.ands = {" ".join(_plain(w)) for w in dur.ands}
        self.tails = sorted(phrases(dur.tails).items(), key=lambda kv: len(kv[0]), reverse=True)
        self.days = {" ".join(_plain(p)): d for p, d in spoken.days.items()}

    def key(self, tokens: tuple[str, ...]) -> str:
        return ("" if self.joined else " ").join(tokens)

    def number(self, tokens: tuple[str, ...]) -> int | None:
        """A number said in this language or in English, 0..999; None when it is not one."""
        if not tokens:
            return None
        hit = self.numbers.get(self.key(tokens))
        if hit is None and self is not _compiled("en"):
            hit = _compiled("en").numbers.get(" ".join(tokens))
        return hit


def _number_value(words: str, today: dt.date, lang: str = "en") -> str | None:
    tokens = _plain(words)
    number = _compiled(lang).number(tokens)
    if number is None:
        number = words_to_number(" ".join(tokens))
    return None if number is None else str(number)


# --- durations --------------------------------------------------------------------------------
_DATE_UNITS, _TIME_UNITS = ("Y", "MO", "W", "D"), ("H", "M", "S")
_SMALLER = {"H": ("M", 60), "M": ("S", 60), "D": ("H", 24), "W": ("D", 7)}


def _duration_value(words: str, today: dt.date, lang: str = "en") -> str | None:
    """AMAZON.DURATION as Alexa sends it: "PT10M", "PT1H30M" ("an hour and a half"), "P2D"."""
    return _duration(lang, words)


@functools.lru_cache(maxsize=8192)
def _duration(lang: str, words: str) -> str | None:
    table, tokens = _compiled(lang), _plain(words)
    if table.key(tokens) in table.idioms:
        return table.idioms[table.key(tokens)]
    amounts: dict[str, float] = {}
    last, i = None, 0
    while i < len(tokens):
        tail = _starts(tokens, i, table.tails)
        if last and tail:
            amounts[last] += tail[1]
            i += len(tail[0])
            continue
        if last and tokens[i] in table.ands:
            i += 1
        for j in range(i + 1, len(tokens)):
            unit = table.units.get(tokens[j])
            amount = _amount(table, tokens[i:j]) if unit else None
            if amount is not None:
                amounts[unit] = amounts.get(unit, 0) + amount
                last, i = unit, j + 1
                break
        else:
            return None
    return _iso_duration(amounts) if amounts else None


def _starts(tokens: tuple[str, ...], i: int, phrases: list) -> tuple | None:
    for phrase, value in phrases:
        if tokens[i:i + len(phrase)] == phrase:
            return phrase, value
    return None


def _amount(table: _CompiledSpoken, tokens: tuple[str, ...]) -> float | None:
    """How many of a unit: a number, "a"/"an", "anderthalb", or "one and a half"."""
    if table.key(tokens) in table.amounts:
        return table.amounts[table.key(tokens)]
    number = table.number(tokens)
    if number is None and len(tokens) <= 4:
        number = words_to_number(" ".join(tokens))
    if number is not None:
        return number
    for phrase, fraction in table.tails:  # "one and a half hours", "zwei einhalb"
        if len(tokens) > len(phrase) and tokens[-len(phrase):] == phrase:
            whole = _amount(table, tokens[:-len(phrase)])
            return None if whole is None else whole + fraction
    if table is not _compiled("en"):
        return _compiled("en").amounts.get(" ".join(tokens))
    return None


def _iso_duration(amounts: dict[str, float]) -> str | None:
    amounts = dict(amounts)
    for unit in ("W", "D", "H", "M"):  # "an hour and a half" -> 1H 30M
        whole, fraction = divmod(amounts.get(unit, 0), 1)
        if fraction:
            smaller, factor = _SMALLER[unit]
            amounts[unit] = whole
            amounts[smaller] = amounts.get(smaller, 0) + fraction * factor
    if any(value != int(value) for value in amounts.values()):
        return None
    date = "".join(f"{int(amounts[u])}{u[0]}" for u in _DATE_UNITS if amounts.get(u))
    time = "".join(f"{int(amounts[u])}{u}" for u in _TIME_UNITS if amounts.get(u))
    if not date and not time:
        return None
    return "P" + date + (f"T{time}" if time else "")


# --- dates --------------------------------------------------------------------------------------
def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _month(day: dt.date, back: int = 0) -> str:
    index = day.year * 12 + day.month - 1 - back
    return f"{index // 12}-{index % 12 + 1:02d}"


def _date_value(words: str, today: dt.date, lang: str = "en") -> str | None:
    day = dt.timedelta(days=1)
    week = dt.timedelta(days=7)
    table = {
        "this week": _week(today), "last week": _week(today - week), "next week": _week(today + week),
        "this weekend": f"{_week(today)}-WE", "last weekend": f"{_week(today - week)}-WE",
        "this month": _month(today), "last month": _month(today, 1),
        "this year": str(today.year), "last year": str(today.year - 1),
    }
    key = " ".join(_plain(words))
    for days in (_compiled(lang).days, _compiled("en").days):
        if key in days:
            return (today + days[key] * day).isoformat()
    return table.get(words)


# --- times of day ------------------------------------------------------------------------------
def _time_value(words: str, today: dt.date, lang: str = "en") -> str | None:
    """AMAZON.TIME as Alexa sends it: "21:30", or "NI"/"EV"/"AF"/"MO" for a part of the day.

    "nine thirty" stays "09:30" (Alexa leaves a.m./p.m. to the skill when nobody says it);
    "nine thirty p m", "nine thirty at night", "half past nine pm", "21:30", "ten o'clock",
    "halb zehn abends", "a las nueve y media de la noche" and "à neuf heures et demie du soir"
    say it.
    """
    return _time(lang, words)


@functools.lru_cache(maxsize=8192)
def _time(lang: str, words: str) -> str | None:
    table, tokens = _compiled(lang), _plain(words)
    parts = dict(table.parts)
    if tokens in parts:
        return parts[tokens]
    for prefix in table.at:
        if len(tokens) > len(prefix) and tokens[:len(prefix)] == prefix:
            tokens = tokens[len(prefix):]
            break
    meridiem = None
    while len(tokens) > 1 and tokens[-1] in ("am", "pm", "a", "p", "m"):
        last = tokens[-1]
        tokens = tokens[:-1]
        meridiem = meridiem or {"p": "pm", "a": "am"}.get(last[0])
    part = None
    for phrase, code in table.parts:
        if len(tokens) > len(phrase) and tokens[-len(phrase):] == phrase:
            tokens, part = tokens[:-len(phrase)], code
            break
    tokens = _without(tokens, table.marks)
    said = _hour_minute(table, tokens)
    if said is None:
        return None
    hour, minute, named = said
    if not named:
        hour = _shift(hour, meridiem or part)
    return f"{hour % 24:02d}:{minute:02d}"


def _without(tokens: tuple[str, ...], phrases: list[tuple[str, ...]]) -> tuple[str, ...]:
    out, i = [], 0
    while i < len(tokens):
        for phrase in phrases:
            if i and tokens[i:i + len(phrase)] == phrase:  # a mark follows something ("nine o'clock")
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


def _shift(hour: int, part: str | None) -> int:
    """The 24-hour hour once a.m., p.m. or a part of the day is said."""
    if part in ("am", "MO"):
        return 0 if hour == 12 else hour
    if part in ("pm", "AF", "EV"):
        return hour + 12 if 1 <= hour < 12 else hour
    if part == "NI":  # nine at night is 21:00, two at night is 02:00, twelve at night midnight
        return hour + 12 if 6 <= hour < 12 else 0 if hour == 12 else hour
    return hour


def _hour_minute(table: _CompiledSpoken, tokens: tuple[str, ...]) -> tuple[int, int, bool] | None:
    """(hour, minute, named): "nine thirty", "nueve y media", "viertel vor zehn", "midi et demi"."""
    said = _base_hour(table, tokens)
    if said is not None:
        return said
    for i in range(1, len(tokens) - 1):
        for join, kind in table.joins:
            if tokens[i:i + len(join)] != join:
                continue
            left, right = tokens[:i], tokens[i + len(join):]
            if kind in ("plus", "minus"):
                hour, minutes = _base_hour(table, left), _minutes(table, right)
            else:
                hour, minutes = _base_hour(table, right), _minutes(table, left)
            if hour is not None and minutes is not None:
                sign = 1 if kind in ("plus", "past") else -1
                total = (hour[0] * 60 + hour[1] + sign * minutes) % 1440
                return total // 60, total % 60, hour[2]
    for i in range(1, len(tokens)):
        hour, minutes = _base_hour(table, tokens[:i]), _minutes(table, tokens[i:])
        if hour is not None and minutes is not None and hour[1] == 0:
            return hour[0], minutes, hour[2]
    return None


def _base_hour(table: _CompiledSpoken, tokens: tuple[str, ...]) -> tuple[int, int, bool] | None:
    """A whole hour ("nine", "midnight"), German "halb zehn" or British "half nine" (9:30 both):
    (hour, minute, named)."""
    if table.key(tokens) in table.named:
        return table.named[table.key(tokens)], 0, True
    number = table.number(tokens)
    if number is not None and number <= 24:
        return number, 0, False
    # (phrases, hours back from the one said, the highest hour said): ``into`` counts into the hour
    # before the one said, ``onto`` into the hour said (a clock's 1-12)
    for phrases, back, top in ((table.into, 1, 24), (table.onto, 0, 12)):
        for prefix, minutes in phrases.items():
            if len(tokens) > len(prefix) and tokens[:len(prefix)] == prefix:
                hour = table.number(tokens[len(prefix):])
                if hour is not None and 1 <= hour <= top:
                    return (hour - back) % 24, minutes, False
    return None


def _minutes(table: _CompiledSpoken, tokens: tuple[str, ...]) -> int | None:
    """Minutes past or before an hour: "thirty", "oh five", "media", "le quart"."""
    if " ".join(tokens) in table.fractions:
        return table.fractions[" ".join(tokens)]
    if len(tokens) == 2 and tokens[0] in table.zero:
        number = table.number(tokens[1:])
        return number if number is not None and number < 10 else None
    number = table.number(tokens)
    return number if number is not None and number < 60 else None


BUILTIN_VALUES: dict[str, Callable[..., str | None]] = {
    "AMAZON.TIME": _time_value,
    "AMAZON.NUMBER": _number_value,
    "AMAZON.DURATION": _duration_value,
    "AMAZON.DATE": _date_value,
}
# Words to put into a slot of a built-in type when a test needs an example (English).
BUILTIN_EXAMPLES = dict(SPOKEN["en"].examples)


# --- the resolver --------------------------------------------------------------------------
# Resolvers built by Resolver.from_locale, by model file (path, modification time, size) and options.
_BUILT: dict[tuple, Resolver] = {}


class Resolver:
    """Resolves typed words against one interaction model. Build once; ``resolve`` is cheap."""

    def __init__(self, model: Mapping, *, today: Callable[[], dt.date] = dt.date.today,
                 locale: str | None = None, near: bool = True):
        with _collections_paused():  # 50,000 new objects that stay (see _collections_paused)
            self._build(model, today, locale, near)

    def _build(self, model: Mapping, today: Callable[[], dt.date], locale: str | None, near: bool) -> None:
        lm = language_model(model)
        lang = (locale or "en").split("-")[0]
        self._lang = lang if lang in SPOKEN else "en"
        self.language = LANGUAGES.get(lang, LanguageWords())
        self.connectors = ASK_CONNECTORS + TELL_CONNECTORS + self.language.connectors
        self._fillers = (FILLERS | frozenset(self.language.fillers)) - frozenset(self.language.words)
        self._edge_fillers = EDGE_FILLERS + self.language.edge_fillers
        self._negations = NEGATIONS | frozenset(self.language.negations)
        self._typed = TYPED_CONTRACTIONS.get(lang, {})
        self.invocation = tuple(normalise(lm["invocationName"]))
        self.intents = tuple(intent["name"] for intent in lm["intents"])
        self._today = today
        self._declared = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
                          for i in lm["intents"]}
        self._values = _value_tables(lm.get("types", []))
        self._literals: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self._samples: list[_Sample] = []
        self._slot_samples: dict[str, list[_Sample]] = {}  # intent -> its dialog slot samples
        for intent in lm["intents"]:
            for sample in intent.get("samples", []):
                self._add_sample(intent["name"], sample)
            for slot in intent.get("slots", []):
                for sample in slot.get("samples") or ():
                    compiled = _compile(intent["name"], sample, slot["name"])
                    if compiled is not None:
                        self._slot_samples.setdefault(intent["name"], []).append(compiled)
        for intent, phrasings in BUILTIN_PHRASINGS.items():
            if intent in self._declared:
                for phrasing in phrasings:
                    self._add_literal(intent, phrasing, tuple(normalise(phrasing)))
        self.near = near
        self._near_samples = [*self._samples, *(
            _literal_sample(intent, text, words)
            for words, entries in self._literals.items() for intent, text in entries)]
        self._near_index = _near_index(self._near_samples)
        # The fewest words a sample's near match must share with what was said (_nearest): more
        # than half its literal words are matched, or _near_fill finds it not near enough.
        self._near_half = [sample.literal_count // 2 - (sample.literal_count - len(sample.literals))
                           for sample in self._near_samples]
        # Each sample with literal words under its rarest one: only samples whose anchor was said
        # can match, so a resolution looks at a few dozen samples, not all 5,000.
        self._by_anchor: dict[str, list[int]] = {}
        self._slots_only: list[int] = []
        for number, sample in enumerate(self._samples):
            if not sample.literals:
                self._slots_only.append(number)
                continue
            anchor = min(sorted(sample.literals), key=lambda w: len(self._near_index[w]))
            self._by_anchor.setdefault(anchor, []).append(number)

    @classmethod
    def from_locale(cls, locale: str = "en-US", root: Path = ROOT, **kwargs) -> Resolver:
        """The resolver for ``root``'s model of ``locale``. Building one reads every sample (half a
        second a locale), so a process builds it once for the file as it stands: a changed file
        (another size or modification time) is read again. A Resolver never changes once built.
        One given a clock of its own (``today``) is always built afresh."""
        path = Path(root) / "interaction_models" / f"{locale}.json"
        try:
            stat = path.stat()
        except OSError:  # no file: load_model says so
            stat = None
        if stat is None or set(kwargs) - {"near"}:  # a clock of its own (``today``) is built afresh
            return cls(load_model(locale, root), locale=locale, **kwargs)
        key = (cls, str(path.resolve()), stat.st_mtime_ns, stat.st_size, kwargs.get("near", True))
        if key not in _BUILT:
            _BUILT[key] = _kept(cls, path, locale, kwargs.get("near", True),
                                lambda: cls(load_model(locale, root), locale=locale, **kwargs))
            _out_of_the_collectors_sight()
        return _BUILT[key]

    # --- public ----------------------------------------------------------------------------
    def resolve(self, text: str, elicit: tuple[str, str] | Elicitation | None = None) -> Resolution:
        """The launch, intent or session end that ``text`` stands for.

        ``elicit=(intent, slot)``: the skill's last response elicited that slot (see step 6).
        """
        if text.strip().lower() == SESSION_ENDED:
            return Resolution(kind=END, intent=None, slots={}, text=text)
        words = [self._typed.get(word, word) for word in normalise(text)]
        invoked = self._invocation(words)
        if invoked is not None:
            if invoked == []:
                return Resolution(kind=LAUNCH, intent=None, slots={}, text=text, new_session=True)
            return self._resolve_words(invoked, text, new_session=True)
        if isinstance(elicit, Elicitation):
            elicit = elicit.target
        return self._resolve_words(words, text, new_session=False, elicit=elicit)

    def slot_samples(self, intent: str) -> dict[str, list[str]]:
        """Slot name -> the dialog model's samples for it, for ``intent``."""
        out: dict[str, list[str]] = {}
        for sample in self._slot_samples.get(intent, ()):
            out.setdefault(sample.slot or "", []).append(sample.text)
        return out

    def slot_types(self, intent: str) -> dict[str, str]:
        """Slot name -> slot type for every slot ``intent`` declares."""
        return dict(self._declared.get(intent, {}))

    def example_words(self, slot_type: str) -> str:
        """Words that fill a slot of this type: its first value, or a typical built-in value."""
        if slot_type in self._values:
            return self._values[slot_type].first
        return SPOKEN[self._lang].examples.get(slot_type, "something")

    def match(self, intent: str, slot: str, words: str) -> SlotMatch:
        """``words`` in ``intent``'s ``slot``, resolved as Alexa would (a custom type's id or no match)."""
        return self._fill(intent, slot, " ".join(normalise(words)))

    def value_id(self, slot_type: str, words: str) -> str | None:
        """The id ``words`` resolve to in a custom type, or None."""
        table = self._values.get(slot_type)
        hit = table.lookup.get(" ".join(normalise(words))) if table else None
        return hit[0] if hit else None

    # --- compiling -------------------------------------------------------------------------
    def _add_sample(self, intent: str, sample: str) -> None:
        compiled = _compile(intent, sample)
        if compiled is None:
            self._add_literal(intent, sample, _normalised(sample))
        else:
            self._samples.append(compiled)

    def _add_literal(self, intent: str, sample: str, words: tuple[str, ...]) -> None:
        entries = self._literals.setdefault(words, [])
        if all(known != intent for known, _ in entries):
            entries.append((intent, sample))

    # --- invocation ------------------------------------------------------------------------
    def _invocation(self, words: list[str]) -> list[str] | None:
        """The request inside an invocation: [] for a launch, None when not invoking the skill."""
        words = _strip_leading(words, self._fillers | LEADING_FILLERS)
        name, n = list(self.invocation), len(self.invocation)
        if words == name:
            return []
        heads = [(w,) for w in LAUNCH_WORDS] + list(INVOKE_PREFIXES)
        for head in heads:
            k = len(head)
            if tuple(words[:k]) == head and words[k:k + 1] and words[k] in NAME_ARTICLES \
                    and words[k + 1:k + 1 + n] == name:
                words = [*words[:k], *words[k + 1:]]  # "pede para a ajuda para cãibras ...": the article
            if tuple(words[:k]) == head and words[k:k + n] == name:
                rest = words[k + n:]
                if rest[:1] and rest[0] in AND_WORDS:
                    rest = rest[1:]
                if [w for w in rest if w not in FILLERS] in ([], ["please"], ["por", "favor"]):
                    return []  # "open leg cramp helper please" is a launch
                return rest
        head = words[0] if words else ""
        verbs = LAUNCH_WORDS + ("ask", "tell") + self.language.verbs
        if head in verbs and words[1:2] and words[1] in self.language.to and words[2:n + 2] == name:
            words = words[1:]  # "chiedi ad aiuto crampi ...": the verb's preposition
        if head in verbs and words[1:2] and words[1] in NAME_ARTICLES and words[2:n + 2] == name:
            words = [words[0], *words[2:]]  # "abre a ajuda para cãibras"
        if head in verbs and words[1:n + 1] == name:
            rest = words[n + 1:]
            if rest[:1] in (["and"], ["und"], ["e"]):
                rest = rest[1:]
            if [w for w in rest if w not in self._fillers] in ([], ["please"], ["bitte"], ["per", "favore"]):
                return []  # "open leg cramp helper please" is a launch
            return rest
        if words[:2] in (["talk", "to"], ["habla", "con"]) and words[2:] == name:
            return []
        trailing = TRAILING_INVOCATION + self.language.trailing
        for i in range(1, len(words) - n):
            if words[i] in trailing and words[i + 1:] == name:
                return words[:i]
        return None

    # --- matching --------------------------------------------------------------------------
    def _resolve_words(self, words: list[str], text: str, *, new_session: bool,
                       elicit: tuple[str, str] | None = None) -> Resolution:
        extra = self._slot_samples.get(elicit[0], []) if elicit else []
        candidates = list(self._candidates(words, new_session, extra))
        if not candidates and self.near:
            nearest = self._nearest(words, new_session, extra)
            if nearest is not None:
                candidate, edits = nearest
                return Resolution(kind=INTENT, intent=candidate.intent, slots=candidate.slots, text=text,
                                  new_session=new_session, slot_types=self.slot_types(candidate.intent),
                                  sample=candidate.sample, ignored=candidate.ignored,
                                  elicited=candidate.elicited, near=edits)
        if not candidates:
            intent = FALLBACK if FALLBACK in self._declared else None
            return Resolution(kind=INTENT, intent=intent, slots={}, text=text,
                              new_session=new_session, slot_types=self.slot_types(intent or ""))
        best = max(candidates, key=lambda c: c.score)
        ties = sorted({c.intent for c in candidates if c.score == best.score} - {best.intent})
        return Resolution(kind=INTENT, intent=best.intent, slots=best.slots, text=text,
                          new_session=new_session, slot_types=self.slot_types(best.intent),
                          sample=best.sample, ignored=best.ignored, ties=tuple(ties),
                          elicited=best.elicited)

    def _candidates(self, words: list[str], invoked: bool,
                    slot_samples: list[_Sample] = ()) -> Iterator[_Candidate]:
        for variant, ignored in _variants(words, invoked, self.connectors, self._fillers,
                                             self._edge_fillers):
            if not variant:
                continue
            for intent, sample_text in self._literals.get(tuple(variant), ()):
                score = Score(0, 1, 0, len(variant), 0, -len(ignored))
                yield _Candidate(score, intent, sample_text, {}, ignored)
            present = set(variant)
            numbers = sorted({*self._slots_only, *(n for w in present for n in self._by_anchor.get(w, ()))})
            for sample in (*(self._samples[n] for n in numbers), *slot_samples):
                if sample.literals <= present and len(sample.parts) <= len(variant):
                    best = self._best_fill(sample, variant, ignored)
                    if best is not None:
                        yield best

    def _best_fill(self, sample: _Sample, words: list[str], ignored: tuple) -> _Candidate | None:
        best: _Candidate | None = None
        for spans in _splits(sample.parts, words):
            slots = {name: self._fill(sample.intent, name, " ".join(words[a:b]))
                     for name, (a, b) in spans.items()}
            if any(s.status is None and s.value is None and s.slot_type in BUILTIN_VALUES
                   for s in slots.values()):
                continue  # a built-in type (a number, a time) only takes words that are one
            resolved = sum(1 for s in slots.values() if _resolved(s))
            if sample.slots_only and resolved < len(slots):
                continue
            unresolved = sum(len(s.words.split()) for s in slots.values() if s.status == NO_MATCH)
            elicited = int(sample.slot is not None and resolved == len(slots))
            score = Score(elicited, 0, resolved, sample.literal_count, -unresolved, -len(ignored))
            if best is None or score > best.score:
                best = _Candidate(score, sample.intent, sample.text, slots, ignored, sample.slot)
        return best

    # --- near matches (step 7) ----------------------------------------------------------------
    def _nearest(self, words: list[str], invoked: bool,
                 slot_samples: list[_Sample] = ()) -> tuple[_Candidate, int] | None:
        """The sample nearest the words when none matches exactly, and how many words it took."""
        best: tuple | None = None
        for variant, ignored in _variants(words, invoked, self.connectors, self._fillers,
                                             self._edge_fillers):
            budget = near_budget(len(variant))
            if not budget:
                continue
            present = set(variant)
            # the words each sample shares with these, counted along the index (in the order the
            # samples are first met, the words in order: a tie goes the same way in every process):
            # no set is built for each of the thousands of samples a common word meets
            counts = Counter(chain.from_iterable(self._near_index.get(word, ()) for word in sorted(present)))
            pool = [(sample, len(sample.literals & present)) for sample in slot_samples]
            # a sample sharing no more than half its literal words can't be near (each literal
            # word matched was said; each one not matched is an edit): not aligned at all
            samples, half = self._near_samples, self._near_half
            pool += [(samples[index], shared) for index, shared in counts.items() if shared > half[index]]
            for sample, shared in pool:
                if sample.slot is None and (shared == 0 or 2 * shared < len(sample.literals)):
                    continue
                if sample.literal_count - shared > budget:
                    continue
                found = self._near_fill(sample, variant, budget)
                if found is None:
                    continue
                key, slots = found
                if best is None or key > best[0]:
                    best = (key, sample, slots, ignored)
        if best is None:
            return None
        (minus_edits, resolved, matched, minus_unresolved), sample, slots, ignored = best
        # a dialog slot sample is only taken with its slots resolved (_near_fill): the answer asked for
        score = Score(int(sample.slot is not None), 0, resolved, matched, minus_unresolved, -len(ignored))
        return _Candidate(score, sample.intent, sample.text, slots, ignored, sample.slot), -minus_edits

    def _near_fill(self, sample: _Sample, words: list[str], budget: int):
        """The cheapest alignment of ``words`` with the sample, a word added or left out costing one:
        ((-edits, resolved slots, literal words matched, unresolved slot words), slots), or None
        when it takes more than ``budget`` edits or leaves a slot-only sample's slot unresolved."""
        parts, n, m = sample.parts, len(words), len(sample.parts)
        # cost[i][j]: (edits, -resolved, -matched, unresolved) aligning words[:i] with parts[:j]
        cost: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        cost[0][0] = (0, 0, 0, 0)

        def relax(i: int, j: int, c: tuple, step: tuple) -> None:
            if c[0] <= budget and (cost[i][j] is None or c < cost[i][j]):
                cost[i][j], back[i][j] = c, step

        for i in range(n + 1):
            for j in range(m + 1):
                here = cost[i][j]
                if here is None:
                    continue
                e, r, k, u = here
                if i < n and words[i] not in self._negations:  # a word the sample does not have
                    relax(i + 1, j, (e + 1, r, k, u), (i, j, None))
                if j == m:
                    continue
                is_slot, token = parts[j]
                if not is_slot:
                    if i < n and words[i] == token:
                        relax(i + 1, j + 1, (e, r, k - 1, u), (i, j, None))
                    if token not in self._negations:  # a sample word not said
                        relax(i, j + 1, (e + 1, r, k, u), (i, j, None))
                    continue
                for end in range(i + 1, min(n, i + NEAR_SLOT_WORDS) + 1):
                    slot = self._fill(sample.intent, token, " ".join(words[i:end]))
                    if slot.status is None and slot.value is None and slot.slot_type in BUILTIN_VALUES:
                        continue
                    ok = _resolved(slot)
                    if sample.slots_only and not ok:
                        continue
                    unresolved = end - i if slot.status == NO_MATCH else 0
                    relax(end, j + 1, (e, r - int(ok), k, u + unresolved), (i, j, (token, slot)))
        final = cost[n][m]
        if final is None:
            return None
        edits, minus_resolved, minus_matched, unresolved = final
        if -minus_matched <= edits + unresolved / 2:
            return None  # fewer words matched than changed or left to guess: not near enough
        if sample.slot is not None and -minus_resolved < sum(1 for is_slot, _ in parts if is_slot):
            return None  # an answer to the question asked only when its slot resolves
        slots: dict[str, SlotMatch] = {}
        i, j = n, m
        while (i, j) != (0, 0):
            pi, pj, filled = back[i][j]
            if filled is not None:
                slots[filled[0]] = filled[1]
            i, j = pi, pj
        return (-edits, -minus_resolved, -minus_matched, -unresolved), slots

    def _fill(self, intent: str, slot: str, words: str) -> SlotMatch:
        slot_type = self._declared.get(intent, {}).get(slot, "")
        table = self._values.get(slot_type)
        if table is not None:
            hit = table.lookup.get(words)
            if hit:
                return SlotMatch(words, hit[0], MATCH, slot_type, name=hit[1])
            return SlotMatch(words, None, NO_MATCH, slot_type)
        recogniser = BUILTIN_VALUES.get(slot_type)
        value = recogniser(words, self._today(), self._lang) if recogniser else None
        return SlotMatch(words, None, None, slot_type, value=value)


def _resolved(slot: SlotMatch) -> bool:
    return slot.status == MATCH or (slot.status is None and slot.value is not None)


@dataclass(frozen=True)
class _ValueTable:
    first: str
    lookup: dict[str, tuple[str, str]]  # normalised words -> (id, canonical name)


def _value_tables(types: list) -> dict[str, _ValueTable]:
    tables = {}
    for slot_type in types:
        lookup: dict[str, tuple[str, str]] = {}
        for value in slot_type.get("values", []):
            name = value["name"]["value"]
            for said in (name, *value["name"].get("synonyms", [])):
                lookup.setdefault(" ".join(normalise(said)), (value.get("id") or name, name))
        values = slot_type.get("values") or [{"name": {"value": ""}}]
        tables[slot_type["name"]] = _ValueTable(values[0]["name"]["value"], lookup)
    return tables


@functools.lru_cache(maxsize=1 << 18)
def _compile(intent: str, sample: str, slot: str | None = None) -> _Sample | None:
    """A sample with slots, ready to match; None for a sample of literal words only. Remembered (a
    _Sample never changes): the English locales share most samples, and model checks build copies."""
    parts = _sample_parts(sample)
    if not any(is_slot for is_slot, _ in parts):
        return None
    literals = [word for is_slot, word in parts if not is_slot]
    return _Sample(intent, sample, parts, frozenset(literals), len(literals), not literals, slot)


@functools.lru_cache(maxsize=1 << 18)
def _literal_sample(intent: str, text: str, words: tuple[str, ...]) -> _Sample:
    """A sample of literal words only, as the near tier compares it (remembered, as _compile)."""
    return _Sample(intent, text, tuple((False, w) for w in words), frozenset(words), len(words), False)


@functools.lru_cache(maxsize=1 << 17)
def _sample_parts(sample: str) -> tuple[tuple[bool, str], ...]:
    """A sample's parts in order: (True, slot name) or (False, a word). Remembered: the English
    locales share most samples, and a process builds every locale's resolver."""
    if "{" not in sample:
        return tuple((False, word) for word in _normalised(sample))
    parts: list[tuple[bool, str]] = []
    for token in _SLOT_SPLIT.split(sample):
        slot = _SLOT.match(token.strip())
        if slot:
            parts.append((True, slot.group(1)))
        else:
            parts.extend((False, word) for word in _normalised(token))
    return tuple(parts)


def _splits(parts: tuple, words: list[str], pi: int = 0, wi: int = 0) -> Iterator[dict]:
    """Every way the sample's parts cover ``words`` exactly: slot name -> (start, end)."""
    if pi == len(parts):
        if wi == len(words):
            yield {}
        return
    is_slot, token = parts[pi]
    if not is_slot:
        if wi < len(words) and words[wi] == token:
            yield from _splits(parts, words, pi + 1, wi + 1)
        return
    last = len(words) - (len(parts) - pi - 1)
    for end in range(wi + 1, last + 1):
        for rest in _splits(parts, words, pi + 1, end):
            yield {token: (wi, end), **rest}


def _strip_leading(words: list[str], fillers: frozenset[str]) -> list[str]:
    start = 0
    while start < len(words) and words[start] in fillers:
        start += 1
    return words[start:]


def _variants(words: list[str], invoked: bool, connectors: tuple[str, ...] = ASK_CONNECTORS + TELL_CONNECTORS,
              fillers: frozenset[str] = FILLERS, edge_fillers: tuple[str, ...] = EDGE_FILLERS,
              ) -> Iterator[tuple[list[str], tuple[str, ...]]]:
    """The words as said, and with fillers dropped: (words, dropped words)."""
    seen: set[tuple[str, ...]] = set()
    bases = [(words, ())]
    if invoked and words and words[0] in connectors:
        bases.append((words[1:], (words[0],)))
    for base, dropped in bases:
        core = [w for w in base if w not in fillers]
        for variant in (base, core, _unrepeated(core)):
            for trimmed in (variant, _strip_leading(variant, LEADING_FILLERS)):
                for edged in (trimmed, _strip_edges(trimmed, edge_fillers),
                              _strip_trailing(trimmed, edge_fillers)):
                    key = tuple(edged)
                    if key in seen:
                        continue
                    seen.add(key)
                    yield edged, dropped + _dropped(words, edged, dropped)


def _unrepeated(words: list[str]) -> list[str]:
    """Words said twice in a row once: "wait wait wait" -> "wait", "thank you thank you" -> "thank you"."""
    out = list(words)
    for size in (1, 2, 3):
        i = 0
        while i + 2 * size <= len(out):
            if out[i:i + size] == out[i + size:i + 2 * size]:
                del out[i + size:i + 2 * size]
            else:
                i += 1
    return out


def _strip_edges(words: list[str], edge_fillers: tuple[str, ...] = EDGE_FILLERS) -> list[str]:
    """Drop "please", "thanks", "thank you" or "sorry" at either end."""
    changed = True
    while changed and words:
        changed = False
        for filler in edge_fillers:
            f = filler.split()
            if words[:len(f)] == f:
                words, changed = words[len(f):], True
            if words[-len(f):] == f and words:
                words, changed = words[:-len(f)], True
    return words


def _strip_trailing(words: list[str], edge_fillers: tuple[str, ...] = EDGE_FILLERS) -> list[str]:
    """Drop a trailing "now" ("it's easing off now"), after the edge fillers."""
    words = _strip_edges(words, edge_fillers)
    while len(words) > 1 and words[-1] in TRAILING_FILLERS:
        words = words[:-1]
    return words


def _dropped(original: list[str], kept: list[str], already: tuple) -> tuple[str, ...]:
    """The words of ``original`` not in ``kept`` (a subsequence of it), minus ``already``."""
    remaining = list(original[len(already):]) if already else list(original)
    out, k = [], 0
    for word in remaining:
        if k < len(kept) and kept[k] == word:
            k += 1
        else:
            out.append(word)
    return tuple(out)


# Step 7: how far a near match may be. Alexa's NLU is statistical: a phrasing a word or two away
# from a sample is heard as that sample's intent. Exact matches always win; a near match is tried
# only when nothing matched, and gives up on long rambles.
NEAR_SLOT_WORDS = 8  # the longest slot value a near match fills


def near_budget(words: int) -> int:
    """Words that may be added or left out against a sample, by the utterance's length: none under
    four words ("the left one" is no cramp unless the skill asked where) or over twenty-four."""
    return 0 if words < 4 or words > 24 else 1 if words <= 6 else 2 if words <= 11 else 3


def _near_index(samples: list[_Sample]) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for number, sample in enumerate(samples):
        for word in sample.literals:
            index.setdefault(word, []).append(number)
    return {word: tuple(numbers) for word, numbers in index.items()}
