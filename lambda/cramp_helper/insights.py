"""History answers in words, pure: what to say, and the card, for a question about past cramps.

One entry point, ``answer(content, question, episodes, sessions, now, zone, period)``:
``episodes`` are the user's stored episode items and ``sessions`` their stored bedtime-stretch
(prevention) items, as the repository returns them (dicts, any order; the caller splits them by
kind, so storage keys stay in the repository). ``now`` is aware and local; ``zone`` is the
device zone, or None when it is unknown. No Alexa or AWS types here: the handler queries the
table, calls ``answer`` and speaks the sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple

from . import history

COUNT = "COUNT"
LAST = "LAST"
COMMON = "COMMON"
SUMMARY = "SUMMARY"
QUESTIONS = (COUNT, LAST, COMMON, SUMMARY)


class Card(NamedTuple):
    """A card for the Alexa app: a (title, text) pair."""

    title: str
    text: str


@dataclass(frozen=True)
class Answer:
    sentences: list[str] = field(default_factory=list)
    card: Card | None = None


class Words:
    """The history section of the content, with the small formatting helpers it needs."""

    def __init__(self, content):
        self.h = content.section("history")

    def count(self, n: int) -> str:
        if n == 0:
            return self.h["count_zero"]
        return self.h["count_one"] if n == 1 else self.h["count_many"].format(n=n)

    def nights(self, n: int) -> str:
        return self.h["nights_one"] if n == 1 else self.h["nights_many"].format(n=n)

    def hour(self, hour: int) -> str:
        hours = self.h["hours"]
        if str(hour) in hours:
            return hours[str(hour)]
        twelve = hour % 12 or 12
        return hours["am" if hour < 12 else "pm"].format(h=twelve)

    def when(self, moment: datetime, now: datetime) -> str:
        key, values = history.relative_day(moment, now)
        return self.h["when"][key].format(hour=self.hour(history.round_hour(moment)), **values)

    def where(self, muscle: str | None, side: str | None) -> str | None:
        name = self.h["muscle_names"].get(muscle or "")
        if not name:
            return None
        if side in ("LEFT", "RIGHT"):
            return f"{side.lower()} {name}"
        return name


def unavailable(content) -> Answer:
    """The history could not be read."""
    return Answer([Words(content).h["unavailable"]])


def answer(content, question: str, episodes: list[dict], sessions: list[dict], now: datetime,
           zone: tzinfo | None, period: str | None = None) -> Answer:
    """What to say (and show) for one history question; ``period`` is WEEK, MONTH or None."""
    if question not in QUESTIONS:
        raise ValueError(f"unknown history question {question!r}")
    words = Words(content)
    cramps = history.episodes_in(episodes, zone)
    stretches = history.episodes_in([s for s in sessions if s.get("completed")], zone)
    nights = history.week_nights(stretches, now, content.week_starts)
    if not cramps and nights and question in (COUNT, SUMMARY):
        return Answer([words.h["none"],
                       words.h["prevention_week"].format(nights=words.nights(nights))])
    if not cramps:
        return Answer([words.h["none"]])
    sentences, card = {
        COUNT: lambda: count_answer(words, cramps, now, content.week_starts, period),
        LAST: lambda: last_answer(words, cramps, now),
        COMMON: lambda: common_answer(words, cramps),
        SUMMARY: lambda: summary_answer(words, cramps, now, period),
    }[question]()
    if nights and question in (COUNT, SUMMARY):
        sentences.append(words.h["prevention_week"].format(nights=words.nights(nights)))
        if card:
            card = card.replace(words.h["card_footer"], words.h["card_prevention"].format(
                nights=nights) + "\n" + words.h["card_footer"])
    if question != LAST and history.needs_professional(cramps, now):
        sentences.append(words.h["see_professional"])
    if card:
        sentences.append(words.h["card_sent"])
    return Answer(sentences, Card(words.h["card_title"], card) if card else None)


def count_answer(words, episodes, now, first_weekday, period_id):
    out = []
    if period_id in (None, "WEEK"):
        week = history.week_counts(episodes, now, first_weekday)
        out.append(words.h["week"].format(count=words.count(week.this_period),
                                          previous=words.count(week.previous_period)))
    if period_id in (None, "MONTH"):
        month = history.month_counts(episodes, now)
        out.append(words.h["month"].format(count=words.count(month.this_period),
                                           previous=words.count(month.previous_period)))
    return out, None


def last_answer(words, episodes, now):
    last = episodes[-1]
    where = words.where(last.muscle, last.side)
    when = words.when(last.start, now)
    if where:
        return [words.h["last"].format(when=when, where=where)], None
    return [words.h["last_nowhere"].format(when=when)], None


def common_answer(words, episodes):
    out = []
    muscle = history.most_common([e.muscle for e in episodes])
    side = history.most_common([e.side for e in episodes if e.side in ("LEFT", "RIGHT")])
    where = words.where(muscle, None)
    if where:
        out.append(words.h["common"].format(where=where))
    if side:
        out.append(words.h["common_side"].format(side=side.lower()))
    return out or [words.h["none"]], None


def summary_answer(words, episodes, now, period_id):
    days = 7 if period_id == "WEEK" else history.WINDOW_DAYS
    counts = history.rolling_counts(episodes, now, days)
    recent = [e for e in episodes if e.start >= now.astimezone(UTC) - timedelta(days=days)]
    if not recent:
        out = [words.h["none_recent"].format(days=days)]
    else:
        out = [words.h["summary"].format(days=days, count=words.count(counts.this_period)),
               words.h[f"trend_{history.trend(counts)}"].format(days=days)]
        muscle = history.most_common([e.muscle for e in recent])
        side = history.most_common([e.side for e in recent if e.side in ("LEFT", "RIGHT")])
        where = words.where(muscle, side)
        if where and len(recent) > 1:  # "most of" one cramp is no pattern
            out.append(words.h["common"].format(where=where))
        hour = history.typical_hour(recent)
        if hour is not None and len(recent) > 1:
            out.append(words.h["typical_hour"].format(hour=words.hour(hour)))
        out.append(words.h["last"].format(when=words.when(recent[-1].start, now),
                                          where=words.where(recent[-1].muscle, recent[-1].side)
                                          or words.h["muscle_names"]["LEG"]))
    return out, summary_card(words, episodes, recent, counts, days, now)


def summary_card(words, episodes, recent, counts, days, now) -> str:
    h = words.h
    lines = [h["card_period"].format(days=days, date=now.strftime("%b %d, %Y"),
                                     count=counts.this_period, previous=counts.previous_period),
             h["card_nights"].format(nights=history.nights_disturbed(episodes, now))]
    if recent:
        places = {}
        for e in recent:
            where = words.where(e.muscle, e.side) or h["muscle_names"]["LEG"]
            places[where] = places.get(where, 0) + 1
        ranked = sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append(h["card_where"].format(where=", ".join(f"{w} ({n})" for w, n in ranked)))
        hour = history.typical_hour(recent)
        if hour is not None:
            lines.append(h["card_time"].format(hour=words.hour(hour)))
        relieved = sum(1 for e in recent if e.outcome == "RELIEVED")
        lines.append(h["card_outcomes"].format(relieved=relieved, total=len(recent)))
        red = sum(1 for e in recent if e.outcome == "RED_FLAG")
        if red:
            lines.append(h["card_red_flags"].format(count=red))
        last = recent[-1]
        lines.append(h["card_last"].format(date=last.start.strftime("%a %b %d"),
                                           time=last.start.strftime("%I:%M %p").lstrip("0"),
                                           where=words.where(last.muscle, last.side)
                                           or h["muscle_names"]["LEG"]))
    if history.needs_professional(episodes, now):
        lines.append(h["card_flag"])
    lines.append(h["card_footer"])
    return "\n".join(lines)
