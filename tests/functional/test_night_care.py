"""Night care: the quiet voice, the bedtime routine, the nightly reminder, and prevention answers.

Alexa's APIs (device settings, reminders) run through ask-sdk's ApiClient with a fake that records
every call; the table is moto.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest

from cramp_helper.storage import user_key
from testkit.world import World

UTC = UTC
USER = "amzn1.ask.account.NIGHTCARE"
REMINDERS = "/v1/alerts/reminders"


def at(hour, minute=0, day=23, month=11):
    """A UTC instant for a New York wall-clock time in November 2026 (EST, UTC-5)."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) + timedelta(hours=5)


def prosody(reply) -> str:
    return reply.ssml.split(">", 2)[1] if reply.ssml.startswith("<speak><") else ""


# --- the quiet voice ---------------------------------------------------------------------------
@pytest.mark.parametrize("local,quiet", [
    ((20, 59), False), ((21, 0), True), ((23, 30), True), ((3, 0), True),
    ((6, 59), True), ((7, 0), False), ((13, 0), False)])
def test_the_voice_is_soft_between_nine_at_night_and_seven_in_the_morning(aws, local, quiet):
    world = World(now=at(*local))
    reply = world.conversation(USER).launch()
    assert ('volume="soft"' in reply.ssml) is quiet


def test_the_night_window_follows_the_devices_clock_across_daylight_saving(aws):
    # 1 November 2026: New York fell back at 2 a.m. 11:30 UTC is 6:30 EST (night),
    # though it would have been 7:30 EDT (day) the day before.
    world = World(now=datetime(2026, 11, 1, 11, 30, tzinfo=UTC))
    assert 'volume="soft"' in world.conversation(USER).launch().ssml
    world.clock.now = datetime(2026, 10, 31, 11, 30, tzinfo=UTC)  # 7:30 EDT
    assert 'volume="soft"' not in world.conversation(USER).launch().ssml


def test_an_unknown_time_zone_errs_on_the_quiet_side(aws):
    world = World(zone=None, now=at(13))
    assert 'volume="soft"' in world.conversation(USER).launch().ssml


def test_whisper_to_me_is_honoured_in_later_sessions_and_speak_normally_undoes_it(aws):
    world = World(now=at(13))
    talk = world.conversation(USER)
    reply = talk.intent("WhisperIntent")
    assert '<amazon:effect name="whispered">' in reply.ssml and "whisper from now on" in reply.speech
    assert not reply.ended and reply.speech.endswith("?")
    talk.intent("AMAZON.StopIntent")
    assert "whispered" in world.conversation(USER).launch().ssml  # a new session, read from profile
    profile = [i for i in world.items() if i["sk"] == "PROFILE"]
    assert profile[0]["voice"] == "WHISPER" and profile[0]["pk"] == user_key(USER)
    assert profile[0]["expires_at"] > 0
    world.conversation(USER).intent("SpeakNormallyIntent")
    world.clock.now = at(3)  # even at night
    assert 'volume="soft"' not in world.conversation(USER).launch().ssml


def test_the_first_one_shot_guidance_reads_nothing_then_the_preference_applies(aws):
    world = World(now=at(13))
    world.conversation(USER).intent("WhisperIntent")
    world.faults.attempts.clear()
    talk = world.conversation(USER)
    first = talk.intent("CrampIntent", Muscle="calf")
    assert "whispered" not in first.ssml and world.faults.attempts == {"TransactWriteItems": 1}
    assert "whispered" in talk.intent("StillCrampingIntent").ssml


def test_a_preference_that_cannot_be_saved_still_applies_now_and_says_so(aws):
    world = World(now=at(13))
    world.faults.fail("UpdateItem", "AccessDenied")
    reply = world.conversation(USER).intent("WhisperIntent")
    assert "whispered" in reply.ssml and "couldn't save it" in reply.speech


