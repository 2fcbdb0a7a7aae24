"""Structured JSON logs, one object per line on stderr (CloudWatch keeps them as they are).

Never pass a user id, a device id or anything the user said: callers log event names, ids of
our own (intent names, error types) and numbers only.
"""

from __future__ import annotations

import json
import sys


def log_event(event: str, level: str = "INFO", **fields) -> None:
    record = {"event": event, "level": level, **{k: v for k, v in fields.items() if v is not None}}
    sys.stderr.write(json.dumps(record, default=str) + "\n")
