"""Owns deletion that finishes and stays finished: the tombstone (written first, in a window of its
own; never moved back in time), the sweep that deletes a partition's items page by page with
retries and backoff inside a deadline, the hand-off of what does not fit to the purge job on the
queue, and the purge job itself (the drain). "Delete my history" and SkillDisabled both come here
through Store (docs/data-model.md, "Deletion that finishes, and stays finished").

The windows are module attributes read at call time, so tests shorten them on this module.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from ..logs import log_event
from ..records import BOOKMARK, CONSENT, DELETED_AT, DISABLED_AT, VOICE
from . import budget
from .client import StorageError
from .codec import set_expression
from .keys import EPISODE, MEMBER, PREVENTION, PROFILE, STAMP, in_use, table_key
from .table import SCHEMA_VERSION, EpisodeRepository

DELETE_WINDOW_S = 2.5  # a spoken "delete my history" deletes for this long, then hands off
PURGE_WINDOW_S = 40.0  # the drain deletes for at most this long per message (function timeout 60 s)
BATCH = 25  # BatchWriteItem's limit
SWEEP_PAGE = 1000  # keys per page while deleting: each page is quick, so the window is kept
MIN_PROGRESS_S = 5.0  # a sweep's first page and first batch get this long, whatever its window


class Erased(NamedTuple):
    """What a spoken deletion achieved: how many episodes and stretch sessions it found (at least 1
    when the rest was handed off uncounted), and ``pending``: the tombstone could not be written,
    so the whole deletion is a queued purge job, not yet in force (the purge writes it first)."""
    found: int
    pending: bool = False


class Eraser:
    """Deletion over one table (and its queue)."""

    def __init__(self, repository: EpisodeRepository):
        self.repository = repository

    # --- by meaning (Store calls these) --------------------------------------------------
    def erase(self, pk: str, at: str, attributes: tuple[str, ...], keep: tuple[str, ...]) -> int:
        """Tombstone, then sweep for DELETE_WINDOW_S, then hand the rest to the purge job.
        Returns how many episodes and stretch sessions were found (at least 1 when handed off)."""
        return self.erase_told(pk, at, attributes, keep).found

    def erase_told(self, pk: str, at: str, attributes: tuple[str, ...], keep: tuple[str, ...]) -> Erased:
        """``erase``, saying whether the tombstone was committed (Erased.pending is False) or only
        the purge job could be queued (True). Raises StorageError when it could do neither."""
        # The tombstone first, in a window of its own: it is what makes the deletion stick.
        with budget.reserved_budget(budget.FINAL_WRITE_RESERVE_S):
            try:
                self.tombstone(pk, at, attributes)
            except StorageError as err:
                log_event("delete_tombstone_failed", level="WARNING", error_type=err.kind)
                self.hand_off_purge(pk, at, attributes, keep)
                return Erased(1, pending=True)
        try:
            found, finished = self.sweep(pk, at, keep, time.monotonic() + DELETE_WINDOW_S)
        except StorageError as err:
            log_event("delete_sweep_failed", level="WARNING", error_type=err.kind)
            found, finished = 0, False
        if finished:
            return Erased(found)
        self.hand_off_purge(pk, at, attributes, keep)
        return Erased(max(found, 1))

    def erase_account(self, pk: str, at: str) -> int:
        """The skill was disabled: the account's tombstone first (a person's write checks it, so
        no new person can register, or write, past this point), then every registered person's
        partition, then the account's own."""
        everything = (DELETED_AT, DISABLED_AT)
        with budget.reserved_budget(max(DELETE_WINDOW_S, budget.FINAL_WRITE_RESERVE_S)):
            try:
                self.tombstone(pk, at, everything)
                members = self.repository.members(pk)
            except StorageError:
                members = None
        if members is None:
            self.hand_off_purge(pk, at, everything, (PROFILE,), members=True)
            return 1
        found = 0
        for member in filter(in_use, members):  # a rotation's ended key: unreachable, expiring
            found += self.erase(member, at, everything, (PROFILE,))
        return found + self.erase(pk, at, everything, (PROFILE,))

    def purge(self, pk: str, message: dict, until: float) -> bool:
        """Carry on a deletion handed off to the queue (the drain). True when finished; False when
        time ran out (the caller sends the message on again). Lasting failures raise."""
        at, attributes, keep = purge_fields(message)
        try:
            with budget.reserved_budget(budget.FINAL_WRITE_RESERVE_S):
                self.tombstone(pk, at, attributes)
                members = self.repository.members(pk) if message.get("members") else []
            for member in filter(in_use, members):  # never queued under a key the drain refuses
                self.hand_off_purge(member, at, attributes, keep)
            found, finished = self.sweep(pk, at, keep, until, progress=True)
        except StorageError as err:  # template.yaml's PurgeFailedAlarm watches this line
            log_event("purge_failed", level="ERROR", operation=err.operation, error_type=err.kind)
            raise
        log_event("purge_progress", items=found, finished=finished)
        return finished

    def hand_off_purge(self, pk: str, at: str, attributes: tuple[str, ...], keep: tuple[str, ...], *,
                       members: bool = False) -> None:
        message = {"v": 1, "kind": "purge", "pk": pk, "at": at,
                   "attributes": list(attributes), "keep": list(keep)}
        if members:
            message["members"] = True
        self.repository.outbox.send(message)  # raises StorageError("NoQueue") without a queue
        log_event("purge_handed_off")

    # --- the table work ------------------------------------------------------------------
    def tombstone(self, pk: str, at: str, attributes: tuple[str, ...]) -> None:
        """Mark the partition deleted at ``at`` (each attribute, never moved back in time), and
        drop the profile's preferences and bookmark. From now on no write of anything that started
        at or before ``at`` can land (see EpisodeRepository.create_guarded). The person's answer
        about keeping a log goes too (issue 19)."""
        repository = self.repository
        for n, attribute in enumerate(attributes):
            fields = {attribute: at, "kind": "profile", "expires_at": repository.expires_at(),
                      "schema_version": SCHEMA_VERSION}
            expression = set_expression(fields)
            if n == 0:
                # The consent goes with the history (issue 19): the next cramp asks again; and
                # SkillDisabled erases a 30-day "no" too.
                expression["UpdateExpression"] += " REMOVE #voice, #bookmark, #consent"
                expression["ExpressionAttributeNames"].update({"#voice": VOICE, "#bookmark": BOOKMARK,
                                                               "#consent": CONSENT})
            repository._conditional("update_item", Key=table_key(pk, PROFILE),
                                    ConditionExpression="attribute_not_exists(#f0) OR #f0 < :v0",
                                    **expression)

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
        with budget.reserved_budget(max(until, floor) - time.monotonic()):
            return self._sweep(pk, at, keep, until, floor)

    def _sweep(self, pk: str, at: str, keep: tuple[str, ...], until: float, floor: float) -> tuple[int, bool]:
        found = 0
        kwargs = {"TableName": self.repository.config.name, "ConsistentRead": True, "Limit": SWEEP_PAGE,
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
        name = self.repository.config.name
        requests = [{"DeleteRequest": {"Key": key}} for key in keys]
        attempt = 0
        while requests:
            result = self._retrying("batch_write_item", until, RequestItems={name: requests})
            if result is None:
                return False
            requests = (result.get("UnprocessedItems") or {}).get(name, [])
            if requests and not budget.back_off(attempt, until):
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
                return self.repository._call(operation, **kwargs)
            except StorageError as err:
                if err.kind == "Budget":
                    return None
                if not err.transient:
                    raise
            if not budget.back_off(attempt, until):
                return None
            attempt += 1


def purge_fields(message: dict) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A purge message's (at, tombstone attributes, sort-key prefixes to keep); ValueError if bad."""
    at = message["at"]
    attributes = tuple(a for a in message.get("attributes") or [DELETED_AT] if a in (DELETED_AT, DISABLED_AT))
    keep = tuple(k for k in message.get("keep") or [PROFILE] if k in (PROFILE, MEMBER))
    if not isinstance(at, str) or not STAMP.fullmatch(at) or not attributes:
        raise ValueError("bad purge message")
    return at, attributes, keep or (PROFILE,)
