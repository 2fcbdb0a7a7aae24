"""Name-free routing: may Alexa send this request to a leg-cramp skill? A pure table, no side effects.

Alexa sends a CanFulfillIntentRequest when someone speaks without naming a skill, and picks a skill
from the answers. This skill should win only what is clearly about a leg or foot cramp, or about its
own cramp features. It must never win an emergency (chest pain, breathing: Alexa's own emergency
guidance is the better route), nor generic words ("thanks", "whisper to me", "delete everything",
"I can't hear you", "remind me at nine").

API
---
``verdict(intent_name, slots) -> Verdict``
    ``slots``: slot name -> reading, as cramp_helper.slots reads it (anything with ``.status`` and
    ``.id``, or a ``(status, id)`` pair). For the built-in slot types (Time: AMAZON.TIME, Minutes:
    AMAZON.NUMBER) entity resolution reports nothing, so any value present counts as understood.
    Returns ``Verdict(can_fulfill, slots)``, a named tuple: ``can_fulfill`` is "YES", "NO" or
    "MAYBE"; ``slots`` maps each slot that carried a value to ``SlotVerdict(understand, fulfill)``
    (understand "YES" / "NO" / "MAYBE", fulfill "YES" / "NO"). Empty when the intent is NO as a
    whole. The strings are the values of ask_sdk_model.canfulfill's enums.

The table (``RULES``):
    YES     CrampIntent with a matched leg or foot Muscle; StillCrampingIntent; BedtimeStretchIntent;
            the history intents (CrampCountIntent, LastCrampIntent, CommonCrampIntent,
            HistorySummaryIntent); PreventionInfoIntent, CauseInfoIntent.
            RedFlagIntent naming a cramp that won't stop (WONT_STOP), with nothing more urgent.
    MAYBE   CrampIntent with no Muscle ("I have a cramp" may be any cramp) or an unresolved one;
            SetReminderIntent (some of its samples name no stretch: "remind me at {Time}");
            RedFlagIntent with a leg sign (a swollen, red, warm leg ...): the skill routes it to
            same-day care, but it is not clearly about a cramp; any YES intent with a slot value
            Alexa could not resolve.
    NO      EmergencyIntent, and any Symptom that is CHEST_PAIN, BREATHLESS or COUGHING_BLOOD;
            a Muscle that is not a leg or foot (HIP, KNEE, BACK, ARM, HAND, NECK, STOMACH, or any
            other id); DistressIntent, MedicineIntent, LongCrampIntent, CrampGoneIntent,
            ThankYouIntent, FeelingOkayIntent, NotYetIntent, ReadyIntent, WhisperIntent,
            SpeakNormallyIntent, DeleteHistoryIntent, StopReminderIntent, every AMAZON.* intent and
            any intent not in the table.
"""

from __future__ import annotations

from typing import NamedTuple

from .slots import MATCH, MISSING, status_and_id

YES, NO, MAYBE = "YES", "NO", "MAYBE"

LEG_MUSCLES = frozenset({"CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES", "LEG"})
SIDES = frozenset({"LEFT", "RIGHT", "BOTH"})
PERIODS = frozenset({"WEEK", "MONTH"})
EMERGENCY_SYMPTOMS = frozenset({"CHEST_PAIN", "BREATHLESS", "COUGHING_BLOOD"})
LEG_SYMPTOMS = frozenset({"SWOLLEN", "RED", "WARM", "TENDER", "HARD", "DISCOLOURED", "BIGGER",
                          "CLOT", "PREGNANT", "FEVER", "WOUND", "NUMB", "WEAK", "WONT_STOP"})
BUILTIN_SLOTS = frozenset({"Time", "Minutes"})  # AMAZON.TIME, AMAZON.NUMBER: no entity resolution

