"""Red-flag triage: which care a report needs, decided before any question's own answers. Pure.

Nothing here touches a request, a response or the table: the handlers pass in what Alexa resolved
and get back a ``Triage`` that says how urgent it is, which content lines to say, whether the
session stays open, whether a card is shown and whether a red flag is logged. The words live in
``content/<locale>.json`` (sections ``red_flags``, ``ten_minutes``, ``distress``, ``medicines``);
``fill`` puts the locale's emergency number into them. The number is never written in code or text.

API
---
``assess(readings, *, emergency_intent=False, during="idle") -> Triage``
    ``readings``: the RedFlagIntent's Symptom and OtherSymptom readings, as cramp_helper.slots reads
    them (anything with ``.status`` and ``.id``, or a ``(status, id)`` pair), MISSING ones included.
    ``emergency_intent``: True for EmergencyIntent (whatever its slots say).
    ``during``: where the person is, for the way back after a clarifying question:
    ``"idle"`` (one-shot, launch, or a question outside a routine: delete, reminder time, muscle),
    ``"relief"`` (a relief routine or its check-in/pause/again questions), ``"bedtime"``.
    Rules, most urgent first (compound means the most urgent):
      EMERGENCY  EmergencyIntent, or any CHEST_PAIN / BREATHLESS / COUGHING_BLOOD, whatever else is
                 said. Line red_flags.EMERGENCY (says the number), card, session ends.
      SAME_DAY   PREGNANT with a leg sign (red_flags.PREGNANT); FEVER with a leg sign
                 (red_flags.FEVER); a leg sign: SWOLLEN RED WARM TENDER HARD DISCOLOURED BIGGER
                 (red_flags.CLOT); CLOT named (red_flags.CLOT_NAMED); WOUND (red_flags.WOUND): card,
                 session ends. WONT_STOP: ten_minutes.advice, card, session stays open with
                 ten_minutes.offer (gentle guidance only if the person asks).
      SOON       NUMB or WEAK: red_flags.SOON, card, then the clarifying question (is the leg
                 swollen, red or warm?).
      CLARIFY    only words Alexa could not resolve, an id this table does not know, or PREGNANT /
                 FEVER without a leg sign: a short lead-in and one clarifying question; never the
                 emergency line, no card. Answer with ``after_clarify``.
      NONE       no readings at all (a request that reported no symptom).
    An empty ``readings`` list means "no symptom reported" (NONE); a RedFlagIntent whose slots are
    all empty still passes its MISSING readings and gets CLARIFY.
``after_clarify(pending, yes, *, during="idle") -> Triage``
    The answer to the clarifying question. ``pending`` is ``Triage.symptoms`` of the CLARIFY or SOON
    triage that asked it (keep it in the session); ``yes`` means the leg is swollen, red or warm.
    yes: assessed again with SWOLLEN added (PREGNANT -> red_flags.PREGNANT, FEVER -> red_flags.FEVER,
    else red_flags.CLOT). no: NONE with the way-back line red_flags.clarify_back_<during>; the
    caller then asks the question of where the person was.
``ten_minute_check(started_at, now) -> bool``: the episode has lasted at least ten minutes.
``long_cramp(minutes, started_at, now) -> Triage``: "it won't go away", "it's been N minutes".
``TEN_MINUTE_LEAD``: the Triage to lead the next answer with once ``ten_minute_check`` first holds.
``distress(kind=None) -> Triage``: "is this serious", "am I dying" ...; kind one of DISTRESS_KINDS
    or None (the GENERAL line, which fits them all: DistressIntent carries no slot).
``medicine(medicine_id) -> Triage``: the answer to a medicine question, by MedicineType id.
``text(content, key, **values) -> str`` and ``fill(content, template, **values) -> str``: a content
    line by dotted key ("red_flags.CLOT"), with ``{emergency}`` filled from content.emergency_number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum
from string import Formatter

from .slots import MATCH, MISSING, status_and_id


class Urgency(IntEnum):
    """Ordered: the larger, the more urgent, so ``max`` picks the most urgent."""

    NONE = 0
    CLARIFY = 1
    SOON = 2
    SAME_DAY = 3
    EMERGENCY = 4


# SymptomType ids (the interaction-model contract).
EMERGENCY_SIGNS = frozenset({"CHEST_PAIN", "BREATHLESS", "COUGHING_BLOOD"})
LEG_SIGNS = frozenset({"SWOLLEN", "RED", "WARM", "TENDER", "HARD", "DISCOLOURED", "BIGGER"})
SOON_SIGNS = frozenset({"NUMB", "WEAK"})
CONTEXT_ONLY = frozenset({"PREGNANT", "FEVER"})  # alone: a question; with a leg sign: same day
SYMPTOM_IDS = EMERGENCY_SIGNS | LEG_SIGNS | SOON_SIGNS | CONTEXT_ONLY | {"CLOT", "WOUND", "WONT_STOP"}

DURING = ("idle", "relief", "bedtime")
DISTRESS_KINDS = ("GENERAL", "SERIOUS", "DYING", "UNBEARABLE", "CANT_MOVE", "DIZZY", "SCARED",
                  "HOSPITAL")
MEDICINE_IDS = ("MAGNESIUM", "QUININE", "TONIC_WATER", "PAINKILLER", "MUSCLE_RELAXANT", "SUPPLEMENT",
                "NEW_MEDICINE")
TEN_MINUTES = timedelta(minutes=10)

PLACEHOLDERS = frozenset({"emergency"})  # the only placeholder a safety line may hold

CARD_CARE = "red_flags.card_title"
CARD_SOON = "red_flags.card_title_soon"
CLARIFY_QUESTION = "red_flags.clarify_question"
CLARIFY_REPROMPT = "red_flags.clarify_reprompt"


@dataclass(frozen=True)
class Triage:
    """What to do about a report. Keys are dotted content keys ("red_flags.CLOT").

    Say ``line`` (if any) in the normal voice, then ``question`` (if any) with ``reprompt``.
    ``ends_session``: no question; the session ends after the line. ``card``: the card title key;
    the card's body is the filled ``line``. ``symptoms``: the known SymptomType ids heard (keep
    them in the session when ``asks_clarify``, for ``after_clarify``). ``unresolved``: a word Alexa
    could not resolve was heard. ``says_number``: the line names the emergency number.
    """

    urgency: Urgency
    line: str | None = None
    question: str | None = None
    reprompt: str | None = None
    ends_session: bool = False
    card: str | None = None
    says_number: bool = False
    symptoms: tuple[str, ...] = ()
    unresolved: bool = False

    @property
    def stops_routine(self) -> bool:
        """No stretch or massage may follow in this answer (the routine stops or waits)."""
        return self.urgency >= Urgency.SAME_DAY

    @property
    def logs_red_flag(self) -> bool:
        """The episode ends as a red flag (EMERGENCY or SAME_DAY that ends the session). A cramp
        that won't stop is still a cramp: its episode goes on (marked escalated) and ends as usual."""
        return self.urgency >= Urgency.SAME_DAY and self.ends_session

    @property
    def asks_clarify(self) -> bool:
        """The question asked is the clarifying one: answer it with ``after_clarify``."""
        return self.question == CLARIFY_QUESTION


