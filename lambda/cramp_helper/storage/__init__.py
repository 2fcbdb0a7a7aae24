"""The storage layer: the only code that talks to AWS (the DynamoDB table and the SQS queue of
writes that outlive their session), split by job:

    budget   how long storage may take: the request's budget, reserved windows, backoff
    client   the boto3 clients (made on first use) and StorageError
    keys     partition keys (keyed pseudonyms), sort-key prefixes, record ids
    codec    DynamoDB's typed JSON and update expressions
    table    EpisodeRepository: every table call, item stamping, guarded writes, reads
    erase    deletion: tombstone, sweep, hand-off to the purge job, the purge job
    outbox   the SQS queue
    store    Store: one person's data by meaning, what the rest of the skill uses

The records themselves (Episode, Bookmark, Profile, PendingWrite, ...) are cramp_helper.records.
The public names are re-exported here: ``from cramp_helper.storage import Store, StorageError``.
The tunable windows (DELETE_WINDOW_S, PURGE_WINDOW_S, ...) are read from their own module at call
time: to change one, set it there (``storage.erase.DELETE_WINDOW_S``), not on this package.

Importing this package creates no client and imports no boto3 (cold starts are measured).
"""

from ..records import BOOKMARK, DELETED_AT, DISABLED_AT, VOICE
from .budget import (
    FINAL_WRITE_RESERVE_S,
    QUERY_DEADLINE_S,
    REQUEST_BUDGET_S,
    end_request_budget,
    reserved_budget,
    start_request_budget,
)
from .client import TRANSIENT, StorageError, preload
from .codec import decode, decode_item, encode, encode_item, utc_iso
from .erase import BATCH, DELETE_WINDOW_S, MIN_PROGRESS_S, PURGE_WINDOW_S, SWEEP_PAGE, Eraser
from .keys import (
    EPISODE,
    MEMBER,
    PARTITION,
    PREVENTION,
    PROFILE,
    MissingKey,
    UnknownKey,
    item_key,
    record_id,
    user_key,
)
from .outbox import Outbox
from .store import Store
from .table import RETENTION_DAYS, SCHEMA_VERSION, EpisodeRepository, Guard

__all__ = [
    "BATCH", "BOOKMARK", "DELETED_AT", "DELETE_WINDOW_S", "DISABLED_AT", "EPISODE", "FINAL_WRITE_RESERVE_S",
    "MEMBER", "MIN_PROGRESS_S", "PARTITION", "PREVENTION", "PROFILE", "PURGE_WINDOW_S", "QUERY_DEADLINE_S",
    "REQUEST_BUDGET_S", "RETENTION_DAYS", "SCHEMA_VERSION", "SWEEP_PAGE", "TRANSIENT", "VOICE",
    "EpisodeRepository", "Eraser", "Guard", "MissingKey", "Outbox", "StorageError", "Store", "UnknownKey",
    "decode", "decode_item", "encode", "encode_item", "end_request_budget", "item_key", "preload",
    "record_id", "reserved_budget", "start_request_budget", "user_key", "utc_iso",
]
