"""The month of nights (issue 22): the history screen's chart says what the spoken summary says.

``insights.chart`` and ``insights.answer`` are given the same stored items; every figure the
picture shows is checked against the words said (and carded) for that table: the count of the
last 30 days, where (by leg), the nights with a cramp of the last seven, the last cramp's date and
time, the bedtime-stretch nights. Then the drawing: one dot per cramp in its leg's colour, one
count per week, one dot per stretch night.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramp_helper import apl, insights, periods
from cramp_helper.content import load
from tools.apl_validate import LOCALES, sample_month

NY = ZoneInfo("America/New_York")
EN = load("en-US")
NOW = datetime(2026, 11, 23, 7, 30, tzinfo=NY)  # a Monday morning; en-US weeks start on Sunday


def cramp(local: datetime, side="LEFT", outcome="RELIEVED", muscle="CALF") -> dict:
    item = {"kind": "episode", "started_at": f"{local.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
            "local_time": local.isoformat(), "outcome": outcome, "muscle": muscle}
    if side:
        item["side"] = side
    return item


def stretched(local: datetime, completed=True) -> dict:
    return {"kind": "prevention", "started_at": f"{local.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
            "local_time": local.isoformat(), "routine": "BEDTIME", "completed": completed}


def card_line(answer: insights.Answer, prefix: str) -> str:
    [line] = [x for x in answer.card.text.split("\n") if x.startswith(prefix)]
    return line


def first_night(now: datetime):
    """The night the 30-day window begins in: 30 days of absolute time back, on the local clock."""
    began = now.astimezone(UTC) - timedelta(days=insights.CHART_DAYS)
    return periods.night_of(began.astimezone(now.tzinfo))


def when_of(chart: insights.Chart, mark: insights.Mark, now: datetime) -> datetime:
    """The local time a mark stands for, read back off the picture's axes."""
    first = first_night(now)
    evening = datetime.combine(first + timedelta(days=mark.night), datetime.min.time(), tzinfo=now.tzinfo)
    return evening + timedelta(minutes=round((12 + mark.hour) * 60))


# --- a table with something of everything ----------------------------------------------------------
def a_month():
    episodes = [
        cramp(datetime(2026, 11, 22, 3, 5, tzinfo=NY), "LEFT"),         # Saturday night
        cramp(datetime(2026, 11, 20, 2, 40, tzinfo=NY), "RIGHT"),
        cramp(datetime(2026, 11, 18, 23, 50, tzinfo=NY), "BOTH"),
        cramp(datetime(2026, 11, 17, 4, 15, tzinfo=NY), None),          # no side said
        cramp(datetime(2026, 11, 9, 3, 0, tzinfo=NY), "LEFT"),
        cramp(datetime(2026, 11, 2, 1, 30, tzinfo=NY), "LEFT"),
        cramp(datetime(2026, 10, 25, 3, 30, tzinfo=NY), "LEFT"),        # 29 days ago
        cramp(datetime(2026, 10, 20, 3, 30, tzinfo=NY), "LEFT"),        # before the window
        cramp(datetime(2026, 11, 19, 3, 0, tzinfo=NY), None, outcome="RED_FLAG"),  # a warning sign
    ]
    sessions = [stretched(datetime(2026, 11, day, 21, 30, tzinfo=NY)) for day in (16, 17, 19, 22)]
    sessions.append(stretched(datetime(2026, 11, 21, 21, 30, tzinfo=NY), completed=False))
    return episodes, sessions


def both(episodes, sessions, now=NOW, content=EN):
    said = insights.answer(content, insights.SUMMARY, episodes, sessions, now, NY)
    return said, insights.chart(content, episodes, sessions, now, NY)


def test_the_picture_counts_the_cramps_the_summary_says_and_leaves_out_the_warning_sign():
    said, chart = both(*a_month())
    assert "In the last 30 days you've had 7 cramps." in said.sentences
    assert chart.total == 7
    assert card_line(said, "Last 30 days") .endswith(": 7 cramps")


