"""Durability scenarios (the matrix rows), shared by the durability tests and bench/fault_matrix.py.

Writes that outlive their session, a closing turn that keeps the last word, one episode per
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
import socket
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import boto3

from cramp_helper import content as content_module
from cramp_helper.config import TableConfig
from cramp_helper.services import Services
from cramp_helper.skill import make_handler
from cramp_helper.storage import EpisodeRepository, decode_item, user_key
from testkit.alexa_api import RecordingApiClient, time_zone_route
from testkit.clock import Clock
from testkit.conversation import Conversation
from testkit.world import EVERYTHING, NIGHT, REGION, DurableWorld, aws_env, moto_table
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


def new_user(tag: str) -> str:
    return f"amzn1.ask.account.{tag}{uuid.uuid4().hex[:10].upper()}"


# --- whole-session outage, then the drain --------------------------------------------------------
def relieved(talk, clock):
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    clock.now += timedelta(seconds=60)
    talk.intent("StillCrampingIntent")
    clock.now += timedelta(seconds=40)
    talk.intent("CrampGoneIntent")
    return "EP#", "RELIEVED"


def stopped_mid_cramp(talk, clock):
    talk.intent("CrampIntent", Muscle="hamstring", Side="right")
    talk.intent("AMAZON.StopIntent")  # the episode keeps its place: a bookmark in the profile
    return "EP#", None


def silence(talk, clock):
    talk.intent("CrampIntent", Muscle="foot")
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")
    return "EP#", None


def red_flag(talk, clock):
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("RedFlagIntent", Symptom="swollen")
    return "EP#", "RED_FLAG"


def bedtime(talk, clock):
    talk.intent("BedtimeStretchIntent")
    talk.intent("AMAZON.StopIntent")
    return "PS#", None


OUTAGE_SESSIONS = {"relieved": relieved, "stopped mid-cramp": stopped_mid_cramp, "silence": silence,
                   "red flag": red_flag, "bedtime stretches": bedtime}


def whole_session_outage(world: DurableWorld) -> Row:
    """The table is down for a whole session; the writes go to the queue; while it is still down
    the drain fails and the messages come back; the table returns; the drain stores each thing
    exactly once, even when a message is delivered twice."""
    row = Row("whole-session outage then drain")
    started = time.perf_counter()
    users = {}
    for name, session in OUTAGE_SESSIONS.items():
        world.clock.now = NIGHT
        user = new_user("OUTAGE")
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
    user = new_user("HANG")
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
        drain_repository = EpisodeRepository(config._replace(), clock=lambda: clock().timestamp())
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
    user = new_user("REDELIVER")
    talk = world.conversation(user)
    envelope = talk._envelope("one_shot_calf")
    world.handler(copy.deepcopy(envelope), None)
    envelope["request"]["timestamp"] = (NIGHT + timedelta(seconds=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    world.handler(copy.deepcopy(envelope), None)
    count(user)
    # A red flag (start and end in one write) delivered three times, minutes apart.
    user = new_user("REDELIVER")
    envelope = _envelope_of(world.conversation(user), "RedFlagIntent", Symptom="swollen")
    for minutes in (0, 2, 5):
        envelope["request"]["timestamp"] = (NIGHT + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        world.handler(copy.deepcopy(envelope), None)
    count(user)
    # Bedtime stretches whose closing turn is delivered twice.
    user = new_user("REDELIVER")
    talk = world.conversation(user)
    talk.intent("BedtimeStretchIntent")
    closing = _envelope_of(talk, "AMAZON.StopIntent")
    world.handler(copy.deepcopy(closing), None)
    world.handler(copy.deepcopy(closing), None)
    count(user, "PS#")
    # A session's writes handed off, and the message delivered twice.
    user = new_user("REDELIVER")
    world.table_down()
    relieved(world.conversation(user), world.clock)
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


# --- issue 21, finding 9: the table and the queue both timing out ---------------------------------
class QueueTimeouts:
    """The first ``times`` SendMessage calls of ``outbox``'s SQS client time out (a botocore hook
    raising the client's own ReadTimeoutError before the request is sent)."""

    def __init__(self, outbox, times: int):
        from botocore.exceptions import ReadTimeoutError

        self.left, self.attempts, self._error = times, 0, ReadTimeoutError
        outbox._sqs("get_queue_url", QueueName=outbox.config.queue_url.rsplit("/", 1)[-1])  # the client
        outbox.client.meta.events.register_first("before-call.sqs.SendMessage", self._before)

    def _before(self, **_):
        self.attempts += 1
        if self.left > 0:
            self.left -= 1
            raise self._error(endpoint_url="https://sqs.fault")
        return None


def both_stores_timing_out(world: DurableWorld) -> dict:
    """A whole cramp while every table call times out, and the queue's first two sends time out
    too. The closing turn's hand-off has a window of its own (budget.QUEUE_SEND_WINDOW_S) and
    tries again: the writes are queued, not lost, and the drain stores the episode once."""
    user = new_user("BOTHDOWN")
    for operation in EVERYTHING:
        world.faults.fail(operation, "Timeout", times=1000)
    sends = QueueTimeouts(world.repository.outbox, times=2)
    talk = world.conversation(user)
    first = talk.intent("CrampIntent", Muscle="calf", Side="left")
    world.clock.now += timedelta(seconds=60)
    talk.intent("StillCrampingIntent")
    world.clock.now += timedelta(seconds=40)
    last = talk.intent("CrampGoneIntent")
    world.faults.clear()
    result = {"first": first.speech, "answer": last.speech, "ended": last.ended, "sends": sends.attempts,
              "queued": world.queued()}
    world.drain()
    stored = world.mine(user)
    result["stored"] = len(stored)
    result["outcome"] = stored[0].get("outcome") if stored else None
    result["muscle"] = stored[0].get("muscle") if stored else None
    return result
