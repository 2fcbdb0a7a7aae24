"""Thirteen locales: spoken counts, dates and times (CLDR, lazily), content per locale with its own
emergency number, and everything around publishing (skill.json, policy pages, icons)."""

import json
import os
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cramp_helper import cldr, insights, triage
from cramp_helper import content as content_module

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "content"
LOCALES = ("en-US", "en-CA", "en-GB", "en-AU", "en-IN", "es-US", "es-MX", "es-ES", "de-DE", "fr-FR",
           "fr-CA", "it-IT", "pt-BR")
DAY = date(2026, 11, 23)  # a Monday
# shared/CONTENT_FACTS.md, "When to get care": the number each marketplace calls, and the others.
EMERGENCY = {"en-US": "911", "en-CA": "911", "es-US": "911", "fr-CA": "911", "es-MX": "911",
             "en-GB": "999", "en-AU": "000", "en-IN": "112", "es-ES": "112", "de-DE": "112",
             "fr-FR": "15", "it-IT": "112", "pt-BR": "192"}
ALSO = {"en-GB": ["112"], "en-IN": ["108"], "fr-FR": ["112"], "it-IT": ["118"]}
HEALTH_LINES = {"en-GB": "NHS 111"}
CRAMPS = {"=0": "no cramps", "one": "one cramp", "other": "{n} cramps"}


# --- cldr.py: CLDR through Babel ---------------------------------------------------------------
def test_english_keeps_the_words_en_us_said_before_babel():
    assert [cldr.count("en-US", n, CRAMPS) for n in (0, 1, 2, 1000)] == [
        "no cramps", "one cramp", "2 cramps", "1,000 cramps"]
    times = {"one": "once", "=2": "twice", "other": "{n} times"}
    assert [cldr.count("en-US", n, times) for n in (1, 2, 3)] == ["once", "twice", "3 times"]
    assert cldr.time("en-US", 21, 30) == "9:30 p.m."
    assert cldr.time("en-US", 6) == "6 a.m." and cldr.time("en-US", 6, plain=True) == "6"
    assert cldr.time("en-US", 0, 5) == "12:05 a.m." and cldr.time("en-US", 12) == "12 p.m."
    assert cldr.date("en-US", DAY) == "Monday, November 23"
    assert cldr.date("en-US", DAY, year=True) == "November 23, 2026"
    assert cldr.weekday("en-US", 2) == "Wednesday" and cldr.month("en-US", 11) == "November"


@pytest.mark.parametrize("locale,evening,three,on_the_day,dated", [
    ("en-GB", "9:30 p.m.", "3 a.m.", "Monday 23 November", "23 November 2026"),
    ("en-AU", "9:30 p.m.", "3 a.m.", "Monday, 23 November", "23 November 2026"),
    ("en-IN", "9:30 p.m.", "3 a.m.", "Monday, 23 November", "23 November 2026"),
    ("en-CA", "9:30 p.m.", "3 a.m.", "Monday, November 23", "November 23, 2026"),
    ("es-US", "9:30 p.m.", "3 a.m.", "lunes, 23 de noviembre", "23 de noviembre de 2026"),
    ("es-MX", "9:30 p.m.", "3 a.m.", "lunes, 23 de noviembre", "23 de noviembre de 2026"),
    ("es-ES", "21:30", "3:00", "lunes, 23 de noviembre", "23 de noviembre de 2026"),
    ("de-DE", "21:30 Uhr", "3 Uhr", "Montag, 23. November", "23. November 2026"),
    ("fr-FR", "21 h 30", "3 h", "lundi 23 novembre", "23 novembre 2026"),
    ("fr-CA", "21 h 30", "3 h", "lundi 23 novembre", "23 novembre 2026"),
    ("it-IT", "21:30", "3:00", "lunedì 23 novembre", "23 novembre 2026"),
    ("pt-BR", "21h30", "3h", "segunda-feira, 23 de novembro", "23 de novembro de 2026"),
])
def test_each_locale_says_times_and_dates_its_own_way(locale, evening, three, on_the_day, dated):
    assert cldr.time(locale, 21, 30) == evening
    assert cldr.time(locale, 3) == three
    assert cldr.date(locale, DAY) == on_the_day
    assert cldr.date(locale, DAY, year=True) == dated


