"""The DynamoDB fault matrix's cells, shared by tests/.../test_fault_matrix.py and bench/fault_matrix.py.

The DynamoDB fault matrix: every fault tools/faults.py knows, on every table call the skill makes.

Columns are the skill's table calls, each in the conversation that makes it:

    TransactWriteItems start  "my left calf is cramping" (the first turn writes the episode, in a
                         transaction that checks the person's deletion tombstone)
    GetItem profile      "still cramping" (the first turn that reads the voice preference)
    UpdateItem end       "it's gone" (the episode's outcome)
    Query history        "how many cramps have I had?"
    Query delete         "delete my cramp history" + "yes" (finding the items)
    BatchWriteItem delete  the same (deleting them)
    UpdateItem voice     "whisper to me" (saving the preference in the PROFILE item)

Rows are the faults, each injected once (one failed API call, after the client's own retries)
through botocore hooks: Throttling, Timeout, AccessDenied, ResourceNotFound, InternalServerError,
Slow (0.3 s, under the read timeout) and LostResponse (the write lands, its answer is lost, the
client retries).

What must hold: the right guidance is still spoken; a failed write is retried within the session
(on the next turn, or within the closing turn when no turn will follow) and, once the fault has
passed, the table holds exactly the user's episode with its right outcome;
history faults get their in-character "can't reach your history" answer; a delete retries
transient faults (throttling, timeouts, server errors) with backoff and finishes, and says
"couldn't delete" only for a lasting one (access denied, no table); a preference that could not
be saved is said to be unsaved; and all of them work again once the fault has passed.
bench/fault_matrix.py prints the same matrix with latencies, and measures real botocore timeouts
against a local endpoint that hangs.
"""

from __future__ import annotations

import importlib
import inspect
import io
import socket
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import boto3
import pytest

from cramp_helper import content as content_module
from cramp_helper.config import TableConfig
from cramp_helper.services import Services
from cramp_helper.skill import make_handler
from cramp_helper.storage import EpisodeRepository, decode_item, user_key
from testkit.alexa_api import RecordingApiClient, time_zone_route
from testkit.world import NIGHT, TABLE, DurableWorld, World
from tools import faults

FAULTS = ("Throttling", "Timeout", "AccessDenied", "ResourceNotFound", "InternalServerError", "Slow",
          "LostResponse")
ABSORBED = ("Slow", "LostResponse")  # one of these costs time, never an answer or a write
# A deletion retries these with backoff within its own window (storage.Store.delete_all).
DELETE_ABSORBED = (*ABSORBED, "Throttling", "Timeout", "InternalServerError")
START = "TransactWriteItems start"
CONTENT = content_module.load("en-US")


# --- one cell of the matrix ----------------------------------------------------------------------
@dataclass
class Cell:
    column: str
    operation: str
    fault: str
    guided: bool = False  # the faulted turn said the right thing (guidance, or the right apology)
    answer: str = ""  # what the faulted turn said
    latency_ms: float = 0.0  # the faulted turn, end to end through lambda_handler
    calls: int = 0  # API calls of the faulted operation in the whole scenario
    injected: int = 0  # how many of them failed (or were slowed) by the injector
    stored: int = 0  # the user's episodes in the table at the end
    outcome: str | None = None  # the stored episode's outcome at the end
    recovered: bool = False  # after the fault passed, within the session (or on asking again)
    user: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """A short verdict for the printed matrix."""
        if not self.guided:
            return "WRONG ANSWER"
        if self.column in EPISODE_COLUMNS:
            if self.stored != 1:
                return f"{self.stored} EPISODES STORED"
            if self.outcome is None:
                return "OUTCOME LOST"
            retried = self.injected and self.calls > self.injected and self.fault not in ABSORBED
            return "retried+stored" if retried else "stored"
        said = "answered" if self.fault in absorbed(self.column) else "apology"
        return f"{said}, {'recovers' if self.recovered else 'DOES NOT RECOVER'}"


EPISODE_COLUMNS = (START, "GetItem profile", "UpdateItem end")


def absorbed(column: str) -> tuple[str, ...]:
    """The faults a column's call absorbs: the right answer, not an apology."""
    return DELETE_ABSORBED if column.endswith(" delete") else ABSORBED


def _timed(cell: Cell, turn: Callable[[], object]):
    started = time.perf_counter()
    reply = turn()
    cell.latency_ms = (time.perf_counter() - started) * 1000
    cell.answer = reply.speech
    return reply


def episodes_of(world: World, user: str) -> list[dict]:
    """One user's episodes, oldest first, read with a client no fault is injected into."""
    return world.partition(user, "EP#")


