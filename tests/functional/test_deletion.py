"""Deletion that finishes, and stays finished.

The scenarios, what must hold and why: testkit/deletion.py (described once there)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cramp_helper.storage import erase as storage_erase
from testkit.deletion import (
    WORDS,
    deletion_at_scale,
    left,
    outage_delete,
    profile_of,
    resurrection_race,
    say_delete,
    seed,
)
from testkit.durability import DurableWorld, assert_clean, new_user, relieved
from testkit.world import NIGHT


@pytest.fixture
def durable(aws):
    return DurableWorld()


@pytest.mark.serial
@pytest.mark.slow
def test_five_thousand_items_are_all_deleted_through_throttling_and_unprocessed_items(durable, monkeypatch):
    # make faults also runs the forced hand-off, and asks for the history right after each delete
    # (test_what_does_not_fit_continues_as_a_purge_job_until_done does both on a smaller history).
    # moto answers a batch of 25 deletes in about 70 ms (DynamoDB in a few): the request's window
    # is scaled to match, so the request itself still meets throttling and unprocessed items.
    monkeypatch.setattr(storage_erase, "DELETE_WINDOW_S", 4 * storage_erase.DELETE_WINDOW_S)
    row = deletion_at_scale(durable, forced=(False,), check_history=False)
    assert_clean(row)
    assert "unprocessed items retried: 0 " not in row.detail


def test_what_does_not_fit_continues_as_a_purge_job_until_done(durable, monkeypatch):
    user = new_user("PURGE")
    seed(durable, user, 120)
    monkeypatch.setattr(storage_erase, "DELETE_WINDOW_S", 0.0)  # nothing fits in the request
    monkeypatch.setattr(storage_erase, "PURGE_WINDOW_S", 0.0)  # one page and one batch per run
    assert say_delete(durable, user).speech == WORDS["deleted"]
    assert left(durable, user) and durable.queued() == 1
    # Meanwhile history shows nothing: the tombstone hides what the purge has not reached yet.
    assert durable.conversation(user).intent("LastCrampIntent").speech.startswith("You haven't")
    drained = durable.drain(rounds=500)
    assert left(durable, user) == [] and durable.queued() == 0
    assert drained["messages"] == 5  # 120 items, 25 a run: it sent itself on four times


def test_without_a_queue_an_unfinished_delete_says_so_and_asking_again_finishes(world, monkeypatch):
    user = new_user("NOQUEUE")
    seed(world, user, 300)
    monkeypatch.setattr(storage_erase, "DELETE_WINDOW_S", 0.0)
    talk = world.conversation(user)
    talk.intent("DeleteHistoryIntent")
    assert talk.intent("AMAZON.YesIntent").speech == WORDS["failed"]
    assert world.conversation(user).intent("LastCrampIntent").speech.startswith("You haven't")
    monkeypatch.setattr(storage_erase, "DELETE_WINDOW_S", 10.0)
    talk = world.conversation(user)
    talk.intent("DeleteHistoryIntent")
    assert talk.intent("AMAZON.YesIntent").speech == WORDS["deleted"]
    assert [i for i in world.items() if i["sk"] != "PROFILE"] == []


def test_a_lasting_failure_hands_the_whole_deletion_to_the_queue(durable):
    user = new_user("LASTING")
    seed(durable, user, 30)
    durable.faults.fail("UpdateItem", "AccessDenied", times=1)  # even the tombstone
    # Nothing is deleted yet: it says so, and when it will be (issue 21, finding 1).
    assert say_delete(durable, user).speech == WORDS["deleting"]
    durable.drain()
    assert left(durable, user) == []


def test_the_tombstone_is_all_that_is_left_and_it_expires(durable):
    user = new_user("TOMB")
    talk = durable.conversation(user)
    talk.intent("WhisperIntent")
    relieved(durable.conversation(user), durable.clock)
    say_delete(durable, user)
    profile = profile_of(user)
    assert left(durable, user) == []
    assert set(profile) == {"pk", "sk", "kind", "deleted_at", "expires_at", "schema_version"}
    assert profile["expires_at"] > NIGHT.timestamp()


def test_nothing_deleted_comes_back_whatever_the_race(durable):
    assert_clean(resurrection_race(durable))


def test_a_late_purge_never_deletes_what_came_after_the_deletion(durable, monkeypatch):
    user = new_user("LATE")
    seed(durable, user, 200)
    monkeypatch.setattr(storage_erase, "DELETE_WINDOW_S", 0.0)
    say_delete(durable, user)  # all handed to the purge job, which has not run yet
    durable.clock.now += timedelta(minutes=3)
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("CrampGoneIntent")
    durable.drain(rounds=100)
    [kept] = left(durable, user)
    assert kept["outcome"] == "RELIEVED" and kept["started_at"] > "2026-11-23T08:02:11Z"


def test_the_tombstone_never_moves_back_in_time(durable):
    from cramp_helper.storage import Store

    user = new_user("ORDER")
    store = Store(durable.repository, user)
    store.delete_all(at="2026-11-23T09:00:00Z")
    store.delete_all(at="2026-11-23T08:00:00Z")  # an older request, processed late
    assert profile_of(user)["deleted_at"] == "2026-11-23T09:00:00Z"


def test_a_delete_during_a_table_outage_says_it_has_started_never_done(durable):
    """Issue 21, finding 1: with the table down, "yes" used to hear "Done" while nothing was deleted.
    Now: the purge job is queued, the answer says it has started and will be complete within the
    hour, the session honours the deletion, the job deletes everything once the table is back, and a
    purge that never gets through ends in the DLQ (alarmed: tests/system/test_deploy.py)."""
    result = outage_delete(durable)
    assert result["answer"].startswith(
        "I've started deleting your cramp history. It will be complete within the hour.")
    assert "Done" not in result["answer"] and not result["ended"]  # mid-cramp: back to the check-in
    assert result["left_at_once"] == 4 and result["queued"] == 1 and result["purge_at"]
    assert result["history_in_session"].startswith("You haven't logged any cramps with me yet."), result
    assert result["left_after_drain"] == 0
    assert result["tombstone"] == result["purge_at"]
    assert result["history_after"].startswith("You haven't logged any cramps with me yet."), result
    assert result["other_answer"] == WORDS["deleting"]
    assert result["dead_letters"] == 1
