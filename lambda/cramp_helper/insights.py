"""History answers in words, pure: what to say, and the card, for a question about past cramps.

One entry point::

    answer(content, question, episodes, sessions, now, zone, period=None) -> Answer

- ``question``: COUNT ("how many cramps this week?"), LAST ("when was my last cramp?"),
  COMMON ("which leg cramps most?") or SUMMARY ("how have my cramps been?").
- ``episodes``: ALL of the user's stored episode items (sk ``EP#...``), and ``sessions``: all of
  their bedtime-stretch items (sk ``PS#...``), as the repository returns them: dicts, any order.
  The caller splits the two kinds, so storage keys stay in the repository; nothing here looks at
  ``sk``. "All" matters: whether anything was stored before a period decides whether a
  comparison ("more than the 30 days before") means anything, and the last cramp may be older
  than a later warning sign.
- ``now``: aware, in the user's local time; ``zone``: the device zone, or None when unknown
  (each item's recorded offset is used then).
- ``period``: "WEEK", "MONTH" or None (the Period slot id).

``Answer.sentences`` are spoken in order; ``Answer.card`` is a (title, text) pair or None.

For an Echo Show, ``chart(content, episodes, sessions, now, zone)`` is the same month as a picture
(the summary's window and cramps, night by night), and ``answer_and_chart`` gives both from one
reading of the items; apl.py draws it.

Rules that keep the history truthful:
- An episode that ended as a red flag is a warning sign, not a cramp: it never counts in counts,
  the last cramp, the common place, nights disturbed, the frequency flag, the trend or the usual
  time. The summary and its card mention warning signs separately, with where to get care.
- "Most", "usually" and "more often" only when they are true: more than half (and at least two)
  for "most" and "usually", strictly more for "more often".
- A comparison with an earlier period only when something (a cramp, a warning sign or a bedtime
  session) was stored before the period began; otherwise there is nothing earlier to compare with.
- Every sentence and card line is tidied once, here, so an hour that ends in "a.m." never makes
  "a.m.." whatever template it lands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from . import cldr, periods  # cldr imports Babel only when it formats

COUNT = "COUNT"
LAST = "LAST"
COMMON = "COMMON"
SUMMARY = "SUMMARY"
QUESTIONS = (COUNT, LAST, COMMON, SUMMARY)
WEEK = "WEEK"
MONTH = "MONTH"
LEFT_RIGHT = ("LEFT", "RIGHT")


class Card(NamedTuple):
    """A card for the Alexa app: a (title, text) pair."""

    title: str
    text: str


@dataclass(frozen=True)
class Answer:
    sentences: list[str] = field(default_factory=list)
    card: Card | None = None


# --- the one tidy step ----------------------------------------------------------------------
_REPEATED_STOP = re.compile(r"([.!?])(?:\s*\.)+")  # "3 a.m.." or "a.m. ." -> "3 a.m."
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?])")  # "calf ." -> "calf."
_COMMA_THEN_STOP = re.compile(r"[,;:]+\s*([.!?])")  # "calf,." -> "calf."
_REPEATED_COMMA = re.compile(r"([,;:])(?:\s*[,;:])+")  # ",," -> ","
_SPACES = re.compile(r"[ \t]{2,}")


# Anything the patterns above would change: most sentences have none, and are only stripped.
_UNTIDY = re.compile(r"[.!?,;:]\s*[.!?,;:]|\s[.,;:!?]|[ \t]{2}")


def tidy(text: str) -> str:
    """One sentence (or card line) with its punctuation as a person would write it."""
    if not _UNTIDY.search(text):
        return text.strip()
    for pattern, repl in ((_REPEATED_STOP, r"\1"), (_SPACE_BEFORE, r"\1"),
                          (_COMMA_THEN_STOP, r"\1"), (_REPEATED_COMMA, r"\1"), (_SPACES, " ")):
        text = pattern.sub(repl, text)
    return text.strip()


# --- words ------------------------------------------------------------------------------------
class Words:
    """The history section of the content, and the small helpers that fill it.

    Counts, names, dates and times come from CLDR through ``spoken`` (Babel, imported on the first
    history answer, never on the cramp path), in the content's speech locale. The content gives
    the words around them: plural forms per CLDR category (``cramps``, ``nights``, ``times``),
    ``hours`` for hours it names ("midnight"), and optionally ``weekdays``/``months`` to override
    CLDR's names."""

    def __init__(self, content):
        self.h = content.section("history")
        self.emergency = content.emergency_number
        self.locale = getattr(content, "speech_locale", None) or content.locale
        self.sides = content.data.get("sides", {})
        self._wheres: dict[tuple, str | None] = {}  # where's answers, one answer's worth

    def __getitem__(self, key: str) -> str:
        return self.h[key]

    def _count(self, key: str, n: int) -> str:
        return cldr.count(self.locale, n, self.h[key])

    def count(self, n: int) -> str:
        return self._count("cramps", n)

    def nights(self, n: int) -> str:
        return self._count("nights", n)

    def times(self, n: int) -> str:
        return self._count("times", n)

    def hour(self, hour: int) -> str:
        """ "3 a.m.", or the content's word for that hour ("midnight")."""
        named = self.h.get("hours", {}).get(str(hour))
        return named if named else cldr.time(self.locale, hour, 0)

    def clock(self, moment: datetime) -> str:
        """ "3:02 a.m.": the card's time (CLDR through spoken, not strftime, whose names follow
        the platform)."""
        return cldr.time(self.locale, moment.hour, moment.minute)

    def _names(self) -> dict:
        return {k: self.h[k] for k in ("weekdays", "months") if self.h.get(k)}

    def weekday(self, index: int) -> str:
        names = self.h.get("weekdays")
        return names[index] if names else cldr.weekday(self.locale, index)

    def month(self, number: int) -> str:
        names = self.h.get("months")
        return names[number - 1] if names else cldr.month(self.locale, number)

    def date(self, day: date) -> str:
        return cldr.date(self.locale, day, names=self._names())

    def date_year(self, day: date) -> str:
        return cldr.date(self.locale, day, year=True, names=self._names())

    def when_key(self, key: str, hour: int, weekday: int, month: int, day: int) -> str:
        """The words for one ``periods.relative_day`` key at a (rounded) hour."""
        return self.h["when"][key].format(hour=self.hour(hour), weekday=self.weekday(weekday),
                                          month=self.month(month), day=day)

    def when(self, moment: datetime, now: datetime) -> str:
        key, values = periods.relative_day(moment, now)
        return self.when_key(key, periods.round_hour(moment), **values)

    def side(self, side: str) -> str:
        return self.sides.get(side) or side.lower()

    def where(self, muscle: str | None, side: str | None) -> str | None:
        """ "left calf": the content's muscle name, with the side where one was said. A name may be
        a string (the side goes by ``where_side``, default "{side} {muscle}") or, for languages
        whose side word agrees with the muscle, a dict {"none": ..., "LEFT": ..., "RIGHT": ...}."""
        try:
            return self._wheres[muscle, side]
        except KeyError:  # worked out once an answer: a month of cramps names a few places
            found = self._wheres[muscle, side] = self._where(muscle, side)
            return found
        except TypeError:  # a stored value no key can hold: worked out, not kept
            return self._where(muscle, side)

    def _where(self, muscle: str | None, side: str | None) -> str | None:
        name = self.h["muscle_names"].get(muscle or "")
        if not name:
            return None
        if isinstance(name, dict):
            return name.get(side) if side in LEFT_RIGHT and name.get(side) else name.get("none")
        if side in LEFT_RIGHT:
            return self.h.get("where_side", "{side} {muscle}").format(side=self.side(side), muscle=name)
        return name

    def where_or_leg(self, muscle: str | None, side: str | None) -> str:
        return self.where(muscle, side) or self.where("LEG", side) or self.where("LEG", None)


