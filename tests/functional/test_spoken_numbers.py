"""Issue 18, parts 4, 7 and 8, through lambda_handler: numbers said the way people there say them,
same-day care naming the after-hours line, the Echo Show's same-day screen, medicines by region.

The spoken form of each number comes from content/countries/countries.json (say-as digits, "triple
zero", "le quinze"), reaches the SSML through the speech builder's one trusted path
(speech.Trusted, made only by countries.py), and cards and screens keep the written digits.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re

import pytest

from cramp_helper import content as content_module
from cramp_helper.countries import COUNTRIES_FILE, ZONES_FILE, care_numbers
from cramp_helper.speech import Speech, Trusted
from testkit.conversation import Conversation
from testkit.screens import APL, screens_of
from testkit.world import World
from tools.alexa_rules import check_ssml

LOCALES = content_module.supported_locales()
PACKAGE = os.path.join(os.path.dirname(__file__), "..", "..", "lambda", "cramp_helper")


def talk_on(world: World, locale: str, *, show: bool = False) -> Conversation:
    """A person talking to a device in the world's zone (an Echo Show when ``show``)."""
    talk = Conversation(locale, handler=world.handler, clock=world.clock)
    original = talk.envelope

    def envelope(request):
        built = original(request)
        built["context"]["System"]["device"]["supportedInterfaces"] = copy.deepcopy(APL if show else {})
        return built

    talk.envelope = envelope
    return talk


def say(talk: Conversation, intent: str, **slots: tuple[str, str | None]):
    return talk.said(intent, slots)


def emergency(world: World, locale: str, *, show: bool = False):
    return say(talk_on(world, locale, show=show), "EmergencyIntent")


def clot(world: World, locale: str, *, show: bool = False):
    return say(talk_on(world, locale, show=show), "RedFlagIntent", Symptom=("swollen", "SWOLLEN"))


def medicine(world: World, locale: str, medicine_id: str):
    return say(talk_on(world, locale), "MedicineIntent", Medicine=("said", medicine_id))


def valid(ssml: str) -> bool:
    assert not check_ssml(ssml), check_ssml(ssml)
    return True


# --- part 4: every locale says its number its own way ------------------------------------------
@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_says_its_emergency_number_in_its_spoken_form(aws, locale):
    care = care_numbers(locale, None)
    reply = emergency(World(zone=None), locale)
    assert care.say in reply.ssml, (care.say, reply.ssml)
    assert valid(reply.ssml)
    assert reply.card and care.write in reply.card.get("content", "") + reply.card.get("text", "")
    assert "<say-as" not in json.dumps(reply.card) and "&lt;" not in json.dumps(reply.card)


def test_the_spoken_forms_are_the_ones_people_use():
    assert care_numbers("en-AU", None).say == '<sub alias="triple zero">000</sub>'
    assert care_numbers("fr-FR", None).say == '<say-as interpret-as="cardinal">15</say-as>'  # le quinze
    assert care_numbers("en-GB", None).say == '<say-as interpret-as="digits">999</say-as>'


def _a_zone_of_each_country() -> list[tuple[str, str]]:
    with open(COUNTRIES_FILE, encoding="utf-8") as fh:
        countries = json.load(fh)["countries"]
    with open(ZONES_FILE, encoding="utf-8") as fh:
        zones = json.load(fh)["zones"]
    first: dict[str, str] = {}
    for zone, country in sorted(zones.items()):
        first.setdefault(country, zone)
    return [(country, first[country]) for country in sorted(countries) if country in first]


@pytest.mark.parametrize("country,zone", _a_zone_of_each_country())
def test_every_country_s_number_is_spoken_in_its_own_form(aws, country, zone):
    care = care_numbers("en-US", zone)
    assert care.country == country
    reply = emergency(World(zone=zone), "en-US")
    assert care.say in reply.ssml and valid(reply.ssml)
    assert care.write in reply.speech


def test_the_screen_keeps_the_written_digits(aws):
    reply = emergency(World(zone="Australia/Sydney"), "en-AU", show=True)
    assert "triple zero" in reply.ssml
    [screen] = screens_of(reply)
    assert screen["datasources"]["screen"]["number"] == "000"


# --- the trusted path stays narrow ----------------------------------------------------------------
def test_user_text_is_escaped_even_when_it_looks_like_a_number_s_ssml():
    sneaky = '<say-as interpret-as="digits">911</say-as><audio src="https://x.example/a.mp3"/>'
    ssml = Speech().say(sneaky).ssml()
    assert "<audio" not in ssml and "<say-as" not in ssml and "&lt;audio" in ssml


@pytest.mark.parametrize("fragment", [
    '<audio src="https://x.example/a.mp3"/>', "<speak>hi</speak>", '<say-as interpret-as="digits">1',
    '<say-as interpret-as="digits"><sub alias="x">1</sub></say-as>', "a & b", "<break time=\"10s\"/>",
    '<sub alias="a">1</sub><prosody rate="x-fast">2</prosody>', "",
])
def test_a_trusted_fragment_holds_only_a_number_s_markup(fragment):
    with pytest.raises((ValueError, TypeError)):
        Trusted(fragment, "x")


def test_only_countries_makes_trusted_fragments():
    makers = []
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as fh:
                tree = ast.parse(fh.read())
            calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                     and getattr(n.func, "id", getattr(n.func, "attr", None)) == "Trusted"]
            if calls:
                makers.append(os.path.relpath(path, PACKAGE))
    assert makers == ["countries.py"]


