"""The interpreter reads the words Alexa could not resolve (issue 17): every lexicon entry in every
locale means what its section says, relief never raises a warning sign, a sign said in any carrier
sentence is heard, and a denial never cancels a sign said beside it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cramp_helper import signs
from cramp_helper.interpreter import (
    CRAMP,
    DISTRESS,
    DURATION,
    HURTS,
    LEXICON_DIR,
    MEANINGS,
    MEDICINE,
    NOT_A_SIGN,
    OTHER_PERSON,
    PASS,
    PREGNANT,
    RELIEF,
    REQUESTS,
    SECTIONS,
    SIGN,
    SORE,
    STILL,
    UNKNOWN,
    Lexicon,
    Meaning,
    Said,
    interpret,
    lexicon,
    tokens,
)

ROOT = Path(__file__).resolve().parents[2]
LOCALES = sorted(json.loads((LEXICON_DIR.parent / "locales.json").read_text(encoding="utf-8"))["locales"])
FILES = sorted(LEXICON_DIR.glob("*.json"))
MUSCLE_IDS = {"CALF", "SHIN", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES", "LEG", "BEHIND_KNEE", "HIP",
              "KNEE", "BACK", "ARM", "HAND", "NECK", "JAW", "STOMACH", "CHEST"}
MEDICINE_IDS = {"MAGNESIUM", "QUININE", "TONIC_WATER", "PAINKILLER", "MUSCLE_RELAXANT", "SUPPLEMENT",
                "NEW_MEDICINE", "STATIN", "WATER_PILL"}
DISTRESS_IDS = {"SERIOUS", "DYING", "UNBEARABLE", "CANT_MOVE", "SCARED", "HOSPITAL"}
WHO_IDS = {"PARTNER", "CHILD", "PARENT", "OTHER"}
# What a phrase of each section means when it is all that was said.
KIND_OF_SECTION = {"signs": SIGN, "not_signs": NOT_A_SIGN, "distress": DISTRESS, "who": OTHER_PERSON,
                   "medicines": MEDICINE, "minutes": DURATION, "muscles": CRAMP, "sides": PASS}
# Carrier words around a phrase, as people say them; none of them is a lexicon word in any locale.
CARRIERS = {
    "en": ("{}", "um {}", "i think {}", "it's like {}", "oh god {}", "right now {}", "okay so {} i think"),
    "es": ("{}", "eh {}", "creo que {}", "ay dios {}", "oye {}", "pues {} creo"),
    "pt": ("{}", "hum {}", "acho que {}", "ai meu deus {}", "olha {}", "então {} acho"),
    "de": ("{}", "äh {}", "ich glaube {}", "oh gott {}", "also {}", "hm {} glaube ich"),
    "fr": ("{}", "euh {}", "je crois que {}", "oh mon dieu {}", "alors {}", "bon {} je crois"),
    "it": ("{}", "ehm {}", "credo che {}", "oddio {}", "allora {}", "boh {} credo"),
}


def entries(locale: str, *sections: str):
    """(section, value, phrase) of every lexicon entry of the locale, in the sections named (all)."""
    for section, value, phrase in lexicon(locale).phrases():
        if not sections or section in sections:
            yield section, value, " ".join(phrase)


def said(words: str, slot: str = "Symptom") -> dict:
    return {slot: Said(None, words)}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_lexicon_file_has_only_known_sections(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) - {"_about"} <= set(SECTIONS)
    assert path.stem.split("-")[0] in {p.stem for p in FILES}, "a locale file needs its language's file"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_supported_locale_has_a_lexicon(locale):
    assert sum(1 for _ in lexicon(locale).phrases()) > 300


@pytest.mark.parametrize("locale", LOCALES)
def test_ids_are_the_shared_vocabulary(locale):
    lex = lexicon(locale).sections
    assert set(lex["signs"]) <= signs.ALL
    assert set(lex["not_signs"]) <= signs.ALL
    assert set(lex["muscles"]) <= MUSCLE_IDS
    assert set(lex["medicines"]) <= MEDICINE_IDS
    assert set(lex["distress"]) <= DISTRESS_IDS
    assert set(lex["who"]) <= WHO_IDS
    assert set(lex["meanings"]) <= set(MEANINGS)
    assert set(lex["requests"]) <= set(REQUESTS)
    assert set(lex["sides"]) <= {"LEFT", "RIGHT", "BOTH"}
    assert all(m.isdigit() and int(m) > 0 for m in lex["minutes"])


@pytest.mark.parametrize("locale", LOCALES)
def test_no_phrase_means_two_things(locale):
    seen: dict[tuple[str, ...], str] = {}
    for section, value, phrase in lexicon(locale).phrases():
        where = f"{section}.{value}"
        assert seen.setdefault(phrase, where) == where, f"{' '.join(phrase)!r}: {seen[phrase]} and {where}"


# What a Meaning must carry for a phrase of each section said alone.
FIELD_OF_SECTION = {"signs": lambda m: m.signs, "not_signs": lambda m: m.signs,
                    "muscles": lambda m: m.muscle, "minutes": lambda m: m.minutes, "who": lambda m: m.who,
                    "medicines": lambda m: m.medicine, "distress": lambda m: m.distress,
                    "sides": lambda m: m.side}


def _expected_field(section, value):
    if section in ("signs", "not_signs"):
        return (value,)
    return int(value) if section == "minutes" else value


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_alone_means_what_its_section_says(locale):
    lex, wrong = lexicon(locale), []
    for section, value, phrase in entries(locale):
        meaning = interpret(said(phrase), lex)
        expected = value if section in ("meanings", "requests") else KIND_OF_SECTION[section]
        expected = STILL if expected == HURTS else expected  # "it still hurts", said alone
        field_ok = section not in FIELD_OF_SECTION or (
            FIELD_OF_SECTION[section](meaning) == _expected_field(section, value))
        if meaning.kind != expected or not field_ok:
            wrong.append((phrase, section, value, meaning))
    assert not wrong, wrong[:10]


def _carriers(locale):
    return CARRIERS[locale.split("-")[0]]


@pytest.mark.parametrize("locale", LOCALES)
def test_a_sign_in_any_carrier_is_heard_even_beside_relief_or_a_denial(locale):
    lex, missed = lexicon(locale), []
    relief = " ".join(lex.sections["meanings"][RELIEF][0])
    denial = " ".join(next(iter(lex.sections["not_signs"].values()))[0])
    for _, value, phrase in entries(locale, "signs"):
        beside = (f"{relief} {phrase}", f"{denial} {phrase}")  # once a phrase, not once a carrier
        for words in (*(carrier.format(phrase) for carrier in _carriers(locale)), *beside):
            meaning = interpret(said(words), lex)
            if meaning.kind != SIGN or value not in meaning.signs:
                missed.append((words, meaning))
    assert not missed, missed[:10]


@pytest.mark.parametrize("locale", LOCALES)
def test_relief_soreness_and_still_never_raise_a_sign(locale):
    lex, wrong = lexicon(locale), []
    for _, value, phrase in entries(locale, "meanings"):
        if value not in (RELIEF, SORE, STILL, HURTS):
            continue
        for carrier in _carriers(locale):
            meaning = interpret(said(carrier.format(phrase)), lex)
            if meaning.kind != (STILL if value == HURTS else value) or meaning.signs:
                wrong.append((carrier.format(phrase), value, meaning))
    assert not wrong, wrong[:10]


def test_a_denial_covers_only_its_own_words():
    lex = lexicon("en-US")
    assert interpret(said("no it's not swollen"), lex).kind == NOT_A_SIGN
    both = interpret(said("it's not swollen but my chest is tight"), lex)
    assert both.kind == SIGN and both.signs == ("CHEST_PAIN",)
    assert interpret(said("no chest pain"), lex).kind == NOT_A_SIGN
    assert interpret(said("no chest pain but i can't breathe"), lex).signs == ("BREATHLESS",)


def test_the_night_phrases_of_the_issue():
    lex = lexicon("en-US")
    cases = {
        "the pain has stopped": (RELIEF, ()),
        "it's easing off": (RELIEF, ()),
        "kind of better now": (RELIEF, ()),
        "something is pressing on my chest": (SIGN, ("CHEST_PAIN",)),
        "my calf has blown up like a balloon": (SIGN, ("SWOLLEN",)),
        "the skin's gone a funny dark colour": (SIGN, ("DARKER",)),
        "my foot is cold and pale and numb": (SIGN, ("COLD", "NUMB", "PALE")),
        "i feel like i'm going to pass out": (SIGN, ("FAINT",)),
        "it still hurts a bit but it's not locked": (SORE, ()),
        "my wife's got a cramp in her calf": (OTHER_PERSON, ()),
    }
    for words, (kind, found) in cases.items():
        meaning = interpret(said(words), lex)
        assert (meaning.kind, meaning.signs) == (kind, found), words


def test_words_are_folded_and_matched_whole():
    assert tokens("It’s  EASING off!") == ("it's", "easing", "off")
    assert tokens("Ça passe, ÉNORME") == ("ca", "passe", "enorme")
    lex = Lexicon.from_json("xx", {"signs": {"CHEST_PAIN": ["chest"]}})
    assert interpret(said("chestnut"), lex).kind == UNKNOWN
    assert interpret(said("Chest!"), lex).kind == SIGN


def test_resolved_values_pass_and_unknown_words_ask():
    lex = lexicon("en-US")
    assert interpret({"Muscle": Said("CALF", "calf")}, lex).kind == PASS
    assert interpret({"Muscle": Said("CALF", "calf")}, lex).muscle == "CALF"
    assert interpret({"Symptom": Said("SWOLLEN", "swollen")}, lex).signs == ("SWOLLEN",)
    assert interpret({"Symptom": Said(None, "the wardrobe")}, lex).kind == UNKNOWN
    assert interpret({}, lex).kind == PASS
    assert interpret({"Symptom": Said(None, None), "Muscle": "junk"}, lex).kind == PASS


def test_junk_never_raises():
    lex = lexicon("en-US")
    for junk in ("", " ", "'''", "\u0000", "x" * 10_000, "🦵" * 50):
        assert interpret(said(junk), lex).kind in (PASS, UNKNOWN)
    assert lexicon("zz-ZZ").sections["signs"] == {}


def test_sign_ids_match_the_corpus_readme():
    readme = (ROOT / "tests" / "nlu" / "README.md").read_text(encoding="utf-8")
    block = readme.split("- `Sign`", 1)[1].split("- `Medicine`", 1)[0]
    listed = set(re.findall(r"\b[A-Z][A-Z_]{2,}\b", block)) - {"CAPS"}
    assert listed == signs.ALL


def test_heard_corrects_the_intent_with_the_words():
    from cramp_helper.interpreter import Heard, heard

    lex = lexicon("en-US")
    # "the pain has stopped" reaches RedFlagIntent through "the {Symptom}": relief, not the clot question
    assert heard("RedFlagIntent", said("pain has stopped"), lex) == Heard(RELIEF)
    # "something is pressing on my chest" reaches CrampIntent with Muscle = "chest", unresolved
    assert heard("CrampIntent", said("chest", "Muscle"), lex) == Heard(SIGN, (("Sign", "CHEST_PAIN"),))
    assert heard("CrampGoneIntent", {}, lex) == Heard(RELIEF)
    swollen = {"Symptom": Said("SWOLLEN", "puffy")}
    assert heard("RedFlagIntent", swollen, lex) == Heard(SIGN, (("Sign", "SWOLLEN"),))
    assert heard("RedFlagIntent", {"Symptom": Said("PREGNANT", "pregnant")}, lex) == Heard("PREGNANT")
    assert heard("LongCrampIntent", {}, lex) == Heard(SIGN, (("Sign", "WONT_STOP"),))
    twenty = {"Minutes": Said(None, "20")}
    assert heard("LongCrampIntent", twenty, lex) == Heard(DURATION, (("Minutes", "20"),))
    assert heard("CrampIntent", {"Muscle": Said("CALF", "calf"), "Side": Said("LEFT", "left")}, lex) == Heard(
        CRAMP, (("Muscle", "CALF"), ("Side", "LEFT")))
    assert heard("AMAZON.PauseIntent", {}, lex).meaning == "WAIT"
    assert heard("NoSuchIntent", {}, lex).meaning == UNKNOWN


# --- issue 17, the wiring: the new intents and slots, and the answer the dialogue receives --------
def test_heard_reads_the_new_slots_and_intents():
    from cramp_helper.interpreter import Heard, heard

    lex = lexicon("en-US")
    for iso, minutes in (("PT30M", "30"), ("PT1H", "60"), ("P1D", "1440")):
        said_for = {"Duration": Said(None, iso)}
        assert heard("LongCrampIntent", said_for, lex) == Heard(DURATION, (("Minutes", minutes),))
    wife = {"Who": Said("PARTNER", "my wife"), "Muscle": Said("CALF", "calf")}
    assert heard("CrampIntent", wife, lex) == Heard(OTHER_PERSON, (("Who", "PARTNER"), ("Muscle", "CALF")))
    scared = {"Kind": Said("SCARED", "scared")}
    assert heard("DistressIntent", scared, lex) == Heard(DISTRESS, (("Kind", "SCARED"),))
    assert heard("SlowerIntent", {}, lex).meaning == "SLOWER"
    assert heard("FirstPartIntent", {}, lex).meaning == "FIRST_PART"
    assert heard("LaterIntent", {}, lex).meaning == "LATER"
    assert heard("SoreIntent", {}, lex).meaning == SORE
    assert heard("StartLoggingIntent", {}, lex).meaning == "LOG_ON"
    assert heard("StopLoggingIntent", {}, lex).meaning == "LOG_OFF"


@pytest.mark.parametrize("sign", sorted(signs.ALL - {"PREGNANT"}))
def test_every_sign_id_resolved_in_symptom_is_that_sign(sign):
    from cramp_helper.interpreter import heard

    found = heard("RedFlagIntent", {"Symptom": Said(sign, "words")}, lexicon("en-US"))
    assert found.meaning == SIGN and ("Sign", sign) in found.slots and found.by_words


def test_a_denied_sign_is_no_sign_but_a_sign_in_a_denials_unresolved_words_wins():
    from cramp_helper.interpreter import heard

    lex = lexicon("en-US")
    assert heard("NoSignIntent", {"Symptom": Said("SWOLLEN", "swollen")}, lex).meaning == NOT_A_SIGN
    assert heard("NoSignIntent", {}, lex).meaning == NOT_A_SIGN
    chest = heard("NoSignIntent", {"Symptom": Said(None, "my chest hurts")}, lex)
    assert chest.meaning == SIGN and ("Sign", "CHEST_PAIN") in chest.slots
    # "nah, not puffy" with "puffy" unresolved: the leg sign the question asked about, denied
    assert heard("NoSignIntent", {"Symptom": Said(None, "puffy")}, lex).meaning == NOT_A_SIGN
    # other words beside it ("no, it's swollen"), or a sign the question did not ask about, count
    said = heard("NoSignIntent", {"Symptom": Said(None, "it's swollen")}, lex)
    assert said.meaning == SIGN and ("Sign", "SWOLLEN") in said.slots
    # "out of the blue" is when, not a colour: never the blood-supply sign
    sudden = heard("RedFlagIntent", {"Symptom": Said(None, "my chest hurts it came out of the blue")}, lex)
    assert sudden.slots == (("Sign", "CHEST_PAIN"),)
    assert heard("RedFlagIntent", {"Symptom": Said(None, "it came on out of the blue")}, lex).meaning != SIGN
    blue = heard("NoSignIntent", {"Symptom": Said(None, "gone blue")}, lex)
    assert blue.meaning == SIGN and ("Sign", "BLUE_GREY_WHITE") in blue.slots
    # the carrier's "no" taken from a sign that starts with it ("no {Symptom}" hearing "no puedo
    # levantar el brazo"): put back, it is the sign said, not a denial
    arm = heard("NoSignIntent", {"Symptom": Said(None, "puedo levantar el brazo")}, lexicon("es-ES"))
    assert arm.meaning == SIGN and ("Sign", "ARM_WEAK") in arm.slots
    leg = heard("NoSignIntent", {"Symptom": Said(None, "puedo mover la pierna")}, lexicon("es-MX"))
    assert leg.meaning == SIGN and ("Sign", "CANT_MOVE_LEG") in leg.slots
    assert heard("NoSignIntent", {"Symptom": Said(None, "hinchada")}, lexicon("es-ES")).meaning == NOT_A_SIGN


@pytest.mark.parametrize("intent,words,answer", [
    ("RedFlagIntent", "the pain has stopped", "GONE"),
    ("RedFlagIntent", "still tight", "STILL"),
    ("RedFlagIntent", "a bit stiff", "SORE"),
    ("RedFlagIntent", "blown up like a balloon", "RED_FLAG"),
    ("CrampIntent", "something pressing on my chest", "RED_FLAG"),
    ("StillCrampingIntent", "shin", "STILL"),  # a place named does not make "still" a new cramp
    ("EmergencyIntent", "the pain has stopped", "EMERGENCY"),  # an emergency said stays one
    ("CrampIntent", "jaw", "CRAMP"),  # words it cannot read keep the intent's answer
])
def test_the_dialogue_receives_what_was_meant(intent, words, answer):
    from cramp_helper.dialogue import Answer, answer_to_heard
    from cramp_helper.interpreter import heard

    slot = "Muscle" if intent in ("CrampIntent", "StillCrampingIntent") else "Symptom"
    found = heard(intent, {slot: Said(None, words)}, lexicon("en-US"))
    assert answer_to_heard(intent, found.meaning, found.by_words) is Answer[answer]


@pytest.mark.parametrize("locale", ["en-US", "fr-FR", "de-DE"])
def test_a_weak_arm_is_the_stroke_sign_and_a_weak_leg_is_not(locale):
    """Weakness said of an arm or a hand, in whatever words the lexicon reads as weakness, is
    ARM_WEAK (the emergency number); of a leg it stays WEAK (the clot question)."""
    from cramp_helper.interpreter import Heard, heard

    lex = lexicon(locale)
    weak = next(phrase for section, value, phrase in lex.phrases() if section == "signs" and value == "WEAK")
    for muscle, sign in (("ARM", "ARM_WEAK"), ("HAND", "ARM_WEAK"), ("LEG", "WEAK")):
        slots = {"Muscle": Said(muscle, muscle.lower()), "Symptom": Said(None, " ".join(weak))}
        assert heard("RedFlagIntent", slots, lex) == Heard(SIGN, (("Sign", sign),)), (muscle, weak)


def test_a_reminder_said_with_the_evening_is_heard_in_the_evening():
    from cramp_helper.interpreter import Heard, heard

    lex = lexicon("fr-CA")
    evening = {"PartOfDay": Said("NIGHT", "tous les soirs"), "Time": Said(None, "09:30")}
    assert heard("SetReminderIntent", evening, lex) == Heard("REMINDER", (("Time", "21:30"),))
    bare = {"Time": Said(None, "09:30")}
    assert heard("SetReminderIntent", bare, lex) == Heard("REMINDER", (("Time", "09:30"),))


def test_pregnancy_said_of_oneself_beats_the_distress_words_beside_it():
    """"I'm pregnant, is this serious?" gets the pregnancy answer (see a midwife or doctor, the leg
    signs to watch), not the general "is this serious" line; someone else's pregnancy does not."""
    for locale, words in (("en-US", "i am pregnant is this serious"),
                          ("fr-FR", "je suis enceinte c'est grave"), ("es-ES", "estoy embarazada es grave")):
        assert interpret(said(words), lexicon(locale)).kind == PREGNANT, (locale, words)
    assert interpret(said("is this serious"), lexicon("en-US")).kind == DISTRESS
    assert interpret(said("my wife is pregnant and she is scared"), lexicon("en-US")).kind != PREGNANT


