"""Reminders keep the part of the day said with the time (issue 19, part 8).

Alexa hears "every night at nine thirty" as AMAZON.TIME 09:30: the words "every night" are not
part of the time. The models carry them in SetReminderIntent's PartOfDay slot, so the skill sets
21:30 without asking "in the morning?". Each phrase goes through the shipped model (tools/resolver),
then lambda_handler with a fake Reminders API that records what was created.
"""

from datetime import UTC, datetime, timedelta

import pytest

from testkit.conversation import Conversation
from testkit.resolver import Resolver
from testkit.world import World

REMINDERS = "/v1/alerts/reminders"
EIGHT_PM_NEW_YORK = datetime(2026, 11, 23, 20, 0, tzinfo=UTC) + timedelta(hours=5)


def reminder_world(zone="America/New_York", now=EIGHT_PM_NEW_YORK):
    return World(zone=zone, now=now, api_routes={
        ("GET", REMINDERS): (200, {"totalCount": "0", "alerts": []}),
        ("POST", REMINDERS): (201, {"alertToken": "tok-1", "status": "ON"}),
        ("DELETE", ""): (200, "")})


def say(world, locale: str, text: str, granted: bool = True):
    """The words through the locale's model, then the request Alexa would send, to the skill."""
    resolution = Resolver.from_locale(locale).resolve(text)
    assert resolution.intent == "SetReminderIntent", (locale, text, resolution.intent)
    talk = Conversation(locale=locale, handler=world.handler, clock=world.clock)
    if granted:
        talk.consent_token = "consent-token"
    return resolution, talk, talk.send(talk.session.request_for(resolution))


def created(world) -> list[dict]:
    return [c["body"] for c in world.api.calls if c["method"] == "POST" and c["url"].endswith(REMINDERS)]


# (locale, what the person says, the confirmation's words for 21:30)
EVENING_PHRASES = [
    ("en-US", "remind me to stretch every night at nine thirty", "every night at 9:30 p.m."),
    ("en-US", "remind me to stretch at nine thirty at night", "every night at 9:30 p.m."),
    ("en-US", "remind me to stretch at nine thirty p.m.", "every night at 9:30 p.m."),
    ("en-US", "remind me every night at nine thirty", "every night at 9:30 p.m."),
    ("en-US", "remind me at nine thirty every night", "every night at 9:30 p.m."),
    ("en-GB", "remind me to stretch every night at nine thirty", "every night at 9:30 p.m."),
    ("es-US", "recuérdame estirar todas las noches a las nueve y media", "9:30 p.m."),
    ("es-ES", "recuérdame todas las noches a las nueve y media", "21:30"),
    ("de-DE", "erinnere mich jeden Abend um halb zehn", "21:30"),
    ("fr-FR", "rappelle-moi de m'étirer tous les soirs à neuf heures et demie", "chaque soir à 21 h 30"),
    ("fr-CA", "rappelle-moi tous les soirs à neuf heures et demie", "21 h 30"),
    ("it-IT", "ricordami ogni sera alle nove e mezza", "21:30"),
    ("pt-BR", "me lembre de alongar toda noite às nove e meia", "toda noite às 21h30"),
]


@pytest.mark.parametrize("locale,text,spoken", EVENING_PHRASES)
def test_the_evening_said_with_the_time_sets_nine_thirty_pm_without_asking(aws, locale, text, spoken):
    world = reminder_world()
    _, _, reply = say(world, locale, text)
    [body] = created(world)  # set at once: no "in the morning?" first
    trigger = body["trigger"]
    assert trigger["scheduledTime"].startswith("2026-11-23T21:30:00")
    assert trigger["recurrence"]["recurrenceRules"] == ["FREQ=DAILY;INTERVAL=1"]
    assert trigger["timeZoneId"] == "America/New_York"
    assert spoken in reply.speech, reply.speech
    assert reply.ended and not reply.speech.endswith("?")


def test_nine_thirty_alone_is_still_asked_about(aws):
    world = reminder_world()
    _, talk, reply = say(world, "en-US", "remind me to stretch at nine thirty")
    assert reply.speech == "Just to check: 9:30 in the morning?" and not reply.ended
    assert not created(world)


def test_every_morning_at_six_is_set_in_the_morning_without_asking(aws):
    world = reminder_world()
    _, _, reply = say(world, "en-US", "remind me to stretch every morning at six")
    [body] = created(world)
    assert body["trigger"]["scheduledTime"].startswith("2026-11-24T06:00:00")  # 6 a.m. is past: tomorrow
    assert "every night at 6 a.m." in reply.speech


def test_every_night_at_twelve_is_midnight(aws):
    world = reminder_world()
    say(world, "en-US", "remind me every night at twelve")
    [body] = created(world)
    assert body["trigger"]["scheduledTime"].startswith("2026-11-24T00:00:00")


def test_without_permission_the_evening_time_travels_in_the_voice_permission_token(aws):
    world = reminder_world()
    _, _, reply = say(world, "en-US", "remind me to stretch every night at nine thirty", granted=False)
    [directive] = reply.response["directives"]
    assert directive["type"] == "Connections.SendRequest" and directive["token"] == "reminder:21:30"
    assert "need your permission" in reply.speech
    assert not created(world)