# --- the entry points --------------------------------------------------------------------------
def unavailable(content) -> Answer:
    """The history could not be read (no table, or the table failed)."""
    return Answer([Words(content)["unavailable"]])


def answer(content, question: str, episodes: list[dict], sessions: list[dict], now: datetime,
           zone: tzinfo | None, period: str | None = None) -> Answer:
    """What to say (and show) for one history question. See the module docstring."""
    _check(question, now)
    return _answer(_Facts(content, episodes, sessions, now, zone), question, period)


def answer_and_chart(content, question: str, episodes: list[dict], sessions: list[dict], now: datetime,
                     zone: tzinfo | None, period: str | None = None) -> tuple[Answer, Chart]:
    """``answer`` and ``chart`` of the same items, read once: an answer on a screen."""
    _check(question, now)
    facts = _Facts(content, episodes, sessions, now, zone)
    return _answer(facts, question, period), _chart(facts)


def _check(question: str, now: datetime) -> None:
    if question not in QUESTIONS:
        raise ValueError(f"unknown history question {question!r}")
    if now.tzinfo is None:
        raise ValueError("now must be aware (local time)")


def _answer(facts: _Facts, question: str, period: str | None) -> Answer:
    if period not in (WEEK, MONTH):
        period = None  # a period id the model may add later: answer as if none was said
    compose = {COUNT: _count, LAST: _last, COMMON: _common, SUMMARY: _summary}[question]
    sentences, card_lines = compose(facts, period)
    card = None
    if card_lines:
        card = Card(facts.words["card_title"], "\n".join(tidy(line) for line in card_lines))
    return Answer([tidy(s) for s in sentences if s], card)


