"""Issue 18: every warning sign at its level (cramp_helper.triage's sign table), the lines it says in
every locale (action first, at most 35 words, the number only as {emergency}), and safety during the
steps (sit first before standing, warmth without a shower or heat on a leg sign). Pure: no request.
"""

from __future__ import annotations

import re

import pytest

from cramp_helper import content as content_module
from cramp_helper import guide, signs, triage
from cramp_helper.guide import Move, Position
from cramp_helper.slots import MATCH, NO_MATCH, SlotReading
from cramp_helper.speech import Say
from cramp_helper.triage import Urgency

EN = content_module.load("en-US")
LOCALES = content_module.content_files()
ENGLISH = [loc for loc in LOCALES if loc.startswith("en-")]
WORD_BUDGET = 35  # every language: a safety line is said in one breath (about 15 seconds)
E, ED, SD, SN, Q = (Urgency.EMERGENCY, Urgency.EMERGENCY_DEPARTMENT, Urgency.SAME_DAY, Urgency.SOON,
                    Urgency.CLARIFY)


def m(*ids: str) -> list[SlotReading]:
    return [SlotReading(MATCH, i) for i in ids]


def said(content, t: triage.Triage) -> str:
    return " ".join(triage.text(content, k) for k in (t.line, t.question) if k)


# --- the table --------------------------------------------------------------------------------------
def test_every_sign_id_has_a_row_and_every_row_a_line_in_content():
    assert set(triage.SIGNS) == signs.ALL
    for sign, rule in triage.SIGNS.items():
        assert rule.line and triage.lookup(EN, rule.line), sign
        assert re.fullmatch(r"(\s*\[[A-Z0-9-]+\])+\s*", rule.sources), sign
        if rule.level == Q:
            assert rule.question in triage.QUESTIONS, sign


@pytest.mark.parametrize("ids,level,line", [
    # CONTENT_FACTS "More warning signs": emergency number now
    (("CHEST_PAIN",), E, "safety.CHEST"),
    (("BLUE_GREY_WHITE",), E, "safety.LIMB"),
    (("COLD", "PALE", "NUMB"), E, "safety.LIMB"),
    (("COLD", "CANT_MOVE_LEG"), E, "safety.LIMB"),
    (("PALE", "NUMB"), E, "safety.LIMB"),
    (("FAINT",), E, "safety.FAINT"),
    (("RACING_HEART", "BREATHLESS"), E, "safety.RACING"),
    (("RACING_HEART", "FAINT"), E, "safety.RACING"),
    (("ARM_PAIN", "SWEATING"), E, "safety.HEART"),
    (("NECK_JAW_PAIN", "SICK"), E, "safety.HEART"),
    (("UPPER_BACK_PAIN", "CHEST_PAIN"), E, "safety.HEART"),
    (("SUDDEN_WEAKNESS",), E, "safety.SUDDEN"),
    (("SUDDEN_WEAKNESS", "FACE_DROOP"), E, "safety.STROKE"),
    (("SUDDEN_WEAKNESS", "SPEECH"), E, "safety.STROKE"),
    (("COMPARTMENT",), E, "safety.COMPARTMENT"),
    (("WOUND", "STIFF_JAW"), E, "safety.TETANUS"),
    (("WOUND", "SPASMS_SPREADING"), E, "safety.TETANUS"),
    (("HIT_HEAD",), E, "safety.FALL"),
    (("CANT_GET_UP",), E, "safety.FALL"),
    (("FELL", "HIT_HEAD", "BLOOD_THINNER"), E, "safety.FALL"),
    # emergency department now
    (("SUDDEN_WEAKNESS", "BACK_PAIN"), ED, "safety.CAUDA"),
    (("SUDDEN_WEAKNESS", "SADDLE_NUMB"), ED, "safety.CAUDA"),
    (("SUDDEN_WEAKNESS", "BLADDER_BOWEL"), ED, "safety.CAUDA"),
    (("NUMB", "SADDLE_NUMB"), ED, "safety.CAUDA"),
    # urgent, tonight or same day
    (("DARK_URINE",), SD, "safety.DARK_URINE"),
    (("DARK_URINE", "NEW_STATIN"), SD, "safety.DARK_URINE"),
    (("VOMITING",), SD, "safety.FLUID_LOSS"),
    (("DIARRHOEA",), SD, "safety.FLUID_LOSS"),
    (("HEAVY_SWEATING",), SD, "safety.FLUID_LOSS"),
    (("RELIEF_HANGING",), SD, "safety.RELIEF_HANGING"),
    (("SWOLLEN", "TENDER"), SD, "red_flags.CLOT"),
    (("HARD_VEINS",), SD, "red_flags.CLOT"),
    (("DISCOLOURED",), SD, "red_flags.CLOT"),
    # see someone soon
    (("WEAK",), SN, "red_flags.SOON"),
    (("WALKING_PAIN",), SN, "safety.WALKING_PAIN"),
    (("NEW_STATIN",), SN, "safety.NEW_MEDICINE"),
    (("NEW_WATER_PILL",), SN, "safety.NEW_MEDICINE"),
    (("DIALYSIS",), SN, "safety.CARE_TEAM"),
    (("LIVER",), SN, "safety.CARE_TEAM"),
    (("DIABETES",), SN, "safety.CARE_TEAM"),
])
def test_each_sign_and_compound_reaches_the_level_content_facts_gives(ids, level, line):
    result = triage.assess(m(*ids), during="relief")
    assert (result.urgency, result.line) == (level, line)
    if level >= SD and line != "ten_minutes.advice":
        assert result.ends_session and result.card and result.logs_red_flag and result.stops_routine
    if level == SN:
        assert not result.ends_session and result.card == "red_flags.card_title_soon"


