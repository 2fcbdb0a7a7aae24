"""The one module that talks to AWS: the episode table (DynamoDB) and the queue of writes that
outlive their session (SQS). Keys, item shape, TTL, idempotency, tombstones, timeouts, paging.

Table layout (one table, see docs/data-model.md):
    pk  "USER#<key id>#<HMAC-SHA256 of the Alexa person or user id>"   partition: one person
    sk  "EP#<hash of the request id>"          an episode (started_at in an attribute)
        "PS#<hash of the request id>"          a prevention session (bedtime stretches)
        "PROFILE"                              preferences, the open-episode bookmark, and the
                                               deletion tombstone (deleted_at, disabled_at)
        "MEMBER#<a person's pk>"               in an account's partition: a voice profile of that
                                               account that has data (so disabling the skill
                                               finds every person's partition)
Every item carries ``expires_at`` (epoch seconds) for DynamoDB TTL and ``schema_version``.

Two layers: ``EpisodeRepository`` speaks DynamoDB (typed items, conditions, transactions, paging,
the per-request table budget) and owns the ``Outbox`` (SQS); ``Store`` is what the rest of the skill
uses: one person's data, by meaning (start an episode, end it, their history, their voice
preference, the bookmark of a cramp that outlived its session, delete everything). Keys,
prefixes and the "is there a table at all" guard live only here.

Deleted data never comes back: deleting writes a tombstone (``deleted_at``) into the person's
PROFILE first, and every write that creates history (an episode, a prevention session, a
bookmark) is a transaction whose ConditionCheck requires the tombstone to be absent or older than
the thing's start. A session that began before the deletion, on any device, can no longer write.

boto3 is imported and the clients created on first use, never at import: a request that never
touches the table (help, a stretch with storage off) never pays for boto3.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .config import PseudonymKey, TableConfig, pseudonym_key
from .logs import log_event

SCHEMA_VERSION = 1
RETENTION_DAYS = 400  # a year and a month: a full seasonal cycle, then it is gone (docs/data-model.md)
EPISODE = "EP#"
PREVENTION = "PS#"
PROFILE = "PROFILE"
MEMBER = "MEMBER#"
DELETED_AT = "deleted_at"  # PROFILE: the person's history was deleted at this time (UTC ISO)
DISABLED_AT = "disabled_at"  # an account's PROFILE: the skill was disabled (every person's data)
BOOKMARK = "open_episode"  # PROFILE attribute: a cramp whose session closed before it ended
VOICE = "voice"
QUERY_DEADLINE_S = 2.5  # a history answer gives up paging after this long
REQUEST_BUDGET_S = 1.0  # all ordinary table calls of one request together; see start_request_budget
FINAL_WRITE_RESERVE_S = 1.0  # the closing turn's last write: calls may start within this window
DELETE_WINDOW_S = 2.5  # a spoken "delete my history" deletes for this long, then hands off
PURGE_WINDOW_S = 40.0  # the drain deletes for at most this long per message (function timeout 60 s)
BATCH = 25  # BatchWriteItem's limit
SWEEP_PAGE = 1000  # keys per page while deleting: each page is quick, so the window is kept
MIN_PROGRESS_S = 5.0  # a sweep's first page and first batch get this long, whatever its window
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
PARTITION = re.compile(r"^USER#[A-Za-z0-9]{1,8}#[0-9a-f]{64}$")
TRANSIENT = ("Throttling", "Timeout", "Unreachable", "InternalServerError", "TransactionConflict")

# Per request (each thread, each invocation): when this request's table calls must stop.
_BUDGET: ContextVar[float | None] = ContextVar("table_budget", default=None)


def start_request_budget(seconds: float = REQUEST_BUDGET_S) -> None:
    """Each call is bounded by the client's timeouts; this bounds their sum in one request, so a
    hung table costs a response about one call in flight (under 2.2 s) however many calls the
    request would make. A fast failure spends almost nothing, so a transient one still gets its
    retry in the same request."""
    _BUDGET.set(time.monotonic() + seconds)


def end_request_budget() -> None:
    """Outside a request, calls are bounded by the client's timeouts only."""
    _BUDGET.set(None)


@contextmanager
def reserved_budget(seconds: float = FINAL_WRITE_RESERVE_S):
    """A window of its own, whatever the request has spent: the closing turn's final write (so a
    slow table earlier in the turn cannot starve it), or a deletion. Calls may start until it ends;
    the request's own budget applies again afterwards."""
    token = _BUDGET.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _BUDGET.reset(token)


