"""Many conversations at once on one warm handler, shared by the tests and bench/concurrency.py.

One warm handler, many conversations at once: nothing one request does leaks into another.

A Lambda container handles one request at a time, but the skill is built once per container and
reused, so any per-request state kept outside the request's own HandlerInput would leak from one
user to the next. Running conversations in threads against ONE handler makes such leaks (and any
race in the lazily created boto3 client) show up as wrong answers, wrong session attributes or
wrong table items.

The table is moto's server on loopback (ThreadedMotoServer), reached over HTTP by the skill's
real client, so the whole path (botocore, connection pool, the server) runs concurrently.
bench/concurrency.py runs the same and prints the figures.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import boto3

from cramp_helper import content as content_module
from cramp_helper import triage
from cramp_helper.config import TableConfig
from cramp_helper.services import Services
from cramp_helper.skill import make_handler
from cramp_helper.storage import EpisodeRepository, decode_item, user_key
from cramp_helper.storage import client as storage_client
from testkit.alexa_api import RecordingApiClient, time_zone_route
from testkit.clock import Clock, alexa_timestamp
from testkit.conversation import Conversation
from testkit.world import NIGHT
from tools.local_dynamodb import all_items, create_queues, drain_queue

REGION = "us-east-1"
CONTENT = content_module.load("en-US")
MUSCLES = [("calf", "CALF"), ("hamstring", "HAMSTRING"), ("foot", "FOOT"), ("toes", "TOES"),
           ("quads", "QUADRICEPS")]
SIDES = [("left", "LEFT"), ("right", "RIGHT"), (None, None)]
ENDINGS = {  # how a conversation ends -> (the turn, the words it must say, the stored outcome)
    "gone": (lambda t: t.intent("CrampGoneIntent"), CONTENT.phrase("relieved"), "RELIEVED"),
    # stopped mid-cramp: the episode keeps its place (no outcome yet) for twenty minutes
    "stop": (lambda t: t.intent("AMAZON.StopIntent"), CONTENT.phrase("goodbye_mid_cramp"), None),
    "red_flag": (lambda t: t.intent("RedFlagIntent", Symptom="swollen"),
                 triage.text(CONTENT, CONTENT.red_flag("symptoms")["SWOLLEN"]), "RED_FLAG"),
}


class ClientCounter:
    """Counts the boto3 clients the repository makes (wraps storage.client.make_table_client)."""

    def __init__(self, delay: float = 0.0):
        self.made = 0
        self.delay = delay  # widens the race window
        self._lock = threading.Lock()
        self._real = storage_client.make_table_client

    def __call__(self, config):
        with self._lock:
            self.made += 1
        if self.delay:
            time.sleep(self.delay)
        return self._real(config)


# Timeouts are not what these tests are about (tests/functional/test_fault_matrix.py is): with 32 threads
# sharing one GIL with the in-process server, a request can wait longer than the skill's 0.6 s read
# timeout on a busy machine, so the tests use generous ones; bench/concurrency.py can use the real.
GENEROUS = {"connect_timeout": 5.0, "read_timeout": 10.0}

PLAN_SPREAD_S = 240  # distinct start seconds for up to 240 conversations (then they repeat)
FUNCTION_NOW = NIGHT + timedelta(seconds=PLAN_SPREAD_S + 20)  # after every turn's time (2 turns, 3 s)


class ServerErrors:
    """Counts the HTTP 5xx answers moto's server gives the skill's clients (its own races, e.g.
    "dictionary changed size during iteration"), apart from the skill's own failures."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    def watch(self, client) -> None:
        client.meta.events.register("needs-retry", self._seen)

    def _seen(self, response=None, **_):
        status = (response[0].status_code if isinstance(response, tuple) and response[0] is not None
                  else None)
        if status is not None and status >= 500:
            with self._lock:
                self.count += 1


def warm_handler(url: str, table: str, timeouts: dict | None = None, queue_url: str | None = None):
    """ONE handler, as one warm Lambda container holds it, over the local endpoint (and the write
    queue on it, when given)."""
    repository = EpisodeRepository(TableConfig(name=table, region=REGION, endpoint_url=url,
                                               queue_url=queue_url,
                                               queue_endpoint_url=url if queue_url else None,
                                               **(GENEROUS if timeouts is None else timeouts)))
    api = RecordingApiClient(time_zone_route())
    # The function's clock stands after every plan's request times (plans start a second apart
    # from NIGHT): the skill trusts a request timestamp only within 5 minutes of its own clock,
    # and never after it (issue 21, finding 8).
    return make_handler(Services(repository=repository, now=lambda: FUNCTION_NOW), api_client=api), repository