def test_plural_forms_follow_cldr_categories_and_exact_numbers_win():
    forms = {"one": "un calambre", "many": "{n} de calambres", "other": "{n} calambres"}
    assert [cldr.count("es-MX", n, forms) for n in (1, 2, 1_000_000)] == [
        "un calambre", "2 calambres", "1,000,000 de calambres"]
    french = {"=0": "aucune crampe", "one": "{n} crampe", "other": "{n} crampes"}
    assert [cldr.count("fr-FR", n, french) for n in (0, 1, 2)] == ["aucune crampe", "1 crampe", "2 crampes"]
    assert cldr.plural("fr-FR", 0) == "one" and cldr.plural("en-US", 0) == "other"
    assert cldr.plural("pt-BR", 0) == "one" and cldr.plural("de-DE", 1) == "one"
    with pytest.raises(ValueError):
        cldr.count("en-US", 3, {"one": "one cramp"})


def test_every_supported_locale_has_cldr_data_for_every_function():
    for locale in LOCALES:
        assert cldr.count(locale, 3, {"other": "{n}"}) == "3"
        assert cldr.weekday(locale, DAY) and cldr.month(locale, DAY)
        assert cldr.time(locale, 23, 59) and cldr.time(locale, 0, 0, plain=True)
        assert str(DAY.day) in cldr.date(locale, DAY)
        assert cldr.twelve_hour(locale) is (locale.startswith("en") or locale in ("es-US", "es-MX"))


# --- content per locale --------------------------------------------------------------------------
def test_the_supported_locales_are_the_thirteen_with_their_own_numbers():
    assert set(content_module.supported_locales()) == set(LOCALES)
    table = content_module._locales()
    assert table["default"] == content_module.DEFAULT_LOCALE == "en-US"
    for locale in LOCALES:
        facts = content_module.facts(locale)
        assert facts["emergency_number"] == EMERGENCY[locale], locale
        assert facts["emergency_also"] == ALSO.get(locale, []), locale
        assert facts["health_line"] == HEALTH_LINES.get(locale), locale
        content = content_module.load(locale)
        assert content.locale == locale and content.emergency_number == EMERGENCY[locale]
        assert triage.fill(content, "call {emergency}") == f"call {EMERGENCY[locale]}"


def test_fallbacks_stay_within_the_language_and_reach_only_supported_locales():
    for locale in LOCALES:
        chain = content_module.facts(locale)["fallback"]
        assert locale not in chain and len(set(chain)) == len(chain)
        for other in chain:
            assert other in LOCALES and other.split("-")[0] == locale.split("-")[0], (locale, other)
    assert content_module.facts("es-US")["fallback"][0] == "es-MX"
    assert content_module.facts("fr-CA")["fallback"] == ["fr-FR"]


def test_a_locale_without_its_file_borrows_words_but_says_its_own_number():
    gb = content_module.load("en-GB")
    if "en-GB" not in content_module.content_files():
        assert gb.words_locale == "en-US" and gb.speech_locale == "en-GB"
    assert gb.emergency_number == "999" and gb.health_line == "NHS 111"
    de = content_module.load("de-DE")
    if "de-DE" not in content_module.content_files():  # English words: English dates, not German
        assert de.words_locale == "en-US" and de.speech_locale == "en-US"
    assert de.emergency_number == "112" and de.health_line is None