def test_each_leg_has_as_many_dots_as_the_card_says():
    said, chart = both(*a_month())
    where = card_line(said, "Where: ")  # "left calf (4), calf (2), right calf (1)"
    places = re.findall(r"([a-z ]+) \((\d+)\)", where[len("Where: "):])
    counted = {place.strip(): int(n) for place, n in places}
    by_side = {key: sum(1 for m in chart.marks if m.side == key) for key in insights.SIDE_KEYS}
    assert by_side == {"LEFT": counted["left calf"], "RIGHT": counted["right calf"], "OTHER": counted["calf"]}


def test_the_last_seven_columns_hold_the_cards_nights_with_a_cramp():
    said, chart = both(*a_month())
    nights = int(card_line(said, "Nights with a cramp, of the last 7").rsplit(" ", 1)[1])
    assert len({m.night for m in chart.marks if m.night >= chart.nights - 7}) == nights == 4
    assert chart.weeks[-1].nights == 7 and chart.weeks[-1].first == chart.nights - 7


def test_the_last_dot_is_the_last_cramp_the_card_names():
    said, chart = both(*a_month())
    last = max(chart.marks, key=lambda m: (m.night, m.hour))
    moment = when_of(chart, last, NOW)
    assert card_line(said, "Last cramp: ") == "Last cramp: Sunday, November 22 at 3:05 a.m., left calf"
    assert (moment.day, moment.hour, moment.minute) == (22, 3, 5) and last.side == "LEFT"


def test_stretch_nights_are_the_completed_sessions_and_this_weeks_agree_with_the_spoken_count():
    said, chart = both(*a_month())
    first = first_night(NOW)
    nights = sorted((first + timedelta(days=n)).day for n in chart.stretched)
    assert nights == [16, 17, 19, 22]  # the 21st was not finished
    week_began = periods.week_start(NOW.date(), EN.week_starts)  # Sunday the 22nd
    this_week = [n for n in chart.stretched if first + timedelta(days=n) >= week_began]
    assert "You did your bedtime stretches one night this week." in said.sentences and len(this_week) == 1


def test_weeks_are_seven_nights_back_from_last_night_and_count_every_dot_once():
    _, chart = both(*a_month())
    assert chart.nights == 31  # the 30 days up to now touch 31 nights: the first one in part
    columns = [n for week in chart.weeks for n in range(week.first, week.first + week.nights)]
    assert columns == list(range(chart.nights))
    assert [w.nights for w in chart.weeks] == [3, 7, 7, 7, 7]
    assert sum(w.count for w in chart.weeks) == chart.total
    assert [w.count for w in chart.weeks] == [1, 1, 1, 0, 4]
    assert [w.label for w in chart.weeks] == ["Oct 23", "Oct 26", "Nov 2", "Nov 9", "Nov 16"]


def test_a_three_am_cramp_is_drawn_in_the_night_before_low_in_its_column():
    _, chart = both([cramp(datetime(2026, 11, 23, 3, 0, tzinfo=NY))], [])
    [mark] = chart.marks
    assert mark.night == chart.nights - 1  # Monday 3 a.m.: last night, Sunday the 22nd's
    assert mark.hour == 15.0  # 15 hours after Sunday noon: low in the column, below midnight


def test_an_empty_month_is_an_empty_chart_with_its_words():
    said, chart = both([], [])
    assert chart.total == 0 and not chart.stretched and all(w.count == 0 for w in chart.weeks)
    assert chart.words["title"] == "Last 30 days" and chart.words["ticks"] == ["6 p.m.", "midnight", "6 a.m."]
    assert said.sentences[0].startswith("You haven't logged any cramps")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_labels_the_chart_in_its_own_words(locale):
    content = load(locale)
    chart = insights.chart(content, *sample_month(), NOW, NY)
    words = chart.words
    assert set(words["legend"]) == set(insights.SIDE_KEYS) and all(words["legend"].values())
    assert len(words["ticks"]) == 3 and all(words["ticks"])
    assert chart.total == 14 and "14" in words["label"] and "{" not in words["label"]
    assert words["title"] == content.section("chart")["title"].format(days=30)


