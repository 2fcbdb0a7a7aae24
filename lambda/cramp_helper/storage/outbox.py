"""Owns the SQS queue of writes that outlive their session (and deletions that did not fit in their
request): ``Outbox.send`` serialises one message (compact JSON, ASCII) and sends it; the drain
function (drain.py) applies it later. The client is made on first use. Messages carry partition
keys, keyed pseudonyms, never an Alexa id. What goes into a message is decided by store.py and
erase.py; the message shapes are documented in drain.py and docs/data-model.md.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from ..config import TableConfig
from . import budget
from . import client as clients
from .client import StorageError


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
        """Send one message, in a time window of its own (budget.QUEUE_SEND_WINDOW_S, read when
        called): whatever the table's calls have spent, the send gets its tries, and a transient
        failure (a timeout, throttling) is tried again with backoff while the window lasts. A
        lasting one, or the window running out, raises StorageError."""
        if not self.enabled:
            raise StorageError("NoQueue", "send_message")
        body = json.dumps(message, separators=(",", ":"), ensure_ascii=True)
        until = time.monotonic() + budget.QUEUE_SEND_WINDOW_S
        attempt = 0
        while True:
            try:
                self._sqs("send_message", QueueUrl=self.config.queue_url, MessageBody=body)
                return
            except StorageError as err:
                if not err.transient or not budget.back_off(attempt, until):
                    raise
            attempt += 1

    def _sqs(self, operation: str, **kwargs) -> dict:
        if self.client is None:
            with self._lock:
                if self.client is None:
                    self.client = clients.make_queue_client(self.config)
        try:
            return getattr(self.client, operation)(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one StorageError
            raise clients.wrap(exc, operation, reasons=False) from exc
