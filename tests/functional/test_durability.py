"""Writes that outlive their session, a closing turn that keeps the last word, one episode per
request, keyed pseudonyms.

The scenarios, what must hold and why: testkit/durability.py (described once there)."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from cramp_helper.config import TableConfig
from cramp_helper.storage import EpisodeRepository, Store, user_key
from cramp_helper.storage import keys as storage_keys
from testkit.durability import (
    CONTENT,
    assert_clean,
    both_stores_timing_out,
    new_user,
    redelivery,
    relieved,
    stopped_mid_cramp,
    whole_session_outage,
)
from testkit.fault_matrix import opening_words
from testkit.world import EVERYTHING, NIGHT, REGION, DurableWorld, World


@pytest.fixture
def durable(aws):
    return DurableWorld()


def test_a_whole_session_outage_is_stored_exactly_once_after_the_drain(durable):
    assert_clean(whole_session_outage(durable))


def test_a_session_that_resumes_after_the_drain_ends_the_same_episode(durable):
    user = new_user("RESUME")
    durable.table_down()
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")
    durable.faults.clear()
    durable.drain()
    durable.clock.now += timedelta(minutes=2)
    talk = durable.conversation(user)
    assert "Has it eased?" in talk.intent("StillCrampingIntent").speech
    talk.intent("CrampGoneIntent")
    [episode] = durable.mine(user)
    assert episode["outcome"] == "RELIEVED" and episode["muscle"] == "CALF"
    assert "open_episode" not in [i for i in durable.items() if i["sk"] == "PROFILE"][0]


def test_an_end_whose_start_never_landed_writes_both(durable):
    """Defensive: an end on its own (its start lost or still in flight) creates the episode whole."""
    pk = user_key(new_user("ENDONLY"))
    end = {"outcome": "RELIEVED", "ended_at": "2026-11-23T08:04:00Z", "duration_s": 109}
    message = {"v": 1, "kind": "writes", "pk": pk, "account": None, "ops": [
        {"op": "end", "id": "abc123", "fields": end,
         "item": {"started_at": "2026-11-23T08:02:11Z", "locale": "en-US"}}]}
    durable.sqs.send_message(QueueUrl=durable.queue_url, MessageBody=json.dumps(message))
    durable.sqs.send_message(QueueUrl=durable.queue_url, MessageBody=json.dumps(message))
    assert durable.drain() == {"messages": 2, "failed": 0}
    [episode] = [i for i in durable.items() if i["pk"] == pk]
    assert (episode["outcome"], episode["started_at"], episode["sk"]) == ("RELIEVED", "2026-11-23T08:02:11Z",
                                                                          "EP#abc123")


def test_a_message_that_keeps_failing_ends_in_the_dead_letter_queue(durable):
    user = new_user("DLQ")
    durable.table_down()
    relieved(durable.conversation(user), durable.clock)
    for operation in EVERYTHING:
        durable.drain_faults.fail(operation, "AccessDenied", times=1000)
    for _ in range(6):
        durable.drain(rounds=1)
    assert durable.queued() == 0 and durable.dead_letters() == 1  # five receives, then the DLQ


def test_an_unreadable_message_is_reported_never_dropped_silently(durable, capsys):
    durable.sqs.send_message(QueueUrl=durable.queue_url, MessageBody="{not json")
    durable.sqs.send_message(QueueUrl=durable.queue_url, MessageBody=json.dumps(
        {"v": 1, "kind": "writes", "pk": "amzn1.ask.account.RAW", "ops": []}))
    assert durable.drain(rounds=1)["failed"] == 2
    logs = capsys.readouterr().err
    assert "drain_message_unreadable" in logs and "amzn1.ask.account.RAW" not in logs


def test_no_queue_configured_logs_the_lost_writes_as_before(world, capsys):
    world.table_down = lambda: [world.faults.fail(op, "InternalServerError", times=100) for op in EVERYTHING]
    world.table_down()
    relieved(world.conversation(), world.clock)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    [lost] = [e for e in lines if e["event"] == "table_writes_lost"]
    assert lost["error_type"] == "NoQueue" and lost["level"] == "WARNING" and lost["queued"] == 1


def test_a_queued_message_carries_the_keyed_pseudonym_never_the_alexa_id(durable):
    user = new_user("PRIVATE")
    durable.table_down()
    stopped_mid_cramp(durable.conversation(user), durable.clock)
    [message] = durable.sqs.receive_message(QueueUrl=durable.queue_url)["Messages"]
    body = json.loads(message["Body"])
    assert user not in message["Body"] and body["pk"] == user_key(user)
    assert [op["op"] for op in body["ops"]] == ["start", "bookmark"]  # in order, together


def test_the_reserved_window_is_fresh_however_much_the_request_spent():
    from cramp_helper.storage import (
        StorageError,
        end_request_budget,
        reserved_budget,
        start_request_budget,
    )

    class Table:
        calls = 0

        def update_item(self, **_):
            Table.calls += 1
            return {}

    repository = EpisodeRepository(TableConfig(name="t", region=REGION), client=Table())
    start_request_budget(0.0)
    try:
        time.sleep(0.01)
        with pytest.raises(StorageError, match="Budget"):
            repository.update("USER#x", "EP#1", {"outcome": "RELIEVED"})
        with reserved_budget(0.5):
            assert repository.update("USER#x", "EP#1", {"outcome": "RELIEVED"})
        with pytest.raises(StorageError, match="Budget"):  # the request's own budget again
            repository.update("USER#x", "EP#1", {"outcome": "RELIEVED"})
    finally:
        end_request_budget()
    assert Table.calls == 1


def test_a_redelivered_request_or_message_writes_no_second_item(durable):
    assert_clean(redelivery(durable))


def test_the_episode_id_is_the_request_ids_hash_alone():
    assert Store.new_id("amzn1.echo-api.request.1") == Store.new_id("amzn1.echo-api.request.1")
    assert Store.new_id("amzn1.echo-api.request.1") != Store.new_id("amzn1.echo-api.request.2")
    assert len(Store.new_id("amzn1.echo-api.request.1")) == 20


def test_history_sorts_by_start_time_not_by_key(world):
    user = new_user("ORDER")
    talk = world.conversation(user)
    for minutes, muscle in ((0, "calf"), (30, "foot"), (60, "toes")):
        world.clock.now = NIGHT + timedelta(minutes=minutes)
        talk.intent("CrampIntent", Muscle=muscle)
        talk.intent("CrampGoneIntent")
    store = Store(world.repository, user)
    assert [e["muscle"] for e in store.history()] == ["CALF", "FOOT", "TOES"]
    assert store.newest_episode()["muscle"] == "TOES"


# --- keyed pseudonyms ---------------------------------------------------------------------------
def test_the_partition_key_is_an_hmac_named_by_its_key_id(monkeypatch):
    import hashlib
    import hmac

    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.setenv("CRAMP_KEY_SECRET", "s3cret-" * 6)
    monkeypatch.setenv("CRAMP_KEY_ID", "k2")
    user = "amzn1.ask.account.PSEUDONYM"
    # The HMAC input names the id's kind (issue 21): "account:<id>", never the bare id.
    expected = hmac.new(("s3cret-" * 6).encode(), f"account:{user}".encode(), hashlib.sha256).hexdigest()
    assert user_key(user) == f"USER#k2#{expected}"
    assert hashlib.sha256(user.encode()).hexdigest() not in user_key(user)  # not a plain hash
    monkeypatch.setenv("CRAMP_KEY_SECRET", "another-" * 6)
    assert user_key(user) != f"USER#k2#{expected}"  # without the secret, an id finds nothing


def test_outside_lambda_a_development_secret_is_used(monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.delenv("CRAMP_KEY_SECRET", raising=False)
    assert user_key("amzn1.ask.account.X").startswith("USER#dev#")


def test_in_lambda_without_a_secret_it_guides_stores_nothing_and_says_why(aws, monkeypatch, capsys):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "leg-cramp-helper")
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab")
    monkeypatch.delenv("CRAMP_KEY_SECRET", raising=False)
    world = World()
    reply = world.conversation(new_user("NOKEY")).intent("CrampIntent", Muscle="calf")
    assert "pull your toes up" in reply.speech
    assert world.items() == [] and world.faults.attempts == {}
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert any(e["event"] == "key_secret_missing" and e["level"] == "ERROR" for e in lines)
    monkeypatch.setenv("CRAMP_KEY_SECRET", "x" * 32)
    monkeypatch.setenv("CRAMP_KEY_ID", "not/valid")
    world.conversation(new_user("BADID")).intent("CrampIntent", Muscle="calf")
    assert world.items() == []


def test_the_secret_is_never_logged_or_shown(aws, monkeypatch, capsys):
    secret = "a-very-secret-value-for-the-pseudonyms"
    monkeypatch.setenv("CRAMP_KEY_SECRET", secret)
    world = DurableWorld()
    user = new_user("SECRET")
    world.table_down()
    relieved(world.conversation(user), world.clock)
    world.faults.clear()
    world.drain()
    from cramp_helper.config import pseudonym_key

    assert secret not in repr(pseudonym_key()) and secret not in repr(world.repository)
    assert secret not in capsys.readouterr().err
    assert secret not in json.dumps(world.items())


def test_the_store_never_holds_the_raw_id_anywhere(durable):
    user = new_user("RAW")
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("AMAZON.StopIntent")
    text = json.dumps(durable.items())
    assert user not in text and storage_keys.PARTITION.match(user_key(user))


def test_when_table_and_queue_both_time_out_the_send_gets_its_own_window(durable, capsys):
    """Issue 21, finding 9: every table call times out and the queue's first two sends time out
    too. The person hears the whole guidance and the relief; the hand-off, in a window of its own,
    tries the send again: one message queued, no table_writes_lost, and after the drain one
    episode, RELIEVED."""
    result = both_stores_timing_out(durable)
    assert result["first"].startswith(opening_words())
    assert result["answer"].startswith(CONTENT.phrase("relieved")[:30]) and result["ended"]
    assert result["sends"] == 3 and result["queued"] == 1
    events = [json.loads(line)["event"] for line in capsys.readouterr().err.splitlines()
              if line.startswith("{")]
    assert "table_writes_lost" not in events and "table_writes_handed_off" in events
    assert (result["stored"], result["outcome"], result["muscle"]) == (1, "RELIEVED", "CALF")
