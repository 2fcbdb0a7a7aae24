"""Owns the DynamoDB table, item by item: ``EpisodeRepository`` makes every table call (through
``_call``, which applies the request's budget and turns every failure into a StorageError), stamps
each item with its TTL (``expires_at``, 400 days) and ``schema_version``, and knows the conditional
shapes: create once, update if present, upsert, remove, and the guarded create/update whose
ConditionChecks refuse a write that a deletion tombstone has overtaken. Reads: one item, a paged
query, an account's members. It holds the queue (``outbox``) but never decides what to queue.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..config import TableConfig
from ..records import CONSENT
from . import budget
from . import client as clients
from .client import StorageError
from .codec import decode_item, encode_item, set_expression, utc_iso, without_key
from .keys import MEMBER, PARTITION, PROFILE, table_key
from .outbox import Outbox

SCHEMA_VERSION = 1
BOOKMARK_VERSION = "bookmark_version"  # PROFILE: the highest bookmark version ever written (issue 21)
RETENTION_DAYS = 400  # a year and a month: a full seasonal cycle, then it is gone (docs/data-model.md)


class Guard(NamedTuple):  # a NamedTuple, not a frozen dataclass: see speech.Say
    """A tombstone to respect: the PROFILE of ``pk`` must not hold any of ``attributes`` at or
    after the start of what is being written."""

    pk: str
    attributes: tuple[str, ...]
    consent: bool = False  # EPISODE_LOG=ask: the PROFILE must also hold the person's yes (issue 19)


def guard_condition(attributes: tuple[str, ...]) -> tuple[str, dict]:
    """'(attribute_not_exists(#g0) OR #g0 < :started) AND ...', and its names."""
    parts = [f"(attribute_not_exists(#g{i}) OR #g{i} < :started)" for i in range(len(attributes))]
    return " AND ".join(parts), {f"#g{i}": name for i, name in enumerate(attributes)}


CONSENT_CONDITION = "#lc.#lg = :given"  # PROFILE.log_consent.given is true
CONSENT_NAMES = {"#lc": CONSENT, "#lg": "given"}
OPEN = "OPEN#"  # an open cramp's marker: OPEN#<muscle> (issue 21, finding 7)
SAME_CRAMP_S = 60  # a start for the same muscle within this long of an open start is the same cramp
OPEN_MARKER_TTL_S = 86400  # the marker only matters for a minute; TTL takes it away after a day


def refused_by(guard: Guard, found: dict | None, started: str) -> str:
    """Why a guard's check failed: "deleted" (a tombstone at or after ``started``) or, for a guard
    that also asks for consent, "unconsented" (no tombstone in the way: no yes on the PROFILE)."""
    if not guard.consent:
        return "deleted"
    profile = decode_item(found) if isinstance(found, dict) else {}
    if any(isinstance(profile.get(a), str) and profile[a] >= started for a in guard.attributes):
        return "deleted"
    return "unconsented"


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
                    self.client = clients.make_table_client(self.config)
        return self.client

    def _call(self, operation: str, **kwargs) -> dict:
        """Every table call of the package goes through here (tests/test_deploy.py derives the IAM
        actions from these calls)."""
        if budget.spent():
            raise StorageError("Budget", operation)
        client = self.connection()
        try:
            return getattr(client, operation)(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one StorageError
            raise clients.wrap(exc, operation) from exc

    def expires_at(self) -> int:
        return int(self.clock()) + RETENTION_DAYS * 86400

    def now_iso(self) -> str:
        return utc_iso(self.clock())

    def _stamped(self, pk: str, item: dict) -> dict:
        return {**without_key(item, "pk"), "pk": pk, "expires_at": self.expires_at(),
                "schema_version": SCHEMA_VERSION}

    # --- writes ------------------------------------------------------------------------
    def put_new(self, pk: str, item: dict) -> bool:
        """Create an item once. False if it already exists (a retried request): not an error."""
        return self._conditional("put_item", Item=encode_item(self._stamped(pk, item)),
                                 ConditionExpression="attribute_not_exists(pk)")

    def update(self, pk: str, sk: str, fields: dict) -> bool:
        """Set fields on an existing item. False if the item is gone (history deleted meanwhile)."""
        fields = {k: v for k, v in without_key(fields, "pk", "sk").items() if v is not None}
        fields["expires_at"] = self.expires_at()
        return self._conditional("update_item", Key=table_key(pk, sk),
                                 ConditionExpression="attribute_exists(pk)", **set_expression(fields))

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
        self._call("update_item", TableName=self.config.name, Key=table_key(pk, sk),
                   **set_expression(self.profile_fields(fields)))

    def remove(self, pk: str, sk: str, attribute: str, *, if_id: str | None = None) -> bool:
        """Remove one attribute from an item (nothing happens if either is missing). With
        ``if_id``: only while that attribute is a map whose ``id`` is ``if_id``."""
        kwargs: dict = {"UpdateExpression": "REMOVE #a", "ExpressionAttributeNames": {"#a": attribute}}
        if if_id is not None:
            kwargs["ConditionExpression"] = "#a.#i = :id"
            kwargs["ExpressionAttributeNames"]["#i"] = "id"
            kwargs["ExpressionAttributeValues"] = {":id": {"S": if_id}}
        return self._conditional("update_item", Key=table_key(pk, sk), **kwargs)

    def profile_fields(self, fields: dict) -> dict:
        return {**without_key(fields, "pk", "sk"), "expires_at": self.expires_at(),
                "schema_version": SCHEMA_VERSION}

    def create_guarded(self, pk: str, item: dict, guards: list[Guard], started: str,
                       registrations: tuple[tuple[str, str, dict], ...] = (),
                       marker: str | None = None) -> str:
        """Create ``item`` once, unless a guard's tombstone is at or after ``started`` (or, for a
        guard with ``consent``, the person has not said yes): one TransactWriteItems of a
        ConditionCheck per guard, the Put, an Update per registration (pk, sk, fields), and, with
        ``marker`` (a sort key, OPEN#<muscle>), the Put of the open-cramp marker naming this
        item's id, on condition that no other start holds it from the last SAME_CRAMP_S.
        "created", "exists" (a retried write: not an error), "deleted", "unconsented", or
        "open:<id>" (a start for the same muscle within the minute: the same cramp, ``id``)."""
        actions = [self._check(guard, started) for guard in guards]
        put_at = len(actions)
        actions.append({"Put": {"TableName": self.config.name,
                                "Item": encode_item(self._stamped(pk, item)),
                                "ConditionExpression": "attribute_not_exists(pk)"}})
        actions += self._registration_updates(registrations)
        marker_at = None
        if marker is not None:
            marker_at = len(actions)
            actions.append(self._marker_put(pk, marker, item, started))
        try:
            self._call("transact_write_items", TransactItems=actions)
        except StorageError as err:
            if err.kind != "TransactionCanceled":
                raise
            failed = [i for i, code in enumerate(err.reasons) if code == "ConditionalCheckFailed"]
            found = dict(enumerate(err.items))
            refusals = [refused_by(guards[i], found.get(i), started) for i in failed if i < put_at]
            if refusals:
                return "deleted" if "deleted" in refusals else "unconsented"
            if failed == [put_at] or (put_at in failed and marker_at is not None):
                return "exists"  # the same request again: its marker names this very item
            if failed == [marker_at]:
                held = decode_item(found[marker_at]) if isinstance(found.get(marker_at), dict) else {}
                episode = held.get("episode")
                if isinstance(episode, str) and episode:
                    return "open:" + episode
            raise StorageError("TransactionConflict", err.operation, err.reasons) from err
        return "created"

    def _marker_put(self, pk: str, sk: str, item: dict, started: str) -> dict:
        """The open-cramp marker: which episode a cramp of this muscle started as, and when. Its
        condition: absent, older than SAME_CRAMP_S, or already this episode's (a redelivery)."""
        from datetime import UTC, datetime, timedelta

        began = datetime.fromisoformat(started.replace("Z", "+00:00")) if started else None
        fresh = (began - timedelta(seconds=SAME_CRAMP_S)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") \
            if began else ""
        fields = {"sk": sk, "kind": "open", "episode": str(item.get("sk", ""))[len("EP#"):],
                  "started_at": started}
        marker = {**self._stamped(pk, fields), "expires_at": int(self.clock()) + OPEN_MARKER_TTL_S}
        return {"Put": {"TableName": self.config.name, "Item": encode_item(marker),
                        "ConditionExpression": "attribute_not_exists(pk) OR #ms < :fresh OR #me = :eid",
                        "ExpressionAttributeNames": {"#ms": "started_at", "#me": "episode"},
                        "ExpressionAttributeValues": {":fresh": {"S": fresh},
                                                      ":eid": {"S": fields["episode"]}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}

    def replace_marker(self, pk: str, marker: str, item: dict, started: str) -> None:
        """Point the open-cramp marker at a new episode whatever it held (its old episode ended)."""
        put = self._marker_put(pk, marker, item, started)["Put"]
        for key in ("ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues",
                    "ReturnValuesOnConditionCheckFailure"):
            put.pop(key)
        self._call("put_item", **put)

    def update_guarded(self, pk: str, sk: str, fields: dict, guards: list[Guard], started: str) -> str:
        """Set fields on ``pk``/``sk`` (created if needed) unless a guard's tombstone is at or
        after ``started``. A guard on the same item is the update's own condition; any other is
        a ConditionCheck in a transaction. "created" (written) or "deleted"."""
        own = [g for g in guards if g.pk == pk and sk == PROFILE]
        others = [g for g in guards if g not in own]
        update = {"TableName": self.config.name, "Key": table_key(pk, sk),
                  **set_expression(self.profile_fields(fields))}
        if own:
            condition, names = guard_condition(tuple(a for g in own for a in g.attributes))
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

    def bookmark_guarded(self, pk: str, fields: dict, order: tuple[int, str], episode_sk: str,
                         guards: list[Guard], started: str,
                         registrations: tuple[tuple[str, str, dict], ...] = ()) -> str:
        """Write the open-episode bookmark (``fields`` on PROFILE, holding it under ``open_episode``)
        only if it is newer than every bookmark this profile has held and its episode has not ended
        (records.Bookmark.supersedes, checked by DynamoDB in one transaction): the PROFILE update's
        own condition (the tombstone, and the order: ``bookmark_version``, the highest version ever
        written, kept when the bookmark is cleared), a ConditionCheck that the EP# item has no
        ``outcome``, the other guards, and the registrations. ``order`` is (version, closed_at); a
        version of 0 (a bookmark from before versions) is the oldest: written only where no
        versioned bookmark ever was and the stored one closed earlier. "created", "refused" (not
        newer, or its episode ended) or "deleted"."""
        version, closed_at = order
        own = [g for g in guards if g.pk == pk]
        others = [g for g in guards if g not in own]
        fields = dict(fields)
        if version > 0:
            fields[BOOKMARK_VERSION] = version
        update = {"TableName": self.config.name, "Key": table_key(pk, PROFILE),
                  **set_expression(self.profile_fields(fields))}
        names, values = update["ExpressionAttributeNames"], update["ExpressionAttributeValues"]
        names["#hw"] = BOOKMARK_VERSION
        if version > 0:
            values[":ver"] = {"N": str(version)}
            conditions = ["(attribute_not_exists(#hw) OR #hw < :ver)"]
        else:
            names.update({"#bm": "open_episode", "#bv": "version", "#bc": "closed_at"})
            values[":closed"] = {"S": closed_at}
            conditions = ["attribute_not_exists(#hw)", "(attribute_not_exists(#bm) OR "
                          "(attribute_not_exists(#bm.#bv) AND #bm.#bc < :closed))"]
        if own:
            condition, guard_names = guard_condition(tuple(a for g in own for a in g.attributes))
            conditions.append(condition)
            names.update(guard_names)
            values[":started"] = {"S": started}
        if any(g.consent for g in own):  # no bookmark before the person's yes (issue 19)
            conditions.append(CONSENT_CONDITION)
            names.update(CONSENT_NAMES)
            values[":given"] = {"BOOL": True}
        update["ConditionExpression"] = " AND ".join(conditions)
        actions = [self._check(guard, started) for guard in others]
        actions.append({"ConditionCheck": {"TableName": self.config.name, "Key": table_key(pk, episode_sk),
                                           "ConditionExpression": "attribute_not_exists(#o)",
                                           "ExpressionAttributeNames": {"#o": "outcome"}}})
        actions.append({"Update": update})
        actions += self._registration_updates(registrations)
        return self._transact(actions, guard_indexes=range(len(others)), exists_index=None, refusable=True)

    def update_registered(self, pk: str, sk: str, fields: dict,
                          registrations: tuple[tuple[str, str, dict], ...]) -> bool:
        """``update`` (an existing item only), and in the same transaction refresh each
        registration (a person's MEMBER# item in their account), so every write that keeps a
        partition alive also keeps it findable. False if the item is gone."""
        if not registrations:
            return self.update(pk, sk, fields)
        fields = {k: v for k, v in without_key(fields, "pk", "sk").items() if v is not None}
        fields["expires_at"] = self.expires_at()
        actions = [{"Update": {"TableName": self.config.name, "Key": table_key(pk, sk),
                               "ConditionExpression": "attribute_exists(pk)", **set_expression(fields)}}]
        actions += self._registration_updates(registrations)
        try:
            self._call("transact_write_items", TransactItems=actions)
        except StorageError as err:
            if err.kind == "TransactionCanceled" and err.reasons[:1] == ("ConditionalCheckFailed",):
                return False
            raise
        return True

    def write_together(self, updates: list[tuple[str, str, dict]]) -> None:
        """Several profile-like upserts in one transaction (a voice preference and its person's
        registration in the account)."""
        self._call("transact_write_items", TransactItems=[
            {"Update": {"TableName": self.config.name, "Key": table_key(pk, sk),
                        **set_expression(self.profile_fields(fields))}} for pk, sk, fields in updates])

    def _registration_updates(self, registrations) -> list[dict]:
        """The updates that refresh each registration (a person's MEMBER# item in their account)."""
        return [{"Update": {"TableName": self.config.name, "Key": table_key(reg_pk, reg_sk),
                            **set_expression(self.profile_fields(reg_fields))}}
                for reg_pk, reg_sk, reg_fields in registrations]

    def _check(self, guard: Guard, started: str) -> dict:
        condition, names = guard_condition(guard.attributes)
        values = {":started": {"S": started}}
        check = {"TableName": self.config.name, "Key": table_key(guard.pk, PROFILE),
                 "ConditionExpression": condition, "ExpressionAttributeNames": names,
                 "ExpressionAttributeValues": values}
        if guard.consent:  # the same check, so first guidance stays one write and no read
            check["ConditionExpression"] = f"{condition} AND {CONSENT_CONDITION}"
            names.update(CONSENT_NAMES)
            values[":given"] = {"BOOL": True}
            check["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"  # tells a tombstone from a no
        return {"ConditionCheck": check}

    def _transact(self, actions: list[dict], guard_indexes, exists_index: int | None,
                  refusable: bool = False) -> str:
        """Run one transaction: "created", or "deleted" (a guard's tombstone failed it), "exists"
        (only ``exists_index`` failed: a retried write), "refused" (``refusable``: any other
        condition failed); a cancellation for any other reason raises TransactionConflict."""
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
            if refusable and failed:
                return "refused"
            raise StorageError("TransactionConflict", err.operation, err.reasons) from err
        return "created"

    # --- reads -------------------------------------------------------------------------
    def get(self, pk: str, sk: str) -> dict | None:
        result = self._call("get_item", TableName=self.config.name, Key=table_key(pk, sk))
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
        deadline = time.monotonic() + budget.QUERY_DEADLINE_S
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

