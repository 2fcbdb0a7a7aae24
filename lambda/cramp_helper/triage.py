"""Red-flag triage: which care a report needs, decided before any question's own answers. Pure.

Nothing here touches a request, a response or the table: the handlers pass in what Alexa resolved
and get back a ``Triage`` that says how urgent it is, which content lines to say, whether the
session stays open, whether a card is shown and whether a red flag is logged. The words live in
``content/<locale>.json`` (sections ``red_flags``, ``ten_minutes``, ``safety``, ``medicines``);
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
    Rules (issue 18): the sign table ``SIGNS`` gives every id in signs.ALL its level alone, its
    content key and its source tags; ``COMPOUNDS`` raise the level of signs said together (cold or
    pale with numbness, arm pain with sweating, sudden weakness with back pain...); the most urgent
    wins, and a compound speaks for the signs it names. docs/safety.md is generated from both.
      EMERGENCY  the emergency number now (EmergencyIntent whatever its slots, chest signs, fainting,
                 a blue/grey/white foot, stroke signs, a fall with a head knock...): the line,
                 card, session ends.
      EMERGENCY_DEPARTMENT  the emergency department now (sudden weakness with back pain, numbness
                 between the legs or a bladder or bowel change): card, session ends.
      SAME_DAY   clot signs, a wound, dark urine, fluid loss, foot pain easing when the leg hangs:
                 card, session ends. WONT_STOP: ten_minutes.advice, card, session stays open with
                 ten_minutes.offer (gentle guidance only if the person asks).
      SOON       numbness or weakness, claudication, a new statin or water pill, dialysis, liver
                 disease, diabetes: the line, card, then the clot question.
      CLARIFY    one question first: a sign's own question (cold or pale alone: numb, a colour
                 change, can't move it?; arm or jaw pain, a racing heart, dizziness: chest pain,
                 breathing, sweating, sick or faint?; "I fell": hit your head, can't get up?), or the
                 clot question (a hard or sore muscle, pregnancy or fever alone, words Alexa could
                 not resolve, an id this table does not know). Never the emergency line, no card.
                 Answer with ``after_clarify``.
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
``distress(kind=None) -> Triage``: "is this serious", "am I dying", "I'm going to pass out"...; kind
    one of DISTRESS_KINDS, or a sign said as distress (FAINT, DIZZY, RACING_HEART), or None (GENERAL).
``medicine(medicine_id) -> Triage``: the answer to a medicine question, by MedicineType id.
``text(content, key, **values) -> str`` and ``fill(content, template, **values) -> str``: a content
    line by dotted key ("red_flags.CLOT"), with ``{emergency}`` filled from content.emergency_number.
    They live in lines.py (so Help need not load these rules) and are named here too, with
    ``lookup``, ``speak``, ``spoken_line``, ``placeholders`` and ``LEGACY``, for the callers that
    read a triage result's lines.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum

from . import signs
from .lines import LEGACY, fill, lookup, placeholders, speak, spoken_line, text  # noqa: F401
from .signs import DISTRESS_KINDS
from .slots import MATCH, MISSING, status_and_id


class Urgency(IntEnum):
    """Ordered: the larger, the more urgent, so ``max`` picks the most urgent."""

    NONE = 0
    CLARIFY = 1  # one question first (the clot question, or the question a sign needs)
    SOON = 2
    SAME_DAY = 3
    EMERGENCY_DEPARTMENT = 4  # go to the emergency department now (or the number if they can't)
    EMERGENCY = 5  # the emergency number now


# --- the sign table (issue 18) -------------------------------------------------------------------
# Every id in signs.ALL has a row: its level alone, the content key said, and the source tags the
# routing rests on (docs/evidence.md). The compound rules below can only raise a level. The old
# SymptomType ids HARD, DISCOLOURED and BIGGER stand for TENDER (a hard muscle: ask, don't send; hard
# veins are HARD_VEINS), DARKER and ONE_LEG_BIGGER.
@dataclass(frozen=True)
class Rule:
    """What one sign (or one compound of signs) gets. ``question``: for CLARIFY, the question asked
    (a content key, its reprompt beside it); a yes to it is ``YES_TO[question]``."""

    level: Urgency
    line: str | None
    sources: str
    question: str | None = None


CLOT_Q = "red_flags.clarify_question"  # is your leg swollen, red or warm, or is it just the cramp?
HEART_Q = "safety.ask_heart"  # chest pain, trouble breathing, sweating, feeling sick or faint?
LIMB_Q = "safety.ask_limb"  # numb, changed colour, or impossible to move?
FALL_Q = "safety.ask_fall"  # did you hit your head, or can't you get up?
COMPARTMENT_Q = "safety.ask_compartment"  # severe, tight and swollen, worse when stretched?
WOUND_Q = "safety.ask_wound"  # a cut or wound lately?
QUESTIONS = (HEART_Q, LIMB_Q, FALL_Q, COMPARTMENT_Q, WOUND_Q, CLOT_Q)  # most urgent first
REPROMPTS = {CLOT_Q: "red_flags.clarify_reprompt", HEART_Q: "safety.ask_heart_reprompt",
             LIMB_Q: "safety.ask_limb_reprompt", FALL_Q: "safety.ask_fall_reprompt",
             COMPARTMENT_Q: "safety.ask_compartment_reprompt", WOUND_Q: "safety.ask_wound_reprompt"}

E, ED, SD, SN, Q = (Urgency.EMERGENCY, Urgency.EMERGENCY_DEPARTMENT, Urgency.SAME_DAY, Urgency.SOON,
                    Urgency.CLARIFY)
_CLOT = Rule(SD, "red_flags.CLOT", "[UCLH] [NHS-DVT] [GLOS]")
_CHEST = Rule(E, "safety.CHEST", "[HEART] [GLOS] [NHS-DVT]")
_HEART_ASK = Rule(Q, "red_flags.CLARIFY", "[HEART] [GLOS]", HEART_Q)
_LIMB = Rule(E, "safety.LIMB", "[DEVON-ALI]")
_LIMB_ASK = Rule(Q, "red_flags.CLARIFY", "[DEVON-ALI]", LIMB_Q)
_CAUDA = Rule(ED, "safety.CAUDA", "[TORBAY-CES]")
_STROKE = Rule(E, "safety.STROKE", "[STROKE]")
_FALL = Rule(E, "safety.FALL", "[HEAD-AC] [INJ]")
_FLUIDS = Rule(SD, "safety.FLUID_LOSS", "[MAYO-NLC] [MERCK]")
_CARE_TEAM = Rule(SN, "safety.CARE_TEAM", "[CKS]")
_MEDICINE = Rule(SN, "safety.NEW_MEDICINE", "[CC-FOOT] [MAYO-RHABDO]")
_CLARIFY = Rule(Q, "red_flags.CLARIFY", "[NHS] [NIDIRECT] [NHS-DVT]", CLOT_Q)

SIGNS: dict[str, Rule] = {
    # a leg: possible clot (same day); a hard or sore muscle alone is the cramp: ask, never send
    "SWOLLEN": _CLOT, "RED": _CLOT, "WARM": _CLOT, "DARKER": _CLOT, "HARD_VEINS": _CLOT,
    "ONE_LEG_BIGGER": _CLOT,
    "TENDER": _CLARIFY,
    "CLOT": Rule(SD, "red_flags.CLOT_NAMED", "[UCLH] [NHS-DVT] [GLOS]"),
    "WONT_STOP": Rule(SD, "ten_minutes.advice", "[MAYO-NLC] [NIDIRECT] [NHS] [CKS]"),
    # blood supply
    "BLUE_GREY_WHITE": _LIMB, "COLD": _LIMB_ASK, "PALE": _LIMB_ASK, "CANT_MOVE_LEG": _LIMB_ASK,
    "NUMB": Rule(SN, "red_flags.SOON", "[NHS] [MAYO-NLC]", CLOT_Q),
    # nerves
    "WEAK": Rule(SN, "red_flags.SOON", "[NHS] [MAYO-NLC]", CLOT_Q),
    "SUDDEN_WEAKNESS": Rule(E, "safety.SUDDEN", "[TORBAY-CES] [STROKE]"),
    "BACK_PAIN": _HEART_ASK, "SADDLE_NUMB": _CAUDA, "BLADDER_BOWEL": _CAUDA,
    "FACE_DROOP": _STROKE, "ARM_WEAK": _STROKE, "SPEECH": _STROKE,
    # heart and lungs
    "CHEST_PAIN": _CHEST, "BREATHLESS": _CHEST, "COUGHING_BLOOD": _CHEST,
    "FAINT": Rule(E, "safety.FAINT", "[GLOS] [KENT]"),
    "DIZZY": Rule(Q, "safety.DIZZY", "[KENT] [GLOS]", HEART_Q),
    "RACING_HEART": _HEART_ASK, "SWEATING": _HEART_ASK, "SICK": _HEART_ASK, "ARM_PAIN": _HEART_ASK,
    "NECK_JAW_PAIN": _HEART_ASK, "UPPER_BACK_PAIN": _HEART_ASK,
    # muscles
    "COMPARTMENT": Rule(E, "safety.COMPARTMENT", "[NHS-CS]"),
    "INJURY": Rule(Q, "red_flags.CLARIFY", "[NHS-CS]", COMPARTMENT_Q),
    "CAST": Rule(Q, "red_flags.CLARIFY", "[NHS-CS]", COMPARTMENT_Q),
    "WOUND": Rule(SD, "red_flags.WOUND", "[MAYO-NLC] [MERCK]"),
    "STIFF_JAW": Rule(Q, "red_flags.CLARIFY", "[NHS-TET]", WOUND_Q),
    "SPASMS_SPREADING": Rule(Q, "red_flags.CLARIFY", "[NHS-TET]", WOUND_Q),
    "DARK_URINE": Rule(SD, "safety.DARK_URINE", "[MAYO-RHABDO]"),
    "VOMITING": _FLUIDS, "DIARRHOEA": _FLUIDS, "HEAVY_SWEATING": _FLUIDS,
    "FEVER": _CLARIFY,
    # circulation
    "RELIEF_HANGING": Rule(SD, "safety.RELIEF_HANGING", "[NICE-PAD]"),
    "WALKING_PAIN": Rule(SN, "safety.WALKING_PAIN", "[NICE-PAD]"),
    # falls
    "FELL": Rule(Q, "red_flags.CLARIFY", "[HEAD-AC] [INJ]", FALL_Q),
    "HIT_HEAD": _FALL, "CANT_GET_UP": _FALL,
    "BLOOD_THINNER": _CLARIFY,
    # context
    "PREGNANT": Rule(Q, "red_flags.CLARIFY_PREGNANT", "[CC-EPI] [AAFP] [HSE-PREG]", CLOT_Q),
    "NEW_STATIN": _MEDICINE, "NEW_WATER_PILL": _MEDICINE,
    "DIALYSIS": _CARE_TEAM, "LIVER": _CARE_TEAM, "DIABETES": _CARE_TEAM,
}
assert set(SIGNS) == signs.ALL, set(SIGNS) ^ signs.ALL  # one vocabulary (signs.py)
# HARD: the models' "hard" ("my calf is rock hard"), a hard muscle: TENDER, one question. Vein words
# ("hard sore veins", a clot sign) resolve to HARD_VEINS.
ALIASES = {"HARD": "TENDER", "DISCOLOURED": "DARKER", "BIGGER": "ONE_LEG_BIGGER"}


@dataclass(frozen=True)
class Compound:
    """All of ``all_of`` and at least one of ``any_of`` (if given) were heard: ``rule``."""

    name: str
    all_of: frozenset
    any_of: frozenset
    rule: Rule


def _c(name: str, all_of, any_of, rule: Rule) -> Compound:
    return Compound(name, frozenset(all_of), frozenset(any_of), rule)


CHEST_SIGNS = frozenset({"CHEST_PAIN", "BREATHLESS", "COUGHING_BLOOD"})
HEART_COMPANIONS = CHEST_SIGNS | {"SWEATING", "HEAVY_SWEATING", "SICK", "VOMITING"}
REFERRED_PAIN = frozenset({"ARM_PAIN", "NECK_JAW_PAIN", "UPPER_BACK_PAIN", "BACK_PAIN"})
LEG_SIGNS = frozenset({"SWOLLEN", "RED", "WARM", "DARKER", "HARD_VEINS", "ONE_LEG_BIGGER"})
COLD_PALE = frozenset({"COLD", "PALE"})
CAUDA_SIGNS = frozenset({"BACK_PAIN", "SADDLE_NUMB", "BLADDER_BOWEL"})
STROKE_SIGNS = frozenset({"FACE_DROOP", "ARM_WEAK", "SPEECH"})
TETANUS_SIGNS = frozenset({"STIFF_JAW", "SPASMS_SPREADING"})
_PREGNANT_CLOT = Rule(SD, "red_flags.PREGNANT", "[HSE-PREG] [UCLH] [NHS-DVT]")
_FEVER_CLOT = Rule(SD, "red_flags.FEVER", "[UCLH] [NHS-DVT]")
COMPOUNDS: tuple[Compound, ...] = tuple(
    [_c(f"{pain} with a chest sign, breathlessness, sweating or sickness", {pain}, HEART_COMPANIONS,
        Rule(E, "safety.HEART", "[HEART]")) for pain in sorted(REFERRED_PAIN - {"BACK_PAIN"})]
    + [_c("back pain with a chest sign or breathlessness", {"BACK_PAIN"}, CHEST_SIGNS, _CHEST),
       _c("a racing heart with breathlessness, chest pain or faintness", {"RACING_HEART"},
          CHEST_SIGNS | {"FAINT", "DIZZY"}, Rule(E, "safety.RACING", "[GLOS]")),
       _c("a racing heart with sweating or sickness", {"RACING_HEART"}, {"SWEATING", "SICK"},
          Rule(E, "safety.RACING", "[GLOS] [HEART]")),
       *(_c(f"{cp} with numbness or no movement", {cp}, {"NUMB", "CANT_MOVE_LEG"}, _LIMB)
         for cp in sorted(COLD_PALE)),
       _c("cold and pale", COLD_PALE, (), _LIMB_ASK),
       _c("sudden weakness with a drooping face, a weak arm or trouble speaking", {"SUDDEN_WEAKNESS"},
          STROKE_SIGNS, _STROKE),
       _c("sudden weakness with back pain, numbness between the legs or a bladder or bowel change",
          {"SUDDEN_WEAKNESS"}, CAUDA_SIGNS, _CAUDA),
       _c("numbness with numbness between the legs or a bladder or bowel change", {"NUMB"},
          {"SADDLE_NUMB", "BLADDER_BOWEL"}, _CAUDA),
       *(_c(f"a wound with {s}", {"WOUND", s}, (), Rule(E, "safety.TETANUS", "[NHS-TET]"))
         for s in sorted(TETANUS_SIGNS)),
       *(_c(f"{s} with a tense muscle", {s, "COMPARTMENT"}, (), SIGNS["COMPARTMENT"])
         for s in ("INJURY", "CAST")),
       _c("a fall on a blood thinner", {"FELL", "BLOOD_THINNER"}, (),
          Rule(Q, "red_flags.CLARIFY", "[HEAD-AC]", FALL_Q)),
       _c("pregnant with a leg sign", {"PREGNANT"}, LEG_SIGNS | {"CLOT", "TENDER"}, _PREGNANT_CLOT),
       _c("a fever with a leg sign", {"FEVER"}, LEG_SIGNS | {"CLOT", "TENDER"}, _FEVER_CLOT),
       _c("a sore or hard muscle with a leg sign", {"TENDER"}, LEG_SIGNS, _CLOT),
       _c("dark urine on a new statin", {"DARK_URINE"}, {"NEW_STATIN", "NEW_WATER_PILL"},
          SIGNS["DARK_URINE"])])

# What a yes to a sign's question means (the clot question: assessed again with SWOLLEN).
YES_TO: dict[str, Rule] = {
    HEART_Q: Rule(E, "safety.HEART_YES", "[HEART] [GLOS]"),
    LIMB_Q: _LIMB, FALL_Q: _FALL, COMPARTMENT_Q: SIGNS["COMPARTMENT"],
    WOUND_Q: Rule(E, "safety.TETANUS", "[NHS-TET]"),
}

# SymptomType ids the interaction models resolve: every sign, and the old ids kept as aliases.
SYMPTOM_IDS = frozenset(SIGNS) | frozenset(ALIASES)
EMERGENCY_SIGNS = frozenset(s for s, r in SIGNS.items() if r.level == Urgency.EMERGENCY)
CONTEXT_ONLY = frozenset({"PREGNANT", "FEVER"})  # alone: a question; with a leg sign: same day

DURING = ("idle", "relief", "bedtime")
DISTRESS_SIGNS = frozenset({"FAINT", "DIZZY", "RACING_HEART"})  # said as distress: their sign's rule
MEDICINE_IDS = ("MAGNESIUM", "QUININE", "TONIC_WATER", "PAINKILLER", "MUSCLE_RELAXANT", "SUPPLEMENT",
                "NEW_MEDICINE")
TEN_MINUTES = timedelta(minutes=10)

PLACEHOLDERS = frozenset({"emergency"})  # the only placeholder a safety line may hold

CARD_CARE = "red_flags.card_title"
CARD_SOON = "red_flags.card_title_soon"
CLARIFY_QUESTION = CLOT_Q
CLARIFY_REPROMPT = "red_flags.clarify_reprompt"
# Lines that name the emergency number (every other line names none).
NUMBER_LINES = frozenset({
    "red_flags.EMERGENCY", "red_flags.CLOT", "red_flags.CLOT_NAMED", "red_flags.PREGNANT",
    "red_flags.FEVER", "red_flags.WOUND", "red_flags.SOON", "ten_minutes.advice", "ten_minutes.lead",
    "safety.CHEST", "safety.HEART", "safety.HEART_YES", "safety.FAINT", "safety.RACING", "safety.LIMB",
    "safety.CAUDA", "safety.STROKE", "safety.SUDDEN", "safety.COMPARTMENT", "safety.TETANUS",
    "safety.FALL", "safety.DARK_URINE", "safety.FLUID_LOSS", "safety.RELIEF_HANGING",
    "safety.WALKING_PAIN", "red_flags.topic_other"} | {f"safety.DISTRESS_{k}" for k in DISTRESS_KINDS})


@dataclass(frozen=True)
class Triage:
    """What to do about a report. Keys are dotted content keys ("red_flags.CLOT").

    Say ``line`` (if any) in the normal voice, then ``question`` (if any) with ``reprompt``.
    ``ends_session``: no question; the session ends after the line. ``card``: the card title key;
    the card's body is the filled ``line``. ``symptoms``: the known sign ids heard (keep them in the
    session when ``asks_clarify``, for ``after_clarify``). ``unresolved``: a word Alexa could not
    resolve was heard. ``says_number``: the line names the emergency number. ``seated``: from now
    on, no standing step (dizziness).
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
    seated: bool = False

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
        """The question asked is a clarifying one (a sign's question): answer it with ``after_clarify``."""
        return self.question in QUESTIONS