def test_a_side_said_in_words_alexa_did_not_resolve_is_kept():
    """"le mollet gauche je crois": Side arrives as "gauche je crois", unresolved; the left side is
    still the one guided."""
    from cramp_helper.interpreter import Heard, heard

    calf = {"Muscle": Said("CALF", "mollet"), "Side": Said(None, "gauche je crois")}
    expected = Heard(CRAMP, (("Muscle", "CALF"), ("Side", "LEFT")))
    assert heard("CrampIntent", calf, lexicon("fr-FR")) == expected
    left = {"Muscle": Said("CALF", "calf"), "Side": Said(None, "left one i think")}
    assert heard("CrampIntent", left, lexicon("en-US")).slot("Side") == "LEFT"


@pytest.mark.parametrize("locale,place,words,sign", [
    ("en-US", "back", "hurts", "BACK_PAIN"), ("en-US", "arm", "is really hurting", "ARM_PAIN"),
    ("en-GB", "neck", "is agony", "NECK_JAW_PAIN"), ("fr-FR", "dos", "mal", "BACK_PAIN"),
    ("de-DE", "arm", "tut so weh", "ARM_PAIN"), ("es-ES", "espalda", "me duele", "BACK_PAIN"),
])
def test_a_pain_sign_split_across_two_slots_is_that_places_sign(locale, place, words, sign):
    """ "my {Muscle} {Symptom}": "my back" + "hurts" is back pain (triage asks its question), not a
    back cramp; a leg muscle with the same words stays a cramp, and the place alone is a place."""
    lex = lexicon(locale)
    split = interpret({"Muscle": Said(None, place), "Symptom": Said(None, words)}, lex)
    assert split.kind == SIGN and split.signs == (sign,), split
    assert interpret({"Symptom": Said(None, place)}, lex).kind == CRAMP
    calf = {"en-US": "calf", "en-GB": "calf", "fr-FR": "mollet", "de-DE": "wade", "es-ES": "gemelo"}[locale]
    assert interpret({"Muscle": Said(None, calf), "Symptom": Said(None, words)}, lex).kind != SIGN