def _finish(world: World, cell: Cell, user: str, before: dict[str, int]) -> Cell:
    cell.calls = world.faults.attempts.get(cell.operation, 0) - before.get(cell.operation, 0)
    cell.injected = world.faults.injected.get(cell.operation, 0)
    mine = episodes_of(world, user)
    cell.stored = len(mine)
    cell.outcome = mine[-1].get("outcome") if mine else None
    world.faults.clear()
    return cell


def opening_words(muscle: str = "CALF", side: str | None = "LEFT") -> str:
    return CONTENT.fill(CONTENT.phrase("start_known"), muscle, side)


def _seed_episode(world: World, user: str) -> None:
    """A whole relieved cramp, with no faults, so history has something to tell."""
    talk = world.conversation(user)
    talk.intent("CrampIntent", Muscle="foot")
    talk.intent("CrampGoneIntent")


# --- the scenarios, one per column ---------------------------------------------------------------
def start_write(world: World, fault: str, user: str) -> Cell:
    """The start write fails on the first turn; the next turn retries it; the cramp ends relieved."""
    cell = Cell(START, "TransactWriteItems", fault)
    before = dict(world.faults.attempts)
    talk = world.conversation(user)
    world.faults.fail("TransactWriteItems", fault, times=1)
    first = _timed(cell, lambda: talk.intent("CrampIntent", Muscle="calf", Side="left"))
    cell.guided = opening_words() in first.speech and not first.ended
    world.clock.now += timedelta(seconds=60)
    talk.intent("StillCrampingIntent")
    cell.recovered = "pending" not in talk.attributes.get("cramp", {})
    world.clock.now += timedelta(seconds=40)
    last = talk.intent("CrampGoneIntent")
    if "pending" in (last.envelope.get("sessionAttributes") or {}).get("cramp", {}):
        cell.notes.append("writes still queued when the session closed")
    return _finish(world, cell, user, before)


def profile_read(world: World, fault: str, user: str) -> Cell:
    """GetItem (the voice preference) fails on the second turn; guidance goes on, the episode is kept."""
    cell = Cell("GetItem profile", "GetItem", fault)
    before = dict(world.faults.attempts)
    talk = world.conversation(user)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    world.faults.fail("GetItem", fault, times=1)
    second = _timed(cell, lambda: talk.intent("StillCrampingIntent"))
    cell.guided = CONTENT.phrase("next_technique") in second.speech and not second.ended
    last = talk.intent("CrampGoneIntent")
    cell.recovered = CONTENT.phrase("relieved") in last.speech
    return _finish(world, cell, user, before)


def end_write(world: World, fault: str, user: str) -> Cell:
    """UpdateItem (the outcome) fails on "it's gone", the turn that closes the session."""
    cell = Cell("UpdateItem end", "UpdateItem", fault)
    before = dict(world.faults.attempts)
    talk = world.conversation(user)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    world.clock.now += timedelta(seconds=60)
    talk.intent("StillCrampingIntent")
    world.faults.fail("UpdateItem", fault, times=1)
    world.clock.now += timedelta(seconds=40)
    last = _timed(cell, lambda: talk.intent("CrampGoneIntent"))
    cell.guided = CONTENT.phrase("relieved") in last.speech and last.ended
    _finish(world, cell, user, before)
    cell.recovered = cell.outcome == "RELIEVED"
    return cell


def history_query(world: World, fault: str, user: str) -> Cell:
    """Query fails on "how many cramps have I had?"; asking again after the fault answers."""
    _seed_episode(world, user)
    cell = Cell("Query history", "Query", fault)
    before = dict(world.faults.attempts)
    world.faults.fail("Query", fault, times=1)
    reply = _timed(cell, lambda: world.conversation(user).intent("CrampCountIntent"))
    unavailable = CONTENT.section("history")["unavailable"]
    if fault in ABSORBED:
        none = CONTENT.section("history")["none"]
        cell.guided = unavailable not in reply.speech and none not in reply.speech
    else:
        cell.guided = unavailable in reply.speech
    cell.guided = cell.guided and reply.ended
    again = world.conversation(user).intent("CrampCountIntent")
    cell.recovered = unavailable not in again.speech
    return _finish(world, cell, user, before)


def _delete(world: World, user: str):
    talk = world.conversation(user)
    talk.intent("DeleteHistoryIntent")
    return talk


