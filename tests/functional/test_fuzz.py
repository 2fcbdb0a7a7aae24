"""Fuzzing lambda_handler with malformed, partial and hostile request envelopes (testkit/strategies.py).

Properties, for every input: the handler never raises, returns a JSON-serialisable dict that meets
every rule in tools/alexa_rules.check_response (so its SSML is well formed, with Alexa's tags only,
whatever the input held), keeps a reprompt whenever the session stays open, and never lets any
text from the request reach the speech or the card. Envelopes Alexa could really send (only the
slot words, the session state or the request type are odd) must also never fall through to the
catch-all "something went wrong" answer, and requests that cannot be spoken to get no speech.

Two handlers: the shipped ``lambda_function.lambda_handler`` (no table configured), and the World
handler on a moto table, where a drawn DynamoDB fault may also be injected.

Profiles, chosen with the environment variable HYPOTHESIS_PROFILE:
    ci    (default) about 400 examples in all, derandomised, on top of hypothesis' built-in "ci"
          profile (no deadline, no example database, reproduction blobs printed);
    fuzz  FUZZ_EXAMPLES examples in all (default 10,000), random, with the example database.
The budget is shared between the tests by weight. ``EXECUTED`` counts the examples each test ran
(bench/fuzz.py prints it, and uses FUZZ_MODE, below, to run past a failure and then minimise each
one). The ``@example`` inputs are bugs the fuzzer has found: they run first, every time.
"""

from __future__ import annotations

import copy
import json
import os
import re
import traceback
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cramp_helper.handlers.platform_events import EventNotProcessed
from cramp_helper.storage import user_key
from testkit import strategies as hs
from testkit.world import World
from tools.alexa_rules import check_response, spoken_text
from tools.faults import FAULTS

# --- profiles ------------------------------------------------------------------------------------
_SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
             HealthCheck.filter_too_much]
# "ci" extends hypothesis' own built-in "ci" profile (which it loads by itself on CI servers) with
# this file's budget, without re-registering it: other hypothesis tests keep their own settings.
_PROFILES = {
    "ci": settings(settings.get_profile("ci"), max_examples=400, deadline=None, derandomize=True,
                   database=None, suppress_health_check=_SUPPRESS),
}
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10000")), deadline=None,
    derandomize=False, suppress_health_check=_SUPPRESS, print_blob=True, report_multiple_bugs=True)
_PROFILES["fuzz"] = settings.get_profile("fuzz")
PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE", "ci")
PROFILE = _PROFILES.get(PROFILE_NAME) or settings.get_profile(PROFILE_NAME)

WEIGHTS = {
    "test_hostile_envelopes_without_a_table": 0.25,
    "test_hostile_envelopes_against_the_table": 0.25,
    "test_real_envelopes_with_hostile_slot_words": 0.15,
    "test_corrupted_session_state_is_never_a_crash": 0.25,
    "test_every_request_type": 0.10,
}
EXECUTED: Counter = Counter()  # test name -> examples actually run (shrinking included)


def budget(test_name: str) -> settings:
    examples = os.environ.get("FUZZ_TEST_EXAMPLES")  # bench/fuzz.py, when minimising one failure
    count = int(examples) if examples else round(PROFILE.max_examples * WEIGHTS[test_name])
    return settings(PROFILE, max_examples=max(1, count))


# --- failures: raised (pytest), collected (bench/fuzz.py's long run), or hunted one at a time ---
# FUZZ_MODE: "raise" (default): a failure fails the test, hypothesis shrinks it;
#            "collect": failures are recorded by signature and the run goes on to its full count;
#            "target:<signature>": only that failure is raised (and shrunk), others are ignored.
FAILURES: dict[str, dict] = {}