# --- part 2: same-day lines name the after-hours line, spoken -----------------------------------
@pytest.mark.parametrize("locale,zone,number,words", [
    ("en-GB", "Europe/London", "111", "NHS 111"),
    ("en-GB", None, "111", "NHS 111, or GP Out of Hours in Northern Ireland"),
    ("en-US", "Europe/London", "111", "Out of hours, you can call NHS 111"),
    ("de-DE", "Europe/Berlin", "116117", "Außerhalb der Sprechzeiten erreichst du 116 117"),
    ("fr-CA", "America/Toronto", "811", "Info-Santé 811 au Québec"),
    ("en-CA", "America/Toronto", "811", "Info-Santé 811 in Québec"),
])
def test_same_day_care_names_the_after_hours_line_in_its_spoken_form(aws, locale, zone, number, words):
    reply = clot(World(zone=zone), locale)
    language = locale.split("-")[0]
    with open(COUNTRIES_FILE, encoding="utf-8") as fh:
        spoken = json.load(fh)["spoken"][number][language]
    assert spoken in reply.ssml and valid(reply.ssml)
    assert words in reply.speech
    card = reply.card.get("content", "") + reply.card.get("text", "")
    assert number in card and "<say-as" not in card


def test_no_after_hours_line_where_the_country_has_none(aws):
    reply = clot(World(zone="America/Chicago"), "en-US")
    assert "Out of hours" not in reply.speech and valid(reply.ssml)


# --- part 7: the Echo Show ---------------------------------------------------------------------
@pytest.mark.parametrize("locale,zone", [("en-GB", "Europe/London"), ("en-US", "America/Chicago"),
                                         ("de-DE", "Europe/Berlin"), ("fr-FR", "Europe/Paris")])
def test_a_same_day_screen_says_get_care_today_never_the_emergency_number_large(aws, locale, zone):
    reply = clot(World(zone=zone), locale, show=True)
    [screen] = screens_of(reply)
    shown = screen["datasources"]["screen"]
    care = care_numbers(locale, zone)
    assert shown["number"] != care.write and care.write not in shown["number"]
    assert shown["call"] == content_module.load(locale).section("screens")["same_day_title"]
    if care.after_hours:
        assert shown["title"] == care.after_hours


@pytest.mark.parametrize("locale,zone", [("en-GB", "Europe/London"), ("fr-FR", "Europe/Paris")])
def test_an_emergency_screen_shows_the_number_large(aws, locale, zone):
    [screen] = screens_of(emergency(World(zone=zone), locale, show=True))
    assert screen["datasources"]["screen"]["number"] == care_numbers(locale, zone).write


def test_get_care_today_is_said_in_every_locale():
    titles = {locale: content_module.load(locale).section("screens")["same_day_title"] for locale in LOCALES}
    assert titles["en-US"] == "Get care today"
    assert len(set(titles.values())) >= 6  # one per language at least


# --- part 8: medicines by region ---------------------------------------------------------------
def test_a_us_device_keeps_the_fda_warning_on_quinine(aws):
    reply = medicine(World(zone="America/Chicago"), "en-US", "QUININE")
    assert "Food and Drug Administration" in reply.speech or "FDA" in reply.speech


@pytest.mark.parametrize("medicine_id", ["QUININE", "TONIC_WATER"])
def test_an_en_us_device_in_london_hears_the_non_us_answer(aws, medicine_id):
    reply = medicine(World(zone="Europe/London"), "en-US", medicine_id)
    speech = reply.speech
    assert "FDA" not in speech and "Food and Drug Administration" not in speech
    assert "routine use" in speech and "serious side effects" in speech
    assert "only a doctor can decide" in speech and "Tonic water is not a treatment" in speech


@pytest.mark.parametrize("locale", LOCALES)
def test_quinine_outside_the_us_in_every_locale(aws, locale):
    zone = "America/Chicago" if locale.endswith("-US") else None
    reply = medicine(World(zone=zone), locale, "QUININE")
    words = content_module.load(locale).section("medicines")
    us = locale.endswith("-US")
    expected = words["answers"]["QUININE"] if us else words["regional"]["QUININE"]
    assert reply.speech.startswith(expected[:40])
    if not us:
        assert "FDA" not in reply.speech and "Food and Drug" not in reply.speech


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("medicine_id", ["STATIN", "WATER_PILL"])
def test_a_new_statin_or_water_pill_tells_the_prescriber_and_when_to_get_help(aws, locale, medicine_id):
    reply = medicine(World(zone=None), locale, medicine_id)
    line = content_module.load(locale).data["safety"]["NEW_MEDICINE"]
    assert reply.speech.startswith(line[:40]) and not reply.ended
    if locale.startswith("en"):
        assert "don't stop it yourself" in reply.speech and "dark urine" in reply.speech


def test_a_medicine_slot_without_an_id_gets_the_general_answer(aws):
    reply = say(talk_on(World(zone=None), "en-US"), "MedicineIntent", Medicine=("something", None))
    assert reply.speech.startswith("I can't advise on medicines") and valid(reply.ssml)


def test_no_spoken_number_markup_outside_the_numbers(aws):
    """Everything said around a number is still escaped text (the SSML parses, one say-as per
    number, no stray tags)."""
    reply = clot(World(zone="Europe/London"), "en-GB")
    tags = set(re.findall(r"<([a-z:-]+)", reply.ssml))
    assert tags <= {"speak", "say-as", "sub", "prosody", "amazon:effect", "break"}, tags