def test_the_loader_reads_a_second_locale_and_lends_it_within_the_language():
    directory = str(FIXTURES)
    mx = content_module.read("es-MX", directory)
    assert mx.words_locale == mx.locale == mx.speech_locale == "es-MX"
    assert triage.fill(mx, mx.red_flag("EMERGENCY")).endswith("llama al 911 ahora.")
    us = content_module.read("es-US", directory)  # no es-US file: Mexican words, US number
    assert us.words_locale == "es-MX" and us.emergency_number == "911"
    es = content_module.read("es-ES", directory)  # no es-ES file: Mexican words, Spain's 112
    assert es.words_locale == "es-MX" and es.speech_locale == "es-ES"
    assert triage.fill(es, es.red_flag("EMERGENCY")).endswith("llama al 112 ahora.")
    words = insights.Words(es)
    assert [words.count(n) for n in (0, 1, 3)] == ["ningún calambre", "un calambre", "3 calambres"]
    assert words.date(DAY) == "lunes, 23 de noviembre"
    assert words.clock(datetime(2026, 1, 1, 21, 30)) == "21:30"
    assert words.where("CALF", "LEFT") == "pantorrilla izquierda"
    assert words.where("LEG", "RIGHT") == "pierna derecha"
    assert words.hour(0) == "la medianoche" and words.hour(3) == "3:00"
    moment = datetime(2026, 11, 18, 3, 10, tzinfo=ZoneInfo("Europe/Madrid"))
    now = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert words.when(moment, now) == "el martes en la noche, hacia las 3:00"
    with pytest.raises(FileNotFoundError):  # neither German nor the default's file in the fixture
        content_module.read("de-DE", directory)


def test_content_is_cached_per_supported_locale_never_per_raw_string():
    content_module.load.cache_clear()
    for raw in ("en-GB", "EN-gb", " en-gb ", "en-gb", "xx-" + "y" * 300, None, 42, "de-de", "DE-DE"):
        content_module.load(raw)
    assert content_module.load.cache_info().currsize == 3  # en-GB, en-US (the default), de-DE
    assert content_module.load("EN-gb") is content_module.load("en-GB")
    for locale in LOCALES:
        content_module.load(locale)
    assert content_module.load.cache_info().currsize == len(LOCALES)


def test_only_the_requested_locales_file_is_read(monkeypatch):
    opened = []
    real_open = open

    def spy(path, *args, **kwargs):
        opened.append(os.path.basename(str(path)))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    content_module.read("es-MX", str(FIXTURES))
    assert opened == ["es-MX.json"]


def _spoken_text(data, key=""):
    """Every string the skill may say or show, without the notes for reviewers."""
    if isinstance(data, dict):
        for k, v in data.items():
            if not k.startswith("_") and k not in ("source", "sources", "emergency_number"):
                yield from _spoken_text(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from _spoken_text(v, key)
    elif isinstance(data, str):
        yield data


def _content_files():
    here = Path(content_module.__file__).parent
    return [here / f"{name}.json" for name in content_module.content_files()] + [FIXTURES / "es-MX.json"]


def test_content_never_writes_a_number_or_health_line_only_placeholders():
    numbers = {n for n in EMERGENCY.values()} | {n for also in ALSO.values() for n in also} | {"111"}
    for path in _content_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        locale = data["locale"]
        for text in _spoken_text(data):
            for number in numbers - {"15"}:  # "15 seconds" is a hold, not a number to call
                assert not re.search(rf"(?<![\d:]){number}(?![\d:])", text), (path.name, number, text)
            assert "NHS" not in text, (path.name, text)
        if "emergency_number" in data:  # a file may repeat its number; it must agree
            assert data["emergency_number"] == EMERGENCY[locale], path.name
        if any("{health_line}" in t for t in _spoken_text(data)):
            borrowers = [loc for loc in LOCALES
                         if content_module.words_file(loc) == locale]
            assert all(HEALTH_LINES.get(loc) for loc in borrowers), (path.name, borrowers)


# --- publishing: skill.json, the policy pages, the icons ------------------------------------------
MANIFEST = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))["manifest"]
PAGES = "https://leg-cramp-helper.github.io/leg-cramp-helper/"  # GitHub Pages from docs/ (docs/deploy.md)
NOT_ADVICE = {"en": "not a substitute for professional medical advice", "es": "no sustituye el consejo",
              "de": "ersetzt keine ärztliche Beratung", "fr": "ne remplace pas l'avis",
              "it": "non sostituisce il parere", "pt": "não substitui a orientação"}
COUNTRIES = {"US": ("en-US", "es-US"), "CA": ("en-CA", "fr-CA"), "GB": ("en-GB",), "AU": ("en-AU",),
             "IN": ("en-IN",), "MX": ("es-MX",), "ES": ("es-ES",), "DE": ("de-DE",), "FR": ("fr-FR",),
             "IT": ("it-IT",), "BR": ("pt-BR",)}