@pytest.mark.parametrize("ids,question", [
    (("COLD",), triage.LIMB_Q), (("PALE",), triage.LIMB_Q), (("COLD", "PALE"), triage.LIMB_Q),
    (("CANT_MOVE_LEG",), triage.LIMB_Q),
    (("ARM_PAIN",), triage.HEART_Q), (("NECK_JAW_PAIN",), triage.HEART_Q),
    (("UPPER_BACK_PAIN",), triage.HEART_Q), (("BACK_PAIN",), triage.HEART_Q),
    (("RACING_HEART",), triage.HEART_Q), (("SWEATING",), triage.HEART_Q), (("SICK",), triage.HEART_Q),
    (("DIZZY",), triage.HEART_Q),
    (("FELL",), triage.FALL_Q), (("FELL", "BLOOD_THINNER"), triage.FALL_Q),
    (("INJURY",), triage.COMPARTMENT_Q), (("CAST",), triage.COMPARTMENT_Q),
    (("STIFF_JAW",), triage.WOUND_Q), (("SPASMS_SPREADING",), triage.WOUND_Q),
    (("TENDER",), triage.CLOT_Q), (("FEVER",), triage.CLOT_Q),
    (("PREGNANT",), triage.CLOT_Q), (("BLOOD_THINNER",), triage.CLOT_Q),
])
def test_a_sign_that_needs_one_question_asks_it_and_a_yes_is_the_emergency(ids, question):
    result = triage.assess(m(*ids), during="relief")
    assert result.urgency == Q and result.question == question and result.asks_clarify
    assert not result.ends_session and not result.card and not result.logs_red_flag
    assert "911" not in said(EN, result) and said(EN, result).endswith("?")
    assert triage.question_of(result.symptoms) == (question, triage.REPROMPTS[question])
    yes = triage.after_clarify(result.symptoms, True, during="relief")
    if question == triage.CLOT_Q:
        assert yes.urgency == SD and yes.line.startswith("red_flags.")
    else:
        assert yes.urgency == E and yes.ends_session and "call 911 now" in triage.text(EN, yes.line).lower()
    no = triage.after_clarify(result.symptoms, False, during="relief")
    assert no.urgency == Urgency.NONE and no.line == "red_flags.clarify_back_relief"


