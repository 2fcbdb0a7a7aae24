"""Two people on one account, and a speaker Alexa does not recognise.

When Alexa recognises a voice profile (context.System.person.personId), the episodes, the history,
the voice preference, the open-cramp bookmark and "delete my history" are that person's; otherwise
they are the account's. The three never mix. Disabling the skill deletes all of them: each person's
first write registers them in the account's partition, so the account's deletion can find them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cramp_helper.storage import Store
from testkit.conversation import load_event
from testkit.deletion import left
from testkit.durability import DurableWorld, assert_clean
from testkit.people import (
    ACCOUNT,
    ANA,
    BEN,
    speak,
    store,
    two_people,
)


@pytest.fixture
def durable(aws):
    return DurableWorld()


def test_two_people_and_the_account_never_mix(durable):
    assert_clean(two_people(durable))


def test_a_recognised_person_resumes_their_own_open_cramp_only(durable):
    ben = speak(durable, BEN)
    ben.intent("CrampIntent", Muscle="foot", Side="left")
    ben.session_ended("EXCEEDED_MAX_REPROMPTS")
    durable.clock.now += timedelta(minutes=2)
    ana = speak(durable, ANA)
    ana.intent("StillCrampingIntent")
    assert ana.attributes["cramp"].get("muscle") != "FOOT"  # Ana is not walked through Ben's foot
    again = speak(durable, BEN)
    again.intent("StillCrampingIntent")
    assert (again.attributes["cramp"]["muscle"], again.attributes["cramp"]["side"]) == ("FOOT", "LEFT")
    again.intent("CrampGoneIntent")
    [episode] = [i for i in left(durable, BEN) if i["sk"].startswith("EP#")]
    assert episode["outcome"] == "RELIEVED" and episode["side"] == "LEFT"


def test_skill_disabled_finds_people_registered_only_through_the_queue(durable):
    """Ana's first ever cramp is written while the table is down (so her registration travels
    through the queue with it); the skill is disabled before the drain runs; nothing of hers lands."""
    durable.table_down()
    talk = speak(durable, ANA)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("CrampGoneIntent")
    durable.faults.clear()
    durable.clock.now += timedelta(minutes=1)
    event = load_event("skill_disabled")
    event["context"]["System"]["user"]["userId"] = ACCOUNT
    event["request"]["timestamp"] = durable.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    durable.handler(event, None)
    durable.drain()
    assert left(durable, ANA) == [] and left(durable, ACCOUNT) == []


def test_a_persons_writes_check_the_accounts_disabled_tombstone(durable):
    s = store(durable, ANA)
    Store(durable.repository, ACCOUNT).delete_everything(at="2026-11-23T09:00:00Z")
    s.start_episode("before", {"started_at": "2026-11-23T08:59:00Z", "muscle": "CALF"})
    s.start_episode("after", {"started_at": "2026-11-23T09:01:00Z", "muscle": "CALF"})
    assert [i["sk"] for i in left(durable, ANA)] == ["EP#after"]
