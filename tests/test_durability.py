"""Writes that outlive their session, a closing turn that keeps the last word, one episode per
request, keyed pseudonyms.

The scenarios here (and in test_deletion.py and test_people.py) each return a ``Row`` of the
durability matrix that ``make faults`` prints (bench/fault_matrix.py, part 3): how many cases ran,
and how many episodes were lost, duplicated, resurrected after a deletion, or crossed into another
person's history. The tests assert every count is 0.

The drain runs as Lambda's event source would run it (tools/local_dynamodb.drain_queue), with its
own client, on the same table and queue: moto in-process, or, for the closing-turn hangs, moto's
server on loopback behind a delay that really holds each table request for 0.3, 1.2 or 3 s.
"""

from __future__ import annotations

import copy
import json
import socket
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta

import boto3
import pytest

from cramp_helper import content as content_module
from cramp_helper import repository as repository_module
from cramp_helper.config import TableConfig
from cramp_helper.repository import EpisodeRepository, Store, decode_item, user_key
from cramp_helper.services import Services
from cramp_helper.skill import make_handler
from testkit.alexa_api import RecordingApiClient, time_zone_route
from testkit.clock import Clock
from testkit.conversation import Conversation
from testkit.world import EVERYTHING, NIGHT, REGION, TABLE, WRITES, DurableWorld, World, aws_env, moto_table  # noqa: F401
from tools.local_dynamodb import all_items, create_queues, create_table, drain_queue

CONTENT = content_module.load("en-US")


# --- the matrix row ------------------------------------------------------------------------------
@dataclass
class Row:
    name: str
    cases: int = 0
    lost: int = 0  # an episode (or its outcome) that should be stored and is not
    duplicated: int = 0  # more than one item for one episode
    resurrected: int = 0  # an item of a deleted history found afterwards
    crossed: int = 0  # one person's data read, written or deleted through another's
    seconds: float = 0.0
    detail: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.resurrected or self.crossed or self.problems)


def assert_clean(row: Row) -> None:
    assert row.clean, (f"{row.name}: {row.cases} cases, lost {row.lost}, duplicated {row.duplicated}, "
                       f"resurrected {row.resurrected}, crossed {row.crossed}; {row.problems[:10]}")


# --- the World with the write queue and a drain: testkit.world.DurableWorld ----------------------
def moto():
    """moto in-process with the table, and no waiting in the retry backoff."""
    return moto_table(real_backoff=False)


@pytest.fixture
def durable(aws):
    return DurableWorld()


def _user(tag: str) -> str:
    return f"amzn1.ask.account.{tag}{uuid.uuid4().hex[:10].upper()}"


# --- whole-session outage, then the drain --------------------------------------------------------
def _relieved(talk, clock):
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    clock.now += timedelta(seconds=60)
    talk.intent("StillCrampingIntent")
    clock.now += timedelta(seconds=40)
    talk.intent("CrampGoneIntent")
    return "EP#", "RELIEVED"


def _stopped(talk, clock):
    talk.intent("CrampIntent", Muscle="hamstring", Side="right")
    talk.intent("AMAZON.StopIntent")  # the episode keeps its place: a bookmark in the profile
    return "EP#", None


def _silence(talk, clock):
    talk.intent("CrampIntent", Muscle="foot")
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")
    return "EP#", None


def _red_flag(talk, clock):
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("RedFlagIntent", Symptom="swollen")
    return "EP#", "RED_FLAG"


def _bedtime(talk, clock):
    talk.intent("BedtimeStretchIntent")
    talk.intent("AMAZON.StopIntent")
    return "PS#", None


OUTAGE_SESSIONS = {"relieved": _relieved, "stopped mid-cramp": _stopped, "silence": _silence,
                   "red flag": _red_flag, "bedtime stretches": _bedtime}