def test_a_hard_or_sore_muscle_alone_asks_and_never_sends():
    for ids in (("TENDER",),):
        result = triage.assess(m(*ids))
        assert result.urgency == Q and not result.says_number and not result.card


def test_dizziness_said_with_another_sign_that_asks_still_sits_the_person_down():
    for other in ("BACK_PAIN", "ARM_PAIN", "TENDER", "COLD"):
        result = triage.assess(m(other, "DIZZY"))
        assert result.seated and result.line == "safety.DIZZY" and result.question == triage.HEART_Q, other


def test_the_old_symptom_ids_stay_aliases_and_unknown_ids_only_clarify():
    assert triage.assess(m("DISCOLOURED")).symptoms == ("DARKER",)
    assert triage.assess(m("HARD")).symptoms == ("TENDER",)  # "hard": a hard muscle
    assert triage.assess(m("BIGGER")).symptoms == ("ONE_LEG_BIGGER",)
    for readings in (m("NOT_A_SIGN_ID"), [SlotReading(NO_MATCH)], m("chest_pain"), m("")):
        result = triage.assess(readings)
        assert result.urgency == Q and result.line == "red_flags.CLARIFY" and not result.says_number


def test_the_emergency_intent_with_a_sign_says_that_signs_line():
    assert triage.assess(m("FAINT"), emergency_intent=True).line == "safety.FAINT"
    assert triage.assess([], emergency_intent=True).line == "safety.CHEST"
    assert triage.assess(m("SWOLLEN"), emergency_intent=True).line == "safety.CHEST"


@pytest.mark.parametrize("kind,level,line", [
    ("FAINT", E, "safety.FAINT"),
    ("DIZZY", Q, "safety.DIZZY"),
    ("RACING_HEART", Q, "red_flags.CLARIFY"),
    *((k, Urgency.NONE, f"safety.DISTRESS_{k}")
      for k in ("SERIOUS", "DYING", "UNBEARABLE", "CANT_MOVE", "SCARED", "HOSPITAL", "GENERAL")),
    (None, Urgency.NONE, "safety.DISTRESS_GENERAL"),
])
def test_distress_is_answered_by_what_was_said(kind, level, line):
    result = triage.distress(kind)
    assert (result.urgency, result.line) == (level, line)
    assert result.seated == (kind == "DIZZY")
    words = said(EN, result)
    if kind == "FAINT":
        assert "Most cramps stop on their own" not in words and result.ends_session


# --- the lines, in every locale ----------------------------------------------------------------------
def _lines(section: dict, prefix: str):
    for key, value in section.items():
        if key.startswith("_") or key == "standing":
            continue
        if isinstance(value, dict):
            yield from _lines(value, f"{prefix}{key}.")
        elif isinstance(value, str):
            yield f"{prefix}{key}", value