# --- the bedtime routine -----------------------------------------------------------------------
def test_bedtime_stretches_follow_the_trial_and_end_with_a_tip(aws):
    world = World(now=at(21, 40))
    talk = world.conversation(USER)
    calves = talk.intent("BedtimeStretchIntent")
    assert calves.speech.startswith("Let's do your bedtime stretches")
    assert "may help" in calves.speech
    assert "Step your left leg back" in calves.speech and "Now step your right leg back" in calves.speech
    # each leg: a few seconds to get there, then three holds of 10 s with 10 s rests between (50 s)
    assert calves.hold_seconds() == 108
    assert calves.speech.count("Again.") == 4 and calves.speech.endswith("Ready for the hamstrings?")
    hamstrings = talk.intent("AMAZON.YesIntent")
    assert hamstrings.speech.startswith("Now the hamstrings. Hamstring stretch.")
    assert hamstrings.hold_seconds() == 108
    assert "That's your bedtime stretches done." in hamstrings.speech
    assert "One more tip:" in hamstrings.speech and hamstrings.speech.endswith("Sleep well.")
    assert hamstrings.ended
    [session] = [i for i in world.items() if i["sk"].startswith("PS#")]
    assert session["kind"] == "prevention" and session["completed"] is True
    assert session["routine"] == "BEDTIME" and not [i for i in world.items() if i["sk"].startswith("EP#")]


def test_each_night_gets_a_different_tip(aws):
    tips = set()
    for night in range(3):
        world = World(now=at(21, 30, day=20 + night))
        talk = world.conversation(USER)
        talk.intent("BedtimeStretchIntent")
        speech = talk.intent("AMAZON.NextIntent").speech
        tips.add(speech[speech.index("One more tip:"):])
    assert len(tips) == 3


def test_navigation_works_in_the_bedtime_routine_and_no_stops_it(aws):
    world = World(now=at(21, 30))
    talk = world.conversation(USER)
    talk.intent("BedtimeStretchIntent")
    assert "Calf stretch." in talk.intent("AMAZON.RepeatIntent").speech
    waiting = talk.intent("AMAZON.PauseIntent")
    assert "Take your time" in waiting.speech and waiting.hold_seconds() == 0
    assert "Calf stretch." in talk.intent("AMAZON.StartOverIntent").speech
    stopped = talk.intent("AMAZON.NoIntent")
    assert stopped.ended and stopped.speech.endswith("Sleep well.")
    [session] = [i for i in world.items() if i["sk"].startswith("PS#")]
    assert session["completed"] is False


def test_history_counts_bedtime_stretch_nights_this_week(aws):
    world = World()
    for day in (22, 23, 24):  # Sunday to Tuesday, one week (weeks start on Sunday in en-US)
        world.clock.now = at(21, 30, day=day)
        talk = world.conversation(USER)
        talk.intent("BedtimeStretchIntent")
        talk.intent("AMAZON.NextIntent")
    world.clock.now = at(3, day=25)
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("CrampGoneIntent")
    world.clock.now = at(19, day=25)
    reply = world.conversation(USER).intent("HistorySummaryIntent")
    assert "You did your bedtime stretches 3 nights this week." in reply.speech
    assert "Bedtime stretches this week: 3 nights" in reply.card["content"]


# --- the nightly reminder ----------------------------------------------------------------------
EIGHT_PM = at(20)


def reminder_world(now=EIGHT_PM, routes=None):
    base = {("GET", REMINDERS): (200, {"totalCount": "0", "alerts": []}),
            ("POST", REMINDERS): (201, {"alertToken": "tok-1", "status": "ON"}),
            ("DELETE", ""): (200, "")}
    base.update(routes or {})
    return World(now=now, api_routes=base)


def granted(world):
    talk = world.conversation(USER)
    talk.consent_token = "consent-token"
    return talk


def created(world) -> dict:
    [call] = [c for c in world.api.calls if c["method"] == "POST" and c["url"].endswith(REMINDERS)]
    return call["body"]


