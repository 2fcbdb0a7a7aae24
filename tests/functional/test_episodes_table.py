"""Episodes in DynamoDB (moto): item shape, one write per start, idempotent retries, outcomes,
and no episode lost when the table fails."""

import copy
import json
import re
from datetime import timedelta

import pytest

from cramp_helper.storage import RETENTION_DAYS, user_key
from testkit.world import NIGHT, World

USER = "amzn1.ask.account.NIGHTOWL"


def test_an_episode_is_stored_with_its_whole_shape(world):
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    [item] = world.episodes()
    assert item["pk"] == user_key(USER) and USER not in json.dumps(item)
    assert re.fullmatch(r"EP#[0-9a-f]{20}", item["sk"])  # from the request id alone
    assert item["started_at"] == "2026-11-23T08:02:11Z"
    assert item["local_time"] == "2026-11-23T03:02:11-05:00"  # from the device's time zone
    assert (item["muscle"], item["side"], item["locale"]) == ("CALF", "LEFT", "en-US")
    assert item["schema_version"] == 1 and item["kind"] == "episode"
    assert item["expires_at"] == int(NIGHT.timestamp()) + RETENTION_DAYS * 86400
    assert "outcome" not in item

    world.clock.now += timedelta(seconds=75)
    talk.intent("StillCrampingIntent")
    world.clock.now += timedelta(seconds=40)
    talk.intent("CrampGoneIntent")
    [item] = world.episodes()
    assert item["outcome"] == "RELIEVED"
    assert item["ended_at"] == "2026-11-23T08:04:06Z" and item["duration_s"] == 115
    assert item["techniques"] == ["calf_toe_pull", "calf_stand_press"]


