"""The number for the country the device is in (issue 19 part 2; spoken forms: issue 18 part 4).

Expected numbers here are written from shared/CONTENT_FACTS.md ("When to get care", "Emergency
numbers, checked"), not read from the table under test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cramp_helper import countries
from cramp_helper.countries import care_numbers, country_of
from tools import make_zone_countries
from tools.alexa_rules import check_ssml

ROOT = Path(__file__).resolve().parents[2]
TABLE = json.loads(Path(countries.COUNTRIES_FILE).read_text(encoding="utf-8"))
ZONES = json.loads(Path(countries.ZONES_FILE).read_text(encoding="utf-8"))
LOCALES = json.loads((ROOT / "lambda" / "cramp_helper" / "content" / "locales.json")
                     .read_text(encoding="utf-8"))["locales"]

# CONTENT_FACTS: each marketplace country's number, and a zone in it.
MARKETPLACE = {"US": ("America/New_York", "911"), "CA": ("America/Vancouver", "911"),
               "GB": ("Europe/London", "999"), "AU": ("Australia/Sydney", "000"),
               "IN": ("Asia/Kolkata", "112"), "MX": ("America/Mexico_City", "911"),
               "ES": ("Europe/Madrid", "112"), "DE": ("Europe/Berlin", "112"),
               "FR": ("Europe/Paris", "15"), "IT": ("Europe/Rome", "112"),
               "BR": ("America/Sao_Paulo", "192")}
EU_EEA = ("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"  # EU
          " IS LI NO").split()                                                                # EEA
HOME = {"en-US": "911", "en-CA": "911", "es-US": "911", "fr-CA": "911", "es-MX": "911", "en-GB": "999",
        "en-AU": "000", "en-IN": "112", "es-ES": "112", "de-DE": "112", "fr-FR": "15", "it-IT": "112",
        "pt-BR": "192"}
LOCAL = {"en": "or your local emergency number", "es": "o al número de emergencias local",
         "fr": "ou le numéro d'urgence local", "de": "oder den örtlichen Notruf",
         "it": "o il numero di emergenza locale", "pt": "ou para o número de emergência local"}
SSML_TAGS = {"say-as", "sub"}
INTERPRET_AS = {"digits", "cardinal", "telephone"}


def zones_in(country: str) -> list[str]:
    return sorted(z for z, c in ZONES["zones"].items() if c == country)


# --- the table ---------------------------------------------------------------------------
@pytest.mark.parametrize("locale, zone, number", [
    ("en-US", "Asia/Kolkata", "112"),
    ("en-US", "Europe/London", "999"),
    ("fr-FR", "America/Toronto", "911"),
    ("es-US", "Europe/Madrid", "112"),
    ("pt-BR", "Europe/Lisbon", "112"),
])
def test_the_number_follows_the_country_not_the_language(locale, zone, number):
    care = care_numbers(locale, zone)
    assert (care.emergency, care.write) == (number, number)
    assert care.known and not care.elsewhere
    assert number in _said_numbers(care.say)
    assert care.language == locale[:2]


# --- every country the table must cover ----------------------------------------------------------
@pytest.mark.parametrize("country", sorted(MARKETPLACE))
def test_every_marketplace_country_from_any_locale(country):
    zone, number = MARKETPLACE[country]
    for locale in LOCALES:
        care = care_numbers(locale, zone)
        assert (care.country, care.emergency, care.elsewhere) == (country, number, False), locale


@pytest.mark.parametrize("country", EU_EEA)
def test_every_eu_and_eea_zone_says_its_number(country):
    assert zones_in(country), f"no zone of {country} in zone_countries.json"
    expected = "15" if country == "FR" else "112"  # France's medical number is 15 (SAMU)
    for zone in zones_in(country):
        for locale in ("en-US", "de-DE", "pt-BR"):
            care = care_numbers(locale, zone)
            got = (care.country, care.emergency, care.elsewhere)
            assert got == (country, expected, False), (zone, locale)
    entry = TABLE["countries"][country]
    assert "112" in [entry["emergency"], *entry["also"]]
    assert "EU-112" in entry["sources"]


def test_the_numbers_reaching_help_beside_the_main_one():
    assert care_numbers("en-US", "Europe/London").also == ("112",)
    assert care_numbers("en-US", "Europe/Paris").also == ("112",)
    assert care_numbers("en-US", "Europe/Rome").also == ("118",)
    assert care_numbers("en-US", "Asia/Kolkata").also == ("108",)


# --- zones by other names ------------------------------------------------------------------------
@pytest.mark.parametrize("alias, country", [
    ("America/Montreal", "CA"), ("Asia/Calcutta", "IN"), ("Europe/Belfast", "GB"),
    ("US/Eastern", "US"), ("Canada/Eastern", "CA"), ("Europe/Kiev", "UA"), ("Brazil/East", "BR"),
    ("Australia/ACT", "AU"), ("Eire", "IE"), ("GB", "GB"), ("europe/berlin", "DE"), (" Europe/Rome ", "IT"),
])
def test_aliases_and_spellings_name_the_country(alias, country):
    assert country_of(alias) == country


def test_montreal_is_quebec_with_info_sante_and_belfast_is_the_uk_with_both_lines():
    quebec = care_numbers("fr-CA", "America/Montreal")
    assert (quebec.emergency, quebec.after_hours) == ("911", "Info-Santé 811 au Québec")
    assert "QC-811" in quebec.sources
    belfast = care_numbers("en-GB", "Europe/Belfast")
    assert belfast.emergency == "999"
    assert "NHS 111" in belfast.after_hours and "GP Out of Hours in Northern Ireland" in belfast.after_hours
    assert belfast == care_numbers("en-GB", "Europe/London")


def test_quebecs_line_only_where_quebec_can_be():
    for zone in ("America/Toronto", "America/Montreal", "America/Blanc-Sablon", None, "Etc/UTC"):
        assert "811" in (care_numbers("en-CA", zone).after_hours or ""), zone
    for zone in ("America/Vancouver", "America/Edmonton", "America/Halifax", "America/Winnipeg"):
        care = care_numbers("fr-CA", zone)
        assert (care.emergency, care.after_hours) == ("911", None), zone


def test_germany_names_116117_and_countries_without_a_line_name_none():
    assert care_numbers("de-DE", "Europe/Berlin").after_hours.startswith("116117")
    assert care_numbers("en-US", "Europe/Berlin").after_hours.startswith("116117")
    for zone in ("America/New_York", "Europe/Paris", "Australia/Sydney", "Asia/Kolkata"):
        assert care_numbers("en-GB", zone).after_hours is None, zone


# --- no zone, or nothing to go on ----------------------------------------------------------------
@pytest.mark.parametrize("zone", [None, "", "   ", "Not/AZone", "Etc/UTC", "UTC", "Etc/GMT+5", 42,
                                  "Antarctica/Troll"])
def test_without_a_country_the_locale_decides(zone):
    for locale, number in HOME.items():
        care = care_numbers(locale, zone)
        assert (care.emergency, care.known, care.elsewhere) == (number, False, False), locale
        assert care.country == locale[-2:]
    assert care_numbers("en-GB", zone).after_hours.startswith("NHS 111")
    assert "811" in care_numbers("fr-CA", zone).after_hours


@pytest.mark.parametrize("locale", [None, "", "xx", "klingon-KL", "ja-JP", 7])
def test_an_unknown_locale_gets_the_default_country_in_english(locale):
    care = care_numbers(locale, None)
    assert (care.emergency, care.language, care.country) == ("911", "en", "US")
    assert care_numbers(locale, "Europe/Madrid").emergency == "112"


def test_the_locale_fallback_agrees_with_locales_json():
    for locale, facts in LOCALES.items():
        assert locale in HOME, locale
        if "emergency_number" in facts:
            assert care_numbers(locale, None).emergency == facts["emergency_number"], locale


# --- a country with no entry ---------------------------------------------------------------------
@pytest.mark.parametrize("zone, country", [("Asia/Tokyo", "JP"), ("America/Argentina/Buenos_Aires", "AR"),
                                           ("Europe/Zurich", "CH"), ("Europe/Jersey", "JE")])
def test_elsewhere_the_locales_number_or_the_local_one(zone, country):
    for locale, number in HOME.items():
        care = care_numbers(locale, zone)
        assert (care.country, care.numbers_from, care.emergency) == (country, locale[-2:], number), locale
        assert care.known and care.elsewhere
        phrase = LOCAL[locale[:2]]
        assert care.write == f"{number} {phrase}"
        assert _plain(care.say).endswith(phrase) and number in _said_numbers(care.say)
        assert not check_ssml(f"<speak>{care.say}</speak>"), care.say
        assert care.after_hours is None and care.also == ()  # a home line is no use abroad


# --- spoken forms --------------------------------------------------------------------------------
def _every_number() -> set[str]:
    out = set()
    for entry in TABLE["countries"].values():
        out |= {entry["emergency"], *entry["also"]}
        for line in (entry["after_hours"] or {}).get("lines", []):
            out |= {line["number"]} - {None}
    return out


def _said_numbers(ssml: str) -> list[str]:
    """The numbers an SSML fragment says: the text of each say-as or sub element, spaces dropped."""
    root = ET.fromstring(f"<speak>{ssml}</speak>")
    return [re.sub(r"\s", "", el.text or "") for el in root.iter() if el.tag in SSML_TAGS]


def _plain(ssml: str) -> str:
    return "".join(ET.fromstring(f"<speak>{ssml}</speak>").itertext())


@pytest.mark.parametrize("number", sorted(_every_number()))
def test_every_number_has_valid_ssml_in_every_language(number):
    assert set(TABLE["spoken"][number]) == set(TABLE["languages"])
    for language, ssml in TABLE["spoken"][number].items():
        assert not check_ssml(f"<speak>{ssml}</speak>"), (number, language)
        root = ET.fromstring(f"<speak>{ssml}</speak>")
        elements = [el for el in root.iter() if el.tag != "speak"]
        assert elements and {el.tag for el in elements} <= SSML_TAGS, (number, language, ssml)
        for el in elements:
            assert el.tag == "sub" and el.get("alias") or el.get("interpret-as") in INTERPRET_AS, ssml
        assert "".join(_said_numbers(ssml)) == number, (language, ssml)  # it says this number
        assert _plain(ssml).replace(" ", "") == number  # and nothing else


def test_the_spoken_forms_people_use():
    spoken = TABLE["spoken"]
    assert spoken["911"]["en"] == '<say-as interpret-as="digits">911</say-as>'  # nine one one
    assert spoken["000"]["en"] == '<sub alias="triple zero">000</sub>'
    assert spoken["999"]["en"] == '<say-as interpret-as="digits">999</say-as>'  # nine nine nine
    assert spoken["112"]["de"] == '<say-as interpret-as="digits">112</say-as>'  # eins eins zwei
    assert spoken["15"]["fr"] == '<say-as interpret-as="cardinal">15</say-as>'  # le quinze
    assert spoken["112"]["fr"] == '<say-as interpret-as="cardinal">112</say-as>'  # le cent douze
    assert spoken["192"]["pt"] == '<say-as interpret-as="digits">192</say-as>'  # um nove dois
    assert spoken["116117"]["de"].count("<say-as") == 2  # 116 117, in two groups


def test_after_hours_lines_are_valid_ssml_and_say_their_number():
    for code, entry in TABLE["countries"].items():
        if not entry["after_hours"]:
            continue
        zone = (entry["after_hours"]["zones"] or [None])[0] or zones_in(code)[0]
        for language in TABLE["languages"]:
            care = care_numbers(f"{language}-{code}", zone)
            assert care.after_hours == entry["after_hours"]["text"][language]
            assert not check_ssml(f"<speak>{care.after_hours_ssml}</speak>"), care.after_hours_ssml
            for line in entry["after_hours"]["lines"]:
                if line["number"]:
                    assert line["number"] in "".join(_said_numbers(care.after_hours_ssml)), (code, language)


# --- sources -------------------------------------------------------------------------------------
def _content_facts() -> str:
    for parent in Path(__file__).resolve().parents:
        path = parent / "shared" / "CONTENT_FACTS.md"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip("shared/CONTENT_FACTS.md is not beside this checkout (CI has ../shared)")


def test_every_number_and_tag_is_in_content_facts():
    facts = _content_facts()
    flat = re.sub(r"\s+", " ", facts)
    known_tags = set(re.findall(r"^- \[([A-Z0-9-]+)\]", facts, re.M))
    known_tags |= set(re.findall(r"; \[([A-Z0-9-]+)\] http", facts))
    assert {"EU-112", "HSCNI", "QC-811", "APOU"} <= known_tags
    for code, entry in TABLE["countries"].items():
        items = [entry, *(entry["after_hours"] or {}).get("lines", [])]
        for item in items:
            assert set(item["sources"]) <= known_tags, (code, item["sources"])
            assert item["facts"] in flat, (code, item["facts"])  # CONTENT_FACTS says it, in these words
        for number in (entry["emergency"], *entry["also"]):
            assert number in entry["facts"], (code, number)  # no number CONTENT_FACTS does not give
        for line in items[1:]:
            assert line["number"] is None or line["number"] in line["facts"], (code, line)


# --- the data is what the tools make, and the module stays light ---------------------------------
def test_zone_countries_json_is_what_the_generator_makes():
    pytest.importorskip("babel")
    fresh = make_zone_countries.render(make_zone_countries.build())
    assert fresh == Path(countries.ZONES_FILE).read_text(encoding="utf-8"), \
        "zone_countries.json is stale: run python tools/make_zone_countries.py"


def test_docs_table_is_the_table():
    pytest.importorskip("babel")
    doc = (ROOT / "docs" / "countries.md").read_text(encoding="utf-8")
    assert make_zone_countries.render_doc(doc, TABLE) == doc, \
        "docs/countries.md's table is stale: run python tools/make_zone_countries.py"


def test_the_module_imports_no_babel_boto3_or_ask_sdk():
    code = ("import sys; from cramp_helper.countries import care_numbers;"
            "care_numbers('en-US', 'Asia/Tokyo'); care_numbers('de-DE', 'Europe/Berlin');"
            "print(sorted({m.split('.')[0] for m in sys.modules}"
            " & {'babel', 'boto3', 'botocore', 'ask_sdk_core', 'ask_sdk_model'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "lambda", capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_care_numbers_is_a_value():
    care = care_numbers("en-GB", "Europe/London")
    with pytest.raises(AttributeError):
        care.emergency = "911"
    assert care == care_numbers("en-GB", "Europe/London") and hash(care)