def whole_session_outage(world: DurableWorld) -> Row:
    """The table is down for a whole session; the writes go to the queue; while it is still down
    the drain fails and the messages come back; the table returns; the drain stores each thing
    exactly once, even when a message is delivered twice."""
    row = Row("whole-session outage then drain")
    started = time.perf_counter()
    users = {}
    for name, session in OUTAGE_SESSIONS.items():
        world.clock.now = NIGHT
        user = _user("OUTAGE")
        world.table_down()
        kind, outcome = session(world.conversation(user), world.clock)
        world.faults.clear()
        users[name] = (user, kind, outcome)
        if world.mine(user, kind):
            row.problems.append(f"{name}: stored while the table was down?")
    queued = world.queued()
    if queued != len(OUTAGE_SESSIONS):
        row.problems.append(f"{queued} messages queued for {len(OUTAGE_SESSIONS)} sessions")
    for operation in EVERYTHING:  # the table is still down when the drain first runs
        world.drain_faults.fail(operation, "InternalServerError", times=1000)
    first = world.drain(rounds=1)
    world.drain_faults.clear()
    if first["failed"] != first["messages"] or world.queued() != queued:
        row.problems.append(f"a failed drain lost messages: {first}, {world.queued()} left")
    # SQS delivers at least once: the first message arrives twice.
    [message] = world.sqs.receive_message(QueueUrl=world.queue_url, MaxNumberOfMessages=1)["Messages"]
    world.sqs.send_message(QueueUrl=world.queue_url, MessageBody=message["Body"])
    drained = world.drain()
    if world.queued() or world.dead_letters():
        row.problems.append(f"left in the queue: {world.queued()}, dead letters: {world.dead_letters()}")
    for name, (user, kind, outcome) in users.items():
        row.cases += 1
        stored = world.mine(user, kind)
        row.lost += len(stored) == 0
        row.duplicated += max(0, len(stored) - 1)
        if stored and outcome and stored[0].get("outcome") != outcome:
            row.lost += 1
            row.problems.append(f"{name}: outcome {stored[0].get('outcome')!r}, not {outcome!r}")
        if name in ("stopped mid-cramp", "silence"):
            profile = [i for i in world.items() if i["pk"] == user_key(user) and i["sk"] == "PROFILE"]
            if not (profile and profile[0].get("open_episode", {}).get("id") == stored[0]["sk"][3:]):
                row.lost += 1
                row.problems.append(f"{name}: the bookmark did not arrive")
    row.seconds = time.perf_counter() - started
    row.detail = (f"{len(OUTAGE_SESSIONS)} sessions, {queued} messages (+1 delivered twice), "
                  f"first drain with the table down: {first['failed']} back to the queue; "
                  f"then {drained['messages']} delivered")
    return row


def test_a_whole_session_outage_is_stored_exactly_once_after_the_drain(durable):
    assert_clean(whole_session_outage(durable))


def test_a_session_that_resumes_after_the_drain_ends_the_same_episode(durable):
    user = _user("RESUME")
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
    pk = user_key(_user("ENDONLY"))
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
    user = _user("DLQ")
    durable.table_down()
    _relieved(durable.conversation(user), durable.clock)
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
    _relieved(world.conversation(), world.clock)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    [lost] = [e for e in lines if e["event"] == "table_writes_lost"]
    assert lost["error_type"] == "NoQueue" and lost["level"] == "WARNING" and lost["queued"] == 1


def test_a_queued_message_carries_the_keyed_pseudonym_never_the_alexa_id(durable):
    user = _user("PRIVATE")
    durable.table_down()
    _stopped(durable.conversation(user), durable.clock)
    [message] = durable.sqs.receive_message(QueueUrl=durable.queue_url)["Messages"]
    body = json.loads(message["Body"])
    assert user not in message["Body"] and body["pk"] == user_key(user)
    assert [op["op"] for op in body["ops"]] == ["start", "bookmark"]  # in order, together


