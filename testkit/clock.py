"""Time in tests: a settable clock, the night most tests are set in, and Alexa's timestamp form."""

from __future__ import annotations

import datetime as dt

# 08:02:11 UTC on Monday 23 November 2026 is 3:02 a.m. in New York.
NIGHT = dt.datetime(2026, 11, 23, 8, 2, 11, tzinfo=dt.UTC)


class Clock:
    """A settable clock shared by the skill's services and the conversation's request timestamps."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def alexa_timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC to the second, as Alexa writes it: 2026-11-23T08:02:11Z."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