def signature(test_name: str, exc: BaseException) -> str:
    """What makes two failures the same bug: the test, the exception and where, or the broken rule."""
    if isinstance(exc, AssertionError):
        head = str(exc).split("\n", 1)[0]
        if not head.startswith("invalid response"):  # the rule, without the details after it
            head = re.split(r":\s|, but got", head, maxsplit=1)[0]
        return f"{test_name}|{re.sub(r'[0-9]+', 'N', head)[:160]}"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/lambda/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{test_name}|{type(exc).__name__}|{where}"


def _elide(value, limit: int = 160):
    """An example fit to print: long strings shortened (their length kept)."""
    if isinstance(value, str) and len(value) > limit:
        return f"<{len(value)} chars: {value[:48]!r}...>"
    if isinstance(value, dict):
        return {k: _elide(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_elide(v, limit) for v in value]
    return value


@contextmanager
def examined(test_name: str, **example):
    """Counts one example, and handles its failure as FUZZ_MODE says."""
    EXECUTED[test_name] += 1
    try:
        yield
    except Exception as exc:
        mode = os.environ.get("FUZZ_MODE", "raise")
        key = signature(test_name, exc)
        if mode == "raise" or mode == f"target:{key}":
            raise
        if mode == "collect":
            size = len(json.dumps(example, default=str))
            seen = FAILURES.get(key)
            if seen is None or size < seen["size"]:
                FAILURES[key] = {"test": test_name, "size": size, "count": (seen or {}).get("count", 0),
                                 "example": _elide(example),
                                 "traceback": "".join(traceback.format_exception(exc)[-12:])}
            FAILURES[key]["count"] += 1


@pytest.fixture(scope="module", autouse=True)
def fuzz_report():
    """Writes the counts and collected failures to FUZZ_REPORT (for bench/fuzz.py)."""
    yield
    path = os.environ.get("FUZZ_REPORT")
    if path:
        Path(path).write_text(json.dumps({"executed": EXECUTED, "failures": FAILURES}, default=str),
                              encoding="utf-8")


# --- the two handlers ----------------------------------------------------------------------------
USERS = st.sampled_from([f"amzn1.ask.account.FUZZ{i:03d}USERXYZ" for i in range(40)])
TABLE_OPERATIONS = ("PutItem", "UpdateItem", "GetItem", "Query", "BatchWriteItem")
FUZZ_FAULTS = tuple(f for f in FAULTS if f != "Slow")  # Slow only costs time; the matrix covers it
WRITES = ("PutItem", "UpdateItem", "BatchWriteItem", "DeleteItem")
NO_SPEECH = ("SessionEndedRequest", "System.ExceptionEncountered")  # and AlexaSkillEvent.*


def no_table_handler():
    """The shipped entry point, built at import with the environment this process started with."""
    from lambda_function import lambda_handler

    return lambda_handler


class WriteRecorder:
    """Records the partition key of every write the skill's client attempts."""

    def __init__(self, client):
        self.partitions: list[tuple[str, str]] = []
        client.meta.events.register("provide-client-params.dynamodb", self._record)

    def _record(self, params, model, **_):
        name = model.name
        if name in ("PutItem", "UpdateItem", "DeleteItem"):
            item = params.get("Item") or params.get("Key") or {}
            self.partitions.append((name, (item.get("pk") or {}).get("S")))
        elif name == "TransactWriteItems":  # guarded starts: the put and its tombstone check
            for action in params.get("TransactItems") or []:
                for op, body in action.items():
                    key = body.get("Item") or body.get("Key") or {}
                    self.partitions.append((f"{name}.{op}", (key.get("pk") or {}).get("S")))
        elif name == "BatchWriteItem":
            for requests in (params.get("RequestItems") or {}).values():
                for request in requests:
                    for body in request.values():
                        key = body.get("Item") or body.get("Key") or {}
                        self.partitions.append((name, (key.get("pk") or {}).get("S")))


def call_world(world: World, event, fault=None) -> dict:
    """One request through the World's handler; every write must stay in the requester's partition."""
    world.faults.clear()
    world.api.calls.clear()
    recorder = getattr(world, "fuzz_writes", None) or WriteRecorder(world.client)
    world.fuzz_writes = recorder
    recorder.partitions.clear()
    if fault is not None:
        world.faults.fail(*fault)
    try:
        result = world.handler(event, None)
    finally:
        world.faults.clear()
    # each id under its role's kind (issue 21: the HMAC input names it): the person's own partition,
    # the account's (the person's membership record, or the unrecognised speaker's data)
    person = _person_id(event)
    allowed = {user_key(uid, kind="account") for uid in _user_ids(event, min_length=1)}
    allowed |= {user_key(person, kind="person")} if person else set()
    strays = [(op, pk) for op, pk in recorder.partitions if pk not in allowed]
    assert not strays, f"writes outside the requesting user's partition: {strays}"
    return result


# --- the properties ------------------------------------------------------------------------------
def _user_ids(event, min_length: int = 16) -> set[str]:
    """The user ids an event carries (in the session and in context.System), and the recognised
    person's id: a person's data is theirs, with a membership record in the account's partition."""
    found = set()
    if isinstance(event, dict):
        context = event.get("context")
        system = context.get("System") if isinstance(context, dict) else None
        for holder in (event.get("session"), system):
            user = holder.get("user") if isinstance(holder, dict) else None
            uid = user.get("userId") if isinstance(user, dict) else None
            if isinstance(uid, str) and len(uid) >= min_length:
                found.add(uid)
        person = system.get("person") if isinstance(system, dict) else None
        pid = person.get("personId") if isinstance(person, dict) else None
        if isinstance(pid, str) and len(pid) >= min_length:
            found.add(pid)
    return found


def _person_id(event) -> str | None:
    """The recognised person's id, as the skill reads it (context.System.person.personId)."""
    context = event.get("context") if isinstance(event, dict) else None
    system = context.get("System") if isinstance(context, dict) else None
    person = system.get("person") if isinstance(system, dict) else None
    pid = person.get("personId") if isinstance(person, dict) else None
    return pid if isinstance(pid, str) and pid else None


def _ssml(part) -> str | None:
    speech = (part or {}).get("outputSpeech") if isinstance(part, dict) else None
    return speech.get("ssml") if isinstance(speech, dict) else None


def assert_valid(event, result, *, real_envelope: bool = False) -> None:
    """The properties every response must have (see the module docstring)."""
    assert isinstance(result, dict), f"lambda_handler returned {type(result).__name__}"
    text = json.dumps(result)  # Lambda must be able to serialise it
    problems = check_response(result)
    assert problems == [], f"invalid response: {problems}\n{text[:3000]}"
    response = result.get("response") or {}
    speech, reprompt = _ssml(response), _ssml(response.get("reprompt"))
    if response.get("shouldEndSession") is False:
        assert reprompt, "the session stays open without a reprompt"
    heard = json.dumps([response.get("outputSpeech"), response.get("reprompt"), response.get("card")])
    assert hs.CANARY not in heard, f"request text reached the speech or card: {heard[:3000]}"
    for uid in _user_ids(event):
        assert uid not in text, "the raw Alexa user id is in the response"
    if not real_envelope:
        return
    request_type = hs.request_type_of(event) or ""
    if request_type in NO_SPEECH or request_type.startswith("AlexaSkillEvent."):
        assert speech is None, f"a {request_type} cannot be spoken to, but got {speech!r}"
    if speech is not None:
        assert ERROR_WORDS not in spoken_text(speech), (
            f"an envelope Alexa could send fell through to the catch-all: {spoken_text(speech)!r}")


def _error_words() -> str:
    from cramp_helper import content

    return content.load(None).phrase("error")


ERROR_WORDS = _error_words()


# --- the tests -----------------------------------------------------------------------------------
def _without(name: str, *path: str) -> dict:
    """A fixture with one field removed: regression examples for what the fuzzer has found."""
    envelope = copy.deepcopy(hs.FIXTURES[name])
    node = envelope
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return envelope


def _with_state(intent: str, cramp: object) -> dict:
    envelope = copy.deepcopy(hs.FIXTURES["one_shot_calf"])
    envelope["session"].update(new=False, attributes={"cramp": cramp})
    envelope["request"]["intent"] = {"name": intent, "confirmationStatus": "NONE", "slots": {}}
    return envelope


@budget("test_hostile_envelopes_without_a_table")
@given(event=hs.hostile_envelopes())
@example(event=None)
@example(event=[])
@example(event={})
@example(event={"request": 5})
@example(event={"request": ["LaunchRequest"]})
@example(event=_without("skill_disabled", "context"))
@example(event=_without("one_shot_calf", "context", "System"))
@example(event=_without("launch", "request", "requestId"))
def test_hostile_envelopes_without_a_table(event):
    with examined("test_hostile_envelopes_without_a_table", event=event):
        assert_valid(event, no_table_handler()(event, None))


def _user_id_of_the_wrong_type(user_id: object) -> dict:
    envelope = copy.deepcopy(hs.FIXTURES["one_shot_calf"])
    envelope["session"]["user"]["userId"] = user_id
    envelope["context"]["System"]["user"]["userId"] = "amzn1.ask.account.FUZZWRONGTYPEUSERID"
    return envelope


@budget("test_hostile_envelopes_against_the_table")
@given(event=hs.hostile_envelopes(USERS),
       fault=st.one_of(st.none(), st.none(), st.tuples(st.sampled_from(TABLE_OPERATIONS),
                                                        st.sampled_from(FUZZ_FAULTS), st.integers(1, 3))))
@example(event=_user_id_of_the_wrong_type([]), fault=None)
def test_hostile_envelopes_against_the_table(table_world, event, fault):
    with examined("test_hostile_envelopes_against_the_table", event=event, fault=fault):
        try:
            result = call_world(table_world, event, fault)
        except EventNotProcessed:
            # SkillDisabled whose deletion failed, with no queue to hand it to (this World has none):
            # raised out of the invocation by design, so that Alexa delivers the event again
            request = event.get("request") if isinstance(event, dict) else None
            assert fault is not None and isinstance(request, dict) and request.get("type") == \
                "AlexaSkillEvent.SkillDisabled", "a request not retried by Alexa raised EventNotProcessed"
            return
        assert_valid(event, result)


@budget("test_real_envelopes_with_hostile_slot_words")
@given(event=hs.with_session(hs.intent_envelopes(hostile_slots=True), USERS, st.just({})),
       with_table=st.booleans())
def test_real_envelopes_with_hostile_slot_words(table_world, event, with_table):
    """Only the words (and their entity resolution) are odd: no catch-all, no injection."""
    with examined("test_real_envelopes_with_hostile_slot_words", event=event, with_table=with_table):
        result = call_world(table_world, event) if with_table else no_table_handler()(event, None)
        assert_valid(event, result, real_envelope=True)


@budget("test_corrupted_session_state_is_never_a_crash")
@given(event=hs.with_session(hs.intent_envelopes(hostile_slots=False), USERS,
                             hs.session_attributes(objects_only=True)),
       with_table=st.booleans())
@example(event=_with_state("AMAZON.CancelIntent", {"v": 2, "episode": {}}), with_table=False)
@example(event=_with_state("AMAZON.StopIntent", {"v": 2, "prevention": {}}), with_table=True)
@example(event=_with_state("StillCrampingIntent", {"v": 2, "muscle": "CALF", "episode": {
    "id": hs.SK, "started_at": hs.STARTED, "techniques": "calf_toe_pull"}}), with_table=True)
@example(event=_with_state("AMAZON.RepeatIntent", {"v": 2, "muscle": "CALF", "episode": {
    "id": hs.SK, "started_at": hs.STARTED, "techniques": [], "note": "x" * 30_000}}), with_table=False)
@example(event=_with_state("CrampGoneIntent", {"v": 2, "muscle": "CALF", "episode": {
    "id": hs.SK, "started_at": hs.STARTED, "techniques": []}, "pending": [
    {"op": "start", "id": hs.SK, "item": {"started_at": hs.STARTED, "pk": hs.INTRUDER_PK}}]}),
    with_table=True)
@example(event={**_with_state("AMAZON.RepeatIntent", {"v": 2}), "session": {
    **_with_state("AMAZON.RepeatIntent", {"v": 2})["session"],
    "attributes": {"cramp": {"v": 2}, "legacy": "x" * 30_000}}}, with_table=False)
def test_corrupted_session_state_is_never_a_crash(table_world, event, with_table):
    """state.py's promise: session attributes it cannot trust are dropped; worst case a fresh start."""
    with examined("test_corrupted_session_state_is_never_a_crash", event=event, with_table=with_table):
        result = call_world(table_world, event) if with_table else no_table_handler()(event, None)
        assert_valid(event, result, real_envelope=True)


def _session_ended(reason: str, cramp: dict | None = None) -> dict:
    envelope = copy.deepcopy(hs.FIXTURES["session_ended"])
    envelope["request"]["reason"] = reason
    envelope["session"]["attributes"] = {"cramp": cramp} if cramp else {}
    return envelope


def _exception_encountered(error_type: str) -> dict:
    envelope = copy.deepcopy(hs.FIXTURES["launch"])
    envelope["request"] = {**{k: envelope["request"][k] for k in ("requestId", "locale", "timestamp")},
                           "type": "System.ExceptionEncountered",
                           "error": {"type": error_type, "message": "The skill's response was invalid"},
                           "cause": {"requestId": "amzn1.echo-api.request.0000"}}
    return envelope


@budget("test_every_request_type")
@given(event=hs.with_session(hs.other_request_envelopes(), USERS, st.just({})), with_table=st.booleans())
@example(event=_session_ended("FUTURE_REASON"), with_table=True)
@example(event=_exception_encountered("FUTURE_ERROR"), with_table=False)
def test_every_request_type(table_world, event, with_table):
    """Every request type, plausibly filled: known ones are answered properly, unknown ones safely."""
    request_type = hs.request_type_of(event)
    with examined("test_every_request_type", event=event, with_table=with_table):
        if with_table:
            before = dict(table_world.faults.attempts)
            result = call_world(table_world, event)
            if request_type == "CanFulfillIntentRequest":  # must have no side effects
                writes = {op: n - before.get(op, 0) for op, n in table_world.faults.attempts.items()
                          if op in WRITES and n != before.get(op, 0)}
                assert writes == {}, f"CanFulfillIntentRequest wrote to the table: {writes}"
        else:
            result = no_table_handler()(event, None)
        assert_valid(event, result, real_envelope=request_type in hs.OTHER_REQUEST_TYPES)


def test_a_session_ended_for_a_reason_ask_sdk_does_not_know_still_closes_the_episode(table_world):
    """Found by the fuzzer: Alexa may add a SessionEndedRequest reason (or error type) the SDK's
    enums do not know; the request must still close the session's episode (kept open for twenty
    minutes in case the person comes back), silently."""
    talk = table_world.conversation("amzn1.ask.account.FUZZFUTUREREASON")
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    envelope = talk._envelope("session_ended", {"reason": "FUTURE_REASON"})
    result = call_world(table_world, envelope)
    assert "outputSpeech" not in (result.get("response") or {})
    mine = table_world.episodes("amzn1.ask.account.FUZZFUTUREREASON")
    assert [e.get("outcome") for e in mine] == [None]
    assert any("open_episode" in item for item in table_world.items())
