"""Counts, dates and times as a person in each locale says them, from CLDR through Babel.

Only the answers that need one (history, a reminder's time) call in here, and Babel is imported
inside the functions, never at module level: a cramp request never imports it (a subprocess test,
tests/test_locales.py, proves it). ``locale`` is a BCP 47 tag as Alexa sends it ("en-US").

    plural(locale, n) -> str                CLDR plural category: "one", "few", "many", "other"...
    count(locale, n, forms) -> str          the form for n, with {n} filled ("3 cramps")
    number(locale, n) -> str                n with the locale's digits and grouping ("1,000")
    weekday(locale, day) -> str             "Monday", "lundi" (day: a date, or 0 = Monday ... 6)
    month(locale, month) -> str             "November", "novembre" (month: a date, or 1 ... 12)
    date(locale, day, year=False) -> str    "Monday, November 23" / "November 23, 2026"
    time(locale, hour, minute=0, plain=False) -> str   "9:30 p.m.", "21:30 Uhr", "21 h 30"
    twelve_hour(locale) -> bool             does the locale say times on a 12-hour clock?

``forms`` for ``count`` maps CLDR plural categories to text, plus exact numbers written "=N"
(ICU MessageFormat's notation), which win over categories: ``{"=0": "no cramps", "one": "one
cramp", "other": "{n} cramps"}``. Each language needs the categories CLDR gives it (English and
German: one, other; French, Spanish, Italian and Portuguese: one, many, other, where "many" is
for millions, "un million de crampes"); "other" is required, the rest fall back to it. French and
Brazilian Portuguese "one" covers 0 as well as 1, so a text for "one" that is not about exactly
one item should use {n}.

Times: the hour cycle and the day-period words come from CLDR's short time format, adjusted for
speech: no leading zero, no ":00" on a 12-hour clock, and the word a language says after a
24-hour time ("Uhr", "h"). English says a.m./p.m. in every English locale (CLDR writes en-GB with
a 24-hour clock and "am", which reads badly aloud; Alexa reads "a.m." as the letters).
``plain`` leaves out the day period, for a sentence that says it in words ("6 in the morning").
Dates: CLDR's pattern for a weekday with day and month, widened to full names, or its long date
(with the year). ``names`` lets content override the CLDR weekday and month names.
"""

from __future__ import annotations

from datetime import date as Date
from functools import lru_cache

# A 24-hour clock as people say it, by language: (with minutes, on the hour). Languages not listed
# say "21:30" and "21:00". {h} has no leading zero; {mm} always has two digits.
_SPOKEN_24H = {
    "de": ("{h}:{mm} Uhr", "{h} Uhr"),
    "fr": ("{h} h {mm}", "{h} h"),
    "pt": ("{h}h{mm}", "{h}h"),
}
_SPOKEN_24H_DEFAULT = ("{h}:{mm}", "{h}:00")
# Day-period words said in place of CLDR's abbreviations, by language.
_DAY_PERIODS = {"en": ("a.m.", "p.m.")}
_ALWAYS_TWELVE_HOUR = {"en"}  # see the module docstring


@lru_cache(maxsize=32)
def _locale(tag: str):
    from babel.core import Locale

    return Locale.parse(tag.replace("-", "_"))


def _language(tag: str) -> str:
    return tag.replace("_", "-").split("-", 1)[0].lower()


# --- counts ------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def plural(locale: str, n: int) -> str:
    """The CLDR plural category of ``n`` in ``locale``: zero, one, two, few, many or other."""
    return _locale(locale).plural_form(n)


@lru_cache(maxsize=256)
def number(locale: str, n: int) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=_locale(locale))


def count(locale: str, n: int, forms: dict[str, str]) -> str:
    """The form for ``n`` ("=N" first, then its CLDR category, then "other"), {n} filled."""
    text = forms.get(f"={n}")
    if text is None:
        text = forms.get(plural(locale, n))
    if text is None:
        if "other" not in forms:
            raise ValueError(f"plural forms need an 'other' form: {sorted(forms)}")
        text = forms["other"]
    return text.replace("{n}", number(locale, n))


# --- names -------------------------------------------------------------------------------------
def weekday(locale: str, day: Date | int) -> str:
    """The weekday's full name; ``day`` is a date, or an index with 0 for Monday."""
    return _weekday(locale, day.weekday() if isinstance(day, Date) else int(day))


@lru_cache(maxsize=128)
def _weekday(locale: str, index: int) -> str:
    return _locale(locale).days["format"]["wide"][index]


def month(locale: str, month: Date | int) -> str:
    """The month's full name, as it is said in a date; ``month`` is a date, or 1 ... 12."""
    return _month(locale, month.month if isinstance(month, Date) else int(month))