def test_one_write_to_start_none_on_the_way_and_one_to_end(world):
    talk = world.conversation()
    talk.intent("CrampIntent", Muscle="foot")
    assert world.faults.attempts == {"TransactWriteItems": 1}  # no reads on the guidance path
    for nav in ("AMAZON.NextIntent", "AMAZON.RepeatIntent", "AMAZON.PreviousIntent",
                "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "StillCrampingIntent"):
        talk.intent(nav)
    # No writes on the way; the voice preference is read once per session, after first guidance.
    assert world.faults.attempts == {"TransactWriteItems": 1, "GetItem": 1}
    talk.intent("CrampGoneIntent")
    assert world.faults.attempts == {"TransactWriteItems": 1, "GetItem": 1, "UpdateItem": 1}


def test_alexa_retrying_the_same_request_never_duplicates_the_episode(world):
    talk = world.conversation(USER)
    envelope = talk._envelope("one_shot_calf")
    first = world.handler(copy.deepcopy(envelope), None)
    again = world.handler(copy.deepcopy(envelope), None)
    assert first["response"] == again["response"]
    assert len(world.episodes()) == 1


def test_the_time_zone_is_looked_up_once_per_session(world):
    talk = world.conversation()
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("StillCrampingIntent")
    talk.intent("CrampGoneIntent")
    assert len([u for u in world.api.urls() if "timeZone" in u]) == 1
    talk.intent("CrampIntent", Muscle="toes")  # a new session asks again
    assert len([u for u in world.api.urls() if "timeZone" in u]) == 2


@pytest.mark.parametrize("routes", [
    {("GET", "/settings/System.timeZone"): (500, {"message": "boom"})},
    {("GET", "/settings/System.timeZone"): TimeoutError("slow")},
    {("GET", "/settings/System.timeZone"): (200, '"Not/AZone"')},
])
def test_without_a_time_zone_the_episode_is_still_stored_in_utc(aws, routes):
    world = World(zone=None, api_routes=routes)
    reply = world.conversation().intent("CrampIntent", Muscle="calf")
    assert "pull your toes up" in reply.speech
    [item] = world.episodes()
    assert "local_time" not in item and item["started_at"] == "2026-11-23T08:02:11Z"


@pytest.mark.parametrize("ending,outcome", [
    (lambda t: t.intent("CrampGoneIntent"), "RELIEVED"),
    (lambda t: t.intent("AMAZON.YesIntent"), "RELIEVED"),
    (lambda t: t.intent("AMAZON.StopIntent"), "ABANDONED"),
    (lambda t: t.session_ended("EXCEEDED_MAX_REPROMPTS"), "ABANDONED"),
    (lambda t: t.intent("RedFlagIntent", Symptom="swollen"), "RED_FLAG"),
    (lambda t: t.intent("LastCrampIntent"), "ABANDONED"),
])
def test_every_way_an_episode_ends_records_its_outcome(world, ending, outcome):
    talk = world.conversation()
    talk.intent("CrampIntent", Muscle="hamstring", Side="right")
    ending(talk)
    [item] = world.episodes()
    if outcome == "ABANDONED":
        # The session closed mid-cramp: the episode keeps its place for twenty minutes, in case
        # the person comes back; past that, the next session that reads the profile ends it.
        assert "outcome" not in item
        world.clock.now += timedelta(minutes=21)
        talk.launch()
        [item] = world.episodes()
    assert item["outcome"] == outcome


def test_a_routine_run_to_its_end_and_declined_is_still_cramping(world):
    talk = world.conversation()
    talk.intent("CrampIntent", Muscle="quads")
    for _ in range(3):
        talk.intent("StillCrampingIntent")
    talk.intent("AMAZON.NoIntent")
    [item] = world.episodes()
    assert item["outcome"] == "STILL_CRAMPING"
    assert item["techniques"] == ["quad_stretch", "massage", "warmth_walk"]


def test_a_red_flag_with_no_cramp_in_progress_is_logged_in_one_write(world):
    world.conversation().intent("RedFlagIntent", Symptom="chest pain")
    [item] = world.episodes()
    assert item["outcome"] == "RED_FLAG" and "muscle" not in item
    assert world.faults.attempts == {"TransactWriteItems": 1}


def test_switching_muscle_mid_episode_corrects_the_same_episode(world):
    talk = world.conversation()
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("CrampIntent", Muscle="foot", Side="left")
    talk.intent("CrampGoneIntent")
    [item] = world.episodes()
    assert (item["muscle"], item["side"]) == ("FOOT", "LEFT")


@pytest.mark.parametrize("fault", ["Throttling", "Timeout", "AccessDenied", "ResourceNotFound",
                                   "InternalServerError"])
def test_a_failed_start_write_still_guides_and_is_retried_within_the_session(world, fault):
    talk = world.conversation()
    world.faults.fail("TransactWriteItems", fault, times=1)  # the first request's write fails
    reply = talk.intent("CrampIntent", Muscle="calf", Side="right")
    assert "pull your toes up" in reply.speech and not reply.ended
    assert world.episodes() == []
    assert talk.attributes["cramp"]["pending"]  # waiting in the session
    talk.intent("StillCrampingIntent")  # the next request retries it
    [item] = world.episodes()
    assert item["muscle"] == "CALF" and "pending" not in talk.attributes["cramp"]


@pytest.mark.parametrize("fault", ["Throttling", "Timeout", "AccessDenied", "ResourceNotFound"])
def test_when_the_table_stays_down_the_end_merges_into_one_complete_write(world, fault):
    talk = world.conversation()
    world.faults.fail("TransactWriteItems", fault, times=2)  # down for the first two requests
    talk.intent("CrampIntent", Muscle="toes")
    talk.intent("StillCrampingIntent")
    assert world.episodes() == []
    goodbye = talk.intent("CrampGoneIntent")  # the table is back
    assert "glad it's eased" in goodbye.speech
    [item] = world.episodes()
    assert item["outcome"] == "RELIEVED" and item["muscle"] == "TOES"
    assert item["techniques"] == ["toes_press", "walk_shake"]


def test_a_failed_end_write_gets_one_more_try_before_the_session_closes(world):
    talk = world.conversation()
    talk.intent("CrampIntent", Muscle="calf")
    world.faults.fail("UpdateItem", "Throttling", times=1)
    talk.intent("AMAZON.PauseIntent")
    closing = talk.intent("RedFlagIntent", Symptom="swollen")  # the update fails once, the session closes
    assert closing.ended
    # No later request of a closed session brings the queue back, so it is retried at once.
    assert world.episodes()[0]["outcome"] == "RED_FLAG"
    assert world.faults.attempts["UpdateItem"] == 2


def test_foreign_session_attributes_are_not_echoed(world):
    talk = world.conversation()
    talk.attributes = {"legacy": "x" * 20000, "cramp": {"v": 2}}
    talk.new = False
    reply = talk.intent("CrampIntent", Muscle="calf")
    assert set(reply.envelope["sessionAttributes"]) == {"cramp"}


def test_failures_are_logged_as_json_without_user_or_words(world, capsys):
    talk = world.conversation(USER)
    world.faults.fail("TransactWriteItems", "AccessDenied", times=1)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    logs = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    failure = [entry for entry in logs if entry["event"] == "table_write_failed"]
    assert failure and failure[0]["error_type"] == "AccessDenied"
    text = json.dumps(logs)
    assert USER not in text and user_key(USER) not in text and "calf" not in text.lower()


def test_a_write_that_landed_but_whose_answer_was_lost_is_not_duplicated(world):
    talk = world.conversation()
    # Both attempts of the first request land in the table, and both answers are lost.
    world.faults.fail("TransactWriteItems", "LostResponse", times=2)
    talk.intent("CrampIntent", Muscle="calf")
    assert talk.attributes["cramp"]["pending"]
    talk.intent("CrampGoneIntent")  # the queued put, now carrying the end, finds the item
    [item] = world.episodes()
    assert item["muscle"] == "CALF" and item["outcome"] == "RELIEVED"
    assert item["techniques"] == ["calf_toe_pull"]


def test_one_lost_answer_is_absorbed_by_the_clients_own_retry(world):
    world.faults.fail("TransactWriteItems", "LostResponse", times=1)
    talk = world.conversation()
    talk.intent("CrampIntent", Muscle="calf")
    assert "pending" not in talk.attributes["cramp"]  # the retry's conditional put found it
    assert len(world.episodes()) == 1


def test_the_client_is_bounded_so_a_slow_table_cannot_hold_a_response(world):
    config = world.client.meta.config
    assert config.connect_timeout <= 0.5 and config.read_timeout <= 0.6
    assert config.retries["total_max_attempts"] == 2
    world.faults.fail("TransactWriteItems", "Slow", times=1)
    reply = world.conversation().intent("CrampIntent", Muscle="calf")
    assert "pull your toes up" in reply.speech and len(world.episodes()) == 1


def test_a_forged_queued_write_cannot_reach_another_users_partition(world):
    victim = user_key("amzn1.ask.account.VICTIM")
    talk = world.conversation(USER)
    talk.attributes = {"cramp": {"v": 2, "pending": [
        {"op": "start", "id": "2026-11-23T08:00:00Z#forged",
         "item": {"pk": victim, "started_at": "2026-11-23T08:00:00Z", "muscle": "CALF"}},
        {"op": "end", "id": "2026-11-23T08:00:00Z#forged",
         "fields": {"pk": victim, "sk": "EP#other", "outcome": "RELIEVED"}},
        {"op": "bookmark", "snapshot": {"pk": victim, "sk": "PROFILE", "id": "x"}}]}}
    talk.new = False
    talk.intent("AMAZON.HelpIntent")
    assert {item["pk"] for item in world.items()} == {user_key(USER)}


def test_oversized_session_state_is_not_trusted_or_echoed(world):
    talk = world.conversation(USER)
    talk.attributes = {"cramp": {"v": 2, "muscle": "CALF", "pending": [
        {"op": "end", "id": f"{n}", "fields": {"notes": "x" * 500}} for n in range(40)]}}
    talk.new = False
    reply = talk.intent("AMAZON.HelpIntent")
    assert reply.speech.endswith("Where's your cramp?")  # a fresh start, not the stale routine
    assert len(json.dumps(reply.envelope)) < 24 * 1024


def test_a_request_spends_a_bounded_time_on_the_table_however_many_calls_it_makes():
    import time as clock

    from cramp_helper.config import TableConfig
    from cramp_helper.storage import (
        EpisodeRepository,
        StorageError,
        end_request_budget,
        start_request_budget,
    )

    class HungTable:
        calls = 0

        def put_item(self, **_):
            HungTable.calls += 1
            clock.sleep(0.05)  # a call that spends the whole budget, then fails
            raise TimeoutError("read timeout")

    repository = EpisodeRepository(TableConfig(name="t", region="us-east-1"), client=HungTable())
    start_request_budget(0.03)
    try:
        for _ in range(3):
            with pytest.raises(StorageError):
                repository.put_new("USER#x", {"sk": "EP#1"})
    finally:
        end_request_budget()
    assert HungTable.calls == 1  # the later calls of the request were never made
    with pytest.raises(StorageError):  # outside a request only the client's timeouts apply
        repository.put_new("USER#x", {"sk": "EP#1"})
    assert HungTable.calls == 2
