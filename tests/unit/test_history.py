"""History arithmetic: calendar boundaries in the user's time zone, DST, trends and the flag."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cramp_helper import periods

NY = ZoneInfo("America/New_York")
UTC = UTC
SUNDAY = 6


def stored(local: datetime, muscle="CALF", side="LEFT", outcome="RELIEVED") -> dict:
    return {"started_at": local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "local_time": local.isoformat(), "muscle": muscle, "side": side, "outcome": outcome}


def eps(*locals_, zone=NY):
    return periods.episodes_in([stored(t) for t in locals_], zone)


def test_a_late_cramp_on_the_last_day_of_the_month_counts_in_that_month_locally():
    # 23:30 on 31 October in New York is already 1 November in UTC.
    cramp = datetime(2026, 10, 31, 23, 30, tzinfo=NY)
    now = datetime(2026, 11, 2, 9, 0, tzinfo=NY)
    counts = periods.month_counts(eps(cramp), now)
    assert (counts.this_period, counts.previous_period) == (0, 1)


def test_weeks_start_on_the_locale_weekday():
    now = datetime(2026, 11, 24, 8, 0, tzinfo=NY)  # a Tuesday
    sat = datetime(2026, 11, 21, 23, 0, tzinfo=NY)
    sun = datetime(2026, 11, 22, 2, 0, tzinfo=NY)
    counts = periods.week_counts(eps(sat, sun), now, SUNDAY)
    assert (counts.this_period, counts.previous_period) == (1, 1)
    monday_weeks = periods.week_counts(eps(sat, sun), now, 0)
    assert (monday_weeks.this_period, monday_weeks.previous_period) == (0, 2)


def test_week_and_month_boundaries_across_the_daylight_saving_change():
    # Clocks went back at 2 a.m. on Sunday 1 November 2026 in New York.
    before = datetime(2026, 10, 31, 23, 50, tzinfo=NY)  # EDT, previous month and week
    during = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)  # the second 1:30, EST
    now = datetime(2026, 11, 1, 9, 0, tzinfo=NY)
    episodes = eps(before, during)
    assert [e.start.utcoffset() for e in episodes] == [timedelta(hours=-4), timedelta(hours=-5)]
    month = periods.month_counts(episodes, now)
    week = periods.week_counts(episodes, now, SUNDAY)
    assert (month.this_period, month.previous_period) == (1, 1)
    assert (week.this_period, week.previous_period) == (1, 1)


def test_a_cramp_in_the_repeated_hour_counts_when_asked_in_that_same_hour():
    """Asked at 1:40 a.m. the second time round (EST), about a cramp at 1:20 EST: it is in the
    last 30 days and this month (a second after 1:40 is 1:40:01 EST, not EDT, an hour earlier)."""
    cramp = datetime(2026, 11, 1, 1, 20, fold=1, tzinfo=NY)
    earlier = datetime(2026, 10, 28, 3, 0, tzinfo=NY)
    now = datetime(2026, 11, 1, 1, 40, fold=1, tzinfo=NY)
    episodes = eps(earlier, cramp)
    assert periods.rolling_counts(episodes, now).this_period == 2
    assert periods.month_counts(episodes, now).this_period == 1
    assert periods.week_counts(episodes, now, SUNDAY).this_period == 1


def test_the_same_utc_moment_lands_in_different_local_days():
    item = [stored(datetime(2026, 11, 1, 2, 30, tzinfo=UTC))]  # 1 Nov UTC
    tokyo = periods.episodes_in(item, ZoneInfo("Asia/Tokyo"))
    la = periods.episodes_in(item, ZoneInfo("America/Los_Angeles"))
    assert tokyo[0].start.day == 1 and la[0].start.day == 31


def test_without_a_zone_the_recorded_offset_is_used_then_utc():
    item = stored(datetime(2026, 11, 20, 3, 0, tzinfo=NY))
    assert periods.episodes_in([item], None)[0].start.hour == 3
    del item["local_time"]
    assert periods.episodes_in([item], None)[0].start.hour == 8


def test_a_three_am_cramp_belongs_to_the_night_before():
    assert periods.night_of(datetime(2026, 11, 23, 3, 0, tzinfo=NY)).day == 22
    assert periods.night_of(datetime(2026, 11, 22, 23, 0, tzinfo=NY)).day == 22


@pytest.mark.parametrize("cramp,key", [
    (datetime(2026, 11, 23, 3, 0), "last_night"),           # now is 8 a.m. the same day
    (datetime(2026, 11, 23, 6, 30), "this_morning"),
    (datetime(2026, 11, 22, 23, 10), "last_night"),
    (datetime(2026, 11, 22, 19, 0), "yesterday_evening"),
    (datetime(2026, 11, 22, 10, 0), "yesterday_morning"),
    (datetime(2026, 11, 22, 2, 0), "night_before_last"),
    (datetime(2026, 11, 19, 2, 0), "on_weekday_night"),     # early Thursday: Wednesday night
    (datetime(2026, 11, 19, 15, 0), "on_weekday"),
    (datetime(2026, 11, 2, 3, 0), "on_date"),
])
def test_relative_days_read_like_a_person_would_say_them(cramp, key):
    now = datetime(2026, 11, 23, 8, 0, tzinfo=NY)
    found, values = periods.relative_day(cramp.replace(tzinfo=NY), now)
    assert found == key
    if key == "on_weekday_night" and cramp.hour < 5:
        assert values["weekday"] == 2  # Wednesday (Monday is 0): the content names it


def test_trend_needs_a_real_difference():
    assert periods.trend(periods.PeriodCount(6, 2)) == "UP"
    assert periods.trend(periods.PeriodCount(3, 2)) == "SAME"
    assert periods.trend(periods.PeriodCount(1, 5)) == "DOWN"
    assert periods.trend(periods.PeriodCount(0, 0)) == "SAME"


def test_three_nights_in_seven_flags_a_professional():
    now = datetime(2026, 11, 23, 8, 0, tzinfo=NY)
    two = eps(datetime(2026, 11, 23, 3, 0, tzinfo=NY), datetime(2026, 11, 23, 4, 0, tzinfo=NY),
              datetime(2026, 11, 20, 2, 0, tzinfo=NY))
    assert periods.nights_disturbed(two, now) == 2 and not periods.needs_professional(two, now)
    three = eps(*[e.start for e in two], datetime(2026, 11, 17, 23, 0, tzinfo=NY))
    assert periods.nights_disturbed(three, now) == 3 and periods.needs_professional(three, now)
    old = eps(*[datetime(2026, 11, 10 - d, 3, 0, tzinfo=NY) for d in range(3)])
    assert not periods.needs_professional(old, now)


def test_a_rising_month_flags_a_professional_even_if_nights_are_spread():
    now = datetime(2026, 11, 23, 8, 0, tzinfo=NY)
    recent = [now - timedelta(days=d * 6) for d in range(5)]  # 5 in 30 days, one per ~week
    episodes = eps(*recent)
    assert periods.nights_disturbed(episodes, now) < 3
    assert periods.needs_professional(episodes, now)


def test_typical_hour_rounds_to_the_nearest_hour():
    episodes = eps(datetime(2026, 11, 20, 2, 40, tzinfo=NY), datetime(2026, 11, 21, 3, 10, tzinfo=NY),
                   datetime(2026, 11, 22, 23, 0, tzinfo=NY))
    assert periods.typical_hour(episodes) == 3


@pytest.mark.parametrize("hours,usual", [
    ((2, 3, 23), None),           # one cramp at each of three hours: no usual time
    ((3,), None),                 # one cramp is no habit
    ((3, 3), 3),
    ((3, 3, 1, 2), None),         # half is not most
    ((3, 3, 3, 1, 2), 3),
])
def test_a_usual_hour_needs_more_than_half_of_the_cramps_and_at_least_two(hours, usual):
    episodes = eps(*[datetime(2026, 11, 10 + n, h, 0, tzinfo=NY) for n, h in enumerate(hours)])
    assert periods.typical_hour(episodes) == usual


def test_majority_and_leader_say_most_and_more_only_when_true():
    assert periods.majority(["CALF", "CALF", "FOOT"]) == "CALF"
    assert periods.majority(["CALF", "FOOT"]) is None
    assert periods.majority(["CALF", None, None]) is None  # unknowns still count as cramps
    assert periods.leader(["CALF", "CALF", "FOOT", "THIGH", "TOES"]) == "CALF"
    assert periods.leader(["LEFT", "RIGHT"]) is None
    assert periods.leader([None, None]) is None


def test_a_red_flag_report_is_a_warning_sign_not_a_cramp():
    items = [stored(datetime(2026, 11, 20, 3, 0, tzinfo=NY)),
             stored(datetime(2026, 11, 21, 3, 0, tzinfo=NY), outcome="RED_FLAG"),
             stored(datetime(2026, 11, 22, 3, 0, tzinfo=NY), muscle=None, side=None, outcome="RED_FLAG"),
             stored(datetime(2026, 11, 22, 4, 0, tzinfo=NY), outcome=None)]  # still open: a cramp
    everything = periods.episodes_in(items, NY)
    assert [e.start.day for e in periods.cramps(everything)] == [20, 22]
    assert [e.start.day for e in periods.warning_signs(everything)] == [21, 22]


def test_unreadable_items_are_skipped_not_fatal():
    assert periods.episodes_in([{"started_at": "garbage"}, {}, {"started_at": None}], NY) == []


def test_the_last_30_days_are_30_days_of_real_time_across_a_dst_change():
    now = datetime(2026, 11, 23, 18, 0, tzinfo=NY)  # EST; 30 days earlier was EDT
    edge = (now.astimezone(UTC) - timedelta(days=30, minutes=30)).astimezone(NY)
    inside = (now.astimezone(UTC) - timedelta(days=29, hours=23)).astimezone(NY)
    counts = periods.rolling_counts(eps(edge, inside), now)
    assert (counts.this_period, counts.previous_period) == (1, 1)