EN_KEYS = {k for s in ("safety", "safety_steps") for k, _ in _lines(EN.data[s], f"{s}.")}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_every_safety_line_en_us_has_each_within_the_budget(locale):
    content = content_module.load(locale)
    keys = {k for s in ("safety", "safety_steps") for k, _ in _lines(content.data.get(s, {}), f"{s}.")}
    assert keys == EN_KEYS, sorted(EN_KEYS ^ keys)
    assert content.data["safety_steps"]["standing"] == EN.data["safety_steps"]["standing"]
    for section in ("safety", "safety_steps"):
        for key, line in _lines(content.data[section], f"{section}."):
            assert len(line.split()) <= WORD_BUDGET, (locale, key, len(line.split()))
            assert not re.search(r"\d", line), (locale, key)  # the number only as {emergency}
            if not key.startswith("safety_steps.say."):
                assert triage.placeholders(line) <= triage.PLACEHOLDERS, (locale, key)
            if key in triage.NUMBER_LINES:
                assert "{emergency}" in line, (locale, key)
            elif key.startswith("safety."):
                assert "{emergency}" not in line, (locale, key)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_emergency_line_says_the_number_within_its_first_twelve_words(locale):
    content = content_module.load(locale)
    number = content.emergency_number
    rules = [*triage.SIGNS.values(), *(c.rule for c in triage.COMPOUNDS), *triage.YES_TO.values()]
    for line in {r.line for r in rules if r.level >= ED}:
        words = triage.text(content, line).split()
        assert any(number in w for w in words[:12]), (locale, line)
        if line.startswith("safety.") and locale.startswith("en-"):
            assert words[-5:] == ["I", "can't", "call", "for", "you."], (locale, line)


def test_the_sources_of_each_line_are_in_content_and_cover_the_table():
    sources = EN.data["safety"]["_sources"]
    for rule in [*triage.SIGNS.values(), *(c.rule for c in triage.COMPOUNDS), *triage.YES_TO.values()]:
        if rule.line.startswith("safety."):
            listed = set(re.findall(r"\[([A-Z0-9-]+)\]", sources[rule.line.split(".", 1)[1]]))
            assert set(re.findall(r"\[([A-Z0-9-]+)\]", rule.sources)) <= listed, rule


# --- safety during the steps -------------------------------------------------------------------------
RELIEF = [r for r in EN.data["routines"] if EN.data["routines"][r].get("kind") != "prevention"]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_standing_guard_opens_every_standing_technique_until_it_is_said_and_none_after(locale):
    content = content_module.load(locale)
    guard = content.data["safety_steps"]["guard"]
    standing = content.standing()
    checked = 0
    for routine in content.data["routines"]:
        names = content.data["routines"][routine]["techniques"]
        muscle = next((mu for mu, v in content.data["muscles"].items() if v["routine"] == routine), routine)
        for index, name in enumerate(names):
            position = Position(muscle, "LEFT", index, 0)
            guarded = content.for_steps(seated=False, guard=True)
            said = content.for_steps(seated=False, guard=False)
            before = [i.text for i in guide.technique_script(guarded, position) if isinstance(i, Say)]
            after = [i.text for i in guide.technique_script(said, position) if isinstance(i, Say)]
            assert not any(guard in t for t in after), (locale, routine, name)
            assert before[0].startswith(guard) == (name in standing), (locale, routine, name)
            checked += name in standing
    assert checked >= 7


