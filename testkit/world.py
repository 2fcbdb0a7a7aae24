"""One World: the skill wired to a moto table (in-process, or moto's server on loopback), a
settable Clock and a fake of Alexa's own APIs; and, for the durability tests, the write queue
with its drain.

``episodes(user)`` reads one person's partition only (never a scan of the shared table): moto's
own in-process, or a Query with a client no fault is injected into; ``at(place, setup)`` plays a
set-up once and hands later callers a copy of where it left the person.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import urllib.request
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import boto3
import pytest

from cramp_helper.config import TableConfig
from cramp_helper.services import Services
from cramp_helper.skill import make_handler
from cramp_helper.storage import EpisodeRepository, decode_item, user_key
from testkit.alexa_api import RecordingApiClient, time_zone_route
from testkit.clock import NIGHT, Clock
from testkit.conversation import Conversation
from tools.faults import FaultInjector
from tools.local_dynamodb import all_items, create_queues, create_table, drain_queue

TABLE = "cramps-test"
REGION = "us-east-1"
WRITES = ("TransactWriteItems", "UpdateItem", "PutItem")
EVERYTHING = (*WRITES, "GetItem", "Query", "BatchWriteItem")


# --- moto, in-process or on loopback -------------------------------------------------------------
@contextmanager
def aws_env(real_backoff: bool = True) -> Iterator[pytest.MonkeyPatch]:
    """Test credentials and region; with ``real_backoff=False`` no waiting in the client's retry
    backoff (for tests that assert no timings; bench/fault_matrix.py measures the real one)."""
    with pytest.MonkeyPatch.context() as env:
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.setenv(key, "testing")
        env.setenv("AWS_DEFAULT_REGION", REGION)
        if not real_backoff:
            env.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, ctx: 0)
        yield env


def _copy_only_what_a_transaction_touches() -> None:
    """moto backs up every table a TransactWriteItems names by deep-copying the whole table before
    the first write, to put it back if the transaction is cancelled: in these tests a third of each
    write's time, growing with everything every earlier test and turn stored. Here the backup is
    the items the transaction names (a copy of each, or "absent"), put back the same way on any
    failure, and moto's own whole-table copy is the table itself. What a test can see is unchanged:
    a cancelled transaction leaves every item as it was, a committed one changes only its items."""
    import threading

    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    if getattr(DynamoDBBackend.transact_write_items, "copies_only_its_items", False):
        return
    whole_table_copy = DynamoDBBackend.transact_write_items
    inside = threading.local()  # moto's server answers on several threads

    def __deepcopy__(self, memo):
        if getattr(inside, "transaction", False):
            return self  # moto's backup is the table itself: the named items are backed up below
        new = Table.__new__(Table)  # any other copy (a restore, a backup): as deepcopy would
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

    def key_of(table, op: dict) -> tuple:
        attrs = op.get("Item") or op.get("Key") or {}
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
        return hash_key, range_key

    def transact_write_items(self, transact_items):
        backups = []
        try:
            for item in transact_items:
                op = next(iter(item.values()))
                table = self.tables.get(op.get("TableName"))
                if table is not None:
                    hash_key, range_key = key_of(table, op)
                    current = table.get_item(hash_key, range_key)
                    backups.append((table, hash_key, range_key, copy.deepcopy(current)))
        except Exception:  # noqa: BLE001 - a malformed request: moto's own path gives its own error
            backups = None
        if backups is None:
            return whole_table_copy(self, transact_items)
        inside.transaction = True
        try:
            return whole_table_copy(self, transact_items)
        except Exception:
            for table, hash_key, range_key, before in reversed(backups):
                partition = table.items[hash_key] if range_key is not None else table.items
                slot = range_key if range_key is not None else hash_key
                if before is None:
                    partition.pop(slot, None)
                else:
                    partition[slot] = before
                if range_key is not None and not partition:
                    table.items.pop(hash_key, None)
            raise
        finally:
            inside.transaction = False

    transact_write_items.copies_only_its_items = True
    Table.__deepcopy__ = __deepcopy__
    DynamoDBBackend.transact_write_items = transact_write_items


# The DynamoDB calls whose results moto already holds in the wire's JSON (items as AttributeValue
# maps, counts, keys): what its generic serialiser would write, checked value by value over the
# whole suite with TESTKIT_CHECK_JSON=1 (tests/functional/test_testkit_moto.py keeps a check).
DATA_CALLS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem",
                        "DeleteItem", "BatchWriteItem", "TransactWriteItems", "TransactGetItems"})


def _results_as_json() -> None:
    """moto answers every call through a generic serialiser that walks the operation's output
    shape for each value: each attribute of each item tries the ten members of an AttributeValue
    (S, N, M, L...) under two spellings each. For the data calls above the result is already the
    wire's JSON, so it is written as it is: a seventh of the conversation files' time. Errors, and
    every other call (CreateTable's dates, DescribeTable), still go through moto's serialiser."""
    from moto.core.responses import ActionResult

    if getattr(ActionResult.execute_result, "writes_data_as_json", False):
        return
    serialised = ActionResult.execute_result
    check = os.environ.get("TESTKIT_CHECK_JSON") == "1"

    def execute_result(self, context):
        result = self.result
        if (type(result) is not dict or context.operation_model.name not in DATA_CALLS
                or context.service_model.service_name != "dynamodb"):
            return serialised(self, context)
        members = context.operation_model.output_shape.members  # what moto keeps for itself is left out
        body = json.dumps({k: v for k, v in result.items() if k in members}, separators=(",", ":"))
        if check:
            status, headers, expected = serialised(self, context)
            if json.loads(expected) != json.loads(body):
                raise AssertionError(f"{context.operation_model.name}: {expected} != {body}")
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, body

    execute_result.writes_data_as_json = True
    execute_result.moto_serialiser = serialised  # for the test that holds the two alike
    ActionResult.execute_result = execute_result


def _update_expressions_walked_once_a_node() -> None:
    """moto checks an UpdateExpression by walking its tree once for each of ten processors, and at
    every node each processor builds its map of node types to handlers twice (``_processing_map``,
    a new dict each call): for the skill's end-of-episode update, 27 ms a call. The map is fixed for
    a processor, so it is built once for each."""
    from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser

    if getattr(DepthFirstTraverser, "map_kept", False):
        return

    def kept_map(self) -> dict:
        kept = self.__dict__.get("_testkit_map")
        if kept is None:
            kept = self.__dict__["_testkit_map"] = self._processing_map()
        return kept

    def nodes_to_be_processed(self) -> tuple:
        types = self.__dict__.get("_testkit_types")
        if types is None:
            types = self.__dict__["_testkit_types"] = tuple(kept_map(self))
        return types

    def process(self, node):
        for class_key, processor in kept_map(self).items():
            if isinstance(node, class_key):
                return processor(node)

    DepthFirstTraverser.nodes_to_be_processed = nodes_to_be_processed
    DepthFirstTraverser.process = process
    DepthFirstTraverser.map_kept = True
    # Two of the checks count over the whole subtree below every node of the expression (a SET of
    # twenty actions is twenty nested nodes): what the top finds is what they all find together,
    # so they run at the top only. (An expression breaking both rules twice could name another
    # clause first in its error; the skill sends none.)
    from moto.dynamodb.parsing.validators import ActionCountValidator, OverlappingPathsValidator

    def at_the_top(check):
        return lambda self, node: check(self, node) if node.parent is None else node

    for kind, name in ((ActionCountValidator, "verify_action_counts"),
                       (OverlappingPathsValidator, "check_for_overlapping_paths")):
        setattr(kind, name, at_the_top(getattr(kind, name)))


def _conditions_read_once() -> None:
    """moto reads a condition (a ConditionExpression, a KeyConditionExpression) by trying six
    regular expressions at every character, for every call, and a transaction reads each of its
    conditions twice: the skill sends a handful of distinct conditions, so each is read once and
    its words are handed out again (as new nodes: the parser builds on them)."""
    from collections import deque

    from moto.dynamodb.comparisons import ConditionExpressionParser as Parser

    if getattr(Parser._lex_condition_expression, "read_once", False):
        return
    read = Parser._lex_condition_expression
    words: dict[str, tuple] = {}

    def lex(self):
        found = words.get(self.condition_expression)
        if found is None:
            found = tuple(tuple(node)[:4] for node in read(self))  # an unreadable one raises as before
            if len(words) < 4096:
                words[self.condition_expression] = found
        return deque(Parser.Node(*node, children=[]) for node in found)

    lex.read_once = True
    Parser._lex_condition_expression = lex


def _botocore_only() -> None:
    """moto answers botocore through its stubber; at every start it also registers 1,300 URL
    patterns with ``responses``, for AWS clients built on ``requests``, which nothing here uses
    (the skill, the test kit and the tools call AWS through boto3 only): half of what a start
    costs (16 ms -> 7 ms), and thousands of tests start moto. ``responses`` is still started: a
    ``requests`` call is refused as before, one to AWS now refused too instead of answered."""
    from moto.core.models import MockAWS, botocore_stubber, responses_mock

    if getattr(MockAWS._enable_patching, "botocore_only", False):
        return

    def enable_patching(self, reset: bool = True) -> None:
        botocore_stubber.enabled = True
        if reset:
            self.reset()
        responses_mock.start()

    enable_patching.botocore_only = True
    MockAWS._enable_patching = enable_patching


_SESSION_AFTER_MOTO: list[bool] = []  # set once the default session has been made after moto's import


def _moto_in_the_default_session() -> None:
    """boto3's default session takes botocore's handlers when it is made, and moto's stubber joins
    them when moto is imported. The kit keeps the session across moto starts (``moto_table``:
    ``reset_boto3_session`` off, 80 ms a start), so a session made before moto's import, by a test
    of a real loopback endpoint earlier in the same worker (test_hanging_table), was never mocked:
    every later test of that worker reached AWS itself. The first moto start of a process drops
    that session, and the kit's client made from it; the next ones are made with the stubber."""
    if _SESSION_AFTER_MOTO:
        return
    import moto.core.models  # noqa: F401  (the stubber, in botocore's handlers from here on)

    boto3.DEFAULT_SESSION = None
    plain_client.cache_clear()
    _SESSION_AFTER_MOTO.append(True)


def _faster_moto() -> None:
    """The test kit's changes to moto, once a process (each checks it is not made twice)."""
    _moto_in_the_default_session()
    _botocore_only()
    _copy_only_what_a_transaction_touches()
    _results_as_json()
    _update_expressions_walked_once_a_node()
    _conditions_read_once()


@contextmanager
def moto_table(table: str = TABLE, *, real_backoff: bool = True) -> Iterator[None]:
    """moto in-process with the skill's table (and SQS, for the write queue). boto3's default
    session is kept, not reset as moto does by default: a new session reads botocore's endpoint
    and service files again (about 80 ms), and thousands of tests each start moto."""
    from moto import mock_aws

    _faster_moto()
    with aws_env(real_backoff), mock_aws(config={"core": {"reset_boto3_session": False}}):
        create_table(plain_client(), table)
        yield


@functools.cache
def plain_client():
    """One DynamoDB client a process for the test kit's own reads and set-up, never the skill's
    and never hooked by a fault injector. moto in-process answers any client, whenever it was made,
    while a mock is on; making one costs 20-40 ms, and every test made two."""
    with aws_env():
        return boto3.client("dynamodb", region_name=REGION)


@contextmanager
def moto_server(table: str = TABLE, serialised: bool = False) -> Iterator[str]:
    """moto's DynamoDB-compatible server on 127.0.0.1 with the skill's table; yields its URL.
    ``serialised``: one request at a time (tools.local_dynamodb.start_server)."""
    from tools.local_dynamodb import start_server

    _faster_moto()
    server, url = start_server(serialised=serialised)
    try:
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
        create_table(boto3.client("dynamodb", endpoint_url=url, region_name=REGION), table)
        yield url
    finally:
        server.stop()


# --- the World ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Place:
    """Where a set-up left a person (World.at): who, the clock before and after, their partition,
    the session (its id, new, consent token; the attributes as JSON), what the set-up returned."""

    user: str
    started: object
    ended: object
    items: dict
    session: tuple
    attributes: str
    returned: object


class World:
    """The skill wired to a moto table, a fake Alexa API and a settable clock."""

    def __init__(self, zone="America/New_York", now=NIGHT, api_routes=None):
        self.clock = Clock(now)
        self.repository = EpisodeRepository(TableConfig(name=TABLE, region=REGION),
                                            clock=lambda: self.clock().timestamp())
        self.client = self.repository.connection()
        self.faults = FaultInjector(self.client)
        routes = time_zone_route(zone) if zone else {}
        routes.update(api_routes or {})
        self.api = RecordingApiClient(routes)
        self.services = Services(repository=self.repository, now=self.clock)
        self.handler = make_handler(self.services, api_client=self.api)
        self._reader = None
        self._places: dict[tuple, _Place] = {}

    def conversation(self, user_id=None, locale: str = "en-US") -> Conversation:
        return Conversation(locale, handler=self.handler, clock=self.clock, user_id=user_id)

    def at(self, place: Hashable, setup: Callable[[Conversation], object],
           locale: str = "en-US") -> tuple[Conversation, object]:
        """A conversation at ``place``, for a person of its own, and what ``setup`` returned:
        ``setup(talk)`` takes a new person there (its turns, the clock moved). It is played once
        per World, place and locale (set-ups are most of the turns the cell-by-cell tests play);
        every later call starts from a copy of what it left, the session, the person's partition
        and the clock, as if played again. Where moto runs on a server, or the clock did not start
        where it started then, it is played again."""
        started, key = self.clock(), (place, locale)
        kept = self._places.get(key)
        if kept is not None and kept.started == started:
            self.put_back(kept.user, kept.items)
            self.clock.now = kept.ended
            talk = self.conversation(kept.user, locale)
            talk.session.session_id, talk.session.new, talk.session.consent_token = kept.session
            talk.session.attributes = json.loads(kept.attributes)
            return talk, kept.returned
        talk = self.conversation(locale=locale)
        returned = setup(talk)
        items = self.keep(talk.user_id)
        if items is not None:
            session = talk.session
            self._places[key] = _Place(talk.user_id, started, self.clock(), items,
                                       (session.session_id, session.new, session.consent_token),
                                       json.dumps(session.attributes), returned)
        return talk, returned

    @property
    def reader(self):
        """A client of its own: not hooked by the fault injector, its calls not counted."""
        if self._reader is None:
            self._reader = plain_client()
        return self._reader

    def items(self) -> list[dict]:
        """Every item in the table (a scan: for "nothing was stored" checks on a World of one test)."""
        return [decode_item(i) for i in all_items(self.reader, TABLE)]

    def partition(self, user: str, prefix: str = "") -> list[dict]:
        """One person's items (whose sort key starts with ``prefix``), in sort-key order, read from
        their partition only: in-process, moto's partition itself, as a Query returns it (a Query
        through botocore was two-fifths of the safety corpus's time); on a server, a Query."""
        table = _moto_table()
        if table is not None:
            held = table.items.get(_moto_key(user_key(user)), {}).values()
            items = (decode_item(item.to_json()["Attributes"]) for item in held)
            return sorted((i for i in items if i["sk"].startswith(prefix)), key=lambda i: i["sk"])
        condition, values = "pk = :pk", {":pk": {"S": user_key(user)}}
        if prefix:
            condition += " AND begins_with(sk, :prefix)"
            values[":prefix"] = {"S": prefix}
        items, kwargs = [], {"TableName": TABLE, "KeyConditionExpression": condition,
                             "ExpressionAttributeValues": values}
        while True:
            page = self.reader.query(**kwargs)
            items.extend(decode_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def episodes(self, user: str | None = None) -> list[dict]:
        """``user``'s episodes, oldest first (the sort key is a hash of the request id, so by the
        start time). A read of that user's partition only (``partition``); without a user, every
        episode in the table (a scan: only for a World that lives for one test)."""
        if user is not None:
            found = self.partition(user, "EP#")
        else:
            found = [i for i in self.items() if i["sk"].startswith("EP#")]
        return sorted(found, key=lambda i: (str(i.get("started_at", "")), i["sk"]))

    def keep(self, user: str) -> dict | None:
        """``user``'s partition as it is now, for ``put_back``: a copy of moto's in-process items
        (empty when there are none), or None where there is no such table (moto on a server): the
        caller then plays again."""
        table = _moto_table()
        return None if table is None else copy.deepcopy(table.items.get(_moto_key(user_key(user)), {}))

    def put_back(self, user: str, kept: dict) -> None:
        """``user``'s partition exactly as ``keep`` found it (whatever was written since, gone)."""
        table, key = _moto_table(), _moto_key(user_key(user))
        if kept:
            table.items[key] = copy.deepcopy(kept)
        else:
            table.items.pop(key, None)


def _moto_key(pk: str):
    from moto.dynamodb.models.dynamo_type import DynamoType
    return DynamoType({"S": pk})


def _moto_table():
    """The in-process moto table the skill is talking to (TABLE, in REGION of the current account:
    MOTO_ACCOUNT_ID, or moto's default, as moto picks it for a request; its items by partition
    key), or None where there is none or moto's layout is not the one pinned (another version)."""
    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends
    except ImportError:
        return None
    account = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
    regions = dynamodb_backends.get(account) if account in dynamodb_backends else None
    backend = regions.get(REGION) if regions is not None and REGION in regions else None
    table = getattr(backend, "tables", {}).get(TABLE)
    return table if isinstance(getattr(table, "items", None), dict) else None


class DurableWorld(World):
    """The skill, a moto table, the write queue (+ DLQ) and the drain with a client of its own."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sqs = boto3.client("sqs", region_name=REGION)
        suffix = uuid.uuid4().hex[:8]
        self.queue_url, self.dlq_url = create_queues(self.sqs, f"writes-{suffix}", f"dlq-{suffix}",
                                                     visibility_s=0)
        self.repository.config = self.repository.config._replace(queue_url=self.queue_url)
        self.drain_repository = EpisodeRepository(
            TableConfig(name=TABLE, region=REGION, queue_url=self.queue_url),
            clock=lambda: self.clock().timestamp())
        self.drain_faults = FaultInjector(self.drain_repository.connection())

    def drain(self, rounds: int = 50) -> dict:
        return drain_queue(self.sqs, self.queue_url, repository=self.drain_repository, rounds=rounds)

    def queued(self) -> int:
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["All"])
        values = attributes["Attributes"]
        return sum(int(values[name]) for name in ("ApproximateNumberOfMessages",
                                                  "ApproximateNumberOfMessagesNotVisible"))

    def dead_letters(self) -> int:
        values = self.sqs.get_queue_attributes(QueueUrl=self.dlq_url,
                                               AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        return int(values["ApproximateNumberOfMessages"])

    def mine(self, user: str, prefix: str = "EP#") -> list[dict]:
        return self.partition(user, prefix)

    def table_down(self, times: int = 1000) -> None:
        for operation in EVERYTHING:
            self.faults.fail(operation, "InternalServerError", times=times)


# --- the `table:` expectation of tests/conversations/*.yaml -------------------------------------
CURRENT_WORLD: dict = {"world": None}  # the World the conversation file is playing against


def _check_table(turn, expected: dict):
    """`table: {episodes: N, last: {outcome: RELIEVED, muscle: CALF, side: null}, outcomes: [RELIEVED,
    null]}` for this user (``outcomes``: every episode's, oldest first; null while one is open)."""
    world = CURRENT_WORLD["world"]
    if world is None:
        return "a table expectation needs the conversation to run against a table"
    user = turn.request["context"]["System"]["user"]["userId"]
    mine = world.episodes(user)
    problems = []
    if "episodes" in expected and len(mine) != expected["episodes"]:
        problems.append(f"table holds {len(mine)} episodes, not {expected['episodes']}")
    for key, value in (expected.get("last") or {}).items():
        actual = mine[-1].get(key) if mine else None
        if actual != value:
            problems.append(f"last episode {key} is {actual!r}, not {value!r}")
    outcomes = [e.get("outcome") for e in mine]
    if "outcomes" in expected and outcomes != expected["outcomes"]:
        problems.append(f"the episodes' outcomes are {outcomes}, not {expected['outcomes']}")
    unknown = set(expected) - {"episodes", "last", "outcomes"}
    if unknown:
        problems.append(f"unknown table expectation keys {sorted(unknown)}")
    return problems


def register_table_expectation() -> None:
    """Conversation files may say what the table holds for their user after a turn."""
    from tools.conversation_files import register_expectation

    register_expectation("table", _check_table, replace=True)