# Slot name -> the ids this skill can act on. A matched id outside the set is understood but not
# fulfilled (a hip cramp, chest pain).
SLOT_VALUES = {
    "Muscle": LEG_MUSCLES,
    "Side": SIDES,
    "Period": PERIODS,
    "Symptom": LEG_SYMPTOMS,
    "OtherSymptom": LEG_SYMPTOMS,
}

# Intent -> (its best answer when every slot is fine, the slots it declares).
RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "CrampIntent": (YES, ("Muscle", "Side")),
    "StillCrampingIntent": (YES, ()),
    "BedtimeStretchIntent": (YES, ()),
    "CrampCountIntent": (YES, ("Period",)),
    "LastCrampIntent": (YES, ()),
    "CommonCrampIntent": (YES, ()),
    "HistorySummaryIntent": (YES, ("Period",)),
    "PreventionInfoIntent": (YES, ()),
    "CauseInfoIntent": (YES, ()),
    "SetReminderIntent": (MAYBE, ("Time",)),
    "RedFlagIntent": (MAYBE, ("Symptom", "OtherSymptom", "Muscle", "Side")),
}
# Named here so the table test can show every intent of the model has a decided answer.
ALWAYS_NO = frozenset({
    "EmergencyIntent", "DistressIntent", "MedicineIntent", "LongCrampIntent", "CrampGoneIntent",
    "ThankYouIntent", "FeelingOkayIntent", "NotYetIntent", "ReadyIntent", "WhisperIntent",
    "SpeakNormallyIntent", "DeleteHistoryIntent", "StopReminderIntent",
    "StartLoggingIntent", "StopLoggingIntent",  # issue 19: about this skill's own log
    # issue 17 (heard): answers to a question the skill asked, never a request on their own
    "SlowerIntent", "FirstPartIntent", "LaterIntent", "SoreIntent", "NoSignIntent",
    "CallSomeoneIntent", "DeviceActionIntent",  # what this skill cannot do: never offered for it
})


class SlotVerdict(NamedTuple):
    understand: str  # YES | NO | MAYBE
    fulfill: str  # YES | NO


class Verdict(NamedTuple):
    can_fulfill: str  # YES | NO | MAYBE
    slots: dict[str, SlotVerdict]


def _slot(name: str, status: str, value: str | None) -> SlotVerdict:
    if name in BUILTIN_SLOTS:
        return SlotVerdict(YES, YES)
    if status != MATCH or not value:
        return SlotVerdict(MAYBE, YES)  # words Alexa could not resolve: the skill asks again
    if value in SLOT_VALUES.get(name, ()):
        return SlotVerdict(YES, YES)
    return SlotVerdict(YES, NO)  # understood, and not this skill's: a hip, chest pain


def verdict(intent_name: str | None, slots: dict | None = None) -> Verdict:
    """Whether (and how sure) this skill can handle a name-free request; see the module docstring."""
    rule = RULES.get(intent_name or "")
    if rule is None:  # ALWAYS_NO, AMAZON.*, anything unknown
        return Verdict(NO, {})
    best, declared = rule
    answers: dict[str, SlotVerdict] = {}
    symptoms: set[str] = set()
    for name in declared:
        reading = (slots or {}).get(name)
        if reading is None:
            continue
        status, value = status_and_id(reading)
        if status in (MISSING, None):
            continue
        answers[name] = _slot(name, status, value)
        if name in ("Symptom", "OtherSymptom") and status == MATCH:
            symptoms.add(value)
    if symptoms & EMERGENCY_SYMPTOMS or any(v.fulfill == NO for v in answers.values()):
        return Verdict(NO, answers)
    if intent_name == "CrampIntent" and "Muscle" not in answers:
        best = MAYBE  # "I have a cramp": not clearly a leg
    if intent_name == "RedFlagIntent" and symptoms == {"WONT_STOP"}:
        best = YES  # "a cramp that won't stop": clearly a cramp, and the skill's own answer
    if any(v.understand != YES for v in answers.values()):
        best = MAYBE
    return Verdict(best, answers)
