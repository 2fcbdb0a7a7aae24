"""The one module that talks to DynamoDB: keys, item shape, TTL, idempotency, timeouts, paging.

Table layout (one table, see docs/data-model.md):
    pk  "USER#<sha256 of the Alexa user id>"      partition: one user
    sk  "EP#<start UTC ISO>#<request hash>"        an episode, sorted by start time
        "PS#<start UTC ISO>#<request hash>"        a prevention session (bedtime stretches)
        "PROFILE"                                  preferences
Every item carries ``expires_at`` (epoch seconds) for DynamoDB TTL and ``schema_version``.

Two layers: ``EpisodeRepository`` speaks DynamoDB (typed items, conditions, paging, the per-request
table budget); ``Store`` is what the rest of the skill uses: one person's data, by meaning (start an
episode, end it, their history, their voice preference, the bookmark of a cramp that outlived its
session, delete everything). Keys, prefixes and the "is there a table at all" guard live only here.

boto3 is imported and the client created on first use, never at import: a request that never
touches the table (help, a stretch with storage off) never pays for boto3.
"""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from .config import TableConfig

SCHEMA_VERSION = 1
RETENTION_DAYS = 400  # a year and a month: a full seasonal cycle, then it is gone (docs/data-model.md)
EPISODE = "EP#"
PREVENTION = "PS#"
PROFILE = "PROFILE"
QUERY_DEADLINE_S = 2.5  # a history answer gives up paging after this long
REQUEST_BUDGET_S = 1.0  # all table calls of one request together; see start_request_budget

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
DELETE_ATTEMPTS = 5


class StorageError(Exception):
    """A table call failed; ``kind`` says how (Throttling, Timeout, AccessDenied, ...)."""

    def __init__(self, kind: str, operation: str):
        super().__init__(f"{operation}: {kind}")
        self.kind = kind
        self.operation = operation


def user_key(user_id: str) -> str:
    """The partition key: a one-way hash, so the table never holds the raw Alexa user id."""
    import hashlib  # deferred, like boto3: requests that never touch the table never need it

    return "USER#" + hashlib.sha256(user_id.encode("utf-8")).hexdigest()


def item_key(prefix: str, started_at: str, request_id: str) -> str:
    """A sort key fixed by the request, so Alexa retrying a request writes the same item."""
    import hashlib

    digest = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:10]
    return f"{prefix}{started_at}#{digest}"


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