@pytest.mark.parametrize("locale,words", [("de-DE", "ja der krampf"), ("fr-FR", "oui la crampe"),
                                          ("it-IT", "sì il crampo"), ("pt-BR", "sim é a cãibra"),
                                          ("es-MX", "sí el calambre"), ("en-US", "yeah the cramp")])
def test_the_word_for_a_cramp_alone_is_a_cramp(locale, words):
    """The answer to "is it about your leg cramp?" in its plainest words is heard as the cramp."""
    assert interpret(said(words), lexicon(locale)).kind == CRAMP


@pytest.mark.parametrize("intent,meaning,leg,answer", [
    ("RedFlagIntent", "UNKNOWN", False, "UNCLEAR"),  # "que me pida un taxi": the neutral question
    ("RedFlagIntent", "UNKNOWN", True, "RED_FLAG"),  # "my calf feels all weird": the clot question
    ("EmergencyIntent", "UNKNOWN", False, "EMERGENCY"),  # an emergency said stays one
    ("CrampIntent", "UNKNOWN", False, "CRAMP"),  # a body part nobody knows: "where is yours?"
    ("NoSignIntent", "UNKNOWN", False, "NO"),  # "no, it's a different problem"
    ("NoSignIntent", "NOT_A_SIGN", False, "NO_SIGN"),  # "nah, not swollen"
])
def test_words_nobody_knows_get_the_neutral_question_only_without_the_leg(intent, meaning, leg, answer):
    from cramp_helper.dialogue import Answer, answer_to_heard

    assert answer_to_heard(intent, meaning, True, leg_named=leg) is Answer[answer]