class _Facts:
    """What every answer draws on, read once from the stored items."""

    def __init__(self, content, episodes, sessions, now, zone):
        self.words = Words(content)
        self.now = now
        self.first_weekday = content.week_starts
        everything = periods.episodes_in(episodes, zone)
        self.cramps = periods.cramps(everything)
        self.warnings = periods.warning_signs(everything)
        read_sessions = periods.read_in(sessions, zone)  # each read once: all, then the completed
        starts = [e.start for e in everything] + [s.start for _, s in read_sessions]
        self.first_stored = min(starts) if starts else None
        self.content = content
        self._professional: bool | None = None
        self._rolling: periods.PeriodCount | None = None
        self.completed = [s for item, s in read_sessions if item.get("completed")]
        self.stretch_nights = periods.week_nights(self.completed, now, content.week_starts)

    def stored_before(self, moment: datetime) -> bool:
        """Was anything stored before ``moment``? If not, there is no earlier period to compare."""
        return self.first_stored is not None and self.first_stored < moment

    def rolling(self) -> periods.PeriodCount:
        """The cramps of the last 30 days and the 30 before (the summary's and the professional
        check's), counted once."""
        if self._rolling is None:
            self._rolling = periods.rolling_counts(self.cramps, self.now)
        return self._rolling

    def needs_professional(self) -> bool:
        if self._professional is None:  # asked by a sentence and by the card: worked out once
            self._professional = periods.needs_professional(self.cramps, self.now, self.rolling())
        return self._professional


def _midnight(day: date, zone) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


# --- the four questions ------------------------------------------------------------------------
def _count(facts: _Facts, period: str | None):
    w, now = facts.words, facts.now
    if not facts.cramps:
        return [w["none"], _stretch_sentence(facts)], None
    out = []
    if period in (None, WEEK):
        week = periods.week_counts(facts.cramps, now, facts.first_weekday)
        began = _midnight(periods.week_start(now.date(), facts.first_weekday), now.tzinfo)
        out.append(_compare(facts, "week", week, began))
    if period in (None, MONTH):
        month = periods.month_counts(facts.cramps, now)
        began = _midnight(periods.month_start(now.date()), now.tzinfo)
        out.append(_compare(facts, "month", month, began))
    out.append(_stretch_sentence(facts))
    if facts.needs_professional():
        out.append(w["see_professional"])
    return out, None


def _compare(facts: _Facts, key: str, counts: periods.PeriodCount, began: datetime) -> str:
    w = facts.words
    if facts.stored_before(began):
        return w[key].format(count=w.count(counts.this_period), previous=w.count(counts.previous_period))
    return w[f"{key}_alone"].format(count=w.count(counts.this_period))


def _last(facts: _Facts, period: str | None):
    w = facts.words
    if not facts.cramps:
        return [w["none"]], None
    last = facts.cramps[-1]
    where = w.where(last.muscle, last.side)
    when = w.when(last.start, facts.now)
    if where:
        return [w["last"].format(when=when, where=where)], None
    return [w["last_nowhere"].format(when=when)], None


def _common(facts: _Facts, period: str | None):
    w, cramps = facts.words, facts.cramps
    if not cramps:
        return [w["none"]], None
    if len(cramps) == 1:
        return [w["common_single"].format(where=w.where_or_leg(cramps[0].muscle, cramps[0].side))], None
    out = []
    muscles = [e.muscle if w.where(e.muscle, None) else None for e in cramps]
    most = periods.majority(muscles)
    top = periods.leader(muscles)
    if most:
        out.append(w["common"].format(where=w.where(most, None)))
    elif top:
        out.append(w["common_top"].format(where=w.where(top, None)))
    else:
        out.append(w["common_mixed"])
    side = periods.leader([e.side for e in cramps if e.side in LEFT_RIGHT])
    if side:
        out.append(w["common_side"].format(side=w.side(side)))
    if facts.needs_professional():
        out.append(w["see_professional"])
    return out, None


