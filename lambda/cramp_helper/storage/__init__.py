"""The storage layer: the only code that talks to AWS (the DynamoDB table and the SQS queue of
writes that outlive their session), split by job:

    budget   how long storage may take: the request's budget, reserved windows, backoff
    client   the boto3 clients (made on first use) and StorageError
    keys     partition keys (keyed pseudonyms), sort-key prefixes, record ids
    codec    DynamoDB's typed JSON and update expressions
    table    EpisodeRepository: every table call, item stamping, guarded writes, reads
    erase    deletion: tombstone, sweep, hand-off to the purge job, the purge job
    rotate   key rotation: a partition under the previous key moved to the current one
    outbox   the SQS queue
    store    Store: one person's data by meaning, what the rest of the skill uses

The records themselves (Episode, Bookmark, Profile, PendingWrite, ...) are cramp_helper.records.
The public names are re-exported here: ``from cramp_helper.storage import Store, StorageError``.
The tunable windows (DELETE_WINDOW_S, PURGE_WINDOW_S, ...) are read from their own module at call
time: to change one, set it there (``storage.erase.DELETE_WINDOW_S``), not on this package.

Importing this package creates no client, imports no boto3 and loads no submodule: each public
name is loaded on first use (cold starts are measured).
"""

import importlib

# Where each public name lives. Names are loaded on first use (PEP 562), so importing one
# submodule (``storage.budget`` for the request budget) does not load the table, the eraser and
# the records for a request that never touches them.
_HOME = {
    "..records": ("BOOKMARK", "DELETED_AT", "DISABLED_AT", "VOICE"),
    ".budget": ("FINAL_WRITE_RESERVE_S", "QUERY_DEADLINE_S", "REQUEST_BUDGET_S", "end_request_budget",
                "reserved_budget", "start_request_budget"),
    ".client": ("TRANSIENT", "StorageError", "preload"),
    ".codec": ("decode", "decode_item", "encode", "encode_item", "utc_iso"),
    ".erase": ("BATCH", "DELETE_WINDOW_S", "MIN_PROGRESS_S", "PURGE_WINDOW_S", "SWEEP_PAGE", "Eraser"),
    ".keys": ("EPISODE", "MEMBER", "PARTITION", "PREVENTION", "PROFILE", "MissingKey", "UnknownKey",
              "item_key", "record_id", "user_key"),
    ".outbox": ("Outbox",),
    ".store": ("Store",),
    ".table": ("RETENTION_DAYS", "SCHEMA_VERSION", "EpisodeRepository", "Guard"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = sorted(_MODULE_OF)  # every public name, as _HOME places them