@dataclass
class EpisodeRepository:
    config: TableConfig
    client: Any = None  # injected in tests; otherwise made on first use
    clock: Any = time.time
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_environment(cls) -> EpisodeRepository:
        return cls(TableConfig.from_environment())

    @property
    def enabled(self) -> bool:
        return bool(self.config.name)

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
            raise StorageError(_error_kind(exc), operation) from exc

    def expires_at(self) -> int:
        return int(self.clock()) + RETENTION_DAYS * 86400

    # --- writes ------------------------------------------------------------------------
    def put_new(self, pk: str, item: dict) -> bool:
        """Create an item once. False if it already exists (a retried request): not an error."""
        body = {**_without_key(item, "pk"), "pk": pk, "expires_at": self.expires_at(),
                "schema_version": SCHEMA_VERSION}
        return self._conditional("put_item", Item=encode_item(body),
                                 ConditionExpression="attribute_not_exists(pk)")

    def update(self, pk: str, sk: str, fields: dict) -> bool:
        """Set fields on an existing item. False if the item is gone (history deleted meanwhile)."""
        fields = {k: v for k, v in _without_key(fields, "pk", "sk").items() if v is not None}
        fields["expires_at"] = self.expires_at()
        return self._conditional("update_item", Key={"pk": {"S": pk}, "sk": {"S": sk}},
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
        fields = {**_without_key(fields, "pk", "sk"), "expires_at": self.expires_at(),
                  "schema_version": SCHEMA_VERSION}
        self._call("update_item", TableName=self.config.name,
                   Key={"pk": {"S": pk}, "sk": {"S": sk}}, **_set_expression(fields))

    def remove(self, pk: str, sk: str, attribute: str) -> None:
        """Remove one attribute from an item (nothing happens if either is missing)."""
        self._call("update_item", TableName=self.config.name, Key={"pk": {"S": pk}, "sk": {"S": sk}},
                   UpdateExpression="REMOVE #a", ExpressionAttributeNames={"#a": attribute})

    def put(self, pk: str, item: dict) -> None:
        """Create or replace (profile items)."""
        body = {**_without_key(item, "pk"), "pk": pk, "expires_at": self.expires_at(),
                "schema_version": SCHEMA_VERSION}
        self._call("put_item", TableName=self.config.name, Item=encode_item(body))

    # --- reads -------------------------------------------------------------------------
    def get(self, pk: str, sk: str) -> dict | None:
        result = self._call("get_item", TableName=self.config.name,
                            Key={"pk": {"S": pk}, "sk": {"S": sk}})
        return decode_item(result["Item"]) if "Item" in result else None

    def query(self, pk: str, prefix: str, since: str = "", until_prefix: str | None = None) -> list[dict]:
        """Items from ``prefix + since`` to the end of ``until_prefix`` (default: the same kind),
        oldest first, paging past 1 MB. Episodes (EP#) and prevention sessions (PS#) sort next
        to each other, so one query can fetch both."""
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

    def newest(self, pk: str, prefix: str) -> dict | None:
        """The most recent item of one kind: one query, newest first, one item."""
        page = self._call("query", TableName=self.config.name,
                          KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                          ExpressionAttributeValues={":pk": {"S": pk}, ":prefix": {"S": prefix}},
                          ScanIndexForward=False, Limit=1)
        items = page.get("Items", [])
        return decode_item(items[0]) if items else None

    # --- privacy -----------------------------------------------------------------------
    def delete_user(self, pk: str, count_prefixes: tuple[str, ...] | None = None) -> int:
        """Delete every item of a user: all pages, batches of 25, unprocessed items retried.
        Returns how many items were deleted (only those whose sk starts with ``count_prefixes``,
        when given)."""
        deleted = 0
        kwargs = {"TableName": self.config.name, "KeyConditionExpression": "pk = :pk",
                  "ExpressionAttributeValues": {":pk": {"S": pk}},
                  "ProjectionExpression": "pk, sk"}
        while True:
            page = self._call("query", **kwargs)
            keys = page.get("Items", [])
            for start in range(0, len(keys), 25):
                self._delete_batch(keys[start:start + 25])
            deleted += sum(1 for key in keys if count_prefixes is None
                           or key.get("sk", {}).get("S", "").startswith(count_prefixes))
            if "LastEvaluatedKey" not in page:
                return deleted
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _delete_batch(self, keys: list[dict]) -> int:
        requests = [{"DeleteRequest": {"Key": key}} for key in keys]
        for attempt in range(DELETE_ATTEMPTS):
            result = self._call("batch_write_item", RequestItems={self.config.name: requests})
            requests = (result.get("UnprocessedItems") or {}).get(self.config.name, [])
            if not requests:
                return len(keys)
            time.sleep(min(0.05 * 2 ** attempt, 0.4))
        raise StorageError("UnprocessedItems", "batch_write_item")


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

    import boto3  # noqa: F401
    import botocore.config  # noqa: F401


def _make_client(config: TableConfig):
    import boto3  # deferred: see the module docstring
    from botocore.config import Config

    return boto3.client(
        "dynamodb",
        region_name=config.region,
        endpoint_url=config.endpoint_url,
        config=Config(
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            retries={"total_max_attempts": config.max_attempts, "mode": "standard"},
            tcp_keepalive=True,
        ),
    )


def _error_kind(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = (response.get("Error") or {}).get("Code", "")
        for known in ("ConditionalCheckFailed", "Throttl", "ProvisionedThroughputExceeded",
                      "AccessDenied", "ResourceNotFound", "InternalServerError", "RequestLimitExceeded"):
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


# --- the storage API the skill uses: one person's data, by meaning ----------------------------
BOOKMARK = "open_episode"  # PROFILE attribute: a cramp whose session closed before it ended


class Store:
    """One person's items. Every method is a no-op (or empty) when there is no table or no user,
    so callers never check; failures raise StorageError for the caller to queue or apologise.

    Episode and prevention ids are opaque strings made by ``new_id``; the sort keys built from
    them are this module's business. The profile is read at most once per request and cached."""

    def __init__(self, repository: EpisodeRepository | None, owner_id: str | None):
        self._repository = repository
        self._pk = user_key(owner_id) if repository is not None and repository.enabled and owner_id else None
        self._profile: dict | None = None

    @property
    def enabled(self) -> bool:
        return self._pk is not None

    @staticmethod
    def new_id(started_at: str, request_id: str) -> str:
        """An id fixed by the request, so Alexa retrying a request writes the same item."""
        return item_key("", started_at, request_id)

    # --- episodes ----------------------------------------------------------------------
    def start_episode(self, episode_id: str, item: dict, end: dict | None = None) -> None:
        """Create the episode once; with ``end``, start and end in one write (or, when the start
        had landed already and its answer was lost, the end applied as an update)."""
        if not self.enabled:
            return
        end = {k: v for k, v in (end or {}).items() if v is not None}
        created = self._repository.put_new(self._pk, {**item, **end, "sk": EPISODE + episode_id,
                                                      "kind": "episode"})
        if not created and end:
            self._repository.update(self._pk, EPISODE + episode_id, end)

    def end_episode(self, episode_id: str, fields: dict) -> None:
        if self.enabled:
            self._repository.update(self._pk, EPISODE + episode_id, fields)

    def save_prevention(self, session_id: str, item: dict) -> None:
        if self.enabled:
            self._repository.put_new(self._pk, {**item, "sk": PREVENTION + session_id,
                                                "kind": "prevention"})

    # --- the profile: voice preference and the open-episode bookmark --------------------
    def profile(self) -> dict:
        """The person's profile item (one GetItem, at most once per request)."""
        if not self.enabled:
            return {}
        if self._profile is None:
            self._profile = self._repository.get(self._pk, PROFILE) or {}
        return self._profile

    def save_voice(self, value: str) -> None:
        if self.enabled:
            self._repository.upsert(self._pk, PROFILE, {"voice": value, "kind": "profile"})

    def bookmark(self, snapshot: dict) -> None:
        if self.enabled:
            self._repository.upsert(self._pk, PROFILE, {BOOKMARK: snapshot, "kind": "profile"})

    def clear_bookmark(self) -> None:
        if self.enabled:
            self._repository.remove(self._pk, PROFILE, BOOKMARK)

    # --- history and deletion -----------------------------------------------------------
    def history(self, since: str = "") -> list[dict]:
        """Episodes started at or after ``since`` (UTC ISO) and every prevention session (they
        sort after episodes), oldest first, each with ``kind`` "episode" or "prevention"."""
        if not self.enabled:
            return []
        items = self._repository.query(self._pk, EPISODE, since, until_prefix=PREVENTION)
        for item in items:
            item["kind"] = "prevention" if str(item.get("sk", "")).startswith(PREVENTION) else "episode"
        return items

    def newest_episode(self) -> dict | None:
        return self._repository.newest(self._pk, EPISODE) if self.enabled else None

    def delete_all(self) -> int:
        """Delete every item of this person; returns how many episodes and stretch sessions
        there were (the profile is deleted too, but is not history)."""
        if not self.enabled:
            return 0
        self._profile = None
        return self._repository.delete_user(self._pk, count_prefixes=(EPISODE, PREVENTION))