def test_remind_me_at_nine_thirty_creates_a_daily_reminder_in_the_device_time_zone(aws):
    world = reminder_world()
    talk = granted(world)
    confirm = talk.intent("SetReminderIntent", Time="09:30")  # Alexa hears "nine thirty" as 09:30
    assert confirm.speech == "Just to check: 9:30 in the morning?" and not confirm.ended
    assert not [c for c in world.api.calls if c["method"] == "POST"]  # nothing set until answered
    reply = talk.intent("AMAZON.NoIntent")
    assert reply.speech == "Done. I'll remind you every night at 9:30 p.m. to do your bedtime stretches."
    body = created(world)
    trigger = body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["recurrence"]["recurrenceRules"] == ["FREQ=DAILY;INTERVAL=1"]
    assert "freq" not in trigger["recurrence"]  # the deprecated form is not sent
    assert trigger["timeZoneId"] == "America/New_York"
    assert trigger["scheduledTime"].startswith("2026-11-23T21:30:00")
    assert "bedtime stretches" in body["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert reply.ended


def test_a_time_already_past_tonight_starts_tomorrow_across_a_dst_change(aws):
    world = reminder_world(now=datetime(2026, 11, 1, 3, 30, tzinfo=UTC))  # 22:30 EST on 31 Oct... EDT
    granted(world).intent("SetReminderIntent", Time="21:30")
    assert created(world)["trigger"]["scheduledTime"].startswith("2026-11-01T21:30:00")


def test_asking_again_replaces_the_old_reminder(aws):
    world = reminder_world(routes={("GET", REMINDERS): (200, {"totalCount": "1", "alerts": [
        {"alertToken": "old-one", "status": "ON"}]})})
    granted(world).intent("SetReminderIntent", Time="22:00")
    assert any(c["method"] == "DELETE" and c["url"].endswith("/old-one") for c in world.api.calls)
    assert created(world)["trigger"]["scheduledTime"].startswith("2026-11-23T22:00:00")


def test_a_morning_time_confirmed_is_kept_in_the_morning(aws):
    world = reminder_world()
    talk = granted(world)
    talk.intent("SetReminderIntent", Time="06:00")  # "six am"
    reply = talk.intent("AMAZON.YesIntent")
    assert "6 a.m." in reply.speech
    assert created(world)["trigger"]["scheduledTime"].startswith("2026-11-24T06:00:00")


def test_the_new_reminder_is_created_before_the_old_one_is_deleted(aws):
    world = reminder_world(routes={("GET", REMINDERS): (200, {"totalCount": "1", "alerts": [
        {"alertToken": "old-one", "status": "ON"}]})})
    granted(world).intent("SetReminderIntent", Time="22:00")
    order = [c["method"] for c in world.api.calls if REMINDERS in c["url"] and c["method"] != "GET"]
    assert order == ["POST", "DELETE"]


def test_a_failed_new_reminder_leaves_the_old_one_in_place(aws):
    world = reminder_world(routes={("GET", REMINDERS): (200, {"totalCount": "1", "alerts": [
        {"alertToken": "old-one", "status": "ON"}]}), ("POST", REMINDERS): (500, {"message": "boom"})})
    reply = granted(world).intent("SetReminderIntent", Time="22:00")
    assert "couldn't set the reminder" in reply.speech
    assert not [c for c in world.api.calls if c["method"] == "DELETE"]


def test_without_permission_it_asks_by_voice_and_the_time_travels_in_the_token(aws):
    world = reminder_world()
    talk = world.conversation(USER)
    talk.intent("SetReminderIntent", Time="09:30")
    reply = talk.intent("AMAZON.NoIntent")  # not in the morning: 9:30 p.m.
    [directive] = reply.response["directives"]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    assert directive["payload"] == {"@type": "AskForPermissionsConsentRequest", "@version": "1",
                                    "permissionScope": "alexa::alerts:reminders:skill:readwrite"}
    assert directive["token"] == "reminder:21:30"
    assert "need your permission" in reply.speech
    assert not [c for c in world.api.calls if REMINDERS in c["url"]]


def permission_answer(status):
    return {"type": "Connections.Response", "name": "AskFor", "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScope": "alexa::alerts:reminders:skill:readwrite", "status": status},
            "token": "reminder:21:30"}


def test_permission_accepted_creates_the_reminder(aws):
    world = reminder_world()
    reply = granted(world).request(permission_answer("ACCEPTED"))
    assert "every night at 9:30 p.m." in reply.speech
    assert created(world)["trigger"]["scheduledTime"].endswith("21:30:00") or \
        created(world)["trigger"]["scheduledTime"].startswith("2026-11-23T21:30")