@pytest.mark.parametrize("locale,words", [("de-DE", "kein kribbeln"), ("de-DE", "mir ist nicht schlecht")])
def test_a_denial_is_not_turned_into_a_sign_by_a_negation_it_did_not_say(locale, words):
    """ "nein, kein Kribbeln": the carrier's negation is put back only where a sign begins with it
    ("no puedo levantar el brazo"), so "kein" + "kribbeln" stays no tingling, not numbness."""
    from cramp_helper.interpreter import heard

    assert heard("NoSignIntent", {"Symptom": Said(None, words)}, lexicon(locale)).meaning != SIGN
    chest = heard("NoSignIntent", {"Symptom": Said(None, "ma jambe c'est ma poitrine")}, lexicon("fr-CA"))
    assert chest.slots == (("Sign", "CHEST_PAIN"),)  # "c'est pas ma jambe, c'est ma poitrine"


@pytest.mark.parametrize("locale,words,answer", [
    ("en-US", "want to see my cramp history", "HISTORY_SUMMARY"),  # "I {Symptom}"
    ("en-GB", "need some stretches before bed", "BEDTIME"),
    ("en-US", "want you to delete everything you saved", "DELETE"),
    ("en-US", "wanna know how to stop getting cramps", "PREVENTION_INFO"),
    ("es-MX", "quiero ver mi historial", "HISTORY_SUMMARY"),
    ("es-ES", "me puedes enseñar qué estirar antes de dormir", "BEDTIME"),
    ("fr-FR", "voudrais que tu effaces tout", "DELETE"),
    ("de-DE", "möchte meine daten löschen lassen", "DELETE"),
    ("it-IT", "vorrei sapere come prevenire i crampi", "PREVENTION_INFO"),
    ("pt-BR", "quero fazer um alongamento antes de dormir", "BEDTIME"),
])
def test_a_request_said_in_an_open_carrier_is_that_request(locale, words, answer):
    """Alexa's NLU may put a whole request in an open carrier's slot ("I {Symptom}" + "want to see
    my cramp history"): the words are the request, not words nobody knows (the neutral question)."""
    from cramp_helper.dialogue import Answer, answer_to_heard
    from cramp_helper.interpreter import heard

    found = heard("RedFlagIntent", {"Symptom": Said(None, words)}, lexicon(locale))
    assert answer_to_heard("RedFlagIntent", found.meaning, found.by_words) is Answer[answer]


