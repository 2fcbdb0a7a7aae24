"""Structured JSON logs, one object per line on stderr (CloudWatch keeps them as they are).

Never pass a user id, a device id or anything the user said: callers log event names, ids of
our own (intent names, error types, request ids) and numbers only. Every line carries the
request id of the request being handled; the entry point writes one "request" line per request
with its type, intent, outcome and latency (see skill.make_handler).
"""

from __future__ import annotations

import json
import sys
from contextvars import ContextVar

# Per request (each thread, each Lambda invocation, has its own): request_id and outcome.
_REQUEST: ContextVar[dict | None] = ContextVar("cramp_request", default=None)


def begin_request(request_id: str | None) -> dict:
    record = {"request_id": request_id}
    _REQUEST.set(record)
    return record


def note_outcome(outcome: str) -> None:
    """Remember what this request achieved (an episode outcome, "rejected", ...) for its log line."""
    record = _REQUEST.get()
    if record is not None:
        record["outcome"] = outcome


def log_event(event: str, level: str = "INFO", **fields) -> None:
    record = {"event": event, "level": level}
    current = _REQUEST.get()
    if current and current.get("request_id"):
        record["request_id"] = current["request_id"]
    record.update({k: v for k, v in fields.items() if v is not None})
    sys.stderr.write(json.dumps(record, default=str) + "\n")