NONE = Triage(Urgency.NONE)

_EMERGENCY = Triage(Urgency.EMERGENCY, "safety.CHEST", ends_session=True, card=CARD_CARE,
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


def _clarify(line: str, question: str = CLOT_Q) -> Triage:
    return Triage(Urgency.CLARIFY, line, question=question, reprompt=REPROMPTS[question],
                  says_number=line in NUMBER_LINES)


def _check_during(during: str) -> None:
    if during not in DURING:
        raise ValueError(f"during must be one of {DURING}, not {during!r}")


def rule_for(known) -> Rule | None:
    """The most urgent rule among the signs ``known`` (ids of SIGNS) and the compounds they make.
    A compound speaks for the signs it names (sudden weakness with back pain: the emergency
    department, not the number for sudden weakness alone). None: no sign."""
    known = set(known)
    matched = [c for c in COMPOUNDS if c.all_of <= known and (not c.any_of or c.any_of & known)]
    consumed = set().union(*(c.all_of | (c.any_of & known) for c in matched))  # a compound speaks for them
    candidates = [c.rule for c in matched] + [SIGNS[s] for s in SIGNS if s in known - consumed]
    if not candidates:
        return None
    best = max(candidates, key=lambda r: (r.level, r.line != "ten_minutes.advice"))  # a red flag first
    if best.level == Urgency.CLARIFY:  # several questions: the one guarding the worst sign first
        asked = [r for r in candidates if r.level == Urgency.CLARIFY]
        return min(asked, key=lambda r: (QUESTIONS.index(r.question), r.line != "safety.DIZZY"))
    return best


def _triage(rule: Rule, heard: dict) -> Triage:
    """The Triage a rule gives."""
    if rule.line == "ten_minutes.advice":
        return replace(_LONG, **heard)
    if rule.level >= Urgency.SAME_DAY:
        return replace(_same_day(rule.line), urgency=rule.level, says_number=rule.line in NUMBER_LINES,
                       **heard)
    if rule.level == Urgency.SOON:
        return replace(_SOON, line=rule.line, says_number=rule.line in NUMBER_LINES,
                       card=CARD_SOON, **heard)
    return replace(_clarify(rule.line, rule.question), seated=rule.line == "safety.DIZZY", **heard)


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
        value = ALIASES.get(value, value)
        if status == MATCH and value in SIGNS:
            known.add(value)
        else:  # no match, or an id this table does not know: never guess it is an emergency
            unresolved = True
    heard = {"symptoms": tuple(sorted(known)), "unresolved": unresolved}
    if emergency_intent:
        rule = rule_for(known)
        if rule is not None and rule.level == Urgency.EMERGENCY and rule.line != "safety.CHEST":
            return _triage(rule, heard)  # "call an ambulance, I fainted": the fainting line
        return replace(_EMERGENCY, **heard)
    rule = rule_for(known)
    if rule is not None:
        return _triage(rule, heard)
    if not readings:
        return NONE
    return replace(_clarify("red_flags.CLARIFY"), **heard)


def after_clarify(pending, yes: bool, *, during: str = "idle") -> Triage:
    """The answer to a sign's question (``pending``: ``Triage.symptoms`` of the triage that asked).
    Yes to the clot question: assessed again with SWOLLEN added (PREGNANT -> red_flags.PREGNANT,
    FEVER -> red_flags.FEVER, else red_flags.CLOT). Yes to another sign's question: that question's
    emergency (``YES_TO``). No: NONE with the way-back line red_flags.clarify_back_<during>."""
    _check_during(during)
    if yes:
        known = {ALIASES.get(s, s) for s in pending} & set(SIGNS)
        rule = rule_for(known)
        if rule is not None and rule.level == Urgency.CLARIFY and rule.question in YES_TO:
            return _triage(YES_TO[rule.question], {"symptoms": tuple(sorted(known))})
        return assess([(MATCH, s) for s in (*pending, "SWOLLEN")], during=during)
    return Triage(Urgency.NONE, f"red_flags.clarify_back_{during}")


def question_of(pending) -> tuple[str, str]:
    """The (question, reprompt) keys a pending clarification asked (to ask it again)."""
    rule = rule_for({ALIASES.get(s, s) for s in pending} & set(SIGNS))
    question = rule.question if rule is not None and rule.question in QUESTIONS else CLOT_Q
    return question, REPROMPTS[question]


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
    """ "Is this serious", "am I dying", "I'm going to pass out": by what was said (the DistressIntent
    ``Kind``, or the interpreter's). FAINT, DIZZY and RACING_HEART are signs and get their sign's rule
    (fainting: the emergency number; dizziness: the dizzy line, then no standing step, and the heart
    question; a racing heart: the heart question). Every other kind gets its own calm line, action
    first, then the clarifying question as the way forward. Not itself a red flag unless a sign is."""
    if kind in DISTRESS_SIGNS:
        return assess([(MATCH, kind)])
    key = kind if kind in DISTRESS_KINDS else "GENERAL"
    if key == "DIZZY":
        return assess([(MATCH, "DIZZY")])
    return Triage(Urgency.NONE, f"safety.DISTRESS_{key}", question=CLARIFY_QUESTION,
                  reprompt=CLARIFY_REPROMPT, says_number=True)


# Medicines a doctor prescribes whose cramps need the prescriber (a new statin, a water pill).
PRESCRIBED = ("STATIN", "WATER_PILL")
# Answers that depend on the country (issue 18, 8): the FDA's warning is the US answer; elsewhere
# medicines.regional (not for routine use, serious side effects, only a doctor decides, tonic water
# is not a treatment [NHS] [CKS]).
REGIONAL = ("QUININE", "TONIC_WATER")
FDA_COUNTRY = "US"


def medicine(medicine_id: str | None, country: str | None = FDA_COUNTRY) -> Triage:
    """The answer to a medicine question (MedicineType id; unknown or none: the general answer),
    for the country the device is in (``country``: the device's, else the locale's). A statin or a
    water pill: tell the prescriber, don't stop it yourself, and severe muscle pain, weakness or dark
    urine needs care (safety.NEW_MEDICINE). Never advice to use anything. The question is for outside
    a routine; mid-routine, ask the routine's own question instead."""
    if medicine_id in PRESCRIBED:
        line = "safety.NEW_MEDICINE"
    elif medicine_id in REGIONAL and country != FDA_COUNTRY:
        line = f"medicines.regional.{medicine_id}"
    else:
        line = f"medicines.answers.{medicine_id}" if medicine_id in MEDICINE_IDS else "medicines.general"
    return Triage(Urgency.NONE, line, question="medicines.question_idle",
                  reprompt="medicines.reprompt_idle")
