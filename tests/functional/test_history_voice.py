"""History and privacy by voice, against a moto table."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cramp_helper import skill
from cramp_helper.storage import EPISODE, budget, item_key, user_key
from testkit.world import TABLE, World

NY = ZoneInfo("America/New_York")
USER = "amzn1.ask.account.HISTORYUSER"
EVENING = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 6 p.m. Monday in New York
NIGHT_LATER = datetime(2026, 11, 23, 8, 40, tzinfo=UTC)  # 3:40 a.m., after the night's cramp


def seed(world, local_times, muscle="CALF", side="LEFT", outcome="RELIEVED", user=USER, pad=0):
    for n, local in enumerate(local_times):
        started = local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        item = {"sk": item_key(EPISODE, started, f"seed-{n}-{muscle}"), "started_at": started,
                "local_time": local.isoformat(), "muscle": muscle, "side": side,
                "outcome": outcome, "kind": "episode"}
        if pad:
            item["notes"] = "x" * pad  # bulk, to push a query past DynamoDB's 1 MB page
        world.repository.put_new(user_key(user), item)
    world.faults.attempts.clear()  # count only what the skill does


@pytest.fixture
def evening(aws):
    return World(now=EVENING)


def ask(world, intent, **slots):
    return world.conversation(USER).intent(intent, **slots)


def test_the_demo_night_then_how_have_my_cramps_been_the_next_evening(aws):
    world = World()  # 3:02 a.m.
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.intent("StillCrampingIntent")
    talk.intent("CrampGoneIntent")
    world.clock.now = EVENING
    reply = world.conversation(USER).intent("HistorySummaryIntent")
    assert "In the last 30 days you've had one cramp." in reply.speech
    assert "Your last cramp was last night around 3 a.m., in your left calf." in reply.speech
    assert reply.ended and reply.card["title"] == "Leg cramp summary"
    assert "Eased during the guided stretches: 1 of 1" in reply.card["content"]


def test_counts_this_week_and_this_month_with_last_period(evening):
    seed(evening, [datetime(2026, 11, 22, 3, 0, tzinfo=NY),   # Sunday: this week
                   datetime(2026, 11, 18, 2, 0, tzinfo=NY),   # last week
                   datetime(2026, 11, 3, 2, 0, tzinfo=NY),    # this month
                   datetime(2026, 10, 31, 23, 30, tzinfo=NY)])  # last month, locally
    week = ask(evening, "CrampCountIntent", Period="this week")
    assert week.speech.startswith("You've had one cramp this week, and one cramp last week.")
    month = ask(evening, "CrampCountIntent", Period="the past month")
    assert month.speech.startswith("You've had 3 cramps this month, and one cramp last month.")
    both = ask(evening, "CrampCountIntent")
    assert "this week" in both.speech and "this month" in both.speech


def test_when_was_my_last_cramp_in_friendly_relative_time(evening):
    seed(evening, [datetime(2026, 11, 10, 2, 0, tzinfo=NY)])
    seed(evening, [datetime(2026, 11, 19, 2, 40, tzinfo=NY)], muscle="FOOT", side="RIGHT")
    reply = ask(evening, "LastCrampIntent")
    assert reply.speech == ("Your last cramp was on Wednesday night around 3 a.m., "
                            "in your right foot.")
    assert evening.faults.attempts["Query"] == 1  # one query, newest first
    assert evening.faults.attempts.get("GetItem", 0) <= 1  # the once-a-session voice preference


def test_which_leg_cramps_most(evening):
    seed(evening, [datetime(2026, 11, d, 3, 0, tzinfo=NY) for d in (2, 9, 16)], side="RIGHT")
    seed(evening, [datetime(2026, 11, 5, 3, 0, tzinfo=NY)], muscle="FOOT", side="LEFT")
    reply = ask(evening, "CommonCrampIntent")
    assert "Most of your cramps have been in your calf." in reply.speech
    assert "Your right side cramps more often than the other." in reply.speech


def test_frequent_cramps_are_steered_to_a_professional(evening):
    seed(evening, [datetime(2026, 11, d, 3, 0, tzinfo=NY) for d in (19, 21, 23)])
    reply = ask(evening, "HistorySummaryIntent")
    assert "worth getting checked" in reply.speech and "physical therapist" in reply.speech
    assert "worth discussing with a doctor or physical therapist" in reply.card["content"]
    quiet = World(now=EVENING)
    seed(quiet, [datetime(2026, 11, 2, 3, 0, tzinfo=NY)], user="amzn1.ask.account.QUIET")
    calm = quiet.conversation("amzn1.ask.account.QUIET").intent("HistorySummaryIntent")
    assert "worth getting checked" not in calm.speech


def test_summary_reports_the_trend_against_the_previous_period(evening):
    seed(evening, [datetime(2026, 11, d, 3, 0, tzinfo=NY) for d in (1, 6, 11, 16, 21)])
    seed(evening, [datetime(2026, 10, 10, 3, 0, tzinfo=NY)])
    reply = ask(evening, "HistorySummaryIntent")
    assert "In the last 30 days you've had 5 cramps. That's more than the 30 days before." in reply.speech
    assert "They usually come around 3 a.m." in reply.speech


def test_three_cramps_at_three_hours_have_no_usual_time(evening):
    seed(evening, [datetime(2026, 11, 18, 1, 0, tzinfo=NY), datetime(2026, 11, 20, 3, 0, tzinfo=NY),
                   datetime(2026, 11, 22, 23, 0, tzinfo=NY)])
    reply = ask(evening, "HistorySummaryIntent")
    assert "usually" not in reply.speech and "Usual time" not in reply.card["content"]
    assert "Time of day: varies" in reply.card["content"]


def test_a_first_month_is_not_more_than_before(evening):
    seed(evening, [datetime(2026, 11, d, 3, 0, tzinfo=NY) for d in (1, 6, 11, 16, 21)])
    reply = ask(evening, "HistorySummaryIntent")
    assert ("In the last 30 days you've had 5 cramps. "
            "There's nothing earlier to compare with yet.") in reply.speech
    assert "more than" not in reply.speech
    assert "Nothing logged before these 30 days" in reply.card["content"]
    assert evening.faults.attempts["Query"] == 1  # all of the user's items, one query


def test_an_earlier_cramp_outside_the_old_62_day_query_still_counts_as_earlier_data(evening):
    seed(evening, [datetime(2026, 11, d, 3, 0, tzinfo=NY) for d in (1, 6, 11, 16, 21)])
    seed(evening, [datetime(2026, 6, 10, 3, 0, tzinfo=NY)])  # five months ago
    reply = ask(evening, "HistorySummaryIntent")
    assert "That's more than the 30 days before." in reply.speech


def test_a_warning_sign_is_told_apart_from_the_cramps(aws):
    world = World()  # 3:02 a.m.
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.intent("CrampGoneIntent")
    world.clock.now = NIGHT_LATER
    world.conversation(USER).intent("RedFlagIntent", Symptom="swollen")  # logged as RED_FLAG
    assert [e["outcome"] for e in world.episodes()] == ["RELIEVED", "RED_FLAG"]
    world.clock.now = EVENING
    last = world.conversation(USER).intent("LastCrampIntent")
    assert last.speech == "Your last cramp was last night around 3 a.m., in your left calf."
    count = world.conversation(USER).intent("CrampCountIntent", Period="this week")
    assert count.speech.startswith("You've had one cramp this week.")
    summary = world.conversation(USER).intent("HistorySummaryIntent")
    assert "In the last 30 days you've had one cramp." in summary.speech
    assert "You also told me about a warning sign once." in summary.speech
    assert "get care the same day" in summary.speech
    assert "Warning signs reported (not counted as cramps): once" in summary.card["content"]
    assert "Eased during the guided stretches: 1 of 1" in summary.card["content"]


def test_history_pages_past_one_megabyte_with_hundreds_of_episodes(evening, monkeypatch):
    # moto serialises each 1 MB page in Python, hundreds of times slower than DynamoDB sends one:
    # the request's table budget and the paging deadline are scaled to match (as the deletion
    # window is in test_deletion.py), so what is checked is the paging, whatever the machine's load.
    monkeypatch.setattr(skill, "start_request_budget", lambda: budget.start_request_budget(20.0))
    monkeypatch.setattr(budget, "QUERY_DEADLINE_S", 20.0)
    start = datetime(2026, 9, 25, 3, 0, tzinfo=NY)
    seed(evening, [start + timedelta(hours=3 * n) for n in range(450)], pad=3000)
    reply = ask(evening, "HistorySummaryIntent")
    expected = sum(1 for n in range(450)
                   if start + timedelta(hours=3 * n) >= EVENING - timedelta(days=30))
    assert f"you've had {expected} cramps" in reply.speech
    assert evening.faults.attempts["Query"] >= 2  # more than one page, one question


def test_no_history_gets_a_kind_answer(evening):
    reply = ask(evening, "HistorySummaryIntent")
    assert reply.speech.startswith("You haven't logged any cramps with me yet.")


@pytest.mark.parametrize("fault", ["Throttling", "Timeout", "AccessDenied", "ResourceNotFound"])
def test_history_when_the_table_fails_says_so_in_character(evening, fault):
    evening.faults.fail("Query", fault, times=1)
    reply = ask(evening, "HistorySummaryIntent")
    assert reply.speech.startswith("Sorry, I can't reach your cramp history right now.")


def test_delete_my_history_asks_then_deletes_every_item(evening):
    seed(evening, [datetime(2026, 9, 1, 3, 0, tzinfo=NY) + timedelta(hours=5 * n) for n in range(260)],
         pad=3000)
    seed(evening, [datetime(2026, 11, 1, 3, 0, tzinfo=NY)], user="amzn1.ask.account.SOMEONEELSE")
    talk = evening.conversation(USER)
    asked = talk.intent("DeleteHistoryIntent")
    assert asked.speech.endswith("delete your whole cramp history?") and not asked.ended
    assert "can't be undone" in asked.speech
    done = talk.intent("AMAZON.YesIntent")
    assert done.speech == "Done. I've deleted your cramp history." and done.ended
    remaining = [i for i in evening.items() if i["sk"] != "PROFILE"]  # the tombstone stays
    assert [i["pk"] for i in remaining] == [user_key("amzn1.ask.account.SOMEONEELSE")]


def test_no_keeps_the_history(evening):
    seed(evening, [datetime(2026, 11, 1, 3, 0, tzinfo=NY)])
    talk = evening.conversation(USER)
    talk.intent("DeleteHistoryIntent")
    kept = talk.intent("AMAZON.NoIntent")
    assert kept.speech == "Okay, I've kept your history." and len(evening.items()) == 1


def test_delete_retries_unprocessed_items(evening):
    seed(evening, [datetime(2026, 11, 1, 3, 0, tzinfo=NY) + timedelta(hours=n) for n in range(40)])
    held = {"back": [], "reported": False}

    def keep_some_back(params, **_):  # the first batch only half goes through...
        requests = params["RequestItems"][TABLE]
        if not held["back"] and not held["reported"] and len(requests) > 5:
            held["back"] = requests[5:]
            params["RequestItems"][TABLE] = requests[:5]

    def report_unprocessed(parsed, **_):  # ...and DynamoDB says so, once
        if held["back"] and not held["reported"]:
            parsed["UnprocessedItems"] = {TABLE: held["back"]}
            held["reported"] = True

    events = evening.client.meta.events
    events.register("before-parameter-build.dynamodb.BatchWriteItem", keep_some_back)
    events.register("after-call.dynamodb.BatchWriteItem", report_unprocessed)
    talk = evening.conversation(USER)
    talk.intent("DeleteHistoryIntent")
    done = talk.intent("AMAZON.YesIntent")
    assert done.speech.startswith("Done.")
    assert [i for i in evening.items() if i["sk"] != "PROFILE"] == []  # the tombstone stays
    assert evening.faults.attempts["BatchWriteItem"] == 3  # 25 + 15, plus one retry


def test_a_failed_delete_says_so_and_keeps_the_user_in_control(evening):
    seed(evening, [datetime(2026, 11, 1, 3, 0, tzinfo=NY)])
    evening.faults.fail("BatchWriteItem", "AccessDenied", times=1)
    talk = evening.conversation(USER)
    talk.intent("DeleteHistoryIntent")
    reply = talk.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("Sorry, I couldn't delete all of your history just now.")


def test_deleting_mid_episode_drops_what_was_queued_too(evening):
    talk = evening.conversation(USER)
    evening.faults.fail("TransactWriteItems", "Throttling", times=1)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("DeleteHistoryIntent")
    talk.intent("AMAZON.YesIntent")
    assert [i for i in evening.items() if i["sk"] != "PROFILE"] == []  # the tombstone stays


def test_skill_disabled_event_deletes_the_users_data(evening):
    from testkit.conversation import load_event

    seed(evening, [datetime(2026, 11, 1, 3, 0, tzinfo=NY) + timedelta(hours=n) for n in range(30)])
    event = load_event("skill_disabled")
    event["context"]["System"]["user"]["userId"] = USER
    response = evening.handler(event, None)
    assert "outputSpeech" not in response.get("response", {})
    assert [i for i in evening.items() if i["sk"] != "PROFILE"] == []  # the tombstone stays
