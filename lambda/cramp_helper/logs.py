"""Structured JSON logs. Never pass a user id, a device id or anything the user said."""

from __future__ import annotations

import json
import logging
import sys

_logger = logging.getLogger("cramp_helper")
if not _logger.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(message)s"))
    _logger.addHandler(_handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False


def log_event(event: str, level: str = "INFO", **fields) -> None:
    record = {"event": event, "level": level, **{k: v for k, v in fields.items() if v is not None}}
    _logger.log(getattr(logging, level, logging.INFO), json.dumps(record, default=str))
