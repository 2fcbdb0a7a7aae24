"""Issue 21, findings 4 and 10: the drain isolates every record. Whatever goes wrong reading or
applying one message (an integer of 400 digits, 100,000 nested brackets, junk, a partition under a
key id not in use) is reported for that message alone (ReportBatchItemFailures, so it reaches the
DLQ after its retries) and every healthy message in the same batch is stored."""

from __future__ import annotations

import json

import pytest

from cramp_helper import drain
from cramp_helper.storage import user_key
from testkit.durability import new_user
from testkit.world import DurableWorld


@pytest.fixture
def durable(aws):
    return DurableWorld()


def _start(user: str, n: int) -> dict:
    item = {"started_at": f"2026-11-23T08:0{n}:11Z", "local_time": None, "muscle": "CALF", "side": "LEFT",
            "locale": "en-US"}
    return {"v": 1, "kind": "writes", "pk": user_key(user), "account": None,
            "ops": [{"op": "start", "id": f"{n:020d}", "item": item}]}


def _batch(bodies: list[str]) -> dict:
    return {"Records": [{"messageId": f"m{n}", "body": body} for n, body in enumerate(bodies)]}


POISON = {
    "a 400-digit integer": '{"v":1,"kind":"writes","pk":"PK","account":null,"ops":[{"op":"start",'
                           '"id":"00000000000000000099","item":{"started_at":"2026-11-23T08:02:11Z",'
                           '"muscle":"CALF","n":' + "9" * 400 + '}}]}',
    "100,000 nested brackets": "[" * 100_000 + "]" * 100_000,
    "nesting inside a message": '{"v":1,"kind":"writes","pk":"PK","ops":' + "[" * 5000 + "]" * 5000 + "}",
    "a float beyond DynamoDB": '{"v":1,"kind":"writes","pk":"PK","account":null,"ops":[],"x":1e300}',
    "Infinity": '{"v":1,"kind":"writes","pk":"PK","account":null,"ops":[],"x":Infinity}',
    "not JSON": "{{{{",
    "not a string": None,
    "a huge body": '{"v":1,"pad":"' + "x" * 300_000 + '"}',
}


def test_each_poison_body_fails_alone_and_every_healthy_message_is_stored(durable, capsys):
    users = [new_user(f"HEALTHY{n}") for n in range(3)]
    poison = [body.replace("PK", user_key(users[0])) if isinstance(body, str) else body
              for body in POISON.values()]
    healthy = [json.dumps(_start(user, n)) for n, user in enumerate(users)]
    bodies = [healthy[0], *poison[:4], healthy[1], *poison[4:], healthy[2]]
    result = drain.handler(_batch(bodies), repository=durable.drain_repository)
    failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
    assert failed == {f"m{n}" for n, body in enumerate(bodies) if body not in healthy}
    assert len(failed) == len(POISON)
    for n, user in enumerate(users):
        [episode] = durable.episodes(user)
        assert episode["muscle"] == "CALF" and episode["started_at"] == f"2026-11-23T08:0{n}:11Z"
    assert [i for i in durable.partition(users[0]) if i["sk"].endswith("99")] == []
    logs = capsys.readouterr().err
    assert logs.count('"drain_message_unreadable"') == len(POISON)
    assert "9" * 50 not in logs  # the body is never logged


def test_a_message_under_an_unknown_key_id_is_refused_and_alarmed(durable, capsys):
    user = new_user("KEYS")
    message = _start(user, 1)
    stranger = dict(message, pk=message["pk"].replace("USER#dev#", "USER#k9#"))
    result = drain.handler(_batch([json.dumps(stranger), json.dumps(message)]),
                           repository=durable.drain_repository)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert [i for i in durable.items() if i["pk"].startswith("USER#k9#")] == []
    assert len(durable.episodes(user)) == 1
    line = next(json.loads(x) for x in capsys.readouterr().err.splitlines() if "drain_unknown_key" in x)
    assert line["level"] == "ERROR" and line["key_id"] == "k9"


def test_a_refused_message_reaches_the_dead_letter_queue(durable):
    durable.sqs.send_message(QueueUrl=durable.queue_url, MessageBody="[" * 100_000 + "]" * 100_000)
    for _ in range(6):
        assert durable.drain(rounds=1)["failed"] in (0, 1)
    assert durable.dead_letters() == 1 and durable.queued() == 0  # five receives, then the DLQ