@pytest.mark.parametrize("locale,words", [("en-US", "delete my history my chest hurts"),
                                          ("es-ES", "borra mi historial me duele el pecho"),
                                          ("de-DE", "lösch meinen verlauf ich habe schmerzen in der brust")])
def test_a_sign_beside_a_request_still_wins(locale, words):
    from cramp_helper.interpreter import heard

    found = heard("RedFlagIntent", {"Symptom": Said(None, words)}, lexicon(locale))
    assert found.meaning == SIGN and ("Sign", "CHEST_PAIN") in found.slots


def test_words_nobody_knows_leave_an_intent_that_is_no_carrier_as_alexa_chose_it():
    """ "how were my cramps" + words nobody knows is still the history (the dialogue answers the
    intent); only the open carriers' unknown words are UNKNOWN (the neutral question; a plain no)."""
    from cramp_helper.interpreter import heard

    lex = lexicon("en-GB")
    assert heard("HistorySummaryIntent", {"Period": Said(None, "like for the past fortnight or so")},
                 lex).meaning == "HISTORY"
    assert heard("RedFlagIntent", {"Symptom": Said(None, "the wardrobe")}, lex).meaning == UNKNOWN
    assert heard("NoSignIntent", {"Symptom": Said(None, "the wardrobe")}, lex).meaning == UNKNOWN


@pytest.mark.parametrize("locale,words,sign", [("es-ES", "no puedo mover la pierna", "CANT_MOVE_LEG"),
                                               ("es-MX", "no puedo hablar bien", "SPEECH"),
                                               ("it-IT", "non riesco a respirare", "BREATHLESS")])
