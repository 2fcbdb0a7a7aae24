"""The drain: a small Lambda function, fed by the SQS queue, that finishes what a request could not.

Two kinds of message (storage.Store.hand_off and storage.erase.Eraser.hand_off_purge send them):

    {"v": 1, "kind": "writes", "pk": "USER#k1#…", "account": "USER#k1#…" | null, "ops": [...]}
        a session closed with writes still failing: its queued writes, oldest first, exactly as
        episodes.py queued them: each op is a records.PendingWrite in its JSON form (start, end,
        prevention, bookmark, unbookmark; that class is the format's one definition). Every one is
        idempotent (a create is conditional, an end is an update or a guarded create), so a
        message delivered twice, or applied after part of it had landed, stores each thing once.
        Each write still checks the person's deletion tombstone: a message that waited in the
        queue across a "delete my history" writes nothing.

    {"v": 1, "kind": "purge", "pk": "USER#k1#…", "at": "<UTC ISO>", "attributes": [...],
     "keep": [...], "members": true?}
        a deletion that did not fit in its request: tombstone again (idempotent), then delete what
        is left, for at most PURGE_WINDOW_S; if still not done, the message is sent on again as a
        new one, until the partition is empty.

Messages carry partition keys (keyed pseudonyms), never an Alexa id, so the drain needs no secret.
The event source mapping uses ReportBatchItemFailures: a message whose writes fail (the table
still down) is reported, and only it comes back after the visibility timeout; after
maxReceiveCount tries it moves to the dead-letter queue, whose depth raises an alarm
(template.yaml). A message that cannot be read at all is reported too, so it ends in the DLQ for
a person to look at, never silently dropped.

Entry point: ``cramp_helper.drain.handler`` (template.yaml, DrainFunction).
"""

from __future__ import annotations

import json
import math
import re
import time
from typing import Any

from .logs import begin_request, log_event
from .records import PendingWrite
from .storage import EpisodeRepository, StorageError, Store, UnknownKey, erase

SAFETY_MARGIN_S = 5.0  # stop deleting this long before the function's own timeout
_REPOSITORY: EpisodeRepository | None = None


def _default_repository() -> EpisodeRepository:
    global _REPOSITORY
    if _REPOSITORY is None:
        _REPOSITORY = EpisodeRepository.from_environment()
    return _REPOSITORY


def handler(event: Any, context: Any = None, repository: EpisodeRepository | None = None) -> dict:
    """An SQS batch: apply each message; report the ones to try again (batchItemFailures)."""
    repository = repository or _default_repository()
    records = event.get("Records") if isinstance(event, dict) else None
    failures = []
    for record in records if isinstance(records, list) else []:
        message_id = record.get("messageId") if isinstance(record, dict) else None
        begin_request(message_id if isinstance(message_id, str) else None)
        if not _process(repository, record, context):
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


MAX_BODY = 256 * 1024  # SQS's own limit on a message: anything longer is not one of ours
MAX_DEPTH = 16  # our messages nest 5 deep (message, ops, op, item, techniques); json.loads recurses
MAX_DIGITS = 38  # DynamoDB numbers: 38 significant digits, magnitude below 1E+126
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


class Unreadable(ValueError):
    """A body the drain refuses before or while parsing it (size, depth, numbers)."""


def read_body(body: object) -> dict:
    """The message in an SQS body, or Unreadable: bounded in size and nesting depth BEFORE
    json.loads (whose recursion a deeply nested body would exhaust), and every number within
    DynamoDB's range (an integer of 400 digits is refused here, not in the encoder)."""
    if not isinstance(body, str) or len(body) > MAX_BODY:
        raise Unreadable("size")
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub("", body)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            raise Unreadable("depth")
    message = json.loads(body, parse_int=_whole, parse_float=_decimal, parse_constant=_constant)
    if not isinstance(message, dict) or message.get("v") != 1:
        raise Unreadable("not a message of ours")
    return message


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Unreadable("number out of range")
    return int(text)


def _decimal(text: str) -> float:
    number = float(text)
    if not math.isfinite(number) or (number != 0 and not 1e-130 <= abs(number) < 1e126):
        raise Unreadable("number out of range")
    return number


def _constant(text: str) -> float:
    raise Unreadable("NaN or Infinity")


def _process(repository: EpisodeRepository, record: Any, context: Any) -> bool:
    """One record, isolated: whatever goes wrong reading or applying it is reported for this
    record only (its messageId in batchItemFailures), never raised to fail the whole batch."""
    try:
        message = read_body(record["body"] if isinstance(record, dict) else None)
        kind = message.get("kind")
        if kind == "writes":
            return _writes(repository, message)
        if kind == "purge":
            return _purge(repository, message, context)
        raise Unreadable("unknown kind")
    except StorageError as err:
        log_event("drain_failed", level="WARNING", operation=err.operation, error_type=err.kind)
        return False
    except UnknownKey as err:
        log_event("drain_unknown_key", level="ERROR", key_id=err.key_id)
        return False
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        log_event("drain_message_unreadable", level="ERROR", error_type=type(err).__name__,
                  reason=str(err)[:60] if isinstance(err, Unreadable) else None)
        return False
    except Exception as err:  # noqa: BLE001 - one record's failure is that record's alone
        log_event("drain_failed", level="ERROR", error_type=type(err).__name__)
        return False


def _writes(repository: EpisodeRepository, message: dict) -> bool:
    store = Store.for_partition(repository, message["pk"], message.get("account"))
    ops = message["ops"]
    if not isinstance(ops, list):
        raise TypeError("ops")
    applied = dropped = 0
    for op in ops:
        write = PendingWrite.from_json(op)
        if write is None:
            dropped += 1  # unreadable: it never becomes readable; drop it, keep the rest
            continue
        try:
            store.apply(write)  # StorageError: the whole message comes back later (all idempotent)
        except (KeyError, TypeError, ValueError, AttributeError):
            dropped += 1  # a malformed write never becomes valid: drop it, keep the rest
            continue
        applied += 1
    log_event("drain_writes_applied", applied=applied, dropped=dropped or None)
    return True


def _purge(repository: EpisodeRepository, message: dict, context: Any) -> bool:
    store = Store.for_partition(repository, message["pk"])
    window = erase.PURGE_WINDOW_S  # read at call time: tests shorten it there
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        window = max(0.0, min(window, remaining() / 1000 - SAFETY_MARGIN_S))
    if store.purge(message, until=time.monotonic() + window):
        return True
    repository.outbox.send(message)  # not done yet: carry on as a fresh message
    return True