class StorageError(Exception):
    """A table or queue call failed; ``kind`` says how (Throttling, Timeout, AccessDenied, ...).
    A cancelled transaction carries each action's cancellation code in ``reasons``."""

    def __init__(self, kind: str, operation: str, reasons: tuple[str, ...] = ()):
        super().__init__(f"{operation}: {kind}")
        self.kind = kind
        self.operation = operation
        self.reasons = reasons

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT


class MissingKey(Exception):
    """No pseudonym secret in Lambda (see config.pseudonym_key)."""


def user_key(user_id: str, key: PseudonymKey | None = None) -> str:
    """The partition key: a keyed one-way hash (HMAC-SHA256), so the table never holds the raw
    Alexa id, and nobody holding an Alexa id can find its partition without the secret. The key
    id names the secret, so a rotation can tell old partitions from new (docs/data-model.md)."""
    import hashlib  # deferred, like boto3: requests that never touch the table never need it
    import hmac

    key = key or pseudonym_key()
    if key is None:
        raise MissingKey("CRAMP_KEY_SECRET")
    digest = hmac.new(key.secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"USER#{key.key_id}#{digest}"


def record_id(request_id: str) -> str:
    """An episode's (or prevention session's) id: a hash of the Alexa request id alone, so a
    request delivered again, even with a new timestamp, writes the same item."""
    import hashlib

    return hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:20]


def item_key(prefix: str, started_at: str, request_id: str) -> str:
    """The sort key of schema 1's first items ("EP#<start>#<hash>"). Still read (history sorts
    by ``started_at``, never by key); new items use ``prefix + record_id(request_id)``."""
    import hashlib

    digest = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:10]
    return f"{prefix}{started_at}#{digest}"


def utc_iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- DynamoDB's typed JSON, for the few shapes we store -------------------------------------
def encode(value: Any) -> dict:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": str(int(value)) if float(value).is_integer() else str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (list, tuple)):
        return {"L": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {k: encode(v) for k, v in value.items() if v is not None}}
    raise TypeError(f"cannot store {type(value).__name__}")


def decode(typed: dict) -> Any:
    (kind, value), = typed.items()
    if kind == "N":
        number = float(value)
        return int(number) if number.is_integer() else number
    if kind == "L":
        return [decode(v) for v in value]
    if kind == "M":
        return {k: decode(v) for k, v in value.items()}
    if kind == "NULL":
        return None
    return value


def encode_item(item: dict) -> dict:
    return {k: encode(v) for k, v in item.items() if v is not None}


def decode_item(typed: dict) -> dict:
    return {k: decode(v) for k, v in typed.items()}


@dataclass(frozen=True)
class Guard:
    """A tombstone to respect: the PROFILE of ``pk`` must not hold any of ``attributes`` at or
    after the start of what is being written."""

    pk: str
    attributes: tuple[str, ...]


def _guard_condition(attributes: tuple[str, ...]) -> tuple[str, dict]:
    """'(attribute_not_exists(#g0) OR #g0 < :started) AND ...', and its names."""
    parts = [f"(attribute_not_exists(#g{i}) OR #g{i} < :started)" for i in range(len(attributes))]
    return " AND ".join(parts), {f"#g{i}": name for i, name in enumerate(attributes)}