def test_a_sign_whose_own_words_begin_with_the_negation_is_said_not_denied(locale, words, sign):
    """ "no, no puedo mover la pierna": NoSignIntent's "no {Symptom}" with Alexa resolving the sign
    from words that begin with "no" is that sign said (it was heard as no sign at all). A leg sign
    the clot question asked about, resolved in the same carrier, stays denied."""
    from cramp_helper.interpreter import heard

    lex = lexicon(locale)
    found = heard("NoSignIntent", {"Symptom": Said(sign, words)}, lex)
    assert found.meaning == SIGN and ("Sign", sign) in found.slots
    still_denied = heard("NoSignIntent", {"Symptom": Said("SWOLLEN", "gonfia")}, lex)
    assert still_denied.meaning == NOT_A_SIGN


@pytest.mark.parametrize(("locale", "words", "sign"), [
    ("en-US", "my pee is really brown", "DARK_URINE"),
    ("en-US", "i cannot really get up", "CANT_GET_UP"),
    ("en-US", "my words are all jumbled", "SPEECH"),
    ("fr-FR", "j'ai la vision vraiment floue", "DIZZY"),
    ("de-DE", "ich triefe richtig vor schweiß", "HEAVY_SWEATING"),
    ("it-IT", "non va davvero via", "WONT_STOP"),
    ("it-IT", "ho perso proprio conoscenza", "FAINT"),
    ("pt-BR", "tô falando muito errado", "SPEECH"),
    ("pt-BR", "tô falando tudo esquisito", "SPEECH"),
    ("es-ES", "se me tuerce toda la boca", "FACE_DROOP"),
])
def test_a_sign_said_with_a_word_more_inside_it_is_that_sign(locale, words, sign):
    """People at night put "really", "all", "toda" inside a phrase; the lexicon lists it without."""
    assert interpret({"Symptom": Said(None, words)}, lexicon(locale)) == Meaning(SIGN, (sign,))


def test_a_denial_is_never_read_around_a_word_inside_it():
    """"Not very swollen" is a little swollen: a denial is read only as it is written."""
    en = lexicon("en-US")
    assert interpret({"Symptom": Said(None, "it's not really swollen")}, en).kind == NOT_A_SIGN  # listed
    assert interpret({"Symptom": Said(None, "it's not very swollen")}, en) == Meaning(SIGN, ("SWOLLEN",))


def test_the_word_inside_a_phrase_is_still_read_for_itself():
    """A phrase read around a word never swallows it: were that word a sign, the sign is said."""
    lex = Lexicon.from_json("en-US", {"meanings": {"RELIEF": ["easing off"]}, "signs": {"RED": ["really"]}})
    assert interpret({"Symptom": Said(None, "easing really off")}, lex) == Meaning(SIGN, ("RED",))
    plain = Lexicon.from_json("en-US", {"meanings": {"RELIEF": ["easing off"]}})
    assert interpret({"Symptom": Said(None, "easing really off")}, plain).kind == RELIEF
    assert interpret({"Symptom": Said(None, "easing back off")}, plain).kind == UNKNOWN  # no inside word


@pytest.mark.parametrize(("locale", "place"), [("en-US", "urine"), ("de-DE", "urin"), ("it-IT", "urina"),
                                               ("fr-FR", "mon urine")])
def test_a_colour_said_of_the_urine_is_dark_urine_not_a_darker_leg(locale, place):
    """"My urine is very dark": Alexa resolves "dark" (the leg's colour, same-day care) and leaves the
    urine unresolved; the colour is the urine's (DARK_URINE, muscle breakdown), and no leg sign."""
    said = {"Muscle": Said(None, place), "Symptom": Said("DISCOLOURED", "dark")}
    assert interpret(said, lexicon(locale)) == Meaning(SIGN, ("DARK_URINE",))
    leg = {"Muscle": Said("LEG", "leg"), "Symptom": Said("DISCOLOURED", "dark")}
    assert interpret(leg, lexicon(locale)).signs == ("DARKER",)


@pytest.mark.parametrize(("locale", "words", "sign"), [
    ("en-US", "my jaw aches a little bit", "NECK_JAW_PAIN"),
    ("en-US", "my arm aches a little bit", "ARM_PAIN"),
    ("en-US", "my heart hurts just a little bit", "CHEST_PAIN"),
    ("it-IT", "mi fa ancora molto male alla schiena", "BACK_PAIN"),
    ("en-US", "my heart hurts a little bit", "CHEST_PAIN"),
    ("en-US", "my arm hurts a little bit", "ARM_PAIN"),
    ("en-AU", "me back's aching a little bit", "BACK_PAIN"),
])
def test_a_phrase_read_around_a_word_never_covers_a_sign_said_as_written(locale, words, sign):
    """Soreness read around a word ("aches a bit" in "aches a little bit"), or sharing a word with
    the sign ("hurts a little bit" beside "arm hurts"), must not hide the pain sign: warning signs
    win over everything else."""
    meaning = interpret({"Symptom": Said(None, words)}, lexicon(locale))
    assert meaning.kind == SIGN and sign in meaning.signs


@pytest.mark.parametrize(("locale", "place", "colour", "colour_id"), [
    ("en-US", "pee", "dark", "DISCOLOURED"), ("en-US", "pee's really", "dark", "DISCOLOURED"),
    ("en-US", "pee", "brown", None), ("fr-CA", "pipi", "vraiment foncé", None),
])
def test_my_pee_is_really_dark_is_dark_urine_not_a_darker_leg(locale, place, colour, colour_id):
    """"My pee is really dark": Alexa leaves "pee" in the Muscle slot and resolves "dark" (a leg's
    colour). Read together ("dark pee", "pee's really dark") they are the urine's colour."""
    said = {"Muscle": Said(None, place), "Symptom": Said(colour_id, colour)}
    assert interpret(said, lexicon(locale)) == Meaning(SIGN, ("DARK_URINE",))


