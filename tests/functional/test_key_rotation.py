"""Issue 21, item 8 and finding 11a: key rotation, and the HMAC naming its kind. Histories written
before issue 21 (the plain HMAC of the bare id, under key id k1) are read after the skill moves to
key k2 (k1 kept as the previous key, with its own secret), moved to k2 the next time their owner
speaks, and deleted wherever they are by "delete my history" and SkillDisabled (testkit.rotation).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cramp_helper import drain
from cramp_helper.handlers.platform_events import EventNotProcessed
from cramp_helper.storage.keys import ACCOUNT as ACCOUNT_KIND
from cramp_helper.storage.keys import PERSON
from testkit.clock import alexa_timestamp
from testkit.conversation import Conversation, load_event
from testkit.people import ACCOUNT, ANA, BEN, speak
from testkit.rotation import (
    NEW,
    OLD,
    everywhere,
    items_at,
    keys,
    log_cramps,
    make_plain,
    named,
    plain,
)
from testkit.world import DurableWorld

NOTHING = "You haven't logged any cramps with me yet."
TWO = "In the last 30 days you've had 2 cramps."


@pytest.fixture
def durable(aws):
    return DurableWorld()


def _history(talk) -> str:
    return talk.intent("HistorySummaryIntent").speech


def _delete(talk) -> str:
    talk.intent("DeleteHistoryIntent")
    return talk.intent("AMAZON.YesIntent").speech


def _legacy(world, user="amzn1.ask.account.ROTATE", whisper=False) -> str:
    """Two relieved cramps (and maybe "whisper to me") under the plain k1 key, as before issue 21."""
    with keys(OLD):
        log_cramps(world, lambda: world.conversation(user), ["calf", "foot"])
        if whisper:
            world.conversation(user).intent("WhisperIntent")
    make_plain(world, [user])
    assert everywhere(world, user) == {"new": 0, "old named": 0, "old plain": 2}
    world.clock.now += timedelta(minutes=10)
    return user


def _logs(capsys) -> list[dict]:
    return [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]


def test_an_old_plain_history_is_heard_moved_when_its_owner_speaks_and_deleted(world):
    user = _legacy(world, whisper=True)
    old = {i["started_at"]: i for i in items_at(world, plain(user), "EP#")}
    with keys(NEW, OLD):
        assert _history(world.conversation(user)).startswith(TWO)  # read, and moved on that turn
        assert everywhere(world, user) == {"new": 2, "old named": 0, "old plain": 0}
        moved = {i["started_at"]: i for i in items_at(world, named(user, NEW), "EP#")}
        for started, item in old.items():  # as they were: muscle, outcome, duration, retention
            assert {k: v for k, v in moved[started].items() if k != "pk"} == \
                   {k: v for k, v in item.items() if k != "pk"}
        assert items_at(world, plain(user)) == []  # the old PROFILE too

        talk = world.conversation(user)
        talk.intent("CrampIntent", Muscle="calf")
        assert "whispered" in talk.intent("StillCrampingIntent").ssml  # the moved preference
        talk.intent("CrampGoneIntent")
        assert everywhere(world, user) == {"new": 3, "old named": 0, "old plain": 0}

        assert _delete(world.conversation(user)).startswith("Done.")
        assert everywhere(world, user) == {"new": 0, "old named": 0, "old plain": 0}
        assert _history(world.conversation(user)).startswith(NOTHING)


def test_a_move_cut_short_reads_both_once_and_finishes_next_time(world):
    user, other = _legacy(world), _legacy(world, "amzn1.ask.account.ROTATEB")
    with keys(NEW, OLD):
        world.faults.fail("BatchWriteItem", "Throttling", times=1000)  # copied, never deleted
        assert _history(world.conversation(user)).startswith(TWO)
        assert everywhere(world, user) == {"new": 2, "old named": 0, "old plain": 2}
        assert _history(world.conversation(user)).startswith(TWO)  # each cramp counted once
        world.faults.clear()
        world.faults.fail("TransactWriteItems", "Throttling", times=1000)  # nothing copied either
        assert _history(world.conversation(other)).startswith(TWO)  # read where it is
        assert everywhere(world, other) == {"new": 0, "old named": 0, "old plain": 2}
        world.faults.clear()
        world.clock.now += timedelta(minutes=1)
        for who in (user, other):
            assert _history(world.conversation(who)).startswith(TWO)
            assert everywhere(world, who) == {"new": 2, "old named": 0, "old plain": 0}


def test_delete_my_history_before_the_move_reaches_the_old_partition(world):
    user = _legacy(world)
    with keys(NEW, OLD):
        world.faults.fail("TransactWriteItems", "Throttling", times=1000)  # the move cannot copy
        assert _delete(world.conversation(user)).startswith("Done.")
        world.faults.clear()
        assert everywhere(world, user) == {"new": 0, "old named": 0, "old plain": 0}
        assert _history(world.conversation(user)).startswith(NOTHING)
        world.clock.now += timedelta(minutes=1)
        log_cramps(world, lambda: world.conversation(user), ["hamstring"])
        assert _history(world.conversation(user)).startswith("In the last 30 days you've had one cramp.")


def test_a_person_and_the_account_move_apart_and_skill_disabled_reaches_every_partition(durable):
    with keys(OLD):
        log_cramps(durable, lambda: speak(durable, ANA), ["calf", "foot"])
        log_cramps(durable, lambda: speak(durable, None), ["hamstring", "calf"])
    make_plain(durable, [ANA, ACCOUNT])
    durable.clock.now += timedelta(minutes=10)
    with keys(NEW, OLD):
        assert _history(speak(durable, ANA)).startswith(TWO)  # Ana's moves; the account's waits
        assert everywhere(durable, ANA) == {"new": 2, "old named": 0, "old plain": 0}
        assert everywhere(durable, ACCOUNT) == {"new": 0, "old named": 0, "old plain": 2}
        member = "MEMBER#" + named(ANA, NEW, PERSON)
        assert member in {i["sk"] for i in items_at(durable, named(ACCOUNT, NEW, ACCOUNT_KIND))}
        log_cramps(durable, lambda: speak(durable, BEN), ["foot"])  # Ben only ever under k2

        durable.clock.now += timedelta(minutes=5)
        event = load_event("skill_disabled")
        event["context"]["System"]["user"]["userId"] = ACCOUNT
        now = alexa_timestamp(durable.clock())
        event["request"]["eventCreationTime"] = event["request"]["timestamp"] = now
        assert durable.handler(event, None)["response"] == {}
        durable.drain()
        for person in (ANA, BEN, ACCOUNT):
            assert everywhere(durable, person) == {"new": 0, "old named": 0, "old plain": 0}
        durable.clock.now += timedelta(days=1)
        for person in (ANA, BEN, None):
            assert _history(speak(durable, person)).startswith(NOTHING)


def test_without_the_previous_secret_nothing_claims_the_whole_history(world, capsys):
    user = _legacy(world)
    with keys(NEW, OLD, previous_secret=False):
        assert _history(world.conversation(user)) == ("Sorry, I can't reach your cramp history right "
                                                      "now. Please try again in a minute.")
        assert _delete(world.conversation(user)).startswith("Sorry, I couldn't delete all of your history")
        assert everywhere(world, user) == {"new": 0, "old named": 0, "old plain": 2}
        talk = world.conversation(user)
        assert "calf" in talk.intent("CrampIntent", Muscle="calf").speech  # guidance goes on
        talk.intent("CrampGoneIntent")
        assert everywhere(world, user)["new"] == 1
        event = load_event("skill_disabled")  # not claimed done either: Alexa delivers it again
        event["context"]["System"]["user"]["userId"] = user
        event["request"]["eventCreationTime"] = event["request"]["timestamp"] = alexa_timestamp(world.clock())
        with pytest.raises(EventNotProcessed):
            world.handler(event, None)
        assert everywhere(world, user) == {"new": 1, "old named": 0, "old plain": 2}
    missing = [x for x in _logs(capsys) if x["event"] == "key_secret_missing"]
    assert missing and all(x["level"] == "ERROR" and x["key"] == "previous" for x in missing)


def test_a_person_id_that_spells_an_account_id_never_reaches_that_accounts_history(world):
    victim = "amzn1.ask.account.VICTIM"
    log_cramps(world, lambda: world.conversation(victim), ["calf", "foot"])

    class Forged(Conversation):  # another account, its "person" carrying the victim's account id
        def _envelope(self, fixture, request=None):
            envelope = super()._envelope(fixture, request)
            envelope["context"]["System"]["person"] = {"personId": victim, "accessToken": "t"}
            return envelope

    forged = Forged(handler=world.handler, clock=world.clock, user_id="amzn1.ask.account.OTHER")
    assert _history(forged).startswith(NOTHING)
    assert _delete(Forged(handler=world.handler, clock=world.clock, user_id="amzn1.ask.account.OTHER")
                   ).startswith("There was nothing stored to delete")
    assert _history(world.conversation(victim)).startswith(TWO)


def test_queued_writes_under_the_previous_key_land_and_move_and_unknown_keys_are_refused(durable):
    user = _legacy(durable)
    late = {"v": 1, "kind": "writes", "pk": plain(user), "account": None,
            "ops": [{"op": "start", "id": "0" * 20, "end": {"outcome": "RELIEVED"},
                     "item": {"started_at": alexa_timestamp(durable.clock())[:19] + "Z", "muscle": "CALF",
                              "locale": "en-US"}}]}
    k9 = dict(late, pk=late["pk"].replace("USER#k1#", "USER#k9#"))
    batch = {"Records": [{"messageId": "late", "body": json.dumps(late)},
                         {"messageId": "k9", "body": json.dumps(k9)}]}
    with keys(NEW, OLD):
        assert _history(durable.conversation(user)).startswith(TWO)  # moved
        assert drain.handler(batch, repository=durable.drain_repository) == {
            "batchItemFailures": [{"itemIdentifier": "k9"}]}
        assert everywhere(durable, user) == {"new": 2, "old named": 0, "old plain": 1}
        durable.clock.now += timedelta(minutes=1)
        assert _history(durable.conversation(user)).startswith("In the last 30 days you've had 3 cramps.")
        assert everywhere(durable, user) == {"new": 3, "old named": 0, "old plain": 0}
    with keys(NEW):  # the rotation is over: k1 is no longer in use
        assert drain.handler(batch, repository=durable.drain_repository) == {
            "batchItemFailures": [{"itemIdentifier": "late"}, {"itemIdentifier": "k9"}]}


def test_once_the_rotation_is_over_skill_disabled_leaves_the_old_key_alone(durable):
    """A member record copied from the old account partition names a person's old partition; once
    the previous key is dropped that partition is unreachable (and expires): SkillDisabled neither
    writes there nor queues a purge the drain would refuse."""
    with keys(OLD):
        log_cramps(durable, lambda: speak(durable, ANA), ["calf"])
        log_cramps(durable, lambda: speak(durable, None), ["foot"])
    make_plain(durable, [ANA, ACCOUNT])
    with keys(NEW, OLD):
        _history(speak(durable, None))  # the account moves, with its member record of Ana's old key
    assert "MEMBER#" + plain(ANA) in {i["sk"] for i in items_at(durable, named(ACCOUNT, NEW, ACCOUNT_KIND))}
    with keys(NEW):
        durable.clock.now += timedelta(minutes=5)
        event = load_event("skill_disabled")
        event["context"]["System"]["user"]["userId"] = ACCOUNT
        now = alexa_timestamp(durable.clock())
        event["request"]["eventCreationTime"] = event["request"]["timestamp"] = now
        durable.faults.fail("BatchWriteItem", "Throttling", times=1000)  # so the rest is queued
        assert durable.handler(event, None)["response"] == {}
        durable.faults.clear()
        durable.drain()
        assert durable.dead_letters() == 0
        assert everywhere(durable, ACCOUNT)["new"] == 0
    left = [i["sk"] for i in items_at(durable, plain(ANA)) if not i["sk"].startswith("OPEN#")]
    assert len(left) == 1 and left[0].startswith("EP#")  # untouched: no tombstone written there