@dataclass
class EpisodeRepository:
    config: TableConfig
    client: Any = None  # injected in tests; otherwise made on first use
    clock: Any = time.time
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _outbox: Any = field(default=None, repr=False)

    @classmethod
    def from_environment(cls) -> EpisodeRepository:
        return cls(TableConfig.from_environment())

    @property
    def enabled(self) -> bool:
        return bool(self.config.name)

    @property
    def outbox(self) -> Outbox:
        """The SQS queue of writes that outlive their session (disabled when none is configured)."""
        if self._outbox is None or self._outbox.config is not self.config:
            self._outbox = Outbox(self.config)
        return self._outbox

    def connection(self):
        """The boto3 client, made on first use (tests register botocore hooks on it)."""
        if self.client is None:
            with self._lock:
                if self.client is None:
                    self.client = _make_client(self.config)
        return self.client

    def _call(self, operation: str, **kwargs) -> dict:
        until = _BUDGET.get()
        if until is not None and time.monotonic() > until:
            raise StorageError("Budget", operation)
        client = self.connection()
        try:
            return getattr(client, operation)(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one StorageError
            raise StorageError(_error_kind(exc), operation, _cancellation_reasons(exc)) from exc

    def expires_at(self) -> int:
        return int(self.clock()) + RETENTION_DAYS * 86400

    def now_iso(self) -> str:
        return utc_iso(self.clock())

    def _stamped(self, pk: str, item: dict) -> dict:
        return {**_without_key(item, "pk"), "pk": pk, "expires_at": self.expires_at(),
                "schema_version": SCHEMA_VERSION}

    # --- writes ------------------------------------------------------------------------
    def put_new(self, pk: str, item: dict) -> bool:
        """Create an item once. False if it already exists (a retried request): not an error."""
        return self._conditional("put_item", Item=encode_item(self._stamped(pk, item)),
                                 ConditionExpression="attribute_not_exists(pk)")

    def update(self, pk: str, sk: str, fields: dict) -> bool:
        """Set fields on an existing item. False if the item is gone (history deleted meanwhile)."""
        fields = {k: v for k, v in _without_key(fields, "pk", "sk").items() if v is not None}
        fields["expires_at"] = self.expires_at()
        return self._conditional("update_item", Key=_key(pk, sk),
                                 ConditionExpression="attribute_exists(pk)", **_set_expression(fields))

    def _conditional(self, operation: str, **kwargs) -> bool:
        """A write with a condition: False (not an error) when the condition does not hold."""
        try:
            self._call(operation, TableName=self.config.name, **kwargs)
        except StorageError as err:
            if err.kind == "ConditionalCheckFailed":
                return False
            raise
        return True

    def upsert(self, pk: str, sk: str, fields: dict) -> None:
        """Set fields on an item, creating it if needed (profile preferences)."""
        self._call("update_item", TableName=self.config.name, Key=_key(pk, sk),
                   **_set_expression(self._profile_fields(fields)))

    def remove(self, pk: str, sk: str, attribute: str, *, if_id: str | None = None) -> bool:
        """Remove one attribute from an item (nothing happens if either is missing). With
        ``if_id``: only while that attribute is a map whose ``id`` is ``if_id``."""
        kwargs: dict = {"UpdateExpression": "REMOVE #a", "ExpressionAttributeNames": {"#a": attribute}}
        if if_id is not None:
            kwargs["ConditionExpression"] = "#a.#i = :id"
            kwargs["ExpressionAttributeNames"]["#i"] = "id"
            kwargs["ExpressionAttributeValues"] = {":id": {"S": if_id}}
        return self._conditional("update_item", Key=_key(pk, sk), **kwargs)

    def _profile_fields(self, fields: dict) -> dict:
        return {**_without_key(fields, "pk", "sk"), "expires_at": self.expires_at(),
                "schema_version": SCHEMA_VERSION}

    def create_guarded(self, pk: str, item: dict, guards: list[Guard], started: str,
                       registrations: tuple[tuple[str, str, dict], ...] = ()) -> str:
        """Create ``item`` once, unless a guard's tombstone is at or after ``started``: one
        TransactWriteItems of a ConditionCheck per guard, the Put, and an Update per registration
        (pk, sk, fields). "created", "exists" (a retried write: not an error) or "deleted"."""
        actions = [self._check(guard, started) for guard in guards]
        put_at = len(actions)
        actions.append({"Put": {"TableName": self.config.name,
                                "Item": encode_item(self._stamped(pk, item)),
                                "ConditionExpression": "attribute_not_exists(pk)"}})
        for reg_pk, reg_sk, fields in registrations:
            actions.append({"Update": {"TableName": self.config.name, "Key": _key(reg_pk, reg_sk),
                                       **_set_expression(self._profile_fields(fields))}})
        return self._transact(actions, guard_indexes=range(put_at), exists_index=put_at)

    def update_guarded(self, pk: str, sk: str, fields: dict, guards: list[Guard], started: str) -> str:
        """Set fields on ``pk``/``sk`` (created if needed) unless a guard's tombstone is at or
        after ``started``. A guard on the same item is the update's own condition; any other is
        a ConditionCheck in a transaction. "created" (written) or "deleted"."""
        own = [g for g in guards if g.pk == pk and sk == PROFILE]
        others = [g for g in guards if g not in own]
        update = {"TableName": self.config.name, "Key": _key(pk, sk),
                  **_set_expression(self._profile_fields(fields))}
        if own:
            condition, names = _guard_condition(tuple(a for g in own for a in g.attributes))
            update["ConditionExpression"] = condition
            update["ExpressionAttributeNames"].update(names)
            update["ExpressionAttributeValues"][":started"] = {"S": started}
        if not others:
            try:
                self._call("update_item", **update)
            except StorageError as err:
                if err.kind == "ConditionalCheckFailed":
                    return "deleted"
                raise
            return "created"
        actions = [self._check(guard, started) for guard in others] + [{"Update": update}]
        return self._transact(actions, guard_indexes=range(len(actions)), exists_index=None)

    def write_together(self, updates: list[tuple[str, str, dict]]) -> None:
        """Several profile-like upserts in one transaction (a voice preference and its person's
        registration in the account)."""
        self._call("transact_write_items", TransactItems=[
            {"Update": {"TableName": self.config.name, "Key": _key(pk, sk),
                        **_set_expression(self._profile_fields(fields))}} for pk, sk, fields in updates])

    def _check(self, guard: Guard, started: str) -> dict:
        condition, names = _guard_condition(guard.attributes)
        return {"ConditionCheck": {"TableName": self.config.name, "Key": _key(guard.pk, PROFILE),
                                   "ConditionExpression": condition, "ExpressionAttributeNames": names,
                                   "ExpressionAttributeValues": {":started": {"S": started}}}}

    def _transact(self, actions: list[dict], guard_indexes, exists_index: int | None) -> str:
        try:
            self._call("transact_write_items", TransactItems=actions)
        except StorageError as err:
            if err.kind != "TransactionCanceled":
                raise
            failed = {i for i, code in enumerate(err.reasons) if code == "ConditionalCheckFailed"}
            if failed & set(guard_indexes):
                return "deleted"
            if exists_index is not None and failed == {exists_index}:
                return "exists"
            raise StorageError("TransactionConflict", err.operation, err.reasons) from err
        return "created"

    # --- reads -------------------------------------------------------------------------
    def get(self, pk: str, sk: str) -> dict | None:
        result = self._call("get_item", TableName=self.config.name, Key=_key(pk, sk))
        return decode_item(result["Item"]) if "Item" in result else None

    def query(self, pk: str, prefix: str, since: str = "", until_prefix: str | None = None) -> list[dict]:
        """Items from ``prefix + since`` to the end of ``until_prefix`` (default: the same kind),
        in key order, paging past 1 MB. Episodes (EP#) and prevention sessions (PS#) sort either
        side of MEMBER# and PROFILE, so one query from EP# to PS# fetches all four."""
        items: list[dict] = []
        kwargs = {
            "TableName": self.config.name,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":lo": {"S": prefix + since},
                                          ":hi": {"S": (until_prefix or prefix) + "~"}},
        }
        deadline = time.monotonic() + QUERY_DEADLINE_S
        while True:
            page = self._call("query", **kwargs)
            items.extend(decode_item(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            if time.monotonic() > deadline:
                raise StorageError("Timeout", "query")
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def members(self, pk: str) -> list[str]:
        """The partitions of the voice profiles registered in an account's partition."""
        found, kwargs = [], {
            "TableName": self.config.name, "ConsistentRead": True,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :m)",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":m": {"S": MEMBER}}}
        while True:
            page = self._call("query", **kwargs)
            for item in page.get("Items", []):
                member = str(item.get("sk", {}).get("S", ""))[len(MEMBER):]
                if PARTITION.match(member) and member != pk:
                    found.append(member)
            if "LastEvaluatedKey" not in page:
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # --- deletion ----------------------------------------------------------------------
    def tombstone(self, pk: str, at: str, attributes: tuple[str, ...]) -> None:
        """Mark the partition deleted at ``at`` (each attribute, never moved back in time), and
        drop the profile's preferences and bookmark. From now on no write of anything that started
        at or before ``at`` can land (see create_guarded)."""
        for n, attribute in enumerate(attributes):
            fields = {attribute: at, "kind": "profile", "expires_at": self.expires_at(),
                      "schema_version": SCHEMA_VERSION}
            expression = _set_expression(fields)
            if n == 0:
                expression["UpdateExpression"] += " REMOVE #voice, #bookmark"
                expression["ExpressionAttributeNames"].update({"#voice": VOICE, "#bookmark": BOOKMARK})
            self._conditional("update_item", Key=_key(pk, PROFILE),
                              ConditionExpression="attribute_not_exists(#f0) OR #f0 < :v0", **expression)

    def sweep(self, pk: str, at: str, keep: tuple[str, ...], until: float, *,
              progress: bool = False) -> tuple[int, bool]:
        """Delete every item of ``pk`` that started at or before ``at`` (or has no start), except
        sort keys starting with ``keep``: all pages (consistent reads), batches of 25, throttling and
        unprocessed items retried with backoff, until the monotonic time ``until``. Returns (how
        many episodes and prevention sessions it found, whether it finished). Safe to run again
        and again: a later run finds only what is left; it never touches what started later.
        With ``progress`` (a purge job), the first page and batch get MIN_PROGRESS_S whatever
        ``until`` says, so a job that sends itself on always gets somewhere."""
        floor = time.monotonic() + MIN_PROGRESS_S if progress else 0.0
        with reserved_budget(max(until, floor) - time.monotonic()):
            return self._sweep(pk, at, keep, until, floor)

    def _sweep(self, pk: str, at: str, keep: tuple[str, ...], until: float, floor: float) -> tuple[int, bool]:
        found = 0
        kwargs = {"TableName": self.config.name, "ConsistentRead": True, "Limit": SWEEP_PAGE,
                  "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": {"S": pk}},
                  "ProjectionExpression": "#p, #s, #t",
                  "ExpressionAttributeNames": {"#p": "pk", "#s": "sk", "#t": "started_at"}}
        while True:
            page = self._retrying("query", max(until, floor), **kwargs)
            if page is None:
                return found, False
            doomed = []
            for item in page.get("Items", []):
                sk = item.get("sk", {}).get("S", "")
                started = item.get("started_at", {}).get("S")
                if sk.startswith(keep) or (isinstance(started, str) and started > at):
                    continue
                doomed.append({"pk": item["pk"], "sk": item["sk"]})
                found += sk.startswith((EPISODE, PREVENTION))
            for start in range(0, len(doomed), BATCH):
                if not self._delete_batch(doomed[start:start + BATCH], max(until, floor)):
                    return found, False
                floor = 0.0
            if "LastEvaluatedKey" not in page:
                return found, True
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _delete_batch(self, keys: list[dict], until: float) -> bool:
        requests = [{"DeleteRequest": {"Key": key}} for key in keys]
        attempt = 0
        while requests:
            result = self._retrying("batch_write_item", until, RequestItems={self.config.name: requests})
            if result is None:
                return False
            requests = (result.get("UnprocessedItems") or {}).get(self.config.name, [])
            if requests and not _back_off(attempt, until):
                return False
            attempt += 1
        return True

    def _retrying(self, operation: str, until: float, **kwargs) -> dict | None:
        """One call, retried with backoff while it fails transiently and time is left; None when
        time ran out; a lasting failure (AccessDenied, a missing table) raises."""
        attempt = 0
        while True:
            if time.monotonic() > until:
                return None
            try:
                return self._call(operation, **kwargs)
            except StorageError as err:
                if err.kind == "Budget":
                    return None
                if not err.transient:
                    raise
            if not _back_off(attempt, until):
                return None
            attempt += 1


def _back_off(attempt: int, until: float) -> bool:
    """Sleep an exponential backoff with jitter (50 ms, 100 ms, ... up to 1 s); False, without
    sleeping, when that would pass ``until``."""
    delay = min(0.05 * 2 ** attempt, 1.0) * (0.5 + random.random() / 2)
    if time.monotonic() + delay > until:
        return False
    time.sleep(delay)
    return True


class Outbox:
    """The SQS queue that takes what a session could not write (and deletions that did not fit
    in their request); the drain function (drain.py) applies it later. Messages carry the
    partition key, a keyed pseudonym, never an Alexa id."""

    def __init__(self, config: TableConfig, client: Any = None):
        self.config = config
        self.client = client
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.config.queue_url)

    def send(self, message: dict) -> None:
        if not self.enabled:
            raise StorageError("NoQueue", "send_message")
        body = json.dumps(message, separators=(",", ":"), ensure_ascii=True)
        self._sqs("send_message", QueueUrl=self.config.queue_url, MessageBody=body)

    def _sqs(self, operation: str, **kwargs) -> dict:
        if self.client is None:
            with self._lock:
                if self.client is None:
                    self.client = _make_queue_client(self.config)
        try:
            return getattr(self.client, operation)(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one StorageError
            raise StorageError(_error_kind(exc), operation) from exc


def _key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _without_key(values: dict, *keys: str) -> dict:
    """The key attributes are the repository's to set: never taken from a caller's dict."""
    return {k: v for k, v in values.items() if k not in keys}


def _set_expression(fields: dict) -> dict:
    """UpdateItem arguments that set every field (placeholders, so any name is safe)."""
    return {
        "UpdateExpression": "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields))),
        "ExpressionAttributeNames": {f"#f{i}": name for i, name in enumerate(fields)},
        "ExpressionAttributeValues": {f":v{i}": encode(v) for i, v in enumerate(fields.values())},
    }


def preload() -> None:
    """Import what the first table call needs, creating nothing (for a SnapStart snapshot)."""
    import hashlib  # noqa: F401
    import hmac  # noqa: F401

    import boto3  # noqa: F401
    import botocore.config  # noqa: F401


def _make_client(config: TableConfig):
    """The DynamoDB client: short timeouts, two attempts (docs/data-model.md, "Timeouts")."""
    return _client("dynamodb", config, config.endpoint_url, config.read_timeout)


def _make_queue_client(config: TableConfig):
    """The SQS client: the same bounds, a little more time to read (a send is the last resort)."""
    return _client("sqs", config, config.queue_endpoint_url, 1.0)


def _client(service: str, config: TableConfig, endpoint_url: str | None, read_timeout: float):
    import boto3  # deferred: see the module docstring
    from botocore.config import Config

    return boto3.client(
        service,
        region_name=config.region,
        endpoint_url=endpoint_url,
        config=Config(
            connect_timeout=config.connect_timeout,
            read_timeout=read_timeout,
            retries={"total_max_attempts": config.max_attempts, "mode": "standard"},
            tcp_keepalive=True,
        ),
    )


def _error_kind(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = (response.get("Error") or {}).get("Code", "")
        for known in ("ConditionalCheckFailed", "TransactionCanceled", "TransactionConflict",
                      "Throttl", "ProvisionedThroughputExceeded", "AccessDenied", "ResourceNotFound",
                      "InternalServerError", "RequestLimitExceeded"):
            if known in code:
                return "Throttling" if known in ("Throttl", "ProvisionedThroughputExceeded",
                                                  "RequestLimitExceeded") else known
        return code or "ClientError"
    name = type(exc).__name__
    if "Timeout" in name:
        return "Timeout"
    if "Connect" in name or "Endpoint" in name:
        return "Unreachable"
    return name


def _cancellation_reasons(exc: Exception) -> tuple[str, ...]:
    response = getattr(exc, "response", None)
    reasons = response.get("CancellationReasons") if isinstance(response, dict) else None
    if not isinstance(reasons, list):
        return ()
    return tuple(str((r or {}).get("Code") or "None") for r in reasons)


# --- the storage API the skill uses: one person's data, by meaning ----------------------------
class Store:
    """One person's items. Every method is a no-op (or empty) when there is no table or no user,
    so callers never check; failures raise StorageError for the caller to queue or apologise.

    ``owner_id`` is whose data this is (the recognised voice profile, else the account);
    ``account_id`` the account it belongs to. A recognised person's first write registers them
    in the account's partition, so disabling the skill can find and delete every person's data.

    Episode and prevention ids are opaque strings made by ``new_id``; the sort keys built from
    them are this module's business. The profile is read at most once per request and cached."""

    def __init__(self, repository: EpisodeRepository | None, owner_id: str | None,
                 account_id: str | None = None):
        self._repository = repository
        self._pk: str | None = None
        self._account_pk: str | None = None
        self._profile: dict | None = None
        if repository is None or not repository.enabled or not owner_id:
            return
        key = pseudonym_key()
        if key is None:
            log_event("key_secret_missing", level="ERROR",
                      message="CRAMP_KEY_SECRET is not set, or CRAMP_KEY_ID is not 1-8 letters and "
                              "digits: nothing is stored")
            return
        self._pk = user_key(owner_id, key)
        if account_id and account_id != owner_id:
            self._account_pk = user_key(account_id, key)

    @classmethod
    def for_partition(cls, repository: EpisodeRepository, pk: str, account_pk: str | None = None) -> Store:
        """A store over a partition key as a queued message carries it (the drain)."""
        if not PARTITION.match(pk) or (account_pk is not None and not PARTITION.match(account_pk)):
            raise ValueError("not a partition key")
        store = cls(None, None)
        store._repository = repository
        store._pk = pk
        store._account_pk = account_pk if account_pk != pk else None
        return store

    @property
    def enabled(self) -> bool:
        return self._pk is not None

    @staticmethod
    def new_id(request_id: str) -> str:
        """An id fixed by the request id alone: Alexa delivering a request again (with the same
        id and a new timestamp) writes the same item."""
        return record_id(request_id)

    def _guards(self) -> list[Guard]:
        guards = [Guard(self._pk, (DELETED_AT, DISABLED_AT))]
        if self._account_pk is not None:
            guards.append(Guard(self._account_pk, (DISABLED_AT,)))
        return guards

    def _registrations(self) -> tuple[tuple[str, str, dict], ...]:
        if self._account_pk is None:
            return ()
        return ((self._account_pk, MEMBER + self._pk, {"kind": "member"}),)

    def _create(self, sk: str, item: dict, kind: str) -> str:
        started = item.get("started_at") if isinstance(item.get("started_at"), str) else ""
        result = self._repository.create_guarded(self._pk, {**item, "sk": sk, "kind": kind},
                                                 self._guards(), started, self._registrations())
        if result == "deleted":
            log_event("write_discarded_after_deletion", kind=kind)
        return result

    # --- episodes ----------------------------------------------------------------------
    def start_episode(self, episode_id: str, item: dict, end: dict | None = None) -> None:
        """Create the episode once; with ``end``, start and end in one write (or, when the start
        had landed already and its answer was lost, the end applied as an update). Nothing is
        written for an episode that started before the person's history was deleted."""
        if not self.enabled:
            return
        end = {k: v for k, v in (end or {}).items() if v is not None}
        sk = EPISODE + _checked_id(episode_id)
        if self._create(sk, {**item, **end}, "episode") == "exists" and end:
            self._repository.update(self._pk, sk, end)

    def end_episode(self, episode_id: str, fields: dict, item: dict | None = None) -> None:
        """Set the outcome. If the episode is not there (its start never landed: it may still be
        on its way through the queue), ``item`` (its start) and the end are written together,
        under the same tombstone check as a start."""
        if not self.enabled:
            return
        sk = EPISODE + _checked_id(episode_id)
        if self._repository.update(self._pk, sk, fields) or not isinstance(item, dict):
            return
        end = {k: v for k, v in fields.items() if v is not None}
        if self._create(sk, {**item, **end}, "episode") == "exists":
            self._repository.update(self._pk, sk, end)

    def save_prevention(self, session_id: str, item: dict) -> None:
        if self.enabled:
            self._create(PREVENTION + _checked_id(session_id), item, "prevention")

    # --- the profile: voice preference and the open-episode bookmark --------------------
    def profile(self) -> dict:
        """The person's profile item (one GetItem, at most once per request)."""
        if not self.enabled:
            return {}
        if self._profile is None:
            self._profile = self._repository.get(self._pk, PROFILE) or {}
        return self._profile

    def save_voice(self, value: str) -> None:
        if not self.enabled:
            return
        fields = {VOICE: value, "kind": "profile"}
        if self._account_pk is None:
            self._repository.upsert(self._pk, PROFILE, fields)
        else:
            self._repository.write_together([(self._pk, PROFILE, fields), *self._registrations()])

    def bookmark(self, snapshot: dict) -> None:
        if not self.enabled:
            return
        started = snapshot.get("started_at") if isinstance(snapshot.get("started_at"), str) else ""
        result = self._repository.update_guarded(self._pk, PROFILE, {BOOKMARK: snapshot, "kind": "profile"},
                                                 self._guards(), started)
        if result == "deleted":
            log_event("write_discarded_after_deletion", kind="bookmark")

    def clear_bookmark(self, episode_id: str | None = None) -> None:
        """Remove the bookmark (only the one of ``episode_id``, when given: a late queued clear
        never removes a newer bookmark)."""
        if self.enabled:
            self._repository.remove(self._pk, PROFILE, BOOKMARK,
                                    if_id=episode_id if isinstance(episode_id, str) else None)

    # --- history and deletion -----------------------------------------------------------
    def history(self, since: str = "") -> list[dict]:
        """Episodes and prevention sessions started at or after ``since`` (UTC ISO), oldest first,
        each with ``kind`` "episode" or "prevention"; nothing the person has deleted, even while a
        purge is still removing it. One query: the profile (with the tombstone) sorts among them."""
        if not self.enabled:
            return []
        items = self._repository.query(self._pk, EPISODE, "", until_prefix=PREVENTION)
        profile = next((i for i in items if i.get("sk") == PROFILE), {})
        cut = max((str(profile[a]) for a in (DELETED_AT, DISABLED_AT) if isinstance(profile.get(a), str)),
                  default="")
        kept = []
        for item in items:
            sk = str(item.get("sk", ""))
            if not sk.startswith((EPISODE, PREVENTION)):
                continue
            started = item.get("started_at")
            if cut and (not isinstance(started, str) or started <= cut):
                continue
            if since and isinstance(started, str) and started < since:
                continue
            item["kind"] = "prevention" if sk.startswith(PREVENTION) else "episode"
            kept.append(item)
        kept.sort(key=lambda i: i["started_at"] if isinstance(i.get("started_at"), str) else "")
        return kept

    def newest_episode(self) -> dict | None:
        episodes = [i for i in self.history() if i["kind"] == "episode"]
        return episodes[-1] if episodes else None

    def delete_all(self, at: str | None = None) -> int:
        """Delete this person's history (episodes, stretch sessions, preferences, bookmark) as of
        ``at`` (UTC ISO; default now), for good: a tombstone first, then every item, however many.
        What does not fit in this request continues as a purge job on the queue. Returns how
        many episodes and stretch sessions there were (at least 1 when the count is not known
        because the rest was handed off). Raises StorageError when it could neither finish
        nor hand off."""
        if not self.enabled:
            return 0
        self._profile = None
        return self._erase(at or self._repository.now_iso(), (DELETED_AT,), (PROFILE, MEMBER))

    def delete_everything(self, at: str | None = None) -> int:
        """The skill was disabled: this account's data and every registered voice profile's."""
        if not self.enabled:
            return 0
        self._profile = None
        at = at or self._repository.now_iso()
        everything = (DELETED_AT, DISABLED_AT)
        with reserved_budget(max(DELETE_WINDOW_S, FINAL_WRITE_RESERVE_S)):
            try:
                # The account's tombstone first: a person's write checks it, so no new person
                # can register, or write, past this point.
                self._repository.tombstone(self._pk, at, everything)
                members = self._repository.members(self._pk)
            except StorageError:
                members = None
        if members is None:
            self._hand_off_purge(at, everything, (PROFILE,), members=True)
            return 1
        found = 0
        for member in members:
            found += Store.for_partition(self._repository, member)._erase(at, everything, (PROFILE,))
        return found + self._erase(at, everything, (PROFILE,))

    def purge(self, message: dict, until: float) -> bool:
        """Carry on a deletion handed off to the queue (the drain). True when finished; False when
        time ran out (the caller sends the message on again). Lasting failures raise."""
        at, attributes, keep = _purge_fields(message)
        with reserved_budget(FINAL_WRITE_RESERVE_S):
            self._repository.tombstone(self._pk, at, attributes)
            members = self._repository.members(self._pk) if message.get("members") else []
        for member in members:
            self._hand_off_purge(at, attributes, keep, pk=member)
        found, finished = self._repository.sweep(self._pk, at, keep, until, progress=True)
        log_event("purge_progress", items=found, finished=finished)
        return finished

    def _erase(self, at: str, attributes: tuple[str, ...], keep: tuple[str, ...]) -> int:
        # The tombstone first, in a window of its own: it is what makes the deletion stick.
        with reserved_budget(FINAL_WRITE_RESERVE_S):
            try:
                self._repository.tombstone(self._pk, at, attributes)
            except StorageError as err:
                log_event("delete_tombstone_failed", level="WARNING", error_type=err.kind)
                self._hand_off_purge(at, attributes, keep)
                return 1
        try:
            found, finished = self._repository.sweep(self._pk, at, keep, time.monotonic() + DELETE_WINDOW_S)
        except StorageError as err:
            log_event("delete_sweep_failed", level="WARNING", error_type=err.kind)
            found, finished = 0, False
        if finished:
            return found
        self._hand_off_purge(at, attributes, keep)
        return max(found, 1)

    def _hand_off_purge(self, at: str, attributes: tuple[str, ...], keep: tuple[str, ...], *,
                        pk: str | None = None, members: bool = False) -> None:
        message = {"v": 1, "kind": "purge", "pk": pk or self._pk, "at": at,
                   "attributes": list(attributes), "keep": list(keep)}
        if members:
            message["members"] = True
        self._repository.outbox.send(message)  # raises StorageError("NoQueue") without a queue
        log_event("purge_handed_off")

    # --- writes that outlive the session ------------------------------------------------
    def apply(self, op: dict) -> None:
        """One queued write (episodes.py's queue, or the drain's message). Every one is idempotent."""
        kind = op["op"]
        if kind == "start":
            self.start_episode(op["id"], _mapping(op["item"]), _mapping(op.get("end") or {}))
        elif kind == "end":
            item = op.get("item")
            self.end_episode(op["id"], _mapping(op["fields"]), item if isinstance(item, dict) else None)
        elif kind == "prevention":
            self.save_prevention(op["id"], _mapping(op["item"]))
        elif kind == "bookmark":
            self.bookmark(_mapping(op["snapshot"]))
        elif kind == "unbookmark":
            self.clear_bookmark(op.get("id"))
        else:
            raise ValueError(f"unknown queued write {kind!r}")

    def hand_off(self, ops: list[dict]) -> None:
        """Send writes that could not be made to the queue, in order, as one message. Raises
        StorageError (kind "NoQueue" when none is configured)."""
        if not self.enabled or not ops:
            return
        self._repository.outbox.send({"v": 1, "kind": "writes", "pk": self._pk,
                                      "account": self._account_pk, "ops": ops})


def _checked_id(value: object) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 100:
        raise ValueError("bad record id")
    return value


def _mapping(value: object) -> dict:
    if not isinstance(value, dict):
        raise TypeError("a queued write's body must be a mapping")
    return value


def _purge_fields(message: dict) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    at = message["at"]
    attributes = tuple(a for a in message.get("attributes") or [DELETED_AT] if a in (DELETED_AT, DISABLED_AT))
    keep = tuple(k for k in message.get("keep") or [PROFILE] if k in (PROFILE, MEMBER))
    if not isinstance(at, str) or not _STAMP.fullmatch(at) or not attributes:
        raise ValueError("bad purge message")
    return at, attributes, keep or (PROFILE,)