def delete_items(operation: str) -> Callable[[World, str, str], Cell]:
    def scenario(world: World, fault: str, user: str) -> Cell:
        """A fault at one of the delete's calls: a transient one is retried and the delete
        finishes; a lasting one says so, and asking again deletes what is left."""
        _seed_episode(world, user)
        cell = Cell(f"{operation} delete", operation, fault)
        before = dict(world.faults.attempts)
        talk = _delete(world, user)
        world.faults.fail(operation, fault, times=1)
        reply = _timed(cell, lambda: talk.intent("AMAZON.YesIntent"))
        words = CONTENT.section("privacy")
        finished = fault in DELETE_ABSORBED
        expected = words["deleted"] if finished else words["failed"]
        cell.guided = expected in reply.speech and reply.ended
        left = len(episodes_of(world, user))
        if not finished and left != 1:
            cell.notes.append(f"{left} episodes left after a failed delete")
        if finished and left != 0:
            cell.notes.append(f"{left} episodes left after 'deleted'")
        again = _delete(world, user).intent("AMAZON.YesIntent")
        _finish(world, cell, user, before)
        # Asking again deletes what a failed delete left; after a delete that worked there is
        # nothing left, and the skill says so.
        expected_again = words["nothing_to_delete"] if finished else words["deleted"]
        cell.recovered = expected_again in again.speech and cell.stored == 0
        return cell

    return scenario


def profile_of(world: World, user: str) -> dict:
    item = world.reader.get_item(
        TableName=TABLE, Key={"pk": {"S": user_key(user)}, "sk": {"S": "PROFILE"}}).get("Item")
    return decode_item(item) if item else {}


def voice_write(world: World, fault: str, user: str) -> Cell:
    """UpdateItem (saving "whisper to me") fails: it whispers anyway and says it couldn't save it."""
    cell = Cell("UpdateItem voice", "UpdateItem", fault)
    before = dict(world.faults.attempts)
    world.faults.fail("UpdateItem", fault, times=1)
    reply = _timed(cell, lambda: world.conversation(user).intent("WhisperIntent"))
    words = CONTENT.section("voice_prefs")
    saved_said = words["not_saved"] not in reply.speech
    cell.guided = words["whisper_on"] in reply.speech and saved_said == (fault in ABSORBED)
    if fault in ABSORBED and profile_of(world, user).get("voice") != "WHISPER":
        cell.notes.append("said it was saved, but the profile does not hold it")
    again = world.conversation(user).intent("WhisperIntent")
    cell.recovered = (words["not_saved"] not in again.speech
                      and profile_of(world, user).get("voice") == "WHISPER")
    return _finish(world, cell, user, before)


COLUMNS: dict[str, Callable[[World, str, str], Cell]] = {
    START: start_write,
    "GetItem profile": profile_read,
    "UpdateItem end": end_write,
    "Query history": history_query,
    "Query delete": delete_items("Query"),
    "BatchWriteItem delete": delete_items("BatchWriteItem"),
    "UpdateItem voice": voice_write,
}


def run_cell(world: World, column: str, fault: str) -> Cell:
    world.clock.now = NIGHT
    world.faults.clear()
    world.faults.injected.clear()
    user = f"amzn1.ask.account.FAULTS{column.replace(' ', '')}{fault}{uuid.uuid4().hex[:8]}"
    cell = COLUMNS[column](world, fault, user)
    cell.user = user
    return cell


