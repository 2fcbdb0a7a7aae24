"""Red-flag triage (cramp_helper.triage) and the safety lines it points to, plus the safety corpus.

Pure: no request, no table. The corpus (tests/safety_corpus.yaml and one file a locale in
tests/safety_corpus/) is run through the triage functions here; tests/functional/test_safety_corpus.py
drives the same entries through lambda_handler, each in its locale.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cramp_helper import content as content_module
from cramp_helper import triage
from cramp_helper.slots import MATCH, MISSING, NO_MATCH, SlotReading
from cramp_helper.triage import Urgency
from testkit import safety_corpus
from testkit.cases import check_each

EN = content_module.load("en-US")
CORPUS = safety_corpus.load()  # tests/safety_corpus.yaml and tests/safety_corpus/<locale>.yaml
SAFETY_SECTIONS = ("red_flags", "ten_minutes", "distress", "medicines", "safety", "safety_steps")
SAFETY_PHRASES = ("phrases.help", "phrases.welcome_evening")

# The Sources list of shared/CONTENT_FACTS.md (checked against the file when it is at hand).
SOURCE_TAGS = {
    "NHS", "NHS-DVT", "NIDIRECT", "MAYO-NLC", "MAYO-MC", "MAYO-HL", "CC", "CC-EPI", "CC-FOOT", "AAFP",
    "EU-112", "FDA", "AAN", "HALL", "HALL-T", "COPPIN", "COCH-ND", "COCH-MG", "MERCK", "MERCK-RS",
    "ADAM-MS", "AAOS", "UCLH", "GLOS", "HSE-PREG", "CMAJ", "BMC", "NAYLOR"}
# Its "More sources" list (the clinical review of issue 18).
MORE_SOURCE_TAGS = {
    "HEART", "DEVON-ALI", "TORBAY-CES", "STROKE", "NHS-CS", "NHS-TET", "MAYO-RHABDO", "HEAD-AC", "INJ",
    "NICE-PAD", "CKS", "KENT", "SAFERPREG", "CHILD", "CHILD-CUH", "HSCNI", "QC-811", "APOU", "SP-FR",
    "NOTIX", "MX911", "ERSS"}
NOW = datetime(2026, 11, 24, 3, 12, tzinfo=UTC)


def m(*ids: str) -> list[SlotReading]:
    return [SlotReading(MATCH, i) for i in ids]


def said(t: triage.Triage) -> str:
    """Everything a triage result speaks, filled."""
    return " ".join(triage.text(EN, k) for k in (t.line, t.question) if k)


# --- the rules --------------------------------------------------------------------------------
@pytest.mark.parametrize("symptom,urgency,line", [
    ("CHEST_PAIN", Urgency.EMERGENCY, "safety.CHEST"),  # issue 18: the action and the number first
    ("BREATHLESS", Urgency.EMERGENCY, "safety.CHEST"),
    ("COUGHING_BLOOD", Urgency.EMERGENCY, "safety.CHEST"),
    *((s, Urgency.SAME_DAY, "red_flags.CLOT")
      for s in ("SWOLLEN", "RED", "WARM", "DISCOLOURED", "BIGGER")),
    ("TENDER", Urgency.CLARIFY, "red_flags.CLARIFY"),  # a sore or hard muscle is the cramp: ask (issue 18)
    ("HARD", Urgency.CLARIFY, "red_flags.CLARIFY"),  # a hard muscle (veins: HARD_VEINS)
    ("CLOT", Urgency.SAME_DAY, "red_flags.CLOT_NAMED"),
    ("WOUND", Urgency.SAME_DAY, "red_flags.WOUND"),
    ("WONT_STOP", Urgency.SAME_DAY, "ten_minutes.advice"),
    ("NUMB", Urgency.SOON, "red_flags.SOON"),
    ("WEAK", Urgency.SOON, "red_flags.SOON"),
    ("PREGNANT", Urgency.CLARIFY, "red_flags.CLARIFY_PREGNANT"),
    ("FEVER", Urgency.CLARIFY, "red_flags.CLARIFY"),
])
def test_each_symptom_alone_gets_its_urgency_and_the_line_content_names(symptom, urgency, line):
    result = triage.assess(m(symptom))
    assert (result.urgency, result.line) == (urgency, line)
    assert EN.data["red_flags"]["symptoms"][symptom] == line  # content's model map and code agree
    assert result.symptoms == (triage.ALIASES.get(symptom, symptom),)


def test_triage_knows_every_symptom_id_of_the_models_and_every_sign_id():
    from cramp_helper import signs

    assert set(EN.data["red_flags"]["symptoms"]) <= triage.SYMPTOM_IDS
    assert signs.ALL <= triage.SYMPTOM_IDS


@pytest.mark.parametrize("other", sorted(triage.SYMPTOM_IDS - triage.EMERGENCY_SIGNS))
@pytest.mark.parametrize("emergency", sorted(triage.CHEST_SIGNS))
def test_anything_with_an_emergency_sign_is_an_emergency_whatever_else_is_said(emergency, other):
    for readings in (m(emergency, other), m(other, emergency), [SlotReading(NO_MATCH), *m(emergency)],
                     [*m(other), SlotReading(MISSING), *m(emergency)]):
        result = triage.assess(readings, during="relief")
        assert result.urgency == Urgency.EMERGENCY
        assert result.ends_session and result.card and result.says_number and result.stops_routine


def test_the_emergency_intent_is_an_emergency_with_any_slots_or_none():
    for readings in ([], m("SWOLLEN"), [SlotReading(NO_MATCH)], m("NUMB"), [SlotReading(MISSING)]):
        result = triage.assess(readings, emergency_intent=True)
        assert result.urgency == Urgency.EMERGENCY and result.line == "safety.CHEST"


@pytest.mark.parametrize("readings,line", [
    (m("PREGNANT", "SWOLLEN"), "red_flags.PREGNANT"),
    (m("RED", "PREGNANT"), "red_flags.PREGNANT"),
    (m("PREGNANT", "BIGGER"), "red_flags.PREGNANT"),
    (m("FEVER", "RED"), "red_flags.FEVER"),
    (m("SWOLLEN", "FEVER"), "red_flags.FEVER"),
    (m("NUMB", "SWOLLEN"), "red_flags.CLOT"),
    (m("WONT_STOP", "RED"), "red_flags.CLOT"),
    (m("WOUND", "WONT_STOP"), "red_flags.WOUND"),
    (m("CLOT", "SWOLLEN"), "red_flags.CLOT"),
    (m("CLOT", "PREGNANT"), "red_flags.PREGNANT"),
    ([SlotReading(NO_MATCH), *m("WARM")], "red_flags.CLOT"),
    (m("WEAK", "WONT_STOP"), "ten_minutes.advice"),
])
def test_compounds_get_the_most_urgent_line(readings, line):
    result = triage.assess(readings)
    assert result.urgency == Urgency.SAME_DAY and result.line == line


def test_same_day_ends_the_session_with_a_card_except_a_cramp_that_will_not_stop():
    for symptom in ("SWOLLEN", "CLOT", "WOUND"):
        result = triage.assess(m(symptom))
        assert result.ends_session and result.question is None
        assert result.card == "red_flags.card_title" and result.logs_red_flag and result.stops_routine
    wont_stop = triage.assess(m("WONT_STOP"))
    assert not wont_stop.ends_session and wont_stop.question == "ten_minutes.offer"
    assert wont_stop.card and not wont_stop.logs_red_flag and wont_stop.stops_routine  # still a cramp


def test_numbness_or_weakness_is_soon_with_a_card_and_the_clarifying_question():
    result = triage.assess(m("NUMB"), during="relief")
    assert result.urgency == Urgency.SOON and result.card == "red_flags.card_title_soon"
    assert result.asks_clarify and not result.ends_session and not result.logs_red_flag
    assert not result.stops_routine


@pytest.mark.parametrize("readings", [
    [SlotReading(NO_MATCH)],
    [SlotReading(NO_MATCH), SlotReading(NO_MATCH)],
    [SlotReading(MATCH, "MYSTERY_SIGN")],  # an id this table does not know
    [SlotReading(MATCH, None)],
    [SlotReading(MISSING)],  # a RedFlagIntent with its slots empty
    [SlotReading(MISSING), SlotReading(MISSING)],
    m("PREGNANT"), m("FEVER"), m("PREGNANT", "FEVER"),
    [(NO_MATCH, None)], [(MATCH, "CHEST")],  # plain pairs work too
])
def test_unknown_words_and_pregnancy_or_fever_alone_get_one_clarifying_question(readings):
    result = triage.assess(readings, during="relief")
    assert result.urgency == Urgency.CLARIFY
    assert result.asks_clarify and not result.ends_session and not result.card
    assert not result.says_number and "911" not in said(result) and "{emergency}" not in said(result)
    assert not result.logs_red_flag and not result.stops_routine
    assert said(result).endswith("?")


def test_no_reported_symptom_is_no_urgency():
    assert triage.assess([]) == triage.NONE
    assert triage.assess([]).urgency == Urgency.NONE and not triage.assess([]).says_number


def test_the_clarifying_answer_yes_is_same_day_and_no_goes_back_to_where_the_person_was():
    assert triage.after_clarify((), True).line == "red_flags.CLOT"
    assert triage.after_clarify(("PREGNANT",), True).line == "red_flags.PREGNANT"
    assert triage.after_clarify(("FEVER",), True).line == "red_flags.FEVER"
    assert triage.after_clarify(("NUMB",), True).urgency == Urgency.SAME_DAY
    for during in triage.DURING:
        back = triage.after_clarify(("PREGNANT",), False, during=during)
        assert back.urgency == Urgency.NONE and back.line == f"red_flags.clarify_back_{during}"
        assert not back.says_number and "911" not in triage.text(EN, back.line)
    assert "carry on" in triage.text(EN, "red_flags.clarify_back_relief")


def test_an_unknown_place_is_a_programming_error():
    with pytest.raises(ValueError):
        triage.assess(m("SWOLLEN"), during="mid_relief")


# --- ten minutes ------------------------------------------------------------------------------
def test_ten_minutes_means_ten_minutes_or_more_from_the_episode_start():
    start = NOW - timedelta(minutes=10)
    assert triage.ten_minute_check(start, NOW)
    assert triage.ten_minute_check(NOW - timedelta(minutes=12), NOW)
    assert not triage.ten_minute_check(start + timedelta(seconds=1), NOW)
    assert not triage.ten_minute_check(None, NOW)
    assert not triage.ten_minute_check(NOW + timedelta(minutes=20), NOW)  # clock skew


@pytest.mark.parametrize("minutes,elapsed,long", [
    (None, None, True),  # "it won't go away", no episode: the safe side
    (None, 12, True), (None, 10, True), (None, 9, False), (None, 2, False),
    (20, None, True), (20, 1, True), (10, 0, True),
    (5, None, False), (5, 5, False), (2, 11, True),
    (0, None, True), (-3, 3, False),  # not a count of minutes: as if none was said
])
def test_it_wont_go_away_and_its_been_n_minutes_get_one_answer_by_the_time(minutes, elapsed, long):
    started = None if elapsed is None else NOW - timedelta(minutes=elapsed)
    result = triage.long_cramp(minutes, started, NOW)
    if long:
        assert result.urgency == Urgency.SAME_DAY and result.line == "ten_minutes.advice"
        assert result.question == "ten_minutes.offer" and result.card and result.says_number
        assert not result.ends_session
    else:
        assert result.urgency == Urgency.NONE and result.line == "ten_minutes.short"
        assert result.question and not result.says_number and not result.card


def test_the_ten_minute_lead_gives_same_day_care_first_and_offers_guidance_only():
    lead = triage.TEN_MINUTE_LEAD
    assert lead.urgency == Urgency.SAME_DAY and lead.stops_routine and not lead.ends_session
    words = said(lead)
    assert "ten minutes" in words and "today" in words and "call 911" in words
    assert words.endswith("?") and "gentle" in words
    assert "ten minutes" in triage.text(EN, "ten_minutes.advice")
    gentle = triage.text(EN, "safety_steps.gentle")  # what a yes to the offer hears (no shower, no heat pad)
    assert "gentle" in gentle and "stretch" in gentle and "numb, swollen or red" in gentle


# --- distress and medicines -------------------------------------------------------------------
CALM_KINDS = [k for k in triage.DISTRESS_KINDS if k != "DIZZY"]


@pytest.mark.parametrize("kind", [*CALM_KINDS, None, "UNKNOWN"])
def test_distress_gets_its_own_calm_safety_line_and_a_way_forward(kind):
    result = triage.distress(kind)
    words = said(result)
    assert result.line == f"safety.DISTRESS_{kind if kind in CALM_KINDS else 'GENERAL'}"
    assert "call 911" in words.lower() and words.endswith("?")
    assert not result.ends_session and not result.logs_red_flag
    assert "dying" not in words.lower() and "serious" not in triage.text(EN, result.line).lower()
    assert "Most cramps stop on their own" not in words or kind in (None, "UNKNOWN", "GENERAL")


def test_distress_has_a_line_for_each_kind_and_only_those():
    assert set(EN.data["distress"]) - {"_about", "_sources"} == set(triage.DISTRESS_KINDS)
    assert {f"DISTRESS_{k}" for k in CALM_KINDS} == {
        k for k in EN.data["safety"] if k.startswith("DISTRESS_")}


def test_about_to_pass_out_is_the_emergency_and_dizzy_sits_the_person_down():
    faint = triage.distress("FAINT")
    assert faint.urgency == Urgency.EMERGENCY and faint.ends_session and faint.says_number
    assert triage.text(EN, faint.line).startswith("Call 911 now.")
    assert "Most cramps" not in triage.text(EN, faint.line)
    dizzy = triage.distress("DIZZY")
    assert dizzy.seated and dizzy.question == triage.HEART_Q and not dizzy.ends_session
    assert "sitting or lying down" in said(dizzy) and not dizzy.says_number
    assert triage.after_clarify(dizzy.symptoms, True).urgency == Urgency.EMERGENCY
    racing = triage.distress("RACING_HEART")
    assert racing.urgency == Urgency.CLARIFY and racing.question == triage.HEART_Q


FORBIDDEN_IN_MEDICINE = [
    r"\btake\b", r"\btaking\b", r"\btry\b", r"\bmg\b", r"milligram", r"\bdos(e|es|age)\b", r"\btablets?\b",
    r"\bcapsules?\b", r"\bper day\b", r"\bdaily\b", r"\btimes a day\b", r"\bwill (stop|cure|fix)\b",
    r"\b(you should|i recommend|i'd recommend|i suggest)\b", r"\b(use|buy|drink some)\b",
    # brands and products
    r"advil", r"motrin", r"tylenol", r"aleve", r"nurofen", r"panadol", r"excedrin", r"bayer", r"qualaquin",
    r"schweppes", r"canada dry", r"slow-mag", r"mag-tab", r"gatorade", r"pedialyte", r"hyland",
    r"ibuprofen", r"paracetamol", r"acetaminophen", r"aspirin", r"naproxen", r"potassium", r"banana",
]


def medicine_answers() -> dict[str, str]:
    section = EN.data["medicines"]
    return {**section["answers"], "general": section["general"]}


@pytest.mark.parametrize("medicine", [*triage.MEDICINE_IDS, "general"])
def test_medicine_answers_never_advise_a_drug_dose_or_product(medicine):
    answer = medicine_answers()[medicine].lower()
    for pattern in FORBIDDEN_IN_MEDICINE:
        assert not re.search(pattern, answer), (medicine, pattern)
    assert re.sub(r"\bwater pill\b", "", answer).count("pill") == 0  # a water pill is a named cause
    assert re.search(r"\bi can't advise\b|\bask the doctor who prescribed\b", answer)
    assert "doctor" in answer
    assert "isn't recommended" in answer or "can't advise" in answer


def test_medicine_answers_say_the_facts_content_facts_allows_where_they_apply():
    answers = {k: v.lower() for k, v in medicine_answers().items()}
    assert set(EN.data["medicines"]["answers"]) == set(triage.MEDICINE_IDS)
    assert "fda" in answers["QUININE"] and "serious side effects" in answers["QUININE"]
    assert "fda" in answers["TONIC_WATER"] and "quinine" in answers["TONIC_WATER"]
    assert "placebo" in answers["MAGNESIUM"] and "older adults" in answers["MAGNESIUM"]
    assert "too slowly" in answers["PAINKILLER"] and "stretching is the first step" in answers["PAINKILLER"]
    assert "too slowly" in answers["general"]
    assert "doctor who prescribed" in answers["NEW_MEDICINE"]
    for key, answer in answers.items():
        if key != "NEW_MEDICINE":
            assert "pharmacist" in answer and "pregnan" in answer, key


def test_a_medicine_question_gets_its_answer_and_an_unknown_one_the_general_answer():
    assert triage.medicine("QUININE").line == "medicines.answers.QUININE"
    assert triage.medicine(None).line == triage.medicine("ASPIRIN_X").line == "medicines.general"
    for medicine in (*triage.MEDICINE_IDS, None):
        result = triage.medicine(medicine)
        assert result.urgency == Urgency.NONE and not result.ends_session and said(result).endswith("?")


# --- the safety lines in content --------------------------------------------------------------
def lines(node, prefix=""):
    """(dotted key, text) for every spoken line of a section, skipping _about/_sources/symptoms."""
    for key, value in node.items():
        if key.startswith("_") or key == "symptoms":
            continue
        if isinstance(value, dict):
            yield from lines(value, f"{prefix}{key}.")
        elif isinstance(value, str):
            yield f"{prefix}{key}", value


ALL_LINES = [(f"{s}.{k}", v) for s in SAFETY_SECTIONS for k, v in lines(EN.data[s])] + [
    (k, triage.lookup(EN, k)) for k in SAFETY_PHRASES]


def source_of(key: str) -> str | None:
    section, _, rest = key.partition(".")
    if section == "phrases":
        return EN.data["red_flags"]["_sources"].get(key)
    return EN.data[section]["_sources"].get(rest)


HEALTH_WORDS = re.compile(r"\{emergency\}|care|doctor|swollen|red\b|warm|clot|numb|weak|ten minutes|"
                          r"placebo|fda|quinine|pregnan|massage|stretch", re.I)


@pytest.mark.parametrize("key,line", ALL_LINES, ids=[k for k, _ in ALL_LINES])
def test_every_safety_line_has_source_tags_from_content_facts(key, line):
    source = source_of(key)
    assert source, f"{key} has no source in _sources"
    if source == "-":  # states no health fact
        assert not HEALTH_WORDS.search(line), (key, line)
        return
    tags = re.findall(r"\[([A-Z0-9-]+)\]", source)
    assert tags and re.fullmatch(r"(\s*\[[A-Z0-9-]+\])+\s*", source), source
    assert set(tags) <= SOURCE_TAGS | MORE_SOURCE_TAGS, set(tags) - SOURCE_TAGS - MORE_SOURCE_TAGS


def test_no_source_is_listed_for_a_line_that_does_not_exist():
    keys = {k for k, _ in ALL_LINES}
    for section in SAFETY_SECTIONS:
        for key in EN.data[section]["_sources"]:
            full = key if key.startswith("phrases.") else f"{section}.{key}"
            assert full in keys, full


def test_the_source_list_matches_content_facts_when_it_is_at_hand():
    here = Path(__file__).resolve()
    candidates = [p / "shared" / "CONTENT_FACTS.md" for p in here.parents]
    facts = next((p for p in candidates if p.is_file()), None)
    if facts is None:
        pytest.skip("shared/CONTENT_FACTS.md is not beside this checkout")
    listed = facts.read_text(encoding="utf-8").split("## Sources", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"\[([A-Z0-9-]+)\]", listed)) == SOURCE_TAGS
    more = facts.read_text(encoding="utf-8").split("More sources:", 1)[1]
    assert set(re.findall(r"^- \[([A-Z0-9-]+)\]", more, re.M)) == MORE_SOURCE_TAGS


@pytest.mark.parametrize("key,line", ALL_LINES, ids=[k for k, _ in ALL_LINES])
def test_the_emergency_number_is_never_written_only_the_placeholder(key, line):
    assert not re.search(r"\d", line), (key, line)
    if key.startswith("safety_steps.say."):  # a step's words: body placeholders, filled by the guide
        return
    assert triage.placeholders(line) <= triage.PLACEHOLDERS, (key, line)
    assert "{emergency}" not in triage.text(EN, key)
    if "{emergency}" in line:
        assert "911" in triage.text(EN, key)


def test_the_number_comes_from_the_locale_content():
    other = type("Other", (), {"data": EN.data, "emergency_number": "999"})()
    assert "call 999 now" in triage.text(other, "red_flags.EMERGENCY")
    assert "call 999" in triage.text(EN.data | {"emergency_number": "999"}, "red_flags.CLOT")


@pytest.mark.parametrize("key,line", ALL_LINES, ids=[k for k, _ in ALL_LINES])
def test_safety_lines_never_diagnose(key, line):
    lower = line.lower()
    for phrase in ("you have a", "you have dvt", "it is a clot", "it's a clot", "you are having",
                   "sounds like", "you may have", "you might have", "diagnosed", "diagnosis",
                   "you're dying", "you are dying", "nothing to worry", "it's nothing"):
        assert phrase not in lower, (key, phrase)


RED_FLAG_LINES = [(k, v) for k, v in lines(EN.data["red_flags"])]
INSTRUCTION = re.compile(r"\b(massage|stretch\w*|rub|press|pull|walk|stand|flex|shake|hold|knead|lean)\b",
                         re.I)


def instructs(line: str) -> bool:
    """Tells someone to stretch, massage or move the leg (the one warning allowed aside)."""
    line = re.sub(r"worse on stretching", "", line)  # a warning sign described, not an instruction
    return bool(INSTRUCTION.search(re.sub(r"don't massage or stretch (that|your) leg", "", line, flags=re.I)))


@pytest.mark.parametrize("key,line", RED_FLAG_LINES, ids=[k for k, _ in RED_FLAG_LINES])
def test_no_red_flag_line_tells_anyone_to_stretch_or_massage(key, line):
    assert not instructs(line), (key, line)


def test_urgent_lines_say_what_to_do_and_when():
    rf = {k: triage.text(EN, f"red_flags.{k}") for k in
          ("EMERGENCY", "CLOT", "CLOT_NAMED", "PREGNANT", "FEVER", "WOUND", "SOON")}
    assert "call 911 now" in rf["EMERGENCY"]
    for key in ("CLOT", "CLOT_NAMED", "PREGNANT", "FEVER"):
        assert "Don't massage or stretch that leg" in rf[key] and "today" in rf[key], key
    for key in ("CLOT", "CLOT_NAMED", "PREGNANT", "FEVER", "WOUND", "SOON"):
        assert "chest pain or trouble breathing, call 911" in rf[key], key
    assert "can be a sign of" in rf["CLOT"] and "midwife" in rf["PREGNANT"]
    assert "soon" in rf["SOON"]
    question = triage.text(EN, "red_flags.clarify_question")
    assert question.endswith("?") and "swollen" in question and "just the cramp" in question


def test_says_number_matches_the_words():
    results = [triage.assess(m(s)) for s in triage.SYMPTOM_IDS] + [
        triage.assess([SlotReading(NO_MATCH)]), triage.TEN_MINUTE_LEAD,
        triage.long_cramp(3, NOW - timedelta(minutes=3), NOW),
        *(triage.distress(k) for k in triage.DISTRESS_KINDS),
        *(triage.medicine(k) for k in triage.MEDICINE_IDS)]
    for result in results:
        assert result.says_number == ("911" in said(result)), result
        for key in (result.line, result.question, result.reprompt, result.card):
            if key:
                assert triage.lookup(EN, key)  # every key a result names exists


# --- help and launch --------------------------------------------------------------------------
def test_help_names_the_number_the_same_day_signs_and_every_feature():
    help_ = triage.text(EN, "phrases.help")
    assert "chest pain or trouble breathing, call 911" in help_
    for sign in ("swollen", "red", "warm", "same day"):
        assert sign in help_
    for feature in ("my left calf", "bedtime stretches", "history", "reminder", "delete", "whisper"):
        assert feature in help_, feature
    assert len(help_.split()) < 90  # one short breath


def test_the_evening_welcome_offers_the_bedtime_stretches_and_does_not_assume_a_cramp():
    evening = triage.text(EN, "phrases.welcome_evening")
    assert evening.endswith("?") and "bedtime stretches" in evening
    assert "If a cramp has started" in evening


# --- the corpus -------------------------------------------------------------------------------
ENTRIES = CORPUS["entries"]
WHERES = CORPUS["wheres"]
TRIAGE_INTENTS = {"RedFlagIntent", "EmergencyIntent", "LongCrampIntent", "DistressIntent", "MedicineIntent"}


def reading(slot) -> SlotReading | None:
    if slot is None:
        return None
    words, value = slot
    return SlotReading(MATCH, value) if value is not None else SlotReading(NO_MATCH)


def _heard_red_flag(slots, locale: str):
    """What the handlers hear in a RedFlagIntent entry (interpreter.heard, the locale's lexicon)."""
    from cramp_helper.interpreter import Said, heard, lexicon

    said = {name: Said(value, words) for name, (words, value) in slots.items()}
    return heard("RedFlagIntent", said, lexicon(locale))


def _heard_as_the_cramp(slots, locale: str) -> bool:
    """The handlers read unresolved words first (interpreter.heard), in the locale's lexicon:
    relief, soreness, "still" or a denial ("no swelling") carried to RedFlagIntent is the
    dialogue's own answer, never triage's."""
    return _heard_red_flag(slots, locale).meaning in ("RELIEF", "SORE", "STILL", "NOT_A_SIGN")


def _asks_the_neutral_question(slots, locale: str) -> bool:
    """Issue 17: words nobody knows, carried as a warning sign with no body part named, get one
    neutral question from the dialogue (the leg cramp, or a different problem?), never the clot
    question: the dialogue's own answer for what the handlers hear (a resolved Muscle names the leg)."""
    from cramp_helper.dialogue import Answer, answer_to_heard

    found = _heard_red_flag(slots, locale)
    leg = (slots.get("Muscle") or [None, None])[1] is not None
    return answer_to_heard("RedFlagIntent", found.meaning, found.by_words, leg_named=leg) is Answer.UNCLEAR


@pytest.mark.parametrize("locale", sorted({e["locale"] for e in ENTRIES}))
def test_the_corpus_marks_every_entry_that_gets_the_neutral_question(locale):
    """``asks: topic`` is on exactly the entries whose words the interpreter cannot read, with no
    leg named (and each locale has some): the corpus and the dialogue agree on who hears which question."""
    mine = [e for e in ENTRIES if e["locale"] == locale and e["intent"] == "RedFlagIntent"]
    marked = {e["say"] for e in mine if e.get("asks") == "topic"}
    unread = {e["say"] for e in mine if _asks_the_neutral_question(e["slots"], locale)}
    assert marked == unread and len(marked) >= 2, (sorted(marked ^ unread), len(marked))


def run(entry) -> triage.Triage:
    """What the handlers will do with this entry, in triage terms."""
    slots = entry["slots"]
    during = WHERES[entry["where"]]["during"]
    intent = entry["intent"]
    if intent == "RedFlagIntent" and _heard_as_the_cramp(slots, entry["locale"]):
        return triage.NONE  # "still tight", "a bit stiff": the dialogue's own answer (issue 17)
    if intent in ("RedFlagIntent", "EmergencyIntent"):
        readings = [reading(slots.get(n)) or SlotReading(MISSING) for n in ("Symptom", "OtherSymptom")]
        return triage.assess(readings, emergency_intent=intent == "EmergencyIntent", during=during)
    if intent == "LongCrampIntent":
        minutes = int(slots["Minutes"][1]) if "Minutes" in slots else None
        elapsed = entry["elapsed"]
        started = None if elapsed is None else NOW - timedelta(minutes=elapsed)
        return triage.long_cramp(minutes, started, NOW)
    if intent == "DistressIntent":
        return triage.distress()
    if intent == "MedicineIntent":
        return triage.medicine(slots["Medicine"][1] if "Medicine" in slots else None)
    return triage.assess([], during=during)  # any other intent reports no symptom


def test_the_corpus_is_big_enough_and_well_formed():
    assert len(ENTRIES) >= 200
    fields = {"say", "intent", "slots", "where", "urgency", "number", "session", "card", "logged", "locale"}
    for entry in ENTRIES:
        assert fields <= set(entry) <= fields | {"elapsed", "asks_how_long", "asks"}, entry
        assert entry.get("asks", "topic") == "topic", entry
        if entry.get("asks_how_long"):  # issue 18: asked only with no duration and no routine
            wont_stop = entry["slots"].get("Symptom", [None, None])[1] == "WONT_STOP"  # in any words
            assert entry.get("elapsed") is None and (wont_stop or not entry["slots"]), entry
            assert entry["where"] in ("one_shot", "question:reminder_time", "question:delete",
                                      "question:muscle"), entry
        assert entry["where"] in WHERES and entry["urgency"] in Urgency.__members__
        assert entry["session"] in ("ended", "open", "dialogue") and entry["logged"] in ("RED_FLAG", None)
        assert ("elapsed" in entry) == (entry["intent"] == "LongCrampIntent"), entry
        for name, slot in entry["slots"].items():
            assert isinstance(slot, list) and len(slot) == 2 and slot[0], entry
            if name in ("Symptom", "OtherSymptom") and slot[1] is not None:
                assert slot[1] in triage.SYMPTOM_IDS, entry
    keys = {(e["locale"], e["say"], e["intent"], e["where"], e.get("elapsed")) for e in ENTRIES}
    assert len(keys) == len(ENTRIES)
    for where in WHERES.values():
        assert where["during"] in triage.DURING


def test_the_corpus_covers_every_symptom_every_place_and_every_urgency_at_each():
    heard = {s[1] for e in ENTRIES for n, s in e["slots"].items() if n in ("Symptom", "OtherSymptom")}
    assert triage.SYMPTOM_IDS <= heard
    for where in WHERES:
        here = {e["urgency"] for e in ENTRIES if e["where"] == where}
        assert {"EMERGENCY", "SAME_DAY", "CLARIFY", "NONE"} <= here, where
    for intent in TRIAGE_INTENTS | {"FeelingOkayIntent", "NotYetIntent", "StillCrampingIntent"}:
        assert any(e["intent"] == intent for e in ENTRIES), intent


LOCALES = content_module.content_files()


def sign_of(entry) -> str | None:
    symptom = entry["slots"].get("Symptom")
    return triage.ALIASES.get(symptom[1], symptom[1]) if symptom else None


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_says_every_sign_in_five_wordings_of_its_own(locale):
    """Issue 18: every sign of signs.ALL, alone, in at least five different wordings in each locale,
    said in every place the corpus covers, in that locale's own words (not the en-US rows)."""
    from cramp_helper import signs

    mine = [e for e in ENTRIES if e["locale"] == locale]
    wordings = {}
    for entry in mine:
        if entry["intent"] == "RedFlagIntent" and "OtherSymptom" not in entry["slots"] and sign_of(entry):
            wordings.setdefault(sign_of(entry), set()).add(entry["say"].lower())
    thin = {s: len(wordings.get(s, ())) for s in signs.ALL if len(wordings.get(s, ())) < 5}
    assert not thin, thin
    assert {e["where"] for e in mine} == set(WHERES)
    if locale != "en-US":  # the locale's own wordings, not the American rows (English shares a few)
        english = {e["say"].lower() for e in ENTRIES if e["locale"] == "en-US"}
        copied = [e["say"] for e in mine if e["say"].lower() in english]
        assert len(copied) <= (len(mine) // 5 if locale.startswith("en-") else 0), copied


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_the_false_alarms_of_the_issue(locale):
    """A sore or hard muscle alone, soreness after the cramp, "not pregnant", "no swelling": one
    question, or (soreness the interpreter hears as soreness) the dialogue's own after-care; never
    the number, a card or a red flag (their own words: unresolved, or TENDER)."""
    alarms = [e for e in ENTRIES if e["locale"] == locale and e["urgency"] in ("CLARIFY", "NONE")
              and sign_of(e) in (None, "TENDER") and "OtherSymptom" not in e["slots"]
              and e["intent"] == "RedFlagIntent"]
    assert sum(sign_of(e) == "TENDER" for e in alarms) >= 5, locale  # a sore or hard muscle
    assert sum(sign_of(e) is None for e in alarms) >= 4, locale  # denials, soreness after the cramp
    for entry in alarms:
        assert not entry["number"] and not entry["card"] and entry["logged"] is None
        assert entry["session"] == ("open" if entry["urgency"] == "CLARIFY" else "dialogue")


def _gets_its_urgency(entry) -> None:
    result = run(entry)
    assert result.urgency.name == entry["urgency"], result.urgency.name
    assert result.says_number == entry["number"]
    assert bool(result.card) == entry["card"]
    assert ("RED_FLAG" if result.logs_red_flag else None) == entry["logged"]
    if entry["session"] == "ended":
        assert result.ends_session and result.question is None
    elif entry["session"] == "open":
        assert not result.ends_session and result.question
    else:  # the dialogue's own answer: triage adds nothing
        assert result == triage.NONE
    if result.urgency >= Urgency.SAME_DAY:
        assert result.stops_routine
        assert not instructs(triage.text(EN, result.line))
    if result.urgency in (Urgency.CLARIFY, Urgency.NONE) and entry["intent"] != "DistressIntent":
        assert "911" not in said(result)


def _entry_label(entry) -> str:
    return f"{entry['locale']}|{entry['where']}|{entry['say']}|{entry['intent']}"


CORPUS_LOCALES = sorted({e["locale"] for e in ENTRIES})


@pytest.mark.parametrize("locale", CORPUS_LOCALES)
def test_each_corpus_entry_gets_its_urgency(locale):
    """One test a locale; a failure lists every entry that got the wrong urgency, number, card,
    log or session."""
    check_each([e for e in ENTRIES if e["locale"] == locale], _gets_its_urgency, _entry_label)


# --- false alarms -----------------------------------------------------------------------------
FALSE_ALARMS = [e for e in ENTRIES if e["session"] == "dialogue" or e["urgency"] == "CLARIFY"]


def test_the_corpus_holds_the_false_alarms_of_the_issue():
    says = {e["say"] for e in FALSE_ALARMS}
    assert {"I'm okay", "I'm fine", "I'm not ready", "my calf is still tight"} <= says
    assert any(e["slots"].get("Symptom", [None, "x"])[1] is None for e in FALSE_ALARMS)


def _never_alarms(entry) -> None:
    result = run(entry)
    assert result.urgency < Urgency.SOON, result.urgency.name
    assert not result.says_number and not result.card and not result.logs_red_flag and not result.ends_session


@pytest.mark.parametrize("locale", CORPUS_LOCALES)
def test_a_false_alarm_is_never_an_emergency_or_same_day(locale):
    alarms = [e for e in FALSE_ALARMS if e["locale"] == locale]
    assert alarms, locale
    check_each(alarms, _never_alarms, _entry_label)


@pytest.mark.parametrize("words", ["okay", "fine", "not ready", "still tight", "alright", "good", "better",
                                   "awake", "cramping badly", "tingly", "stiff", "sore", "tight"])
def test_unknown_symptom_words_in_any_slot_never_trigger_the_emergency_line(words):
    for during in triage.DURING:
        for readings in ([SlotReading(NO_MATCH)], [SlotReading(NO_MATCH), SlotReading(MISSING)],
                         [SlotReading(NO_MATCH), SlotReading(NO_MATCH)]):
            result = triage.assess(readings, during=during)
            assert result.urgency == Urgency.CLARIFY and "911" not in said(result), words
