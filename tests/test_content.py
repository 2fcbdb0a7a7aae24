"""The content files: complete, grounded, and free of anything the skill must never say."""

import re
import string

from cramp_helper import content as content_module
from tests.driver import load_model

EN = content_module.load("en-US")
ALL_TEXT = repr(EN.data).lower()


def test_every_routine_is_built_from_known_techniques():
    for routine_id, routine in EN.data["routines"].items():
        assert routine["techniques"], routine_id
        for technique in routine["techniques"]:
            assert technique in EN.data["techniques"], (routine_id, technique)
    for muscle in EN.muscle_ids():
        assert EN.routine_id(muscle) in EN.data["routines"]


def test_every_technique_cites_its_source_and_has_short_timed_steps():
    for technique_id, technique in EN.data["techniques"].items():
        assert re.search(r"\[[A-Z-]+", technique["source"]) or "seed" in technique["source"]
        for step in technique["steps"]:
            assert len(step["say"]) < 400, technique_id
            assert 0 <= step.get("hold", 0) <= 60


def test_routines_cover_the_required_muscles_in_the_required_shape():
    for muscle in ("CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES"):
        assert muscle in EN.data["routines"]
    assert EN.techniques("CALF") == ["calf_toe_pull", "calf_stand_press", "massage", "warmth_walk"]


def test_holds_follow_the_sources():
    def holds(technique):
        return [s["hold"] for s in EN.technique(technique)["steps"]]
    assert holds("calf_toe_pull") == [30, 30]  # a count of 30, repeated [AAOS] [MERCK-RS]
    assert all(10 <= h <= 20 for h in holds("hamstring_sit_stretch"))  # 10-20 s [ADAM-MS]
    assert holds("quad_stretch") == [30]  # about 30 s [AAOS]
    assert all(15 <= h <= 20 for h in holds("foot_press"))  # 15-20 s per foot [seed]


def test_never_names_a_drug_or_supplement():
    # Only the answers to medicine questions may name one, to say it is not advised or did not
    # help (tests/test_triage.py checks those answers never advise taking anything).
    outside_medicines = repr({k: v for k, v in EN.data.items() if k != "medicines"}).lower()
    for word in ("quinine", "magnesium", "ibuprofen", "paracetamol", "acetaminophen", "aspirin",
                 "painkiller", "pill", "tablet", "supplement", "tonic water", "medication"):
        assert not re.search(rf"\b{word}s?\b", outside_medicines), word


def test_never_diagnoses():
    for phrase in ("you have a", "you have dvt", "it is a clot", "you are having", "sounds like",
                   "you may have", "diagnosed with", "your diagnosis"):
        assert phrase not in ALL_TEXT
    assert "not a diagnosis" in ALL_TEXT  # the history card says what it is not


def test_red_flags_route_to_care_with_the_emergency_number():
    flags = EN.data["red_flags"]
    assert "call {emergency} now" in flags["EMERGENCY"].lower() and EN.emergency_number == "911"
    for key in ("CLOT", "PREGNANT", "FEVER"):
        assert "massage" in flags[key].lower() and "today" in flags[key].lower()
    for key in ("CLOT", "CLOT_NAMED", "PREGNANT", "FEVER", "WOUND", "SOON"):
        assert "{emergency}" in flags[key]
    assert "911" not in repr(EN.data).replace('"emergency_number": "911"', "").replace(
        "'emergency_number': '911'", "").replace("911 for chest", "")  # never written in the text


def test_placeholders_are_only_the_documented_ones():
    allowed = {"your_leg", "your_foot", "your_muscle", "leg", "foot", "heel"}
    for technique in EN.data["techniques"].values():
        for step in technique["steps"]:
            used = {name for _, name, _, _ in string.Formatter().parse(step["say"]) if name}
            assert used <= allowed, used


def test_every_slot_value_id_is_known_to_the_content():
    model = load_model("en-US")
    types = {t["name"]: {v["id"] for v in t["values"]} for t in model["types"]}
    assert types["MuscleType"] == set(EN.muscle_ids())
    assert types["SideType"] == set(EN.side_ids())
    assert types["SymptomType"] == set(EN.red_flag("symptoms"))