NONE = Triage(Urgency.NONE)

_EMERGENCY = Triage(Urgency.EMERGENCY, "red_flags.EMERGENCY", ends_session=True, card=CARD_CARE,
                    says_number=True)


def _same_day(line: str) -> Triage:
    return Triage(Urgency.SAME_DAY, line, ends_session=True, card=CARD_CARE, says_number=True)


_LONG = Triage(Urgency.SAME_DAY, "ten_minutes.advice", question="ten_minutes.offer",
               reprompt="ten_minutes.offer_reprompt", card=CARD_CARE, says_number=True)
_SHORT = Triage(Urgency.NONE, "ten_minutes.short", question="ten_minutes.short_question",
                reprompt="ten_minutes.short_reprompt")
TEN_MINUTE_LEAD = replace(_LONG, line="ten_minutes.lead")
_SOON = Triage(Urgency.SOON, "red_flags.SOON", question=CLARIFY_QUESTION, reprompt=CLARIFY_REPROMPT,
               card=CARD_SOON, says_number=True)


def _clarify(line: str) -> Triage:
    return Triage(Urgency.CLARIFY, line, question=CLARIFY_QUESTION, reprompt=CLARIFY_REPROMPT)


def _check_during(during: str) -> None:
    if during not in DURING:
        raise ValueError(f"during must be one of {DURING}, not {during!r}")


