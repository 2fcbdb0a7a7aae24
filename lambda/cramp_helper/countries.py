"""The numbers that reach help, chosen by the country the device is in, not by its language.

An en-US device in India must hear 112, not 911. The device's time zone (the Settings API) names a
country through ``content/countries/zone_countries.json`` (generated from CLDR by
tools/make_zone_countries.py, so Babel is never imported here); ``content/countries/countries.json``
holds each country's numbers, their spoken forms per language, and the after-hours lines.

``country_of(zone) -> str | None``
    The ISO country of an IANA zone name, aliases included (America/Montreal -> "CA"); None for
    None, junk, or a zone in no country (Etc/UTC).

``care_numbers(locale, zone) -> CareNumbers``
    - the zone's country has an entry: its numbers (``known``);
    - the zone's country has none: the locale's own number, with ``elsewhere`` set, and ``say`` /
      ``write`` add "or your local emergency number" in the locale's language;
    - no zone, or one that names no country: the locale's own country (en-GB -> GB, fr-CA -> CA
      with Québec's line); a locale the table does not know -> the default country (US).
    The spoken form is in the locale's language (English for a language the table lacks).

Pure: the two JSON files are read on first use and cached; nothing else is read or written.
No import of babel, boto3 or ask_sdk (tests/unit/test_countries.py checks it).
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import NamedTuple

from .speech import Trusted

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "content", "countries")
COUNTRIES_FILE = os.path.join(_DATA, "countries.json")
ZONES_FILE = os.path.join(_DATA, "zone_countries.json")

__all__ = ["CareNumbers", "care_numbers", "country_of"]


class CareNumbers(NamedTuple):  # a NamedTuple, not a frozen dataclass: see speech.Say
    """What to say and show for "call for help", for one locale and device zone.

    country:          where the device is taken to be: the zone's country, else the locale's.
    numbers_from:     the country whose numbers these are (the locale's when ``elsewhere``).
    emergency:        the emergency number, digits as written ("112", "000").
    spoken:           SSML for that number alone, in the locale's language.
    say:              SSML to put where a line says {emergency}: ``spoken``, plus "or your local
                      emergency number" when ``elsewhere``.
    write:            the same as plain text, for cards and screens.
    also:             other numbers that reach help there (cards and docs, never said instead).
    after_hours:      the after-hours / same-day line as a noun phrase for {health_line}, or None.
    after_hours_ssml: the same with its number spoken, escaped for SSML, or None.
    known:            the zone named a country (False: no zone, or one in no country).
    elsewhere:        the zone's country has no entry: the locale's number is said with
                      "or your local emergency number".
    language:         the language the spoken forms are in.
    sources:          CONTENT_FACTS tags behind the numbers and the after-hours line.

    ``spoken_emergency`` and ``spoken_after_hours`` give ``say`` and ``after_hours_ssml`` as
    speech.Trusted fragments (what reads as ``write`` / ``after_hours``): the one way a number's
    spoken form reaches the speech builder unescaped.
    """

    country: str
    numbers_from: str
    emergency: str
    spoken: str
    say: str
    write: str
    also: tuple[str, ...]
    after_hours: str | None
    after_hours_ssml: str | None
    known: bool
    elsewhere: bool
    language: str
    sources: tuple[str, ...]

    @property
    def spoken_emergency(self) -> Trusted:
        return _trusted(self.say, self.write)

    @property
    def spoken_after_hours(self) -> Trusted | None:
        if not self.after_hours or not self.after_hours_ssml:
            return None
        return _trusted(self.after_hours_ssml, self.after_hours)


@cache
def _trusted(ssml: str, text: str) -> Trusted:
    return Trusted(ssml, text)


@cache
def _table() -> dict:
    with open(COUNTRIES_FILE, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _zones() -> dict:
    with open(ZONES_FILE, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _by_lower_case() -> dict[str, str]:
    data = _zones()
    out = {name.lower(): name for name in data["zones"]}
    out.update((alias.lower(), target) for alias, target in data["aliases"].items())
    return out


def canonical_zone(zone: object) -> str | None:
    """The canonical IANA name of a zone (aliases resolved, case forgiven), or None if unknown."""
    if not isinstance(zone, str) or not zone.strip():
        return None
    name = zone.strip()
    data = _zones()
    if name in data["zones"]:
        return name
    if name in data["aliases"]:
        return data["aliases"][name]
    return _by_lower_case().get(name.lower())


def country_of(zone: str | None) -> str | None:
    """The ISO 3166 country a time zone lies in, or None (no zone, junk, Etc/UTC)."""
    canonical = canonical_zone(zone)
    return _zones()["zones"][canonical] if canonical else None


def _locale_parts(locale: object) -> tuple[str, str]:
    """(language, home country) of a locale: "fr-CA" -> ("fr", "CA"); junk -> ("en", default)."""
    table = _table()
    language, _, region = (locale if isinstance(locale, str) else "").strip().replace("_", "-").partition("-")
    language = language.lower()
    region = region.split("-")[-1].upper() if region else ""
    if language not in table["languages"]:
        language = "en"
    if region not in table["countries"]:
        region = table["default"]
    return language, region


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _after_hours(entry: dict, zone: str | None, language: str) -> tuple[str | None, str | None]:
    hours = entry.get("after_hours")
    if not hours:
        return None, None
    zones = hours.get("zones")
    if zones and zone is not None and zone not in zones:
        return None, None  # a region line (Québec's) for a zone that region does not use
    text = hours["text"][language]
    numbers = [line["number"] for line in hours["lines"] if line.get("number")]
    ssml = _escape(text)
    for number in numbers:  # each line's number in its spoken form ("NHS 111" -> "NHS one one one")
        head, found, tail = ssml.partition(number)
        if found:
            ssml = head + _table()["spoken"][number][language] + tail
    return text, ssml


def care_numbers(locale: str, zone: str | None) -> CareNumbers:
    """The numbers for a device: by the country its zone lies in, else by its locale."""
    table = _table()
    language, home = _locale_parts(locale)
    canonical = canonical_zone(zone)
    country = _zones()["zones"][canonical] if canonical else None
    elsewhere = country is not None and country not in table["countries"]
    numbers_from = home if country is None or elsewhere else country
    entry = table["countries"][numbers_from]
    number = entry["emergency"]
    spoken = table["spoken"][number][language]
    if elsewhere:
        phrase = table["elsewhere"][language]
        say = _escape(phrase).replace("{number}", spoken)
        write = phrase.replace("{number}", number)
        also: tuple[str, ...] = ()
        hours_text = hours_ssml = None
    else:
        say, write, also = spoken, number, tuple(entry["also"])
        hours_text, hours_ssml = _after_hours(entry, canonical, language)
    sources = list(entry["sources"])
    if hours_text:
        for line in entry["after_hours"]["lines"]:
            sources += [tag for tag in line["sources"] if tag not in sources]
    return CareNumbers(
        country=country or home, numbers_from=numbers_from, emergency=number, spoken=spoken, say=say,
        write=write, also=also, after_hours=hours_text, after_hours_ssml=hours_ssml,
        known=country is not None, elsewhere=elsewhere, language=language, sources=tuple(sources),
    )