def test_pee_alone_is_no_sign():
    """The colour makes the sign, not the word: "I need to pee" is no warning sign."""
    assert interpret({"Symptom": Said(None, "i need to pee")}, lexicon("en-US")).kind != SIGN
    assert interpret({"Muscle": Said(None, "pee")}, lexicon("en-US")).kind != SIGN


@pytest.mark.parametrize(("locale", "words"), [
    ("fr-FR", "essoufflement"), ("fr-FR", "j'ai un essoufflement"), ("fr-CA", "je suis essoufflée"),
    ("fr-FR", "essoufflés"), ("fr-FR", "hors d'haleine"), ("en-US", "breathlessness"), ("en-GB", "dyspnoea"),
    ("es-ES", "estoy ahogada"), ("es-MX", "ahogado"), ("es-US", "sofocada"), ("es-ES", "disnea"),
    ("de-DE", "kurzatmigkeit"), ("de-DE", "atembeschwerden"), ("it-IT", "in affanno"),
    ("it-IT", "ansimante"), ("it-IT", "mancanza di fiato"), ("pt-BR", "sufocado"), ("pt-BR", "fôlego curto"),
    ("pt-BR", "ofegando"),
])
def test_breathless_nouns_and_adjectives_are_breathless(locale, words):
    """The common noun and adjective forms of breathlessness, in every language, are the sign."""
    assert interpret({"Symptom": Said(None, words)}, lexicon(locale)) == Meaning(SIGN, ("BREATHLESS",))


def test_urine_words_beside_a_leg_keep_the_legs_colour():
    """"My leg and my urine are dark": both signs, the clot pathway kept."""
    said = {"Muscle": Said(None, "leg and urine"), "Symptom": Said("DISCOLOURED", "dark")}
    assert set(interpret(said, lexicon("en-US")).signs) >= {"DARKER", "DARK_URINE"}


# --- what the skill cannot do: calls and messages, lights, music, alarms ----------------------
@pytest.mark.parametrize("locale,words,kind", [
    ("en-US", "can you call my daughter", "CALL"), ("en-GB", "ring my husband please", "CALL"),
    ("en-US", "text my son", "CALL"), ("en-US", "wake my husband", "CALL"),
    ("en-US", "turn on the light", "DEVICE"), ("en-US", "play some music", "DEVICE"),
    ("en-US", "set an alarm", "DEVICE"),
    ("es-ES", "llama a mi hija", "CALL"), ("es-ES", "enciende la luz", "DEVICE"),
    ("de-DE", "ruf meine tochter an", "CALL"), ("de-DE", "mach das licht an", "DEVICE"),
    ("fr-FR", "appelle ma fille", "CALL"), ("fr-FR", "mets de la musique", "DEVICE"),
    ("it-IT", "chiama mia figlia", "CALL"), ("it-IT", "accendi la luce", "DEVICE"),
    ("pt-BR", "liga para minha filha", "CALL"), ("pt-BR", "acende a luz", "DEVICE"),
])
def test_a_request_the_skill_cannot_do_is_read_as_one(locale, words, kind):
    """Words an open carrier took ("it's {Symptom}") that ask for a call or the device are that
    request (an honest "I can't", then the question again), never someone else's cramp or a sign."""
    assert kind in REQUESTS
    assert interpret({"Symptom": Said(None, words)}, lexicon(locale)) == Meaning(kind)


@pytest.mark.parametrize("locale,words,sign", [
    ("en-US", "call my daughter my chest hurts", "CHEST_PAIN"),
    ("es-ES", "llama a mi hija me duele el pecho", "CHEST_PAIN"),
    ("de-DE", "ruf meine tochter an ich habe brustschmerzen", "CHEST_PAIN"),
])
def test_an_emergency_word_beside_a_call_request_wins(locale, words, sign):
    meaning = interpret({"Symptom": Said(None, words)}, lexicon(locale))
    assert meaning.kind == SIGN and sign in meaning.signs


def test_the_cannot_do_intents_are_their_requests():
    from cramp_helper.dialogue import Answer, answer_to_heard
    from cramp_helper.interpreter import heard

    lex = lexicon("en-US")
    assert heard("CallSomeoneIntent", {}, lex).meaning == "CALL"
    assert heard("DeviceActionIntent", {}, lex).meaning == "DEVICE"
    assert answer_to_heard("RedFlagIntent", "CALL", True) is Answer.CALL_SOMEONE
    assert answer_to_heard("RedFlagIntent", "DEVICE", True) is Answer.DEVICE_ACTION
    assert answer_to_heard("EmergencyIntent", "CALL", True) is Answer.EMERGENCY  # an emergency stays one


@pytest.mark.parametrize("locale,words", [
    ("en-US", "call my doctor"), ("en-US", "can you call my doctor"), ("en-CA", "call my doctor"),
    ("en-GB", "ring my gp"), ("en-AU", "phone my doctor"), ("en-IN", "call my doctor"),
])
def test_call_my_doctor_is_a_call_the_skill_cannot_make(locale, words):
    """"Call my doctor" asks the skill to make a call: the honest "I can't make calls" and how to ask
    Alexa, like "call my daughter". "Should I call my doctor?" is still the distress answer."""
    from cramp_helper.interpreter import heard
    from tools.conversation_files import resolver_for

    def meaning(said: str):
        found = resolver_for(locale).resolve(said)
        slots = {name: Said(slot.id, slot.spoken) for name, slot in found.slots.items()}
        return heard(found.intent, slots, lexicon(locale))

    assert meaning(words).meaning == "CALL"
    assert meaning("should i call my doctor").meaning == "DISTRESS"


