"""One warm handler, many conversations at once: nothing one request does leaks into another.

The scenarios, what must hold and why: testkit/concurrency.py (described once there)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import boto3
import pytest

from cramp_helper.config import TableConfig
from cramp_helper.storage import EpisodeRepository, decode_item, user_key
from cramp_helper.storage import client as storage_client
from testkit.concurrency import (
    REGION,
    ClientCounter,
    module_state,
    run_concurrently,
    warm_handler,
)
from testkit.conversation import Conversation
from testkit.world import NIGHT, moto_server
from tools.local_dynamodb import all_items


# --- the tests -----------------------------------------------------------------------------------
@pytest.fixture
def credentials(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


@pytest.mark.server
@pytest.mark.slow
def test_100_conversations_at_once_on_one_warm_handler(credentials):
    """32 threads race through 100 whole conversations on one handler (``make concurrency`` runs
    200 and prints the figures; a hundred holds every race here at half the time)."""
    table = f"cramps-concurrency-{uuid.uuid4().hex[:6]}"
    with moto_server(table, serialised=True) as url:
        report = run_concurrently(url, table, conversations=100, workers=32)
    assert report.problems == []
    assert (report.expected, report.stored) == (100, 100)  # none lost, none duplicated
    # moto's server shares this process (and its GIL) with 32 threads on a 2-core machine, so a
    # closing write can now and then overrun the table budget and be handed on (queue or next turn);
    # it must stay rare, and (above) it must still be stored.
    assert report.queued_at_close <= 2


@pytest.mark.server
def test_the_client_is_created_once_however_many_requests_race_for_it(credentials):
    counter = ClientCounter(delay=0.05)
    made = []
    repository = EpisodeRepository(TableConfig(name="t", region=REGION, endpoint_url="http://127.0.0.1:9"))
    barrier = threading.Barrier(24)

    def race():
        barrier.wait()
        made.append(repository.connection())

    original = storage_client.make_table_client
    storage_client.make_table_client = counter
    try:
        threads = [threading.Thread(target=race) for _ in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        storage_client.make_table_client = original
    assert counter.made == 1
    assert len(made) == 24 and len({id(client) for client in made}) == 1


@pytest.mark.server
def test_interleaved_turns_of_two_users_never_mix(credentials):
    """Two users' turns alternate on one handler: each sees only its own routine and episode."""
    table = f"cramps-interleave-{uuid.uuid4().hex[:6]}"
    with moto_server(table) as url:
        handler, _ = warm_handler(url, table)
        calf = Conversation(handler=handler, clock=lambda: NIGHT, user_id="amzn1.ask.account.INTERLEAVEA")
        foot = Conversation(handler=handler, clock=lambda: NIGHT + timedelta(minutes=5),
                            user_id="amzn1.ask.account.INTERLEAVEB")
        calf.intent("CrampIntent", Muscle="calf", Side="left")
        foot.launch()
        assert calf.attributes["cramp"]["muscle"] == "CALF"
        assert "muscle" not in foot.attributes.get("cramp", {})  # A's routine did not leak into B
        foot.intent("CrampIntent", Muscle="foot")
        calf.intent("StillCrampingIntent")
        assert calf.attributes["cramp"]["muscle"] == "CALF" and foot.attributes["cramp"]["muscle"] == "FOOT"
        assert calf.attributes["cramp"]["episode"]["id"] != foot.attributes["cramp"]["episode"]["id"]
        calf.intent("CrampGoneIntent")
        foot.intent("AMAZON.StopIntent")
        reader = boto3.client("dynamodb", endpoint_url=url, region_name=REGION)
        items = {i["pk"]: i for i in map(decode_item, all_items(reader, table)) if i["sk"].startswith("EP#")}
    a, b = items[user_key("amzn1.ask.account.INTERLEAVEA")], items[user_key("amzn1.ask.account.INTERLEAVEB")]
    assert (a["muscle"], a["side"], a["outcome"]) == ("CALF", "LEFT", "RELIEVED")
    assert (b["muscle"], b.get("side"), b.get("outcome")) == ("FOOT", None, None)  # kept open: stopped


def test_requests_leave_no_state_in_modules_or_handlers():
    """A warm container: after whole conversations, nothing of them is kept outside the requests."""
    before = module_state()
    talk = Conversation()  # the shipped lambda_function.lambda_handler
    talk.launch()
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.intent("AMAZON.PauseIntent")
    talk.intent("AMAZON.ResumeIntent")
    talk.intent("CrampGoneIntent")
    talk.intent("RedFlagIntent", Symptom="chest pain")
    talk.intent("AMAZON.HelpIntent")
    talk.intent("AMAZON.StopIntent")
    after = module_state()
    changed = {key: (before.get(key), after.get(key))
               for key in set(before) | set(after) if before.get(key) != after.get(key)}
    assert changed == {}