def assess(readings, *, emergency_intent: bool = False, during: str = "idle") -> Triage:
    """The care a report needs (see the module docstring for the rules)."""
    _check_during(during)
    readings = list(readings)
    known: set[str] = set()
    unresolved = False
    for reading in readings:
        status, value = status_and_id(reading)
        if status == MISSING or status is None:
            continue
        if status == MATCH and value in SYMPTOM_IDS:
            known.add(value)
        else:  # no match, or an id this table does not know: never guess it is an emergency
            unresolved = True
    heard = {"symptoms": tuple(sorted(known)), "unresolved": unresolved}
    if emergency_intent or known & EMERGENCY_SIGNS:
        return replace(_EMERGENCY, **heard)
    if known & LEG_SIGNS or "CLOT" in known:
        if "PREGNANT" in known:
            return replace(_same_day("red_flags.PREGNANT"), **heard)
        if "FEVER" in known:
            return replace(_same_day("red_flags.FEVER"), **heard)
        line = "red_flags.CLOT" if known & LEG_SIGNS else "red_flags.CLOT_NAMED"
        return replace(_same_day(line), **heard)
    if "WOUND" in known:
        return replace(_same_day("red_flags.WOUND"), **heard)
    if "WONT_STOP" in known:
        return replace(_LONG, **heard)
    if known & SOON_SIGNS:
        return replace(_SOON, **heard)
    if not readings:
        return NONE
    line = "red_flags.CLARIFY_PREGNANT" if "PREGNANT" in known else "red_flags.CLARIFY"
    return replace(_clarify(line), **heard)


def after_clarify(pending, yes: bool, *, during: str = "idle") -> Triage:
    """The answer to "is your leg swollen, red or warm, or is it just the cramp?"."""
    _check_during(during)
    if yes:
        return assess([(MATCH, s) for s in (*pending, "SWOLLEN")], during=during)
    return Triage(Urgency.NONE, f"red_flags.clarify_back_{during}")


# --- ten minutes -------------------------------------------------------------------------------
def ten_minute_check(started_at: datetime | None, now: datetime) -> bool:
    """The cramp has lasted about ten minutes (10:00 or more). Both times aware, or both naive.
    No start time, or a start in the future (clock skew), is not ten minutes."""
    if started_at is None:
        return False
    return now - started_at >= TEN_MINUTES


def long_cramp(minutes: int | None, started_at: datetime | None, now: datetime) -> Triage:
    """ "It won't go away" (minutes None) and "it's been N minutes" (LongCrampIntent) get one answer.

    Same-day care (ten_minutes.advice, then an offer of gentle guidance) when the person says ten
    minutes or more, when the episode has lasted ten minutes, or when neither is known (no
    minutes said and no episode under way: the safe side). Otherwise ten_minutes.short: most
    cramps ease within about ten minutes, get care if this one doesn't, shall we try something else.
    A number that is not a plausible count of minutes (none, zero or less) counts as not said.
    """
    said = minutes if isinstance(minutes, int) and minutes > 0 else None
    if said is not None and said >= 10:
        return _LONG
    if ten_minute_check(started_at, now):
        return _LONG
    if said is None and started_at is None:
        return _LONG
    return _SHORT


# --- distress and medicines --------------------------------------------------------------------
def distress(kind: str | None = None) -> Triage:
    """A calm safety line (when to call the emergency number, when to get care today) and the
    clarifying question as the way forward. Not itself a red flag: nothing is logged."""
    key = kind if kind in DISTRESS_KINDS else "GENERAL"
    return Triage(Urgency.NONE, f"distress.{key}", question=CLARIFY_QUESTION,
                  reprompt=CLARIFY_REPROMPT, says_number=True)


def medicine(medicine_id: str | None) -> Triage:
    """The answer to a medicine question (MedicineType id; unknown or none: the general answer).
    Never advice to use anything. The question is for outside a routine; mid-routine, ask the
    routine's own question instead."""
    line = f"medicines.answers.{medicine_id}" if medicine_id in MEDICINE_IDS else "medicines.general"
    return Triage(Urgency.NONE, line, question="medicines.question_idle",
                  reprompt="medicines.reprompt_idle")


# --- words -------------------------------------------------------------------------------------
def lookup(content, key: str):
    """A value of the content file by dotted key ("red_flags.CLOT", "phrases.help")."""
    node = content.data if hasattr(content, "data") else content
    for part in key.split("."):
        node = node[part]
    return node


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def fill(content, template: str, **values: str) -> str:
    """Fill ``{emergency}`` (from the locale's emergency_number) and any named ``values``."""
    number = getattr(content, "emergency_number", None)
    if number is None:
        number = lookup(content, "emergency_number")
    return template.format_map({"emergency": number, **values})


def text(content, key: str, **values: str) -> str:
    """A content line by dotted key, filled."""
    return fill(content, lookup(content, key), **values)
