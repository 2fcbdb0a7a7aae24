"""The content files: complete, grounded, and free of anything the skill must never say."""

import re
import string

from cramp_helper import content as content_module
from cramp_helper import signs, triage
from testkit.conversation import load_model

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
            for key in ("say", "say_second", "safety"):
                assert len(step.get(key, "")) < 400, technique_id
            assert 0 <= step.get("hold", 0) <= 60
            # time to get into position: one break (at most 10 s), and only before a hold
            for key in ("settle", "settle_second"):
                assert 0 <= step.get(key, 0) <= 10, technique_id
                assert not step.get(key) or step.get("hold"), technique_id


def test_routines_cover_the_required_muscles_in_the_required_shape():
    for muscle in ("CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES"):
        assert muscle in EN.data["routines"]
    assert EN.techniques("CALF") == ["calf_toe_pull", "calf_stand_press", "massage", "warmth_walk"]


def test_holds_follow_the_sources():
    def holds(technique):
        return [s.get("hold", 0) for s in EN.technique(technique)["steps"]]
    assert holds("calf_toe_pull") == [30, 30]  # a count of 30, repeated [AAOS] [MERCK-RS]
    assert all(10 <= h <= 20 for h in holds("hamstring_sit_stretch"))  # 10-20 s [ADAM-MS]
    assert holds("quad_stretch") == [30]  # about 30 s [AAOS]
    assert all(15 <= h <= 20 for h in holds("foot_press"))  # 15-20 s per foot [seed]
    assert not any(holds("warmth_walk"))  # a warm shower cannot fit in a countdown


def test_never_names_a_drug_or_supplement():
    # Only the answers to medicine questions may name one, to say it is not advised or did not
    # help (tests/unit/test_triage.py checks those answers never advise taking anything).
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
    allowed = EN.placeholders()
    assert {"your_leg", "your_foot", "your_knee", "your_muscle", "your_limb", "leg", "foot", "heel",
            "shin", "knee", "thigh", "back", "sole", "arch"} <= allowed
    templates = [step.get(key, "") for technique in EN.data["techniques"].values()
                 for step in technique["steps"] for key in ("say", "say_second", "safety")]
    templates += [EN.phrase(key) for key in ("start_known", "start_unspecific", "start_after_unknown")]
    for template in templates:
        used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert used <= allowed, used


def test_every_body_part_has_a_singular_and_a_plural():
    for part, forms in EN.data["body"].items():
        assert forms["one"] != forms["many"], part
        if "side" in forms:
            assert "{side}" in forms["side"] and forms["both"].startswith("both "), part
    for muscle, forms in EN.data["muscles"].items():
        assert forms["both"].split()[0] in ("both", "the"), muscle
        assert forms.get("limb", "leg") in EN.data["body"], muscle


MASSAGE_CHECK = ("swollen", "red", "warm", "painful to touch", "today")


def test_every_massage_step_first_says_when_not_to_massage_and_what_to_do_instead():
    massage_steps = 0
    for technique_id, technique in EN.data["techniques"].items():
        for step in technique["steps"]:
            if not re.search(r"\b(massage|rub)\b", step["say"], re.IGNORECASE):
                continue
            massage_steps += 1
            safety = step.get("safety", "")
            assert all(word in safety for word in MASSAGE_CHECK), technique_id
            assert len(safety.split()) <= 20, "keep the check short"
            assert "[UCLH]" in technique["source"] and "[NHS-DVT]" in technique["source"]
    assert massage_steps >= 2  # massage, foot_massage


MY_PHRASES = ("start_known", "start_unspecific", "start_after_unknown", "start_elsewhere",
              "next_technique", "next_technique_variants", "check_in", "check_in_reprompt", "relieved",
              "closing_night", "closing_day", "routine_finished", "again_question", "again_reprompt",
              "finished_goodbye", "first_technique_already", "repeat", "start_over", "resume",
              "again_label", "card_aftercare")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("source", "routine", "techniques", "kind", "limb"):
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_what_the_guide_says_has_no_jargon():
    spoken = [*_strings(EN.data["techniques"]), *_strings(EN.data["routines"]), *_strings(EN.cues),
              *(s for key in MY_PHRASES for s in _strings(EN.data["phrases"][key]))]
    for text in spoken:
        assert not re.search(r"\b(techniques?|routines?)\b", text, re.IGNORECASE), text


def test_after_care_fits_the_time_of_day():
    relieved = EN.phrase("relieved").lower()
    assert "sleep" not in relieved and "night" not in relieved and "lie back" not in relieved
    assert "sleep well" in EN.phrase("closing_night").lower()
    assert not re.search(r"sleep|night|bed", EN.phrase("closing_day"), re.IGNORECASE)
    assert not re.search(r"sleep well|goodnight", EN.phrase("finished_goodbye"), re.IGNORECASE)
    assert "lying back down" not in EN.phrase("card_aftercare")


def test_every_slot_value_id_is_known_to_the_content():
    model = load_model("en-US")
    types = {t["name"]: {v["id"] for v in t["values"]} for t in model["types"]}
    assert types["MuscleType"] == set(EN.muscle_ids()) | {k for k in EN.data["other_parts"] if k[0] != "_"}
    assert types["SideType"] == set(EN.side_ids())
    # every id triage words a line for, and the sign ids the interpreter and triage share (signs.py)
    assert set(EN.red_flag("symptoms")) <= types["SymptomType"] <= set(EN.red_flag("symptoms")) | signs.ALL
    # a statin or a water pill is answered by triage's prescriber line (safety.NEW_MEDICINE)
    assert types["MedicineType"] <= set(EN.data["medicines"]["answers"]) | set(triage.PRESCRIBED)
    assert set(triage.PRESCRIBED) <= types["MedicineType"]


def test_halfway_falls_on_a_whole_second():
    # the Echo Show countdown shows whole seconds: a "Halfway." at 12.5 s would disagree with it
    for technique_id, technique in EN.data["techniques"].items():
        for step in technique["steps"]:
            assert step.get("hold", 0) % 2 == 0, technique_id
