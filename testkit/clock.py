"""Test doubles: Alexa's APIs (see tools/fake_alexa_api.py) and a settable clock."""

from __future__ import annotations

from datetime import datetime

from tools.fake_alexa_api import RecordingApiClient, time_zone_route

__all__ = ["Clock", "RecordingApiClient", "time_zone_route"]


class Clock:
    """A settable clock shared by the skill's services and the conversation's request timestamps."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now
