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

Built-in slot types get a value the way Alexa sends them: AMAZON.NUMBER as digits, AMAZON.DATE
as ISO 8601 ("2026-11-23", "2026-W47", "2026-11") for common relative phrases, AMAZON.DURATION
as "PT10M"; other AMAZON.* types carry the words. Built-in types have no entity resolution.

Public API: ``Resolver.from_locale(locale)``, ``Resolver(model)``,
``Resolver.resolve(text, elicit=None)`` -> ``Resolution``; ``SlotMatch``; ``Elicitation``;
``normalise(text)``; ``load_model(locale)``; ``BUILTIN_PHRASINGS``; ``SESSION_ENDED``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
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
                   ("pergunte", "para"))
ASK_CONNECTORS = ("to", "about", "for", "if", "whether", "si", "sobre", "de", "se")
TELL_CONNECTORS = ("that", "to", "que", "para")
AND_WORDS = ("and", "y", "et", "e")  # "open <name> and ...", "abre <name> y ...", "ouvre <name> et ..."
TRAILING_INVOCATION = ("using", "with", "from", "on", "con")
WAKE_WORDS = ("alexa",)
FILLERS = frozenset({"um", "umm", "uh", "er", "erm", "hmm", "mm", "ah", "oh", "ow", "ouch", "ugh", "argh",
                     "oof", "phew", "whew", "alexa"})
LEADING_FILLERS = frozenset({"okay", "ok", "so", "well", "hey", "a", "an", "the"})
EDGE_FILLERS = ("please", "thanks", "thank you", "sorry", "por favor")
TRAILING_FILLERS = ("now",)  # "it's easing off now", "I'm ready to go now"

_SLOT = re.compile(r"^\{(\w+)\}$")


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


LANGUAGES: dict[str, LanguageWords] = {
    "de": LanguageWords(
        verbs=("öffne", "öffnen", "starte", "starten", "frag", "frage", "sag", "sage", "bitte",
               "spiel", "lade", "benutze", "nutze"),
        to=(),
        connectors=("ob", "nach", "wegen", "dass", "zu", "wie", "was", "wann", "um"),
        trailing=("mit", "bei", "von", "über"),
        fillers=("äh", "ähm", "öhm", "hm", "au", "aua", "autsch", "aah", "uff"),
        edge_fillers=("bitte", "danke", "entschuldigung")),
    "it": LanguageWords(
        verbs=("apri", "avvia", "chiedi", "di'", "dì", "di", "lancia", "fai", "usa"),
        to=("a", "ad"),
        connectors=("di", "se", "che", "come", "per", "su", "quando", "perché"),
        trailing=("con", "su"),
        fillers=("ehm", "uhm", "mmm", "ahi", "ahia", "ahio", "uffa"),
        edge_fillers=("per favore", "grazie", "scusa")),
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
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=[a-z])\.(?=[a-z])", "", text)  # "p.m." -> "pm."
    text = re.sub(r"\d+", lambda m: f" {_number_said(m.group())} ", text)
    text = re.sub(r"[^\w'{}\s]|_", " ", text)  # letters of any language ("sí", "fuß", "è") stay
    words = []
    for word in text.split():
        word = word.lstrip("'")
        if word.endswith("'") and not word.endswith("s'"):
            word = word.rstrip("'")
        if word:
            words.append(word)
    return words


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


# --- built-in slot types -------------------------------------------------------------------
_DURATION_UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W",
                   "month": "M", "year": "Y"}


def _number_value(words: str, today: dt.date) -> str | None:
    number = words_to_number(words)
    return None if number is None else str(number)


def _duration_value(words: str, today: dt.date) -> str | None:
    if words in ("half an hour", "half hour"):
        return "PT30M"
    tokens = words.split()
    if len(tokens) < 2:
        return None
    unit = tokens[-1].removesuffix("s")
    number = 1 if tokens[:-1] in (["a"], ["an"]) else words_to_number(" ".join(tokens[:-1]))
    if unit not in _DURATION_UNITS or number is None:
        return None
    prefix = "PT" if unit in ("second", "minute", "hour") else "P"
    return f"{prefix}{number}{_DURATION_UNITS[unit]}"


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _month(day: dt.date, back: int = 0) -> str:
    index = day.year * 12 + day.month - 1 - back
    return f"{index // 12}-{index % 12 + 1:02d}"


def _date_value(words: str, today: dt.date) -> str | None:
    day = dt.timedelta(days=1)
    week = dt.timedelta(days=7)
    table = {
        "today": today.isoformat(), "tonight": today.isoformat(),
        "yesterday": (today - day).isoformat(), "last night": (today - day).isoformat(),
        "tomorrow": (today + day).isoformat(),
        "this week": _week(today), "last week": _week(today - week), "next week": _week(today + week),
        "this weekend": f"{_week(today)}-WE", "last weekend": f"{_week(today - week)}-WE",
        "this month": _month(today), "last month": _month(today, 1),
        "this year": str(today.year), "last year": str(today.year - 1),
    }
    return table.get(words)