# --- any table: the agreement holds -----------------------------------------------------------
moments = st.datetimes(min_value=datetime(2026, 9, 1), max_value=datetime(2026, 11, 23, 7, 29))
sides = st.sampled_from(["LEFT", "RIGHT", "BOTH", None])
outcomes = st.sampled_from(["RELIEVED", "RELIEVED", None, "RED_FLAG"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(moments, sides, outcomes), max_size=40),
       st.lists(moments, max_size=12), st.sampled_from(["en-US", "de-DE", "fr-FR", "pt-BR"]))
def test_for_any_table_the_picture_and_the_words_agree(rows, stretch_times, locale):
    content = load(locale)
    episodes = [cramp(t.replace(tzinfo=NY), side, outcome) for t, side, outcome in rows]
    sessions = [stretched(t.replace(tzinfo=NY)) for t in stretch_times]
    said, chart = both(episodes, sessions, NOW, content)
    assert insights.answer_and_chart(content, insights.SUMMARY, episodes, sessions, NOW, NY) == (said, chart)
    words = insights.Words(content)
    cramps = periods.cramps(periods.episodes_in(episodes, NY))
    spoken_count = periods.rolling_counts(cramps, NOW).this_period
    assert chart.total == spoken_count
    if spoken_count:
        assert words["summary"].format(days=30, count=words.count(spoken_count)) in said.sentences
    assert sum(w.count for w in chart.weeks) == chart.total
    last7 = len({m.night for m in chart.marks if m.night >= chart.nights - 7})
    assert last7 == periods.nights_disturbed(cramps, NOW)
    if chart.marks:
        last = max(chart.marks, key=lambda m: (m.night, m.hour))
        moment = when_of(chart, last, NOW)
        truth = [e for e in cramps if e.start <= NOW][-1].start
        assert (moment.date(), moment.hour, moment.minute) == (truth.date(), truth.hour, truth.minute)
    graphic = apl.chart_graphic(chart)
    drawn = sum(item["pathData"].count("M") for item in graphic["items"]
                if item.get("stroke", "").removeprefix("${").removesuffix("}") in
                ("leftColor", "rightColor", "otherColor"))
    assert drawn == chart.total


# --- the drawing ----------------------------------------------------------------------------------
def test_the_drawing_has_a_dot_per_cramp_in_its_legs_colour_a_count_per_week_and_a_dot_per_stretch():
    _, chart = both(*a_month())
    graphic = apl.chart_graphic(chart)
    by_colour = {item["stroke"]: item["pathData"].count("M") for item in graphic["items"]
                 if item.get("strokeLineCap") == "round"}
    assert by_colour == {"${leftColor}": 4, "${rightColor}": 1, "${otherColor}": 2, "${stretchColor}": 4}
    counts = [item["text"] for item in graphic["items"] if item["type"] == "text"]
    assert counts == [str(w.count) for w in chart.weeks]
    directive = apl.history("Leg cramp summary", ["Last 30 days: 7 cramps"], chart=chart)
    shown = directive["datasources"]["screen"]["chart"]
    assert shown["shown"] and shown["total"] == 7 and shown["ticks"] == ["6 p.m.", "midnight", "6 a.m."]
    assert [entry["key"] for entry in shown["legend"]] == ["LEFT", "RIGHT", "OTHER", "STRETCH"]
    assert directive["document"]["graphics"]["chart"] == graphic


def test_a_screen_without_a_chart_says_so_and_carries_no_graphic():
    directive = apl.history("Leg cramp summary", ["Sorry"])
    assert directive["datasources"]["screen"]["chart"] == {"shown": False}
    assert "chart" not in directive["document"]["graphics"]