@pytest.mark.parametrize("status,words", [("DENIED", "no reminder"), ("NOT_ANSWERED", "didn't set")])
def test_permission_denied_or_unanswered_falls_back_to_a_consent_card(aws, status, words):
    world = reminder_world()
    reply = world.conversation(USER).request(permission_answer(status))
    assert words in reply.speech.lower() and reply.ended
    assert reply.card["type"] == "AskForPermissionsConsent"
    assert reply.card["permissions"] == ["alexa::alerts:reminders:skill:readwrite"]
    assert not [c for c in world.api.calls if c["method"] == "POST"]


@pytest.mark.parametrize("answer,words", [
    ((500, {"code": "INTERNAL_ERROR", "message": "boom"}), "couldn't set the reminder"),
    ((400, {"code": "DEVICE_NOT_SUPPORTED", "message": "no"}), "this device can't set reminders"),
    (TimeoutError("slow"), "couldn't set the reminder")])
def test_reminder_failures_get_a_clear_spoken_answer(aws, answer, words):
    world = reminder_world(routes={("POST", REMINDERS): answer})
    reply = granted(world).intent("SetReminderIntent", Time="21:00")
    assert words in reply.speech and reply.ended


def test_a_revoked_permission_asks_again(aws):
    world = reminder_world(routes={("GET", REMINDERS): (401, {"code": "UNAUTHORIZED"})})
    reply = granted(world).intent("SetReminderIntent", Time="21:00")
    assert reply.response["directives"][0]["name"] == "AskFor"


def test_no_time_asks_for_one(aws):
    world = reminder_world()
    talk = granted(world)
    asked = talk.intent("SetReminderIntent")
    assert "What time would you like" in asked.speech and not asked.ended
    assert "9:30 p.m." in talk.intent("SetReminderIntent", Time="21:30").speech


def test_stop_reminding_me_deletes_the_reminder(aws):
    world = reminder_world(routes={("GET", REMINDERS): (200, {"totalCount": "1", "alerts": [
        {"alertToken": "nightly", "status": "ON"}]})})
    reply = granted(world).intent("StopReminderIntent")
    assert reply.speech == "Okay, I've stopped your nightly stretch reminder."
    assert any(c["method"] == "DELETE" and c["url"].endswith("/nightly") for c in world.api.calls)
    none = reminder_world()
    assert "don't have a stretch reminder" in granted(none).intent("StopReminderIntent").speech
    failing = reminder_world(routes={("GET", REMINDERS): (500, {"code": "INTERNAL_ERROR"})})
    assert "couldn't reach your reminders" in granted(failing).intent("StopReminderIntent").speech


# --- understanding cramps ----------------------------------------------------------------------
def test_prevention_answer_is_hedged_and_offers_the_bedtime_stretches(aws):
    world = World(now=at(21))
    talk = world.conversation(USER)
    reply = talk.intent("PreventionInfoIntent")
    assert "may help" in reply.speech and "evidence for stretching is mixed" in reply.speech
    assert "magnesium" not in reply.speech.lower() and "quinine" not in reply.speech.lower()
    assert reply.speech.endswith("Would you like to do your bedtime stretches now?") and not reply.ended
    assert "Calf stretch." in talk.intent("AMAZON.YesIntent").speech


def test_why_answer_is_grounded_and_ends_with_a_question(aws):
    talk = World(now=at(21)).conversation(USER)
    reply = talk.intent("CauseInfoIntent")
    assert "Too much exercise" in reply.speech and "calf" in reply.speech
    assert reply.speech.endswith("?") and talk.intent("AMAZON.NoIntent").ended


# --- red-flag triage ---------------------------------------------------------------------------
@pytest.mark.parametrize("words,urgency", [
    ("chest pain", "Call 911 now"), ("shortness of breath", "Call 911 now"),  # issue 18: action first
    ("swollen", "blood clot"), ("red", "blood clot"), ("warm to the touch", "blood clot"),
    ("hard sore veins", "blood clot"), (("pregnant", "swollen"), "midwife"), ("a cut", "stepping on a nail")])
