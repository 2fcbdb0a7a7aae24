"""History arithmetic, pure and language-free: counts, trends, usual hours, the frequency flag.

Input is a list of stored episodes (dicts with ``started_at`` in UTC and optional ``local_time``,
``muscle``, ``side``, ``outcome``), the time now, and the user's time zone. Calendar periods
(this week, this month) follow the user's local calendar, so a cramp at 11:30 p.m. on the last
day of the month counts in that month wherever UTC says it is, daylight saving included.

An episode that ended as a red flag is a warning sign the person reported, not a cramp: the
arithmetic that describes cramps is given ``cramps(...)`` only (insights.py does the split).
The words for all of this are in insights.py and the content file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

UTC = UTC
WINDOW_DAYS = 30
FLAG_NIGHTS = 3  # cramps on 3 or more of the last 7 nights: see a professional
FLAG_WINDOW_NIGHTS = 7
RED_FLAG = "RED_FLAG"  # the outcome episodes.py stores when a warning sign was reported


def parse_utc(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp)  # "...Z" is UTC (Python 3.11 reads it)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


class Episode(NamedTuple):
    start: datetime  # local, aware
    muscle: str | None
    side: str | None
    outcome: str | None
    at: float  # the instant in UTC seconds: a window is counted without comparing across zones
    night: date  # night_of(start)

    @property
    def is_cramp(self) -> bool:
        """A red-flag report is a warning sign, not a cramp, even when a muscle was named."""
        return self.outcome != RED_FLAG


def cramps(episodes: list[Episode]) -> list[Episode]:
    return [e for e in episodes if e.is_cramp]


def warning_signs(episodes: list[Episode]) -> list[Episode]:
    return [e for e in episodes if not e.is_cramp]


def episodes_in(items: list[dict], zone: tzinfo | None) -> list[Episode]:
    """Stored items as local-time episodes, oldest first; items it cannot read are skipped."""
    return [episode for _, episode in read_in(items, zone)]


def read_in(items: list[dict], zone: tzinfo | None) -> list[tuple[dict, Episode]]:
    """Each readable item beside its local-time episode, oldest first (``episodes_in``, for a
    caller that still needs a field of the item: a bedtime session's ``completed``)."""
    out = []
    for item in items:
        try:
            start = parse_utc(item["started_at"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if zone is not None:
            local = start.astimezone(zone)
        elif item.get("local_time"):
            # No zone this session: the offset recorded with the episode is the best we have.
            try:
                local = start.astimezone(datetime.fromisoformat(item["local_time"]).tzinfo)
            except (TypeError, ValueError):
                local = start
        else:
            local = start
        out.append((item, Episode(local, item.get("muscle"), item.get("side"), item.get("outcome"),
                                  start.timestamp(), night_of(local))))
    return sorted(out, key=lambda pair: pair[1].at)


def night_of(moment: datetime) -> date:
    """The date of the evening a night began: a 3 a.m. cramp belongs to the night before (the
    wall-clock date twelve hours earlier)."""
    return moment.date() if moment.hour >= 12 else moment.date() - _ONE_DAY


_ONE_DAY = timedelta(days=1)


def week_start(today: date, first_weekday: int) -> date:
    """``first_weekday``: 0 Monday ... 6 Sunday."""
    return today - timedelta(days=(today.weekday() - first_weekday) % 7)


def month_start(today: date) -> date:
    return today.replace(day=1)


def previous_month_start(today: date) -> date:
    return (month_start(today) - timedelta(days=1)).replace(day=1)


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def just_after(now: datetime) -> datetime:
    """A second after ``now``, in absolute time: wall-clock arithmetic would drop the fold of a
    repeated hour (1:40 a.m. the second time, as clocks go back), an hour earlier."""
    return now.astimezone(UTC) + timedelta(seconds=1)


def between(episodes: list[Episode], start: datetime, end: datetime) -> list[Episode]:
    """The episodes from ``start`` up to (not including) ``end``, by instant."""
    first, until = start.timestamp(), end.timestamp()
    return [e for e in episodes if first <= e.at < until]


def count_between(episodes: list[Episode], start: datetime, end: datetime) -> int:
    return len(between(episodes, start, end))


@dataclass(frozen=True)
class PeriodCount:
    this_period: int
    previous_period: int


def week_counts(episodes: list[Episode], now: datetime, first_weekday: int) -> PeriodCount:
    zone = now.tzinfo
    start = _midnight(week_start(now.date(), first_weekday), zone)
    previous = _midnight(week_start(now.date(), first_weekday) - timedelta(days=7), zone)
    return PeriodCount(count_between(episodes, start, just_after(now)),
                       count_between(episodes, previous, start))


def week_nights(sessions: list[Episode], now: datetime, first_weekday: int) -> int:
    """Distinct nights this calendar week with a session (bedtime stretches)."""
    start = _midnight(week_start(now.date(), first_weekday), now.tzinfo)
    return len({night_of(s.start) if s.start.hour < 12 else s.start.date()
                for s in sessions if start <= s.start <= now})


def month_counts(episodes: list[Episode], now: datetime) -> PeriodCount:
    zone = now.tzinfo
    start = _midnight(month_start(now.date()), zone)
    previous = _midnight(previous_month_start(now.date()), zone)
    return PeriodCount(count_between(episodes, start, just_after(now)),
                       count_between(episodes, previous, start))


def rolling_counts(episodes: list[Episode], now: datetime, days: int = WINDOW_DAYS) -> PeriodCount:
    # Absolute time, not wall-clock: "the last 30 days" must not stretch across a DST change.
    recent = now.astimezone(UTC) - timedelta(days=days)
    before = recent - timedelta(days=days)
    return PeriodCount(count_between(episodes, recent, just_after(now)),
                       count_between(episodes, before, recent))


def trend(counts: PeriodCount) -> str:
    """UP, DOWN or SAME, with a margin so one cramp either way is not called a trend."""
    now, before = counts.this_period, counts.previous_period
    if now >= before + 2 and now > 1.25 * before:
        return "UP"
    if before >= now + 2 and before > 1.25 * now:
        return "DOWN"
    return "SAME"


def nights_disturbed(episodes: list[Episode], now: datetime, nights: int = FLAG_WINDOW_NIGHTS) -> int:
    last_night = night_of(now)
    first = last_night - timedelta(days=nights - 1)
    return len({e.night for e in episodes if first <= e.night <= last_night})


def needs_professional(episodes: list[Episode], now: datetime, rolling: PeriodCount | None = None) -> bool:
    """Cramps regularly disturbing sleep, or clearly rising: worth seeing a professional.
    ``rolling``: ``rolling_counts(episodes, now)`` when the caller has it already."""
    rolling = rolling or rolling_counts(episodes, now)
    rising = trend(rolling) == "UP" and rolling.this_period >= 4
    return nights_disturbed(episodes, now) >= FLAG_NIGHTS or rising


def majority(values: list) -> object | None:
    """The value shared by more than half of ``values`` (and by at least two), else None.

    ``values`` holds one entry per cramp, None where unknown, so "most of your cramps" is true.
    """
    counted = Counter(v for v in values if v is not None)
    if not counted:
        return None
    value, n = counted.most_common(1)[0]
    return value if n >= 2 and n * 2 > len(values) else None


def leader(values: list) -> object | None:
    """The value seen more often than any other (ties have no leader); None values are ignored."""
    ranked = Counter(v for v in values if v is not None).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def typical_hour(episodes: list[Episode]) -> int | None:
    """The local hour (rounded to the nearest hour) that most of these cramps share, if any:
    more than half of them, and at least two. Three cramps at three hours have no usual time."""
    return majority([round_hour(e.start) for e in episodes])


def round_hour(moment: datetime) -> int:
    return (moment.hour + (1 if moment.minute >= 30 else 0)) % 24


def relative_day(moment: datetime, now: datetime) -> tuple[str, dict]:
    """A key for a friendly 'when' ("last_night", "on_weekday_night", ...) and its values:
    ``weekday`` (0 Monday ... 6 Sunday), ``month`` (1-12) and ``day`` of the day it names.

    The content file holds the words for each key and the names of days and months, so this
    stays language-free (no strftime: its names follow the platform's locale).
    """
    day = moment.date()
    today = now.date()
    hour = moment.hour
    values = {"weekday": moment.weekday(), "month": moment.month, "day": moment.day}
    if day == today:
        if hour < 5:
            return "last_night", values
        if hour < 12:
            return "this_morning", values
        if hour < 17:
            return "this_afternoon", values
        return "this_evening", values
    if day == today - timedelta(days=1):
        if hour >= 21:
            return "last_night", values
        if hour >= 17:
            return "yesterday_evening", values
        if hour >= 12:
            return "yesterday_afternoon", values
        if hour >= 5:
            return "yesterday_morning", values
        return "night_before_last", values
    if today - day < timedelta(days=7):
        if hour < 5:  # early hours belong to the night before
            values["weekday"] = (moment - timedelta(days=1)).weekday()
            return "on_weekday_night", values
        if hour >= 21:
            return "on_weekday_night", values
        return "on_weekday", values
    return "on_date", values


# --- a clock time said with a part of the day (reminders; the interpreter's reading of them) -----
# The half of the day each PartOfDay slot id puts a time in, in every locale (the reminder action
# and the interpreter both read it): six to eleven at night is the evening, twelve midnight.
PART_OF_DAY_HALVES = {"NIGHT": "night", "EVENING": "pm", "MORNING": "am"}


def in_part_of_day(hhmm: str, half: str | None) -> str:
    """A clock time in the half of the day the person said with it: "am", "pm" or "night"
    ("every night at nine thirty" is 21:30, "every night at twelve" midnight, "at night at two"
    stays 02:00). Without one, the time as Alexa sent it."""
    hour, minute = int(hhmm[:2]), hhmm[3:]
    if half == "am":
        hour = 0 if hour == 12 else hour
    elif half == "pm":
        hour = hour + 12 if 1 <= hour < 12 else hour
    elif half == "night":
        hour = hour + 12 if 6 <= hour < 12 else 0 if hour == 12 else hour
    return f"{hour:02d}:{minute}"