@lru_cache(maxsize=256)
def _month(locale: str, number_: int) -> str:
    return _locale(locale).months["format"]["wide"][number_]


@lru_cache(maxsize=64)
def _date_format(locale: str, year: bool) -> str:
    """A %-format string over CLDR field names, e.g. "%(EEEE)s, %(MMMM)s %(d)s"."""
    from babel.dates import get_date_format, match_skeleton, parse_pattern

    loc = _locale(locale)
    if year:
        return parse_pattern(get_date_format("long", locale=loc).pattern).format
    skeletons = loc.datetime_skeletons
    # The full-month pattern where CLDR has one (es: "E, d 'de' MMMM"), else the abbreviated
    # one (en: "E, MMM d"), widened below to full names.
    skeleton = "MMMMEd" if "MMMMEd" in skeletons else match_skeleton("MMMEd", skeletons) or "MMMEd"
    fmt = parse_pattern(skeletons[skeleton].pattern).format
    for short, wide in (("E", "EEEE"), ("EE", "EEEE"), ("EEE", "EEEE"), ("MMM", "MMMM"),
                        ("M", "MMMM"), ("LLL", "MMMM")):
        fmt = fmt.replace(f"%({short})s", f"%({wide})s")
    return fmt


class _Fields:
    """CLDR date fields for one day, with content's weekday and month names when it has them."""

    def __init__(self, locale: str, day: Date, names: dict | None):
        from babel.dates import DateTimeFormat

        self.cldr = DateTimeFormat(day, _locale(locale))
        self.day, self.names = day, names or {}

    def __getitem__(self, field: str) -> str:
        if field.startswith(("E", "c")) and self.names.get("weekdays"):
            return self.names["weekdays"][self.day.weekday()]
        if field.startswith(("M", "L")) and len(field) >= 3 and self.names.get("months"):
            return self.names["months"][self.day.month - 1]
        return self.cldr[field]


def date(locale: str, day: Date, *, year: bool = False, names: dict | None = None) -> str:
    """ "Monday, November 23" (or "November 23, 2026" with ``year``), in the locale's order.
    ``names``: optional {"weekdays": [7 names, Monday first], "months": [12 names]}."""
    names = names or {}
    return _date(locale, day, year, tuple(names.get("weekdays") or ()), tuple(names.get("months") or ()))


@lru_cache(maxsize=512)
def _date(locale: str, day: Date, year: bool, weekdays: tuple[str, ...], months: tuple[str, ...]) -> str:
    """``date``, remembered: a warm container says the same few days again and again."""
    return _date_format(locale, year) % _Fields(locale, day, {"weekdays": weekdays, "months": months})


@lru_cache(maxsize=512)
def short_date(locale: str, day: Date) -> str:
    """ "Nov 16", "16. Nov.": a day and a month as a chart labels them (CLDR's MMMd skeleton)."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", day, locale=_locale(locale))


# --- times -------------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _clock(locale: str) -> tuple[bool, bool]:
    """(12-hour clock?, day period before the time?) from CLDR's short time pattern."""
    from babel.dates import get_time_format

    pattern = get_time_format("short", locale=_locale(locale)).pattern
    unquoted = "".join(part for n, part in enumerate(pattern.split("'")) if n % 2 == 0)
    twelve = "h" in unquoted or "K" in unquoted or _language(locale) in _ALWAYS_TWELVE_HOUR
    hour_at = min((unquoted.find(c) for c in "hKHk" if c in unquoted), default=0)
    period_first = "a" in unquoted and unquoted.find("a") < hour_at
    return twelve, period_first


def twelve_hour(locale: str) -> bool:
    return _clock(locale)[0]


def _day_period(locale: str, hour: int) -> str:
    key = "am" if hour < 12 else "pm"
    said = _DAY_PERIODS.get(_language(locale))
    if said:
        return said[0 if key == "am" else 1]
    periods = _locale(locale).day_periods
    return periods["format"]["abbreviated"].get(key) or periods["format"]["wide"][key]


@lru_cache(maxsize=1024)
def time(locale: str, hour: int, minute: int = 0, *, plain: bool = False) -> str:
    """A clock time as said aloud: "9:30 p.m.", "9 p.m.", "21:30 Uhr", "21 h 30", "21h30"."""
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {hour}:{minute}")
    twelve, period_first = _clock(locale)
    if twelve:
        h = hour % 12 or 12
        core = f"{h}" if minute == 0 else f"{h}:{minute:02d}"
        if plain:
            return core
        period = _day_period(locale, hour)
        return f"{period} {core}" if period_first else f"{core} {period}"
    with_minutes, on_the_hour = _SPOKEN_24H.get(_language(locale), _SPOKEN_24H_DEFAULT)
    return (on_the_hour if minute == 0 else with_minutes).format(h=hour, mm=f"{minute:02d}")
