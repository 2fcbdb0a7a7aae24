"""Name-free routing (cramp_helper.canfulfill): a table of YES, NO and MAYBE per intent and slot."""

from __future__ import annotations

import pytest

from cramp_helper import canfulfill
from cramp_helper import content as content_module
from cramp_helper.canfulfill import MAYBE, NO, YES, SlotVerdict, verdict
from cramp_helper.slots import MATCH, MISSING, NO_MATCH, SlotReading
from testkit.conversation import load_model

EN = content_module.load("en-US")


def m(value: str) -> SlotReading:
    return SlotReading(MATCH, value)


UNHEARD = SlotReading(NO_MATCH)
EMPTY = SlotReading(MISSING)

# (intent, slots, answer, per-slot verdicts)
TABLE = [
    # a leg or foot cramp, named: YES
    ("CrampIntent", {"Muscle": m("CALF")}, YES, {"Muscle": (YES, YES)}),
    ("CrampIntent", {"Muscle": m("CALF"), "Side": m("LEFT")}, YES,
     {"Muscle": (YES, YES), "Side": (YES, YES)}),
    ("CrampIntent", {"Muscle": m("FOOT"), "Side": EMPTY}, YES, {"Muscle": (YES, YES)}),
    ("CrampIntent", {"Muscle": m("TOES")}, YES, {"Muscle": (YES, YES)}),
    ("CrampIntent", {"Muscle": m("HAMSTRING"), "Side": m("BOTH")}, YES,
     {"Muscle": (YES, YES), "Side": (YES, YES)}),
    ("CrampIntent", {"Muscle": m("LEG")}, YES, {"Muscle": (YES, YES)}),
    # a cramp, but where? MAYBE ("I have a cramp" may be any cramp; words Alexa could not resolve)
    ("CrampIntent", {}, MAYBE, {}),
    ("CrampIntent", {"Muscle": EMPTY, "Side": EMPTY}, MAYBE, {}),
    ("CrampIntent", {"Side": m("RIGHT")}, MAYBE, {"Side": (YES, YES)}),
    ("CrampIntent", {"Muscle": UNHEARD}, MAYBE, {"Muscle": (MAYBE, YES)}),
    ("CrampIntent", {"Muscle": m("CALF"), "Side": UNHEARD}, MAYBE,
     {"Muscle": (YES, YES), "Side": (MAYBE, YES)}),
    ("CrampIntent", {"Muscle": m("LEG_X")}, NO, {"Muscle": (YES, NO)}),  # an id we do not serve
    # not a leg: NO
    *((("CrampIntent", {"Muscle": m(part)}, NO, {"Muscle": (YES, NO)}))
      for part in ("HIP", "KNEE", "BACK", "ARM", "HAND", "NECK", "STOMACH")),
    ("CrampIntent", {"Muscle": m("ARM"), "Side": m("LEFT")}, NO, {"Muscle": (YES, NO), "Side": (YES, YES)}),
    # the skill's own cramp features: YES
    ("StillCrampingIntent", {}, YES, {}),
    ("BedtimeStretchIntent", {}, YES, {}),
    ("CrampCountIntent", {}, YES, {}),
    ("CrampCountIntent", {"Period": m("WEEK")}, YES, {"Period": (YES, YES)}),
    ("CrampCountIntent", {"Period": UNHEARD}, MAYBE, {"Period": (MAYBE, YES)}),
    ("CrampCountIntent", {"Period": m("YEAR")}, NO, {"Period": (YES, NO)}),
    ("LastCrampIntent", {}, YES, {}),
    ("CommonCrampIntent", {}, YES, {}),
    ("HistorySummaryIntent", {"Period": m("MONTH")}, YES, {"Period": (YES, YES)}),
    ("HistorySummaryIntent", {}, YES, {}),
    ("PreventionInfoIntent", {}, YES, {}),
    ("CauseInfoIntent", {}, YES, {}),
    # a reminder: some samples name no stretch ("remind me at nine"): MAYBE
    ("SetReminderIntent", {}, MAYBE, {}),
    ("SetReminderIntent", {"Time": SlotReading(NO_MATCH)}, MAYBE, {"Time": (YES, YES)}),
    ("SetReminderIntent", {"Time": ("match", "21:30")}, MAYBE, {"Time": (YES, YES)}),
    # red flags: an emergency is never ours; a leg sign is routed to care but is not clearly a cramp
    ("RedFlagIntent", {"Symptom": m("CHEST_PAIN")}, NO, {"Symptom": (YES, NO)}),
    ("RedFlagIntent", {"Symptom": m("BREATHLESS")}, NO, {"Symptom": (YES, NO)}),
    ("RedFlagIntent", {"Symptom": m("COUGHING_BLOOD")}, NO, {"Symptom": (YES, NO)}),
    ("RedFlagIntent", {"Symptom": m("SWOLLEN"), "OtherSymptom": m("BREATHLESS")}, NO,
     {"Symptom": (YES, YES), "OtherSymptom": (YES, NO)}),
    ("RedFlagIntent", {"Symptom": m("CHEST_PAIN"), "Muscle": m("CALF")}, NO,
     {"Symptom": (YES, NO), "Muscle": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": UNHEARD, "OtherSymptom": m("CHEST_PAIN")}, NO,
     {"Symptom": (MAYBE, YES), "OtherSymptom": (YES, NO)}),
    ("RedFlagIntent", {"Symptom": m("SWOLLEN")}, MAYBE, {"Symptom": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": m("SWOLLEN"), "Muscle": m("CALF"), "Side": m("LEFT")}, MAYBE,
     {"Symptom": (YES, YES), "Muscle": (YES, YES), "Side": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": m("CLOT")}, MAYBE, {"Symptom": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": m("PREGNANT"), "OtherSymptom": m("RED")}, MAYBE,
     {"Symptom": (YES, YES), "OtherSymptom": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": m("NUMB")}, MAYBE, {"Symptom": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": UNHEARD}, MAYBE, {"Symptom": (MAYBE, YES)}),
    ("RedFlagIntent", {}, MAYBE, {}),
    ("RedFlagIntent", {"Symptom": m("SWOLLEN"), "Muscle": m("ARM")}, NO,
     {"Symptom": (YES, YES), "Muscle": (YES, NO)}),
    ("RedFlagIntent", {"Symptom": m("WONT_STOP")}, YES, {"Symptom": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": m("WONT_STOP"), "Muscle": m("CALF")}, YES,
     {"Symptom": (YES, YES), "Muscle": (YES, YES)}),
    ("RedFlagIntent", {"Symptom": m("WONT_STOP"), "Side": UNHEARD}, MAYBE,
     {"Symptom": (YES, YES), "Side": (MAYBE, YES)}),
    # emergencies and generic words: NO, whatever the slots say
    ("EmergencyIntent", {}, NO, {}),
    ("EmergencyIntent", {"Symptom": m("SWOLLEN"), "Muscle": m("CALF")}, NO, {}),
    ("DistressIntent", {}, NO, {}),
    ("MedicineIntent", {"Medicine": m("QUININE")}, NO, {}),
    ("MedicineIntent", {}, NO, {}),
    ("LongCrampIntent", {"Minutes": ("match", "20")}, NO, {}),
    ("CrampGoneIntent", {}, NO, {}),
    ("ThankYouIntent", {}, NO, {}),
    ("FeelingOkayIntent", {}, NO, {}),
    ("NotYetIntent", {}, NO, {}),
    ("ReadyIntent", {}, NO, {}),
    ("WhisperIntent", {}, NO, {}),
    ("SpeakNormallyIntent", {}, NO, {}),  # "I can't hear you"
    ("DeleteHistoryIntent", {}, NO, {}),  # "delete everything you know about me"
    ("StopReminderIntent", {}, NO, {}),  # "cancel my reminder"
    *(((name, {}, NO, {})) for name in (
        "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
        "AMAZON.NavigateHomeIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent",
        "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.StartOverIntent", "AMAZON.YesIntent",
        "AMAZON.NoIntent")),
    ("SomeoneElsesIntent", {}, NO, {}),
    ("", {}, NO, {}),
    (None, None, NO, {}),
]


@pytest.mark.parametrize("intent,slots,answer,per_slot", TABLE,
                         ids=[f"{i}-{'+'.join(sorted(s or {}))}-{a}" for i, s, a, _ in TABLE])
def test_the_table(intent, slots, answer, per_slot):
    result = verdict(intent, slots)
    assert result.can_fulfill == answer
    assert result.slots == {name: SlotVerdict(*v) for name, v in per_slot.items()}
    can_fulfill, slot_verdicts = result  # unpacks as (answer, per-slot)
    assert can_fulfill == answer and slot_verdicts is result.slots


def test_every_intent_of_the_model_and_the_contract_has_a_decided_answer():
    model = {i["name"] for i in load_model("en-US")["intents"]}
    contract = {"NotYetIntent", "ThankYouIntent", "FeelingOkayIntent", "ReadyIntent", "EmergencyIntent",
                "DistressIntent", "MedicineIntent", "LongCrampIntent"}
    decided = set(canfulfill.RULES) | canfulfill.ALWAYS_NO
    custom = {name for name in model | contract if not name.startswith("AMAZON.")}
    assert custom <= decided, custom - decided
    assert not set(canfulfill.RULES) & canfulfill.ALWAYS_NO
    for name in canfulfill.ALWAYS_NO:
        assert verdict(name, {}).can_fulfill == NO


def test_the_leg_muscles_are_the_content_muscles_and_never_another_part():
    assert canfulfill.LEG_MUSCLES == set(EN.muscle_ids())
    assert not canfulfill.LEG_MUSCLES & set(EN.data.get("other_parts", {}))


def test_answers_are_the_sdk_enum_values():
    from ask_sdk_model.canfulfill import CanFulfillIntentValues, CanFulfillSlotValues, CanUnderstandSlotValues

    for intent, slots, _, _ in TABLE:
        result = verdict(intent, slots)
        CanFulfillIntentValues(result.can_fulfill)
        for slot in result.slots.values():
            CanUnderstandSlotValues(slot.understand)
            CanFulfillSlotValues(slot.fulfill)


def test_no_emergency_symptom_is_ever_a_yes_or_maybe_in_any_company():
    for emergency in sorted(canfulfill.EMERGENCY_SYMPTOMS):
        for other in (None, *sorted(canfulfill.LEG_SYMPTOMS)):
            for first, second in ((emergency, other), (other, emergency)):
                slots = {"Symptom": m(first) if first else EMPTY,
                         "OtherSymptom": m(second) if second else EMPTY, "Muscle": m("CALF")}
                assert verdict("RedFlagIntent", slots).can_fulfill == NO