DRUGS = ("quinine", "quinina", "chinin", "chinino", "magnesium", "magnesio", "magnésium", "magnésio",
         "ibuprofen", "ibuprofeno", "paracetamol", "paracétamol", "acetaminophen", "aspirin", "aspirina",
         "tonic", "tónica", "supplement", "suplemento", "complément", "integratore")


def _page(url: str) -> Path:
    assert url.startswith(PAGES) and url.endswith(".html"), url
    return ROOT / "docs" / (url[len(PAGES):-len(".html")] + ".md")


def test_every_locale_is_published_in_its_language_with_its_emergency_number():
    published = MANIFEST["publishingInformation"]["locales"]
    assert set(published) == set(LOCALES)
    for locale, entry in published.items():
        language = locale[:2]
        assert entry["name"] and 0 < len(entry["summary"]) <= 160, locale
        description = entry["description"]
        assert len(description) <= 4000 and NOT_ADVICE[language] in description, locale
        numbers = set(re.findall(r"(?<![\d:])\d{2,3}(?![\d:])", description))
        assert EMERGENCY[locale] in numbers, locale
        health = re.findall(r"\d+", HEALTH_LINES.get(locale, ""))
        assert numbers <= {EMERGENCY[locale], *ALSO.get(locale, []), *health}, (locale, numbers)
        assert ("NHS 111" in description) == (locale == "en-GB"), locale
        assert 1 <= len(entry["keywords"]) <= 30, locale
        text = (entry["name"] + entry["summary"] + description + " ".join(entry["keywords"])).lower()
        assert not [d for d in DRUGS if re.search(rf"\b{d}", text)], locale
        assert entry["smallIconUri"] == PAGES + "icons/icon-108.png", locale
        assert entry["largeIconUri"] == PAGES + "icons/icon-512.png", locale
    assert published["en-US"]["examplePhrases"][0] == "Alexa, tell leg cramp helper my left calf is cramping"


def test_distribution_covers_exactly_the_countries_whose_numbers_the_locales_know():
    info = MANIFEST["publishingInformation"]
    assert info["isAvailableWorldwide"] is False
    assert sorted(info["distributionCountries"]) == sorted(COUNTRIES)
    assert {loc for locs in COUNTRIES.values() for loc in locs} == set(LOCALES)


def test_every_locale_has_a_privacy_policy_and_terms_page_in_its_language():
    policies = MANIFEST["privacyAndCompliance"]["locales"]
    assert set(policies) == set(LOCALES)
    assert MANIFEST["privacyAndCompliance"]["usesPersonalInfo"] is True
    for locale, urls in policies.items():
        privacy, terms = _page(urls["privacyPolicyUrl"]), _page(urls["termsOfUseUrl"])
        assert privacy.is_file() and terms.is_file(), locale
        for page in (privacy, terms):
            text = page.read_text(encoding="utf-8")
            assert re.search(rf"^lang: {locale[:2]}", text, re.M), page
            assert re.search(rf"(?<![\d:]){EMERGENCY[locale]}(?![\d:])", text), (locale, page.name)
            assert f"{urls['privacyPolicyUrl']}" in text or f"{urls['termsOfUseUrl']}" in text


@pytest.mark.parametrize("language", ["en", "es", "de", "fr", "it", "pt"])
def test_each_privacy_policy_says_what_is_kept_how_long_and_how_to_delete_it(language):
    text = (ROOT / "docs" / "privacy" / f"{language}.md").read_text(encoding="utf-8")
    assert "400" in text and "35" in text and "30" in text  # retention, backups, logs
    assert "../terms/" in text and f"{language}.html" in text
    said = {"en": "delete my cramp history", "es": "borra mi historial de calambres",
            "de": "Lösche meinen Krampfverlauf", "fr": "efface mon historique de crampes",
            "it": "cancella la mia cronologia dei crampi", "pt": "apague meu histórico de cãibras"}
    assert said[language] in text
    terms = (ROOT / "docs" / "terms" / f"{language}.md").read_text(encoding="utf-8")
    assert "../privacy/" in terms and said[language].lower() in terms.lower()