def test_each_red_flag_gets_its_urgency_overrides_a_routine_and_is_logged(aws, words, urgency):
    world = World()
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    symptom, other = words if isinstance(words, tuple) else (words, None)
    reply = talk.intent("RedFlagIntent", Symptom=symptom, OtherSymptom=other)
    assert urgency in reply.speech and reply.ended and reply.hold_seconds() == 0
    if urgency == "blood clot":
        assert "Don't massage" in reply.speech and "today" in reply.speech
    [episode] = world.episodes()
    assert episode["outcome"] == "RED_FLAG"
    assert json.dumps(episode).count("RED_FLAG") == 1


def test_a_cramp_that_wont_stop_gets_same_day_care_then_gentle_help_only_if_asked(aws):
    world = World()
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    reply = talk.intent("RedFlagIntent", Symptom="a cramp that won't stop")
    assert "ten minutes" in reply.speech and "today" in reply.speech and reply.hold_seconds() == 0
    assert reply.card["title"] == "Get medical care" and not reply.ended
    gentle = talk.intent("AMAZON.YesIntent")
    # issue 18: a gentle stretch while the muscle is still locked, a warm towel, never a shower
    assert "warm towel" in gentle.speech and "gentle stretch" in gentle.speech
    assert "shower" not in gentle.speech and "heating pad" not in gentle.speech
    [episode] = world.episodes()
    assert episode.get("outcome") != "RED_FLAG"  # a long cramp is still a cramp in history


def test_a_cramp_during_the_bedtime_stretches_switches_to_relief(aws):
    world = World(now=at(21, 30))
    talk = world.conversation(USER)
    talk.intent("BedtimeStretchIntent")
    reply = talk.intent("CrampIntent")  # "cramp!", no muscle named
    assert reply.speech.startswith("Let's start with your calf, where most night cramps are")
    assert reply.speech.endswith("Has it eased?")
    talk.intent("CrampGoneIntent")
    kinds = sorted(i["sk"][:3] for i in world.items() if i["sk"] != "PROFILE" and i["kind"] != "open")
    assert kinds == ["EP#", "PS#"]  # the cramp logged, the stretches logged as not completed
    # (beside them the LEG cramp's open-cramp marker, OPEN#LEG: issue 21, finding 7)


def test_a_yes_after_an_interrupted_question_answers_the_question_asked_last(aws):
    # "delete my cramp history", then "remind me to stretch", then "yes": nothing is deleted.
    world = World()
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.intent("DeleteHistoryIntent")
    assert talk.intent("AMAZON.FallbackIntent").speech.endswith("delete your whole cramp history?")
    talk.intent("SetReminderIntent")  # "what time?"
    reply = talk.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("I can remind you each night") and "deleted" not in reply.speech
    assert len(world.episodes()) == 1


def test_no_after_an_interrupted_carry_on_question_goes_to_the_next_technique(aws):
    talk = World().conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("RedFlagIntent", Symptom="tender")  # the clot question
    talk.intent("AMAZON.FallbackIntent")
    reply = talk.intent("AMAZON.NoIntent")  # "no, it isn't swollen": back where they were
    assert not reply.ended and "pull your toes up" in reply.speech and "911" not in reply.speech


def test_still_cramping_during_bedtime_stretches_starts_relief(aws):
    world = World(now=at(21, 30))
    talk = world.conversation(USER)
    talk.intent("BedtimeStretchIntent")
    reply = talk.intent("StillCrampingIntent")
    assert reply.speech.startswith("Let's start with your calf, where most night cramps are")
    assert not reply.ended


def test_deleting_history_during_bedtime_stretches_writes_nothing_back(aws):
    world = World(now=at(21, 30))
    talk = world.conversation(USER)
    talk.intent("BedtimeStretchIntent")
    talk.intent("DeleteHistoryIntent")
    assert talk.intent("AMAZON.YesIntent").speech.startswith("There was nothing stored to delete.")
    assert [i for i in world.items() if i["sk"] != "PROFILE"] == []