def _most_places(w: Words, cramps: list[periods.Episode]) -> str | None:
    """"left calf" when most cramps were in the left calf, "calf" when most were in a calf."""
    def known(e: periods.Episode) -> bool:
        return w.where(e.muscle, None) is not None

    pair = periods.majority([(e.muscle, e.side) if known(e) else None for e in cramps])
    if pair:
        return w.where(*pair)
    muscle = periods.majority([e.muscle if known(e) else None for e in cramps])
    return w.where(muscle, None) if muscle else None


def _summary(facts: _Facts, period: str | None):
    w, now = facts.words, facts.now
    days = 7 if period == WEEK else periods.WINDOW_DAYS
    window_start = now.astimezone(UTC) - timedelta(days=days)
    counts = (facts.rolling() if days == periods.WINDOW_DAYS
              else periods.rolling_counts(facts.cramps, now, days))
    since, until = window_start.timestamp(), now.timestamp()
    recent = [e for e in facts.cramps if e.at >= since]
    warnings = [e for e in facts.warnings if since <= e.at <= until]
    hour = periods.typical_hour(recent)  # said and on the card: None for fewer than two cramps
    if not facts.cramps and not warnings:
        return [w["none"], _stretch_sentence(facts)], None
    out = []
    if not facts.cramps:
        out.append(w["none"])
    elif not recent:
        out.append(w["none_recent"].format(days=days))
    else:
        out.append(w["summary"].format(days=days, count=w.count(counts.this_period)))
        if facts.stored_before(window_start):
            out.append(w[f"trend_{periods.trend(counts)}"].format(days=days))
        else:
            out.append(w["trend_NONE"])
        if len(recent) > 1:  # "most of" one cramp is no pattern
            where = _most_places(w, recent)
            if where:
                out.append(w["common"].format(where=where))
            if hour is not None:
                out.append(w["typical_hour"].format(hour=w.hour(hour)))
        last = recent[-1]
        out.append(w["last"].format(when=w.when(last.start, now),
                                    where=w.where_or_leg(last.muscle, last.side)))
    if warnings:
        out.append(w["red_flags"].format(times=w.times(len(warnings)), emergency=w.emergency))
    out.append(_stretch_sentence(facts))
    if facts.needs_professional():
        out.append(w["see_professional"])
    out.append(w["card_sent"])
    return out, _summary_card(facts, days, counts, recent, warnings, window_start, hour)


def _stretch_sentence(facts: _Facts) -> str | None:
    if not facts.stretch_nights:
        return None
    return facts.words["prevention_week"].format(nights=facts.words.nights(facts.stretch_nights))


def _summary_card(facts: _Facts, days, counts, recent, warnings, window_start, hour) -> list[str]:
    w, now = facts.words, facts.now
    lines = [w["card_period"].format(days=days, date=w.date_year(now.date()),
                                     count=w.count(counts.this_period))]
    if facts.stored_before(window_start):
        lines.append(w["card_previous"].format(days=days, count=w.count(counts.previous_period)))
    else:
        lines.append(w["card_previous_none"].format(days=days))
    lines.append(w["card_nights"].format(nights=periods.nights_disturbed(facts.cramps, now)))
    if recent:
        places: dict[str, int] = {}
        for e in recent:
            where = w.where_or_leg(e.muscle, e.side)
            places[where] = places.get(where, 0) + 1
        ranked = sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append(w["card_where"].format(where=", ".join(f"{p} ({n})" for p, n in ranked)))
        if hour is not None:
            lines.append(w["card_time"].format(hour=w.hour(hour)))
        elif len(recent) > 1:
            lines.append(w["card_time_varied"])
        relieved = sum(1 for e in recent if e.outcome == "RELIEVED")
        lines.append(w["card_outcomes"].format(relieved=relieved, total=len(recent)))
        last = recent[-1]
        lines.append(w["card_last"].format(date=w.date(last.start.date()), time=w.clock(last.start),
                                           where=w.where_or_leg(last.muscle, last.side)))
    if warnings:
        lines.append(w["card_red_flags"].format(times=w.times(len(warnings)),
                                                date=w.date(warnings[-1].start.date())))
    if facts.stretch_nights:
        lines.append(w["card_prevention"].format(nights=w.nights(facts.stretch_nights)))
    if facts.needs_professional():
        lines.append(w["card_flag"])
    lines.append(w["card_footer"])
    return lines