@pytest.mark.parametrize(("place", "symptom", "sign"), [
    (Said("HIP", "groin"), Said("NUMB", "numb"), "SADDLE_NUMB"),  # "my groin is numb"
    (Said("HIP", "groin"), Said(None, "i'm numb"), "SADDLE_NUMB"),  # "i'm numb in my groin"
    (Said("HIP", "hip"), Said("NUMB", "numb"), "NUMB"),  # "my hip is numb": a numb leg
    (Said("CALF", "calf"), Said("NUMB", "numb"), "NUMB"),
])
def test_a_place_and_numbness_said_in_two_slots_are_read_together(place, symptom, sign):
    found = interpret({"Muscle": place, "Symptom": symptom}, lexicon("en-US"))
    assert found.kind == SIGN and found.signs == (sign,)


@pytest.mark.parametrize(("locale", "slots", "signs"), [
    # "i have a cast on my leg and the pain is unbearable" (Alexa: the cast resolved, the rest not)
    ("en-US", {"Symptom": Said("CAST", "cast"), "Muscle": Said(None, "on my leg and the pain is unbearable")},
     ("CAST", "COMPARTMENT")),
    ("en-US", {"Symptom": Said(None, "i broke my ankle last week and now"),
               "OtherSymptom": Said(None, "unbearable")}, ("COMPARTMENT", "INJURY")),
    ("it-IT", {"Symptom": Said(None, "il gesso"), "OtherSymptom": Said(None, "un male insopportabile")},
     ("CAST", "COMPARTMENT")),
    ("es-MX", {"Symptom": Said(None, "yeso y el dolor es insoportable")}, ("CAST", "COMPARTMENT")),
    ("en-US", {"Symptom": Said(None, "a cast"), "Muscle": Said("LEG", "leg")}, ("CAST",)),  # a question
])
def test_an_injury_or_a_cast_with_unbearable_pain_is_pain_out_of_proportion(locale, slots, signs):
    """CONTENT_FACTS: severe pain out of proportion after an injury or in a tight cast is the
    compartment-syndrome sign (no stretching); a cast alone still gets its one question."""
    found = interpret(slots, lexicon(locale))
    assert found.kind == SIGN and found.signs == signs


def test_an_unbearable_cramp_is_distress_not_compartment():
    found = interpret({"Symptom": Said(None, "unbearable")}, lexicon("en-US"))
    assert found.kind == DISTRESS and found.distress == "UNBEARABLE"


@pytest.mark.parametrize(("slots", "muscle", "side"), [
    ({"Symptom": Said(None, "behind my left knee")}, "BEHIND_KNEE", "LEFT"),  # a side inside the place
    ({"Side": Said(None, "back of my left"), "Muscle": Said("KNEE", "knee")}, "BEHIND_KNEE", "LEFT"),
    ({"Side": Said(None, "the front of my right"), "Muscle": Said("THIGH", "thigh")}, "QUADRICEPS", "RIGHT"),
    ({"Side": Said(None, "my left"), "Muscle": Said("CALF", "calf")}, "CALF", "LEFT"),  # as before
])
def test_a_place_said_around_its_side_is_that_place(slots, muscle, side):
    """Alexa hands "the back of my left" to Side and "knee" to Muscle: read as one, it is behind the
    knee (which asks calf or hamstring), not the back and not the knee."""
    found = interpret(slots, lexicon("en-US"))
    assert found.kind == CRAMP and (found.muscle, found.side) == (muscle, side)


def test_a_side_inside_words_is_no_sign_of_its_own():
    """Only a place's phrase reads around a side: "my left leg is swollen" is the swelling sign."""
    found = interpret({"Symptom": Said(None, "my left leg is swollen")}, lexicon("en-US"))
    assert found.kind == SIGN and found.signs == ("SWOLLEN",)


@pytest.mark.parametrize(("slots", "sign"), [
    ({"Side": Said(None, "veins on my"), "Muscle": Said("CALF", "calf"), "Symptom": Said("HARD", "hard")},
     "HARD_VEINS"),  # "the veins on my calf are hard": a clot sign, not a sore muscle
    ({"Side": Said(None, "vein in my"), "Muscle": Said("CALF", "calf"),
      "Symptom": Said(None, "hard and sore")}, "HARD_VEINS"),  # "sore vein", read word by word
    ({"Muscle": Said("CALF", "calf"), "Symptom": Said("HARD", "hard")}, "TENDER"),  # "my calf is hard"
])
def test_hard_veins_said_across_slots_are_the_clot_sign(slots, sign):
    found = interpret(slots, lexicon("en-US"))
    assert found.kind == SIGN and found.signs == (sign,)


@pytest.mark.parametrize(("locale", "words", "kind"), [
    # At "has it eased?", "no, it still hurts" is no relief: guidance goes on (a sore muscle given one
    # more technique costs a minute; a cramp given the after-care is left alone mid-cramp).
    ("it-IT", "fa ancora male", STILL),
    ("it-IT", "mi fa ancora male il polpaccio", STILL),
    ("pt-BR", "continua doendo", STILL),
    ("pt-BR", "ainda ta doendo", STILL),
    # Said with the cramp letting go, it is the soreness after it.
    ("it-IT", "è passato ma fa ancora male", SORE),
    ("it-IT", "si è sciolto però sento ancora male", SORE),
    ("pt-BR", "passou mas continua doendo", SORE),
    ("pt-BR", "continua doendo um pouco", SORE),
])
def test_still_hurting_is_still_cramping_unless_said_with_its_letting_go(locale, words, kind):
    assert interpret(said(words), lexicon(locale)).kind == kind