@contextmanager
def fast_retries():
    """No waiting in the client's retry backoff, and a shorter Slow: these tests assert no timings."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, ctx: 0)
        patch.setattr(faults, "SLOW_SECONDS", 0.02)
        yield


# --- the matrix as tests -------------------------------------------------------------------------
CASES = [pytest.param(column, fault, id=f"{column.replace(' ', '-')}-{fault}")
         for column in COLUMNS for fault in FAULTS]
ERRORS = [f for f in FAULTS if f not in ABSORBED]


# --- real timeouts against a local endpoint that hangs --------------------------------------------
class HangingEndpoint:
    """A loopback TCP endpoint that never answers.

    mode "read": accepts every connection and never sends a byte (the read timeout fires).
    mode "connect": never accepts, with its one-place accept queue kept full, so new connections
    are never established (the connect timeout fires).
    """

    def __init__(self, mode: str = "read"):
        self.mode = mode
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(0 if mode == "connect" else 16)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self) -> HangingEndpoint:
        if self.mode == "connect":
            filler = socket.create_connection(("127.0.0.1", self.port), timeout=1)
            self._held.append(filler)  # the accept queue is now full
        else:
            self.server.settimeout(0.05)
            self._thread = threading.Thread(target=self._accept, daemon=True)
            self._thread.start()
        return self

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            self._held.append(conn)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        for sock in self._held:
            sock.close()
        self.server.close()


def skill_on(endpoint_url: str):
    """lambda_handler over a repository pointed at ``endpoint_url``, as the console builds it."""
    repository = EpisodeRepository(TableConfig(name=TABLE, region="us-east-1", endpoint_url=endpoint_url))
    handler = make_handler(Services(repository=repository, now=lambda: NIGHT),
                           api_client=RecordingApiClient(time_zone_route()))
    return handler, repository


# --- issue 21: one row per finding ("Done when"), what is said and what is stored ------------------
@dataclass
class FindingRow:
    finding: str  # the words for it
    expected: str  # the answer and what is stored, when it holds
    check: Callable[[], list[str]] | None  # runs the scenario; the problems found ([] = holds)
    pending: str = ""  # built on another branch: the reason it is expected to fail until merged


def _outage_delete() -> list[str]:
    from testkit.deletion import WORDS, outage_delete
    from testkit.world import DurableWorld

    result = outage_delete(DurableWorld())
    problems = []
    if not result["answer"].startswith(WORDS["deleting"]):
        problems.append(f"said {result['answer'][:60]!r}")
    if result["left_after_drain"] or result["tombstone"] != result["purge_at"]:
        problems.append(f"after the drain: {result['left_after_drain']} left, "
                        f"tombstone {result['tombstone']}")
    if not result["history_in_session"].startswith("You haven't"):
        problems.append(f"history in the session read the deleted cramps: "
                        f"{result['history_in_session'][:60]!r}")
    if result["dead_letters"] != 1:
        problems.append(f"a purge that never got through: {result['dead_letters']} in the DLQ")
    return problems


def _both_stores_timing_out() -> list[str]:
    from testkit.durability import both_stores_timing_out
    from testkit.world import DurableWorld

    result = both_stores_timing_out(DurableWorld())
    if (result["queued"], result["stored"], result["outcome"]) != (1, 1, "RELIEVED"):
        return [f"queued {result['queued']}, stored {result['stored']} ({result['outcome']})"]
    return []


def _deep_nesting() -> list[str]:
    import json as _json

    from testkit.conversation import load_event

    world = World()
    event = load_event("one_shot_calf")
    deep: dict = {}
    here = deep
    for _ in range(990):
        here["x"] = {}
        here = here["x"]
    event["request"]["unknownField"] = deep
    try:
        body = world.handler(event, None)
    except RecursionError:
        return ["lambda_handler raised RecursionError"]
    ssml = _json.dumps(body)
    return [] if CONTENT.phrase("error")[:30] in ssml else [f"answered {ssml[:80]!r}"]


@contextmanager
def _fresh_account():
    """moto state of its own: a new AWS account id (moto keeps every account apart) with the
    skill's table, so a scenario's fixed people (testkit.people) start from nothing even inside
    the matrix's moto."""
    import random

    from testkit.world import REGION, create_table

    with pytest.MonkeyPatch.context() as env:
        env.setenv("MOTO_ACCOUNT_ID", f"{random.randrange(10**11, 10**12)}")
        create_table(boto3.client("dynamodb", region_name=REGION), TABLE)
        yield


class _Captured:
    """capsys for a scenario run outside pytest: what was written to stderr since the last read."""

    def __init__(self):
        self.buffer = io.StringIO()

    def readouterr(self):
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return SimpleNamespace(out="", err=text)


def scenarios(module: str, *names: str) -> Callable[[], list[str]]:
    """A row's check: the finding's own tests (tests/functional/<module>.py; a name may also be
    "<module>::<name>"), each run once in an account of its own with the world its fixtures would
    give it (``world``: World, ``durable``: DurableWorld, ``capsys``: stderr), so the row and the
    tests can never drift apart. The problems are the assertions that failed, and anything a
    scenario raised."""

    def check() -> list[str]:
        problems = []
        for name in names:
            where, _, name = name.rpartition("::")
            test = getattr(importlib.import_module(f"tests.functional.{where or module}"), name)
            captured = _Captured()
            makers = {"world": World, "durable": DurableWorld, "capsys": lambda seen=captured: seen}
            with _fresh_account(), redirect_stderr(captured.buffer):
                try:
                    test(**{p: makers[p]() for p in inspect.signature(test).parameters})
                except Exception as err:  # noqa: BLE001 - a row reports, it does not stop the matrix
                    problems.append(f"{name}: {type(err).__name__} {str(err)[:160]}")
        return problems

    return check