@pytest.mark.parametrize("locale", LOCALES)
def test_no_step_suggests_a_shower_or_a_heating_pad(locale):
    content = content_module.load(locale)
    heat = re.compile(r"shower|heating pad|ducha|douche|Dusche|doccia|chuveiro|regadera|almohadilla|"
                      r"coussin chauffant|Heizkissen|termoforo|banho quente|banho morno", re.I)
    for routine in RELIEF:
        muscle = next(mu for mu, v in content.data["muscles"].items() if v["routine"] == routine)
        for index in range(len(content.data["routines"][routine]["techniques"])):
            for item in guide.technique_script(content, Position(muscle, "LEFT", index, 0)):
                if isinstance(item, Say):
                    assert not heat.search(item.text), (locale, routine, item.text)
    gentle = triage.text(content, "safety_steps.gentle")
    assert not heat.search(gentle), (locale, gentle)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_content_string_anywhere_suggests_a_shower_or_a_heating_pad(locale):
    """Not only the steps spoken: no line a fallback, a screen or a card could show (issue 18)."""
    heat = re.compile(r"shower|heating pad|heat pad|heat pack|hot water bag|ducha|douche|Dusche|doccia|"
                      r"chuveiro|regadera|almohadilla|coussin chauffant|bouillotte|Heizkissen|termoforo|"
                      r"borsa dell'acqua calda|bolsa térmica|banho quente|banho morno", re.I)

    def strings(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("_"):  # notes and source tags, never said or shown
                    yield from strings(value, f"{path}.{key}")
        elif isinstance(node, list):
            for value in node:
                yield from strings(value, path)
        elif isinstance(node, str):
            yield path, node

    found = [(path, s) for path, s in strings(content_module.load(locale).data) if heat.search(s)]
    assert not found, found


@pytest.mark.parametrize("locale", LOCALES)
def test_massage_is_gentle_in_words_and_on_the_screen(locale):
    """CONTENT_FACTS: massage gently [UCLH]; 'press and rub firmly' was the older wording."""
    content = content_module.load(locale)
    firm = re.compile(r"firmly|kräftig|con firmeza|fermement|con decisione|com firmeza", re.I)
    for technique in ("massage", "foot_massage"):
        said = [s["say"] for s in content.technique(technique)["steps"]]
        shown = content.section("screens")["techniques"][technique]["instruction"]
        assert not any(firm.search(s) for s in (*said, shown)), (locale, technique)


def test_warmth_is_a_towel_never_on_a_numb_swollen_or_red_leg():
    warmth = triage.lookup(EN, "safety_steps.say.warmth_walk")
    assert "warm towel" in warmth and "few minutes" in warmth
    assert "unless {your_limb} is numb, swollen or red" in warmth
    assert "If you can stand safely" in warmth
    gentle = triage.text(EN, "safety_steps.gentle")
    assert "warm towel" in gentle and "numb, swollen or red" in gentle and "stretch" in gentle


def test_the_quadriceps_stretch_is_only_if_you_can_stand_safely():
    view = EN.for_steps(seated=False, guard=True)
    script = guide.technique_script(view, Position("QUADRICEPS", "LEFT", 0, 0))
    first = next(i.text for i in script if isinstance(i, Say))
    assert "If you can stand safely" in first
    assert first.index("sit on the edge") < first.index("If you can stand")


@pytest.mark.parametrize("locale", LOCALES)
def test_after_dizziness_every_muscle_has_a_lying_or_sitting_version_and_nothing_standing(locale):
    content = content_module.load(locale)
    view = content.for_steps(seated=True, guard=True)
    sitting = content.data["safety_steps"]["sitting"]
    def standing_only(technique: str) -> str:  # the standing words its sitting version lacks
        words = content.technique(technique)["steps"][0]["say"]
        seated_words = content.technique(technique, seated=True)["steps"][0]["say"]
        return next((s for s in words.split(". ") if s not in seated_words), words)

    stand_words = [standing_only(t) for t in content.standing()]
    for muscle in ("CALF", "FOOT", "TOES", "HAMSTRING", "QUADRICEPS", "THIGH", "BEDTIME"):
        side = "BOTH" if muscle == "BEDTIME" else "LEFT"
        turn = guide.seated(view, guide.begin(view, muscle, side))
        seen, stretched = 0, False
        while not turn.finished and seen < 10:
            name = content.techniques(muscle)[turn.position.technique]
            texts = " ".join(i.text for i in turn.script if isinstance(i, Say))
            assert content.data["safety_steps"]["guard"] not in texts, (locale, muscle)
            assert not any(w[:40] in texts for w in stand_words), (locale, muscle, texts)
            stretched |= name in sitting
            turn = guide.seated(view, guide.go(view, turn.position, Move.NEXT))
            seen += 1
        assert stretched, (locale, muscle)  # its lying or sitting version was delivered
    quad = guide.technique_script(view, Position("QUADRICEPS", "LEFT", 0, 0))
    assert content.data["safety_steps"]["sitting"]["quad_stretch"]["steps"][0]["say"].split("{")[0] in \
        next(i.text for i in quad if isinstance(i, Say))
