"""Settings read from the environment, in one place.

Table: CRAMP_TABLE_NAME (or Alexa-hosted DYNAMODB_PERSISTENCE_TABLE_NAME); region: CRAMP_TABLE_REGION,
DYNAMODB_PERSISTENCE_REGION, AWS_REGION or AWS_DEFAULT_REGION; DYNAMODB_ENDPOINT_URL points the skill
at a local endpoint. With no table name the skill still guides, it just stores nothing.

Queue: CRAMP_QUEUE_URL, the SQS queue that takes the writes a closing session could not make and
the deletions that did not fit in a request (docs/data-model.md, "The drain"); SQS_ENDPOINT_URL
points at a local endpoint. Unset: such writes are logged as lost, and a deletion that does not
finish in its request says so.

Keyed pseudonyms: CRAMP_KEY_SECRET (the HMAC secret for partition keys) and CRAMP_KEY_ID (a short
name for it, default "k1", written into every partition key so a rotation can tell old keys from
new). In Lambda (AWS_LAMBDA_FUNCTION_NAME set) a missing secret turns storage off (the skill still
guides, and logs the ERROR ``key_secret_missing``); local runs fall back to a development secret.
The secret is never logged and never part of a repr.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

DEV_KEY_SECRET = "leg-cramp-helper-development-secret-never-used-in-lambda"
DEV_KEY_ID = "dev"
_KEY_ID = re.compile(r"^[A-Za-z0-9]{1,8}$")


def _first(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def in_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "").strip())


@dataclass(frozen=True)
class TableConfig:
    name: str | None
    region: str | None
    endpoint_url: str | None = None
    # Short timeouts and few attempts: a slow table must never hold a cramp response past ~3 s.
    connect_timeout: float = 0.5
    read_timeout: float = 0.6
    max_attempts: int = 2
    queue_url: str | None = None  # the SQS queue of writes that outlive their session
    queue_endpoint_url: str | None = None

    @classmethod
    def from_environment(cls) -> TableConfig:
        return cls(
            name=_first("CRAMP_TABLE_NAME", "DYNAMODB_PERSISTENCE_TABLE_NAME"),
            region=_first("CRAMP_TABLE_REGION", "DYNAMODB_PERSISTENCE_REGION", "AWS_REGION",
                          "AWS_DEFAULT_REGION") or "us-east-1",
            endpoint_url=_first("DYNAMODB_ENDPOINT_URL"),
            queue_url=_first("CRAMP_QUEUE_URL"),
            queue_endpoint_url=_first("SQS_ENDPOINT_URL"),
        )


@dataclass(frozen=True)
class PseudonymKey:
    """The HMAC key for partition keys. ``secret`` never appears in a repr or a log line."""

    key_id: str
    secret: bytes = field(repr=False)


def pseudonym_key() -> PseudonymKey | None:
    """The key from CRAMP_KEY_SECRET / CRAMP_KEY_ID; the development key outside Lambda; None in
    Lambda when the secret is missing or the key id is not 1-8 letters and digits."""
    secret = _first("CRAMP_KEY_SECRET")
    if secret is None:
        return None if in_lambda() else PseudonymKey(DEV_KEY_ID, DEV_KEY_SECRET.encode("utf-8"))
    key_id = _first("CRAMP_KEY_ID") or "k1"
    if not _KEY_ID.match(key_id):
        return None
    return PseudonymKey(key_id, secret.encode("utf-8"))