_TIME_PERIODS = {"tonight": "NI", "at night": "NI", "night": "NI", "in the evening": "EV",
                 "evening": "EV", "this evening": "EV", "in the morning": "MO", "morning": "MO"}


def _time_value(words: str, today: dt.date) -> str | None:
    """AMAZON.TIME as Alexa sends it: "21:30", or "NI"/"EV"/"MO" for a part of the day.

    "nine thirty" stays "09:30" (Alexa leaves a.m./p.m. to the skill when nobody says it);
    "nine thirty p m", "half past nine pm", "21:30" and "ten o'clock" are understood too.
    """
    if words in _TIME_PERIODS:
        return _TIME_PERIODS[words]
    tokens = words.replace(":", " ").replace("o'clock", "").split()
    meridiem = None
    while tokens and tokens[-1] in ("am", "pm", "a", "p", "m", "a.m.", "p.m."):
        last = tokens.pop()
        meridiem = meridiem or ("pm" if last.startswith("p") else "am" if last.startswith("a") else None)
    minutes = 0
    if tokens[:2] == ["half", "past"]:
        tokens, minutes = tokens[2:], 30
    elif tokens[:2] == ["quarter", "past"]:
        tokens, minutes = tokens[2:], 15
    if not tokens:
        return None
    hour = words_to_number(tokens[0]) if minutes else None
    if hour is None:
        for split in range(1, len(tokens) + 1):
            head, tail = " ".join(tokens[:split]), " ".join(tokens[split:])
            first = words_to_number(head)
            rest = words_to_number(tail) if tail else 0
            if first is not None and rest is not None and first <= 24 and rest < 60:
                hour, minutes = first, rest
                break
    if hour is None or hour > 24:
        return None
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return f"{hour % 24:02d}:{minutes:02d}"


BUILTIN_VALUES: dict[str, Callable[[str, dt.date], str | None]] = {
    "AMAZON.TIME": _time_value,
    "AMAZON.NUMBER": _number_value,
    "AMAZON.DURATION": _duration_value,
    "AMAZON.DATE": _date_value,
}
# Words to put into a slot of a built-in type when a test needs an example.
BUILTIN_EXAMPLES = {"AMAZON.NUMBER": "five", "AMAZON.DURATION": "ten minutes",
                    "AMAZON.DATE": "last week", "AMAZON.TIME": "nine thirty"}


# --- the resolver --------------------------------------------------------------------------
class Resolver:
    """Resolves typed words against one interaction model. Build once; ``resolve`` is cheap."""

    def __init__(self, model: Mapping, *, today: Callable[[], dt.date] = dt.date.today,
                 locale: str | None = None):
        lm = language_model(model)
        self.language = LANGUAGES.get((locale or "en").split("-")[0], LanguageWords())
        self.connectors = ASK_CONNECTORS + TELL_CONNECTORS + self.language.connectors
        self._fillers = FILLERS | frozenset(self.language.fillers)
        self._edge_fillers = EDGE_FILLERS + self.language.edge_fillers
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

    @classmethod
    def from_locale(cls, locale: str = "en-US", root: Path = ROOT, **kwargs) -> Resolver:
        return cls(load_model(locale, root), locale=locale, **kwargs)

    # --- public ----------------------------------------------------------------------------
    def resolve(self, text: str, elicit: tuple[str, str] | Elicitation | None = None) -> Resolution:
        """The launch, intent or session end that ``text`` stands for.

        ``elicit=(intent, slot)``: the skill's last response elicited that slot (see step 6).
        """
        if text.strip().lower() == SESSION_ENDED:
            return Resolution(kind=END, intent=None, slots={}, text=text)
        words = normalise(text)
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
        return BUILTIN_EXAMPLES.get(slot_type, "something")

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
            self._add_literal(intent, sample, tuple(word for _, word in _sample_parts(sample)))
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
            for sample in (*self._samples, *slot_samples):
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

    def _fill(self, intent: str, slot: str, words: str) -> SlotMatch:
        slot_type = self._declared.get(intent, {}).get(slot, "")
        table = self._values.get(slot_type)
        if table is not None:
            hit = table.lookup.get(words)
            if hit:
                return SlotMatch(words, hit[0], MATCH, slot_type, name=hit[1])
            return SlotMatch(words, None, NO_MATCH, slot_type)
        recogniser = BUILTIN_VALUES.get(slot_type)
        value = recogniser(words, self._today()) if recogniser else None
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


def _compile(intent: str, sample: str, slot: str | None = None) -> _Sample | None:
    """A sample with slots, ready to match; None for a sample of literal words only."""
    parts = tuple(_sample_parts(sample))
    if not any(is_slot for is_slot, _ in parts):
        return None
    literals = [word for is_slot, word in parts if not is_slot]
    return _Sample(intent, sample, parts, frozenset(literals), len(literals), not literals, slot)


def _sample_parts(sample: str) -> Iterator[tuple[bool, str]]:
    for token in re.split(r"(\{\w+\})", sample):
        slot = _SLOT.match(token.strip())
        if slot:
            yield True, slot.group(1)
        else:
            for word in normalise(token):
                yield False, word


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