# --- the month of nights as a picture (issue 22) ----------------------------------------------
CHART_DAYS = periods.WINDOW_DAYS
WEEK_NIGHTS = 7
SIDE_KEYS = ("LEFT", "RIGHT", "OTHER")  # a mark's colour: the left leg, the right, both or not said
TICK_HOURS = (18, 0, 6)  # the hours the chart's time axis names (6 p.m., midnight, 6 a.m.)


class Mark(NamedTuple):  # a NamedTuple, not a frozen dataclass: a month makes dozens a chart
    """One cramp: its night (column 0 is the oldest), hours after noon of that night's evening
    (0 = noon, 12 = midnight, so a night reads top to bottom), and which leg (SIDE_KEYS)."""

    night: int
    hour: float
    side: str


class Week(NamedTuple):
    """A run of seven nights (the oldest run may be shorter): its first column, how many nights,
    the cramps in it, and the date its first night began ("Nov 16")."""

    first: int
    nights: int
    count: int
    label: str


@dataclass(frozen=True)
class Chart:
    """The last 30 days as a chart: one column per night the window touches (the window is the
    spoken summary's: the 30 days up to now, so its first night is usually a partial one), the
    cramps as marks, seven-night weeks counted from last night back, the nights with bedtime
    stretches, and the words it shows (content ``chart``, CLDR dates and hours)."""

    nights: int
    marks: tuple[Mark, ...]
    weeks: tuple[Week, ...]
    stretched: tuple[int, ...]
    words: dict

    @property
    def total(self) -> int:
        return len(self.marks)


def chart(content, episodes: list[dict], sessions: list[dict], now: datetime,
          zone: tzinfo | None) -> Chart:
    """The picture of the spoken summary: the same items, the same window, the same cramps.

    Every mark is one of the cramps the summary counts ("In the last 30 days you've had 12"):
    warning signs are not drawn, as they are not counted. Columns are nights as ``periods.night_of``
    has them (a 3 a.m. cramp belongs to the evening before), so the last seven columns hold the
    card's "nights with a cramp, of the last 7". Pure: no I/O, no Alexa types.
    """
    if now.tzinfo is None:
        raise ValueError("now must be aware (local time)")
    return _chart(_Facts(content, episodes, sessions, now, zone))


def _chart(facts: _Facts) -> Chart:
    w, now, content = facts.words, facts.now, facts.content
    window_start = now.astimezone(UTC) - timedelta(days=CHART_DAYS)
    first_night = periods.night_of(window_start.astimezone(now.tzinfo))
    last_night = periods.night_of(now)
    nights = (last_night - first_night).days + 1

    def column(e: periods.Episode) -> int:
        return (e.night - first_night).days

    until = periods.just_after(now)  # periods.rolling_counts' window, so the counts agree
    recent = periods.between(facts.cramps, window_start, until)
    marks = tuple(Mark(column(e), _hours_after_noon(e.start),
                       e.side if e.side in LEFT_RIGHT else "OTHER") for e in recent)
    weeks = []
    end = nights
    while end > 0:
        first = max(0, end - WEEK_NIGHTS)
        count = sum(1 for m in marks if first <= m.night < end)
        weeks.append(Week(first, end - first, count, _short_date(w, first_night + timedelta(days=first))))
        end = first
    stretched = tuple(sorted({column(s) for s in periods.between(facts.completed, window_start, until)}))
    c = content.section("chart")
    words = {
        "title": c["title"].format(days=CHART_DAYS),
        "legend": {key: c["legend"][key] for key in SIDE_KEYS},
        "stretches": c["stretches"],
        "weeks": c["weeks"],
        "ticks": [c.get("hours", {}).get(str(hour)) or _clock_hour(w, hour) for hour in TICK_HOURS],
        "first": _short_date(w, first_night),
        "last": _short_date(w, last_night),
        "label": tidy(c["label"].format(count=w.count(len(marks)), days=CHART_DAYS)),
    }
    return Chart(nights, marks, tuple(reversed(weeks)), stretched, words)


def _hours_after_noon(moment: datetime) -> float:
    # wall-clock, as night_of: the night's own hours (the hour twelve hours earlier, its minutes)
    return (moment.hour - 12) % 24 + moment.minute / 60


def _clock_hour(w: Words, hour: int) -> str:
    return cldr.time(w.locale, hour, 0)


def _short_date(w: Words, day: date) -> str:
    return cldr.short_date(w.locale, day)