# --- a closing turn that keeps the last word ------------------------------------------------------
class SlowTableServer:
    """moto's server on loopback, with every DynamoDB request held ``delay`` seconds before it is
    served (SQS requests are not held). A held request is still applied after the client has given
    up on it, as DynamoDB would: the closing turn's write may land late, and twice."""

    def __init__(self):
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        self.delay = 0.0
        self.requests: Counter = Counter()
        self.in_flight = 0
        app = DomainDispatcherApplication(create_backend_app)

        def held(environ, start_response):
            target = environ.get("HTTP_X_AMZ_TARGET", "")
            if not target.startswith("DynamoDB"):
                return app(environ, start_response)
            self.requests[target.rsplit(".", 1)[-1]] += 1
            self.in_flight += 1
            try:
                time.sleep(self.delay)
                return app(environ, start_response)
            finally:
                self.in_flight -= 1

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.server = make_server("127.0.0.1", port, held, threaded=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> SlowTableServer:
        import logging
        import threading

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every held request has been served (landed, if it was a write)."""
        deadline = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < deadline:
            time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


@dataclass
class HangCase:
    delay: float
    latency_ms: float = 0.0  # the closing turn, end to end
    spoken: bool = False
    in_turn: bool = False  # the skill saw its write land within the closing turn
    handed_off: int = 0  # messages on the queue after the closing turn
    final_write_tried: int = 0  # UpdateItem requests the server saw during the closing turn
    stored: int = 0  # episodes at the end (after the drain)
    outcome: str | None = None


def closing_turn_hang(delay: float, real_backoff: bool = False) -> HangCase:
    """A cramp starts while the table is fast; then every table request hangs ``delay`` s. The
    closing turn ("it's gone") first reads the profile (the session's one read, which spends the
    request's table budget), then writes the end in its reserved window; what still fails goes to
    the queue. Afterwards the drain runs with the table fast again."""
    case = HangCase(delay)
    clock = Clock(NIGHT)
    user = _user("HANG")
    suffix = uuid.uuid4().hex[:8]
    with aws_env(real_backoff), SlowTableServer() as server:
        table = f"hang-{suffix}"
        create_table(boto3.client("dynamodb", endpoint_url=server.url, region_name=REGION), table)
        sqs = boto3.client("sqs", endpoint_url=server.url, region_name=REGION)
        queue, _ = create_queues(sqs, f"writes-{suffix}", f"dlq-{suffix}", visibility_s=0)
        config = TableConfig(name=table, region=REGION, endpoint_url=server.url, queue_url=queue,
                             queue_endpoint_url=server.url)
        repository = EpisodeRepository(config, clock=lambda: clock().timestamp())
        handler = make_handler(Services(repository=repository, now=clock),
                               api_client=RecordingApiClient(time_zone_route()))
        talk = Conversation(handler=handler, clock=clock, user_id=user)
        talk.intent("CrampIntent", Muscle="calf", Side="left")
        server.delay = delay
        before = server.requests["UpdateItem"]
        clock.now += timedelta(seconds=100)
        started = time.perf_counter()
        last = talk.intent("CrampGoneIntent")
        case.latency_ms = (time.perf_counter() - started) * 1000
        case.final_write_tried = server.requests["UpdateItem"] - before
        case.spoken = CONTENT.phrase("relieved") in last.speech and last.ended
        server.delay = 0.0
        reader = boto3.client("dynamodb", endpoint_url=server.url, region_name=REGION)

        def episodes():
            return [decode_item(i) for i in all_items(reader, table) if i["sk"]["S"].startswith("EP#")]

        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
        case.handed_off = int(attributes["Attributes"]["ApproximateNumberOfMessages"])
        case.in_turn = case.handed_off == 0 and "pending" not in talk.attributes.get("cramp", {})
        server.settle()  # the held requests land, late, as DynamoDB's would
        drain_repository = EpisodeRepository(replace(config), clock=lambda: clock().timestamp())
        drain_queue(sqs, queue, repository=drain_repository)
        mine = episodes()
        case.stored = len(mine)
        case.outcome = mine[0].get("outcome") if mine else None
    return case


HANG_DELAYS = (0.3, 1.2, 3.0)


def closing_turn_hangs(delays=HANG_DELAYS, real_backoff: bool = False) -> tuple[Row, list[HangCase]]:
    row = Row("closing-turn hangs")
    started = time.perf_counter()
    cases = [closing_turn_hang(d, real_backoff) for d in delays]
    for case in cases:
        row.cases += 1
        row.lost += case.stored == 0 or case.outcome != "RELIEVED"
        row.duplicated += max(0, case.stored - 1)
        if not case.spoken:
            row.problems.append(f"{case.delay} s: the after-care was not spoken")
        if case.final_write_tried == 0:
            row.problems.append(f"{case.delay} s: the final write was starved (never tried)")
    row.seconds = time.perf_counter() - started
    row.detail = "; ".join(
        f"{c.delay:g} s: {c.latency_ms:.0f} ms, " + ("stored in the turn" if c.in_turn else
                                                    f"{c.handed_off} message queued, drained")
        for c in cases)
    return row, cases


def test_a_closing_turn_keeps_its_last_word_against_a_table_that_really_hangs():
    row, cases = closing_turn_hangs()
    assert_clean(row)
    fast, slow, stuck = cases
    assert fast.in_turn and fast.handed_off == 0  # 0.3 s: slow, but written in the turn
    for case in (slow, stuck):  # past the read timeout: tried in its own window, then queued
        assert case.final_write_tried >= 1 and case.handed_off == 1
        assert case.latency_ms < 4000, f"the closing turn took {case.latency_ms:.0f} ms"


def test_the_reserved_window_is_fresh_however_much_the_request_spent():
    from cramp_helper.repository import (
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


# --- one episode per request ---------------------------------------------------------------------
def redelivery(world: DurableWorld) -> Row:
    """Alexa delivers a request again (same requestId), sometimes with a new timestamp; the queue
    delivers a message twice. Each still stores one item."""
    row = Row("redelivery")
    started = time.perf_counter()

    def count(user, prefix="EP#"):
        stored = world.mine(user, prefix)
        row.cases += 1
        row.lost += len(stored) == 0
        row.duplicated += max(0, len(stored) - 1)
        return stored

    # The first turn again, 40 s later, same request id.
    user = _user("REDELIVER")
    talk = world.conversation(user)
    envelope = talk._envelope("one_shot_calf")
    world.handler(copy.deepcopy(envelope), None)
    envelope["request"]["timestamp"] = (NIGHT + timedelta(seconds=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    world.handler(copy.deepcopy(envelope), None)
    count(user)
    # A red flag (start and end in one write) delivered three times, minutes apart.
    user = _user("REDELIVER")
    envelope = _envelope_of(world.conversation(user), "RedFlagIntent", Symptom="swollen")
    for minutes in (0, 2, 5):
        envelope["request"]["timestamp"] = (NIGHT + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        world.handler(copy.deepcopy(envelope), None)
    count(user)
    # Bedtime stretches whose closing turn is delivered twice.
    user = _user("REDELIVER")
    talk = world.conversation(user)
    talk.intent("BedtimeStretchIntent")
    closing = _envelope_of(talk, "AMAZON.StopIntent")
    world.handler(copy.deepcopy(closing), None)
    world.handler(copy.deepcopy(closing), None)
    count(user, "PS#")
    # A session's writes handed off, and the message delivered twice.
    user = _user("REDELIVER")
    world.table_down()
    _relieved(world.conversation(user), world.clock)
    world.faults.clear()
    [message] = world.sqs.receive_message(QueueUrl=world.queue_url)["Messages"]
    world.sqs.send_message(QueueUrl=world.queue_url, MessageBody=message["Body"])
    world.drain()
    stored = count(user)
    if stored and stored[0].get("outcome") != "RELIEVED":
        row.lost += 1
    row.seconds = time.perf_counter() - started
    row.detail = "first turn again with a new timestamp; a red flag x3; a closing turn x2; a message x2"
    return row


def _envelope_of(talk: Conversation, intent: str, **slots) -> dict:
    """The envelope ``talk.intent`` would send, unsent."""
    captured = []
    talk.send = captured.append
    talk.intent(intent, **slots)
    del talk.send
    return captured[0]


def test_a_redelivered_request_or_message_writes_no_second_item(durable):
    assert_clean(redelivery(durable))


def test_the_episode_id_is_the_request_ids_hash_alone():
    assert Store.new_id("amzn1.echo-api.request.1") == Store.new_id("amzn1.echo-api.request.1")
    assert Store.new_id("amzn1.echo-api.request.1") != Store.new_id("amzn1.echo-api.request.2")
    assert len(Store.new_id("amzn1.echo-api.request.1")) == 20


def test_history_sorts_by_start_time_not_by_key(world):
    user = _user("ORDER")
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
    expected = hmac.new(("s3cret-" * 6).encode(), user.encode(), hashlib.sha256).hexdigest()
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
    reply = world.conversation(_user("NOKEY")).intent("CrampIntent", Muscle="calf")
    assert "pull your toes up" in reply.speech
    assert world.items() == [] and world.faults.attempts == {}
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert any(e["event"] == "key_secret_missing" and e["level"] == "ERROR" for e in lines)
    monkeypatch.setenv("CRAMP_KEY_SECRET", "x" * 32)
    monkeypatch.setenv("CRAMP_KEY_ID", "not/valid")
    world.conversation(_user("BADID")).intent("CrampIntent", Muscle="calf")
    assert world.items() == []


def test_the_secret_is_never_logged_or_shown(aws, monkeypatch, capsys):
    secret = "a-very-secret-value-for-the-pseudonyms"
    monkeypatch.setenv("CRAMP_KEY_SECRET", secret)
    world = DurableWorld()
    user = _user("SECRET")
    world.table_down()
    _relieved(world.conversation(user), world.clock)
    world.faults.clear()
    world.drain()
    from cramp_helper.config import pseudonym_key

    assert secret not in repr(pseudonym_key()) and secret not in repr(world.repository)
    assert secret not in capsys.readouterr().err
    assert secret not in json.dumps(world.items())


def test_the_store_never_holds_the_raw_id_anywhere(durable):
    user = _user("RAW")
    talk = durable.conversation(user)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("AMAZON.StopIntent")
    text = json.dumps(durable.items())
    assert user not in text and repository_module.PARTITION.match(user_key(user))


# --- the console's local queue and secret ---------------------------------------------------------
def test_the_local_endpoint_has_the_queue_a_kept_secret_and_restores_the_environment(tmp_path, monkeypatch):
    import os

    from tools.local_dynamodb import SKILL_VARIABLES, local_table

    for name in SKILL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "table.json"
    with local_table(data_file=data) as (endpoint, _):
        secret, queue = os.environ["CRAMP_KEY_SECRET"], os.environ["CRAMP_QUEUE_URL"]
        assert len(secret) >= 32 and os.environ["CRAMP_KEY_ID"] == "local"
        sqs = boto3.client("sqs", endpoint_url=os.environ["SQS_ENDPOINT_URL"], region_name=REGION)
        redrive = json.loads(sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["RedrivePolicy"])
                             ["Attributes"]["RedrivePolicy"])
        assert redrive["maxReceiveCount"] == 5
    assert (tmp_path / "table.key").read_text().strip() == secret
    assert oct((tmp_path / "table.key").stat().st_mode & 0o777) == "0o600"
    assert "CRAMP_KEY_SECRET" not in os.environ and "CRAMP_QUEUE_URL" not in os.environ
    with local_table(data_file=data):
        assert os.environ["CRAMP_KEY_SECRET"] == secret  # the same person finds the same history
