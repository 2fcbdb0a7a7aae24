"""Stored data moves forward (issue 19, part 12): history stored by the code before consent existed
(tests/fixtures/legacy/items.json, the committed forms of that code's items) stays readable until
the person next speaks to the skill; then they are asked once; "no" deletes it, "yes" keeps every
item. Nothing is lost that the person keeps, nothing kept that they refused."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import boto3
import pytest

from cramp_helper.storage import Store, user_key
from testkit.deletion import profile_of
from testkit.world import REGION, TABLE

USER = "amzn1.ask.account.BEFORECONSENT"
LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "legacy" / "items.json"
QUESTION = "Would you like me to keep a private log of your cramps"


@pytest.fixture
def legacy(world, monkeypatch):
    """The fixture's items in USER's partition, then two days pass; EPISODE_LOG=ask."""
    monkeypatch.setenv("EPISODE_LOG", "ask")
    table = boto3.client("dynamodb", region_name=REGION)
    for item in json.loads(LEGACY.read_text(encoding="utf-8")):
        table.put_item(TableName=TABLE, Item={**item, "pk": {"S": user_key(USER)}})
    world.clock.now += timedelta(days=2)
    return world


def kinds(world) -> list[str]:
    return sorted(i["sk"].split("#")[0] for i in world.partition(USER))


def test_the_fixture_is_what_the_old_code_stored_with_no_consent_on_it(legacy):
    assert kinds(legacy) == ["EP", "EP", "PROFILE", "PS"]
    assert "log_consent" not in profile_of(USER) and profile_of(USER)["voice"] == "WHISPER"
    assert len(Store(legacy.repository, USER).history()) == 3  # readable, before anyone speaks


def test_history_stays_readable_then_asks_once_and_no_deletes_it(legacy):
    talk = legacy.conversation(USER)
    reply = talk.intent("CrampCountIntent", Period="week")
    assert "You've had 2 cramps this week" in reply.speech  # still readable
    assert QUESTION in reply.speech and not reply.ended  # then asked
    reply = talk.intent("AMAZON.NoIntent")
    assert "I won't keep a log" in reply.speech
    assert "I've also deleted the cramps I had kept before" in reply.speech
    assert kinds(legacy) == ["PROFILE"]  # nothing kept that they refused
    profile = profile_of(USER)
    assert profile["log_consent"]["given"] is False and "open_episode" not in profile
    assert profile["voice"] == "WHISPER"  # a preference, not history: kept
    reply = legacy.conversation(USER).intent("CrampCountIntent", Period="week")
    assert reply.speech.startswith("I'm not keeping a log") and QUESTION not in reply.speech


def test_yes_keeps_every_item_and_history_no_longer_asks(legacy):
    talk = legacy.conversation(USER)
    talk.intent("HistorySummaryIntent")
    reply = talk.intent("AMAZON.YesIntent")
    assert "I'll log your cramps from now on" in reply.speech
    assert kinds(legacy) == ["EP", "EP", "PROFILE", "PS"]  # nothing lost that they keep
    profile = profile_of(USER)
    assert profile["log_consent"]["given"] is True and profile["voice"] == "WHISPER"
    assert "open_episode" in profile
    reply = legacy.conversation(USER).intent("HistorySummaryIntent")
    assert "you've had 2 cramps" in reply.speech and QUESTION not in reply.speech and reply.ended


def test_next_speaking_with_a_cramp_guides_first_then_asks_and_no_deletes_the_old_history(legacy):
    talk = legacy.conversation(USER)
    first = talk.intent("CrampIntent", Muscle="calf", Side="right")
    assert first.hold_seconds() > 0  # guidance never waits
    assert kinds(legacy) == ["EP", "EP", "PROFILE", "PS"]  # the new cramp not stored
    gone = talk.intent("CrampGoneIntent")
    assert QUESTION in gone.speech
    reply = talk.intent("AMAZON.NoIntent")
    assert "I've also deleted the cramps I had kept before" in reply.speech
    assert kinds(legacy) == ["PROFILE"]


def test_next_speaking_with_a_cramp_and_yes_logs_it_beside_the_old_history(legacy):
    talk = legacy.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf", Side="right")
    talk.intent("CrampGoneIntent")
    reply = talk.intent("AMAZON.YesIntent")
    assert "starting with this one" in reply.speech
    stored = json.loads(LEGACY.read_text(encoding="utf-8"))
    old = sorted(i["sk"]["S"] for i in stored if i["sk"]["S"].startswith("EP#"))
    episodes = legacy.episodes(USER)
    assert len(episodes) == 3 and set(old) < {e["sk"] for e in episodes}
    [new] = [e for e in episodes if e["sk"] not in old]
    assert (new["muscle"], new["side"], new["outcome"]) == ("CALF", "RIGHT", "RELIEVED")
