"""The number to call is the country's the device is in, not its language's (issue 19): the same
number in speech, card and screen, through lambda_handler, with the device's zone from the fake
Settings API. A red flag makes one short zone look-up when the session has none."""

from __future__ import annotations

import copy

import pytest

from testkit.conversation import Conversation
from testkit.screens import APL, screens_of
from testkit.world import World

CASES = [
    ("en-US", "Asia/Kolkata", "112"),
    ("en-US", "Europe/London", "999"),
    ("fr-FR", "America/Toronto", "911"),
    ("es-US", "Europe/Madrid", "112"),
    ("pt-BR", "Europe/Lisbon", "112"),
    ("en-GB", "Europe/London", "999"),
    ("de-DE", "Europe/Berlin", "112"),
    ("en-AU", "Australia/Sydney", "000"),
    ("en-US", "America/Chicago", "911"),
]
CHEST_PAIN = {"en": "chest pain", "fr": "douleur thoracique", "es": "dolor en el pecho",
              "pt": "dor no peito", "de": "Brustschmerzen"}


def chest_pain(world: World, locale: str, interfaces: dict | None = None):
    """ "Tell leg cramp helper I have chest pain", in the locale's words, on a device in the
    world's zone (an Echo Show when ``interfaces`` names APL)."""
    talk = Conversation(locale, handler=world.handler, clock=world.clock)
    original = talk._envelope

    def envelope(fixture, request=None):
        built = original(fixture, request)
        built["context"]["System"]["device"]["supportedInterfaces"] = copy.deepcopy(interfaces or {})
        return built

    talk._envelope = envelope
    return talk.intent("EmergencyIntent", Symptom=CHEST_PAIN[locale.split("-")[0]])


@pytest.mark.parametrize("locale,zone,number", CASES)
def test_the_emergency_number_is_the_countrys_in_speech_card_and_screen(aws, locale, zone, number):
    world = World(zone=zone)
    reply = chest_pain(world, locale, APL)
    assert f" {number}" in reply.speech
    assert number in (reply.card or {}).get("content", "") + (reply.card or {}).get("text", "")
    [screen] = screens_of(reply)
    assert screen["datasources"]["screen"]["number"] == number
    assert any("System.timeZone" in call["url"] for call in world.api.calls), "one zone look-up"


def test_a_country_without_an_entry_hears_the_locales_number_and_the_local_one(aws):
    world = World(zone="Asia/Tokyo")
    reply = chest_pain(world, "en-US")
    assert "911 or your local emergency number" in reply.speech


def test_no_zone_keeps_the_locales_number(aws):
    world = World(zone=None)
    reply = chest_pain(world, "de-DE")
    assert "112" in reply.speech