# --- one conversation ----------------------------------------------------------------------------
@dataclass
class Plan:
    index: int
    user: str
    muscle_words: str
    muscle: str
    side_words: str | None
    side: str | None
    ending: str
    started: object = None  # its own start time, so any mix-up shows in the attributes and items

    @property
    def started_iso(self) -> str:
        return alexa_timestamp(self.started)


def plans(count: int) -> list[Plan]:
    out = []
    for i in range(count):
        muscle_words, muscle = MUSCLES[i % len(MUSCLES)]
        side_words, side = SIDES[(i // len(MUSCLES)) % len(SIDES)]
        ending = list(ENDINGS)[i % len(ENDINGS)]
        out.append(Plan(i, f"amzn1.ask.account.CONC{i:04d}{uuid.uuid4().hex[:12].upper()}", muscle_words,
                        muscle, side_words, side, ending, NIGHT + timedelta(seconds=i % PLAN_SPREAD_S)))
    return out


@dataclass
class Outcome:
    plan: Plan
    problems: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    queued_at_close: bool = False  # a write failed (timed out) on the last turn


def converse(handler, plan: Plan) -> Outcome:
    """cramp start -> still cramping -> the ending; checks every answer is this user's own."""
    outcome = Outcome(plan)
    requests: list[dict] = []

    def recording(event, context):
        requests.append(event)
        started = time.perf_counter()
        try:
            return handler(event, context)
        finally:
            outcome.latencies_ms.append((time.perf_counter() - started) * 1000)

    clock = Clock(plan.started)
    talk = Conversation(handler=recording, clock=clock, user_id=plan.user)
    problems = outcome.problems
    try:
        slots = {"Muscle": plan.muscle_words, **({"Side": plan.side_words} if plan.side_words else {})}
        first = talk.intent("CrampIntent", **slots)
        opening = CONTENT.fill(CONTENT.phrase("start_known"), plan.muscle, plan.side)
        if opening not in first.speech or first.ended:
            problems.append(f"turn 1 said {first.speech[:80]!r}, not {opening!r}")
        state = talk.attributes.get("cramp", {})
        episode = state.get("episode") or {}
        digest = hashlib.sha256(requests[0]["request"]["requestId"].encode()).hexdigest()[:20]
        if (state.get("muscle"), state.get("side")) != (plan.muscle, plan.side):
            problems.append(f"turn 1 state is {state.get('muscle')}/{state.get('side')}")
        if episode.get("id") != digest:  # from the request id alone
            problems.append(f"turn 1 episode is {episode.get('id')!r}, not this request's")

        clock.now += timedelta(seconds=3)
        second = talk.intent("StillCrampingIntent")
        if CONTENT.phrase("next_technique") not in second.speech or second.ended:
            problems.append(f"turn 2 said {second.speech[:80]!r}")
        state2 = talk.attributes.get("cramp", {})
        if (state2.get("episode") or {}).get("id") != episode.get("id") or state2.get("technique") != 1:
            problems.append(f"turn 2 state drifted: {state2}")

        clock.now += timedelta(seconds=3)
        turn, words, _ = ENDINGS[plan.ending]
        last = turn(talk)
        if words not in last.speech or not last.ended:
            problems.append(f"the {plan.ending} turn said {last.speech[:80]!r}")
        if ((last.envelope.get("sessionAttributes") or {}).get("cramp") or {}).get("pending"):
            outcome.queued_at_close = True
        for reply in talk.replies:
            if plan.user in str(reply.envelope):
                problems.append("the raw user id is in a response")
    except AssertionError as exc:  # tools.alexa_rules found an invalid response
        problems.append(f"invalid response: {str(exc)[:300]}")
    return outcome


@dataclass
class Report:
    conversations: int
    workers: int
    wall_s: float
    outcomes: list[Outcome]
    expected: int
    stored: int
    duplicates: list[str]
    lost: list[str]  # no episode at all for the conversation
    wrong: list[str]  # an episode with the wrong muscle, side or start
    strays: int
    clients_made: int
    queued_at_close: int
    missing_outcomes: list[str] = field(default_factory=list)  # an episode without its outcome
    server_errors: int = 0  # moto's own HTTP 5xx (its races), counted apart from the skill's
    drained: int = 0  # queued messages the drain applied after the conversations
    dead_letters: int = 0

    @property
    def problems(self) -> list[str]:
        out = [f"conversation {o.plan.index}: {p}" for o in self.outcomes for p in o.problems]
        out += [f"duplicated episode for {u}" for u in self.duplicates]
        out += [f"lost episode for {u}" for u in self.lost]
        out += [f"missing outcome: {m}" for m in self.missing_outcomes]
        out += self.wrong
        if self.strays:
            out.append(f"{self.strays} episodes in partitions of no conversation")
        if self.clients_made != 1:
            out.append(f"{self.clients_made} boto3 clients were created, not 1")
        if self.dead_letters:
            out.append(f"{self.dead_letters} queued writes in the dead-letter queue")
        return out


def run_concurrently(url: str, table: str, conversations: int = 200, workers: int = 32,
                     timeouts: dict | None = None, queue: bool = True) -> Report:
    """The conversations at once on one warm handler; with ``queue`` (the default, as deployed) the
    write queue on the same server takes what the table did not, and the drain runs afterwards,
    before the table is checked."""
    counter = ClientCounter(delay=0.05)
    errors = ServerErrors()
    original = storage_client.make_table_client
    original_queue = storage_client.make_queue_client

    def counted(config):
        client = counter(config)
        errors.watch(client)
        return client

    def counted_queue(config):
        client = original_queue(config)
        errors.watch(client)
        return client

    sqs = boto3.client("sqs", endpoint_url=url, region_name=REGION)
    queue_url = dead_url = None
    if queue:
        suffix = uuid.uuid4().hex[:6]
        queue_url, dead_url = create_queues(sqs, f"writes-{suffix}", f"dead-{suffix}", visibility_s=0)
    storage_client.make_table_client = counted
    storage_client.make_queue_client = counted_queue
    try:
        handler, _ = warm_handler(url, table, timeouts, queue_url)
        todo = plans(conversations)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(lambda plan: converse(handler, plan), todo))
        wall = time.perf_counter() - started
    finally:
        storage_client.make_table_client = original
        storage_client.make_queue_client = original_queue
    drained = dead = 0
    if queue_url:
        drain_repository = EpisodeRepository(TableConfig(name=table, region=REGION, endpoint_url=url,
                                                         queue_url=queue_url, queue_endpoint_url=url,
                                                         **GENEROUS))
        drained = drain_queue(sqs, queue_url, repository=drain_repository, rounds=200)["messages"]
        attributes = sqs.get_queue_attributes(QueueUrl=dead_url,
                                              AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        dead = int(attributes["ApproximateNumberOfMessages"])
    reader = boto3.client("dynamodb", endpoint_url=url, region_name=REGION)
    items = [decode_item(i) for i in all_items(reader, table)]
    episodes = [i for i in items if i["sk"].startswith("EP#")]
    by_pk = Counter(e["pk"] for e in episodes)
    wrong, duplicates, lost, missing = [], [], [], []
    for plan in todo:
        mine = [e for e in episodes if e["pk"] == user_key(plan.user)]
        if not mine:
            lost.append(plan.user)
            continue
        if len(mine) > 1:
            duplicates.append(plan.user)
        item = mine[0]
        expected_outcome = ENDINGS[plan.ending][2]
        if item.get("outcome") != expected_outcome:
            missing.append(f"conversation {plan.index} stored outcome {item.get('outcome')}, "
                           f"not {expected_outcome}")
        expected = (plan.muscle, plan.side, plan.started_iso)
        actual = (item.get("muscle"), item.get("side"), item.get("started_at"))
        if actual != expected:
            wrong.append(f"conversation {plan.index} stored {actual}, not {expected}")
    known = {user_key(p.user) for p in todo}
    return Report(conversations, workers, wall, outcomes, len(todo), len(episodes), duplicates, lost,
                  wrong, sum(n for pk, n in by_pk.items() if pk not in known), counter.made,
                  sum(o.queued_at_close for o in outcomes), missing, errors.count, drained, dead)


def module_state() -> dict[str, str]:
    """Every module-level container of the skill, and every handler's attributes, as text."""
    from cramp_helper.handlers import EXCEPTION_HANDLERS, REQUEST_HANDLERS

    snapshot = {}
    for name, module in list(sys.modules.items()):
        if name == "lambda_function" or name.startswith("cramp_helper"):
            for key, value in vars(module).items():
                if not key.startswith("__") and isinstance(value, (dict, list, set, bytearray)):
                    snapshot[f"{name}.{key}"] = repr(value)
    for handler in [*REQUEST_HANDLERS, *EXCEPTION_HANDLERS]:
        snapshot[f"handler {type(handler).__name__}"] = repr(vars(handler))
    return snapshot