def _lost_first_answer() -> list[str]:
    """Finding 7: turn 1 is written, its answer is lost, and the person says it again 20 s later
    (a new session, a new requestId), then "it's gone": one episode, ended."""
    from datetime import timedelta

    world = World()
    user = "amzn1.ask.account.LOSTANSWER"
    world.conversation(user).intent("CrampIntent", Muscle="calf", Side="left")  # answer lost
    world.clock.now += timedelta(seconds=20)
    again = world.conversation(user)
    guided = again.intent("CrampIntent", Muscle="calf", Side="left")
    world.clock.now += timedelta(seconds=30)
    again.intent("CrampGoneIntent")
    episodes = world.episodes(user)
    problems = [] if guided.hold_seconds() > 0 else ["the repeated start was not guided"]
    if [e.get("outcome") for e in episodes] != ["RELIEVED"]:
        problems.append(f"{len(episodes)} episodes: {[e.get('outcome') for e in episodes]}")
    return problems


FINDINGS: list[FindingRow] = [
    FindingRow("the outage-delete answer (finding 1)",
               "\"I've started deleting your cramp history. It will be complete within the hour.\"; "
               "purge queued, the session's history empty, 0 items after the drain; "
               "a failing purge in the DLQ",
               _outage_delete),
    FindingRow("stale and reordered bookmarks (findings 2, 3)",
               "a replayed or late bookmark changes nothing: 2 episodes, RELIEVED kept, "
               "the newer bookmark kept",
               scenarios("test_bookmark_order", "test_a_replayed_bookmark_never_revives_a_finished_episode",
                         "test_a_late_queued_bookmark_never_overwrites_a_newer_one",
                         "test_an_old_versionless_bookmark_counts_as_the_oldest")),
    FindingRow("poison in a batch (finding 4)",
               "only the poison message is in batchItemFailures; every healthy message stored",
               scenarios("test_drain_isolation",
                         "test_each_poison_body_fails_alone_and_every_healthy_message_is_stored",
                         "test_a_refused_message_reaches_the_dead_letter_queue")),
    FindingRow("failed and late SkillDisabled (findings 5, 6)",
               "a purge of the account is queued (or the invocation fails); "
               "the cut-off is eventCreationTime",
               scenarios("test_skill_disabled",
                         "test_a_failed_skill_disabled_queues_a_purge_of_the_account_and_its_people",
                         "test_with_the_queue_down_too_the_invocation_fails_and_alexas_retry_finishes",
                         "test_the_cut_off_is_the_events_creation_time_not_its_delivery",
                         "test_end_and_bookmark_writes_refresh_the_persons_member_item")),
    FindingRow("a lost first answer (finding 7)",
               "the repeated start within 60 s with a new requestId: 1 episode, ended",
               _lost_first_answer),
    FindingRow("future timestamps (finding 8)",
               "a request stamped 2099 is stored at the function's clock; "
               "a 2099 deletion blocks nothing later",
               scenarios("test_request_clock",
                         "test_a_cramp_stamped_2099_is_dated_now_and_deleted_by_delete_my_history",
                         "test_a_deletion_stamped_2099_does_not_block_later_cramps",
                         "test_a_stamp_a_little_off_is_kept_and_never_after_the_clock")),
    FindingRow("both stores timing out (finding 9)",
               "the send retried in its own window: 1 message queued, 1 episode RELIEVED after the drain, "
               "no table_writes_lost",
               _both_stores_timing_out),
    FindingRow("unknown key ids (finding 10)",
               "the drain refuses k9 and old keys (to the DLQ, drain_unknown_key alarmed); "
               "rotation moves partitions",
               scenarios("test_key_rotation",
                         "test_drain_isolation::test_a_message_under_an_unknown_key_id_is_refused_and_alarmed",
                         "test_an_old_plain_history_is_heard_moved_when_its_owner_speaks_and_deleted",
                         "test_a_move_cut_short_reads_both_once_and_finishes_next_time",
                         "test_delete_my_history_before_the_move_reaches_the_old_partition",
                         "test_a_person_and_the_account_move_apart_and_skill_disabled_reaches_every_partition",
                         "test_without_the_previous_secret_nothing_claims_the_whole_history",
                         "test_queued_writes_under_the_previous_key_land_and_move_and_unknown_keys_are_refused")),
    FindingRow("person and account namespaces (finding 11a)",
               "the HMAC input names its kind: a person id and an account id never share a partition",
               scenarios("test_key_rotation",
                         "test_a_person_id_that_spells_an_account_id_never_reaches_that_accounts_history")),
    FindingRow("deep nesting in the error path (finding 11b)",
               "an unknown field 990 deep: the spoken apology, no raise",
               _deep_nesting),
]
