"""Issue 21, findings 2 and 3: bookmarks in order. A bookmark carries its episode and a version; the
store (direct writes and the drain alike) applies one only if it is newer than any bookmark the
profile has held and its episode has not ended. Replays, late messages and redrives change nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cramp_helper import drain
from cramp_helper.storage import user_key
from testkit.durability import new_user
from testkit.world import DurableWorld


@pytest.fixture
def durable(aws):
    return DurableWorld()


def _profile(world, user) -> dict:
    return next((i for i in world.partition(user) if i["sk"] == "PROFILE"), {})


def _bookmark_message(user, snapshot) -> dict:
    return {"v": 1, "kind": "writes", "pk": user_key(user), "account": None,
            "ops": [{"op": "bookmark", "snapshot": snapshot}]}


def _deliver(world, *messages) -> dict:
    event = {"Records": [{"messageId": f"m{n}", "body": json.dumps(m)} for n, m in enumerate(messages)]}
    return drain.handler(event, repository=world.drain_repository)


def test_a_replayed_bookmark_never_revives_a_finished_episode(durable):
    user = new_user("REPLAY")
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")
    snapshot = _profile(durable, user)["open_episode"]
    assert snapshot["version"] > 0 and snapshot["id"]  # every bookmark names its episode and version

    durable.clock.now += timedelta(minutes=1)
    talk = durable.conversation(user)
    assert talk.intent("StillCrampingIntent").speech.startswith("Welcome back to your left calf.")
    durable.clock.now += timedelta(seconds=50)
    talk.intent("CrampGoneIntent")
    [first] = durable.mine(user)
    assert first["outcome"] == "RELIEVED" and first["duration_s"] == 110

    # SQS redelivers the old bookmark message (or a DLQ redrive replays it): nothing changes.
    assert _deliver(durable, _bookmark_message(user, snapshot)) == {"batchItemFailures": []}
    assert "open_episode" not in _profile(durable, user)

    durable.clock.now += timedelta(minutes=5)
    talk = durable.conversation(user)
    reply = talk.intent("StillCrampingIntent")
    # a new cramp, not the finished one resumed ("Welcome back to your left calf")
    assert reply.speech.startswith("Let's start with your calf, where most night cramps are.")
    talk.intent("CrampGoneIntent")
    episodes = durable.episodes(user)
    assert len(episodes) == 2
    assert episodes[0]["outcome"] == "RELIEVED" and episodes[0]["duration_s"] == 110

    durable.clock.now += timedelta(minutes=45)
    assert _deliver(durable, _bookmark_message(user, snapshot)) == {"batchItemFailures": []}
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="foot", Side="right")
    talk.intent("CrampGoneIntent")
    episodes = durable.episodes(user)
    assert [e["outcome"] for e in episodes] == ["RELIEVED", "RELIEVED", "RELIEVED"]


def test_a_late_queued_bookmark_never_overwrites_a_newer_one(durable):
    user = new_user("LATE")
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    durable.faults.fail("UpdateItem", "Throttling", times=1000)
    durable.faults.fail("TransactWriteItems", "Throttling", times=1000)
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")  # E1's bookmark goes to the queue
    durable.faults.clear()
    assert durable.queued() == 1

    durable.clock.now += timedelta(minutes=20)
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="hamstring", Side="right")
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")  # E2's bookmark written directly
    assert _profile(durable, user)["open_episode"]["muscle"] == "HAMSTRING"

    durable.drain()  # E1's bookmark arrives late: refused
    assert durable.dead_letters() == 0 and durable.queued() == 0
    assert _profile(durable, user)["open_episode"]["muscle"] == "HAMSTRING"

    durable.clock.now += timedelta(minutes=2)
    talk = durable.conversation(user)
    assert talk.intent("StillCrampingIntent").speech.startswith(
        "Welcome back to the back of your right thigh.")
    talk.intent("CrampGoneIntent")
    outcomes = {e["muscle"]: e.get("outcome") for e in durable.mine(user)}
    assert outcomes["HAMSTRING"] == "RELIEVED"


def test_an_old_versionless_bookmark_counts_as_the_oldest(durable):
    user = new_user("LEGACY")
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="hamstring", Side="right")
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")
    stored = _profile(durable, user)["open_episode"]
    legacy = {k: v for k, v in stored.items() if k != "version"}
    legacy.update(id="0123456789abcdef0123", muscle="CALF",
                  closed_at=(durable.clock.now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert _deliver(durable, _bookmark_message(user, legacy)) == {"batchItemFailures": []}
    assert _profile(durable, user)["open_episode"] == stored


# --- "it's back" (issue 17, the rest of the night) -------------------------------------------------
def _cramp_then_silence(world, user):
    talk = world.conversation(user)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")
    world.clock.now += timedelta(minutes=8)


def test_its_back_takes_up_the_bookmarked_cramp_even_when_the_later_cramps_cannot_be_read(durable):
    """The read of the cramps begun since the close fails: the bookmark is taken up as before (a
    failed look-up reads as none), never a lost cramp or an error."""
    user = new_user("BACKOUTAGE")
    _cramp_then_silence(durable, user)
    durable.faults.fail("Query", "Throttling", times=1000)
    reply = durable.conversation(user).intent("CrampIntent")
    assert reply.speech.startswith("Welcome back to your left calf.") and not reply.ended
    durable.faults.clear()
    assert len(durable.episodes(user)) == 1


def test_someone_elses_cramp_leaves_the_speakers_bookmark_alone(durable):
    """ "My wife's got a cramp" eight minutes after the speaker's own calf went quiet: her cramp is
    guided and logged nowhere; the speaker's "it's back" afterwards still takes up their calf."""
    user = new_user("BACKOTHER")
    _cramp_then_silence(durable, user)
    helper = durable.conversation(user)
    reply = helper.intent("CrampIntent", Who="wife")
    assert "Welcome back" not in reply.speech and len(durable.episodes(user)) == 1
    helper.intent("AMAZON.StopIntent")
    durable.clock.now += timedelta(minutes=1)
    again = durable.conversation(user).intent("CrampIntent")
    assert again.speech.startswith("Welcome back to your left calf.")
    assert len(durable.episodes(user)) == 1
