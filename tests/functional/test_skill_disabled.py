"""Issue 21, findings 5, 6 and 11 (MEMBER#): SkillDisabled that finishes. A failed deletion queues a
purge of the account and its people; with the queue down too the invocation fails, so Alexa
delivers the event again; the cut-off is the event's eventCreationTime; every write that may keep
a person's partition alive refreshes their MEMBER# item in the account."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from cramp_helper.handlers.platform_events import EventNotProcessed
from cramp_helper.storage import user_key
from testkit.clock import alexa_timestamp
from testkit.conversation import load_event
from testkit.people import ACCOUNT, ANA, speak
from testkit.world import REGION, DurableWorld


@pytest.fixture
def durable(aws):
    return DurableWorld()


def _queue_down(world) -> None:
    client = boto3.client("sqs", region_name=REGION)

    def refuse(**_):
        raise EndpointConnectionError(endpoint_url="https://sqs.fault")

    client.meta.events.register("before-call.sqs.SendMessage", refuse)
    world.repository.outbox.client = client


def _disabled(world, created, sent=None) -> dict:
    event = load_event("skill_disabled")
    event["context"]["System"]["user"]["userId"] = ACCOUNT
    event["request"]["eventCreationTime"] = alexa_timestamp(created)
    event["request"]["timestamp"] = alexa_timestamp(sent or created)
    return event


def _history(world, person) -> str:
    return speak(world, person).intent("HistorySummaryIntent").speech


def _cramp(world, person, muscle="calf") -> None:
    talk = speak(world, person)
    talk.intent("CrampIntent", Muscle=muscle)
    talk.intent("CrampGoneIntent")


def _logs(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


def test_a_failed_skill_disabled_queues_a_purge_of_the_account_and_its_people(durable, capsys):
    _cramp(durable, ANA)
    _cramp(durable, None)
    durable.clock.now += timedelta(minutes=5)
    durable.faults.fail("Query", "Throttling", times=1000)  # the member Query (and the sweep) fail
    response = durable.handler(_disabled(durable, durable.clock()), None)
    assert response["response"] == {}  # answered: the purge is on its way
    durable.faults.clear()
    assert durable.queued() >= 1
    durable.drain()
    assert durable.dead_letters() == 0
    for person in (ANA, ACCOUNT):
        assert [i["sk"] for i in durable.partition(person)] == ["PROFILE"]
    durable.clock.now += timedelta(days=1)  # re-enabled with the same userId: nothing old is heard
    for person in (ANA, None):
        assert _history(durable, person) == ("You haven't logged any cramps with me yet. If one wakes "
                                             "you, just tell me where it is.")
    assert any(e["event"] == "purge_handed_off" for e in _logs(capsys))


def test_with_the_queue_down_too_the_invocation_fails_and_alexas_retry_finishes(durable, capsys):
    _cramp(durable, ANA)
    durable.clock.now += timedelta(minutes=5)
    event = _disabled(durable, durable.clock())
    durable.faults.fail("Query", "Throttling", times=1000)
    _queue_down(durable)
    with pytest.raises(EventNotProcessed):
        durable.handler(event, None)
    [line] = [e for e in _logs(capsys) if e["event"] == "skill_disabled_delete_failed"]
    assert line["level"] == "ERROR" and line["retried_by"] == "alexa"
    assert len(durable.episodes(ANA)) == 1  # not deleted, and not claimed to be

    durable.faults.clear()
    durable.clock.now += timedelta(minutes=1)
    event["request"]["timestamp"] = alexa_timestamp(durable.clock())  # Alexa's retry
    assert durable.handler(event, None)["response"] == {}
    assert durable.episodes(ANA) == []


def test_the_cut_off_is_the_events_creation_time_not_its_delivery(durable):
    _cramp(durable, ANA, "calf")
    disabled_at = durable.clock.now + timedelta(minutes=1)
    durable.clock.now += timedelta(minutes=3)  # re-enabled, and a new cramp logged
    _cramp(durable, ANA, "foot")
    durable.clock.now += timedelta(minutes=2)  # the SkillDisabled event arrives late
    durable.handler(_disabled(durable, disabled_at, sent=durable.clock()), None)
    [kept] = durable.episodes(ANA)
    assert kept["muscle"] == "FOOT"
    assert _history(durable, ANA).startswith("In the last 30 days you've had one cramp.")
    assert "in your foot" in _history(durable, ANA)


def test_end_and_bookmark_writes_refresh_the_persons_member_item(durable):
    member = {"TableName": "cramps-test",
              "Key": {"pk": {"S": user_key(ACCOUNT)}, "sk": {"S": "MEMBER#" + user_key(ANA)}}}
    talk = speak(durable, ANA)
    talk.intent("CrampIntent", Muscle="calf")
    durable.reader.delete_item(**member)  # as if expired, or lost
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")  # the bookmark write
    assert "Item" in durable.reader.get_item(**member)
    durable.reader.delete_item(**member)
    durable.clock.now += timedelta(minutes=1)
    talk = speak(durable, ANA)
    talk.intent("StillCrampingIntent")
    talk.intent("CrampGoneIntent")  # the end write
    assert "Item" in durable.reader.get_item(**member)
    durable.handler(_disabled(durable, durable.clock()), None)
    assert durable.episodes(ANA) == []
