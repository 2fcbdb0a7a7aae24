"""One cramp, one episode (issue 21, finding 7): a start for the same person and muscle within 60 s
of an open start is the same episode, however many requestIds. The start transaction Puts an
OPEN#<muscle> marker naming its episode, on condition that no other start holds it from the last
minute; a refused marker hands back the open episode's id, and the session carries on with it.
The happy path stays one TransactWriteItems."""

from __future__ import annotations

from datetime import timedelta

from cramp_helper.storage import user_key

USER = "amzn1.ask.account.ONECRAMP"


def test_a_lost_first_answer_repeated_with_a_new_request_id_is_one_episode(world):
    world.conversation(USER).intent("CrampIntent", Muscle="calf", Side="left")  # written, answer lost
    world.clock.now += timedelta(seconds=20)
    again = world.conversation(USER)  # a new session, a new requestId
    world.faults.attempts.clear()
    reply = again.intent("CrampIntent", Muscle="calf", Side="left")
    assert "calf" in reply.speech and reply.hold_seconds() > 0  # guided as ever
    world.clock.now += timedelta(seconds=40)
    again.intent("StillCrampingIntent")
    again.intent("CrampGoneIntent")
    [episode] = world.episodes(USER)
    assert episode["outcome"] == "RELIEVED" and episode["started_at"] == "2026-11-23T08:02:11Z"
    assert episode["techniques"] == ["calf_toe_pull", "calf_stand_press"]


def test_the_happy_path_is_one_transaction_holding_the_marker(world):
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    assert world.faults.attempts == {"TransactWriteItems": 1}
    [marker] = world.partition(USER, "OPEN#")
    [episode] = world.episodes(USER)
    assert marker["sk"] == "OPEN#CALF" and marker["episode"] == episode["sk"][len("EP#"):]
    assert marker["pk"] == user_key(USER) and marker["started_at"] == episode["started_at"]
    assert marker["expires_at"] <= world.clock().timestamp() + 86400  # a day, not 400


def test_a_minute_later_the_same_muscle_is_a_new_cramp(world):
    world.conversation(USER).intent("CrampIntent", Muscle="calf")
    world.clock.now += timedelta(seconds=61)
    world.conversation(USER).intent("CrampIntent", Muscle="calf")
    assert len(world.episodes(USER)) == 2


def test_another_muscle_within_the_minute_is_another_cramp(world):
    world.conversation(USER).intent("CrampIntent", Muscle="calf")
    world.clock.now += timedelta(seconds=10)
    world.conversation(USER).intent("CrampIntent", Muscle="foot")
    assert sorted(e["muscle"] for e in world.episodes(USER)) == ["CALF", "FOOT"]


def test_a_cramp_that_ended_is_not_reopened_by_a_new_one_within_the_minute(world):
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    world.clock.now += timedelta(seconds=20)
    talk.intent("CrampGoneIntent")
    world.clock.now += timedelta(seconds=20)
    again = world.conversation(USER)
    again.intent("CrampIntent", Muscle="calf")
    world.clock.now += timedelta(seconds=5)
    again.intent("CrampGoneIntent")
    episodes = world.episodes(USER)
    assert [e["outcome"] for e in episodes] == ["RELIEVED", "RELIEVED"]
    assert episodes[0]["duration_s"] == 20 and episodes[1]["duration_s"] == 5
    [marker] = world.partition(USER, "OPEN#")
    assert marker["episode"] == episodes[1]["sk"][len("EP#"):]  # moved to the new cramp


def test_three_tries_in_a_minute_are_still_one_cramp(world):
    for _ in range(3):
        world.conversation(USER).intent("CrampIntent", Muscle="hamstring")
        world.clock.now += timedelta(seconds=15)
    assert len(world.episodes(USER)) == 1
