"""Owns where things are in the table: the partition key (a keyed pseudonym of the Alexa id, never
the id itself), the sort-key prefixes of each item kind, record ids (a hash of the request id, so a
redelivered request writes the same item), and the DynamoDB key of an item. hashlib and hmac are
imported on first use, like boto3.

    pk  "USER#<key id>#<HMAC-SHA256 of the Alexa person or user id>"   partition: one person
    sk  "EP#<hash of the request id>"          an episode (started_at in an attribute)
        "PS#<hash of the request id>"          a prevention session (bedtime stretches)
        "PROFILE"                              preferences, the open-episode bookmark, and the
                                               deletion tombstone (deleted_at, disabled_at)
        "MEMBER#<a person's pk>"               in an account's partition: a voice profile of that
                                               account that has data
"""

from __future__ import annotations

import re

from ..config import PseudonymKey, key_ids_in_use, pseudonym_key

EPISODE = "EP#"
PREVENTION = "PS#"
PROFILE = "PROFILE"
MEMBER = "MEMBER#"
PARTITION = re.compile(r"^USER#[A-Za-z0-9]{1,8}#[0-9a-f]{64}$")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class UnknownKey(ValueError):
    """A partition key under a key id no longer (or never) in use: the drain refuses it."""

    def __init__(self, key_id: str):
        super().__init__("unknown key id")
        self.key_id = key_id


def key_id_of(pk: str) -> str:
    """The key id a partition key names ("k1" in "USER#k1#…")."""
    return pk.split("#", 2)[1] if pk.count("#") >= 2 else ""


class MissingKey(Exception):
    """No pseudonym secret in Lambda (see config.pseudonym_key)."""


def user_key(user_id: str, key: PseudonymKey | None = None) -> str:
    """The partition key: a keyed one-way hash (HMAC-SHA256), so the table never holds the raw
    Alexa id, and nobody holding an Alexa id can find its partition without the secret. The key
    id names the secret, so a rotation can tell old partitions from new (docs/data-model.md)."""
    import hashlib  # deferred, like boto3: requests that never touch the table never need it
    import hmac

    key = key or pseudonym_key()
    if key is None:
        raise MissingKey("CRAMP_KEY_SECRET")
    digest = hmac.new(key.secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"USER#{key.key_id}#{digest}"


def check_key_in_use(pk: str) -> str:
    """``pk`` if its key id is in use (config.key_ids_in_use), else UnknownKey."""
    key_id = key_id_of(pk)
    if key_id not in key_ids_in_use():
        raise UnknownKey(key_id[:8])
    return pk


def record_id(request_id: str) -> str:
    """An episode's (or prevention session's) id: a hash of the Alexa request id alone, so a
    request delivered again, even with a new timestamp, writes the same item."""
    import hashlib

    return hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:20]


def item_key(prefix: str, started_at: str, request_id: str) -> str:
    """The sort key of schema 1's first items ("EP#<start>#<hash>"). Still read (history sorts
    by ``started_at``, never by key); new items use ``prefix + record_id(request_id)``."""
    import hashlib

    digest = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:10]
    return f"{prefix}{started_at}#{digest}"


def table_key(pk: str, sk: str) -> dict:
    """The item's key in DynamoDB's typed JSON."""
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def checked_id(value: object) -> str:
    """A record id as a queued write carries it: a short string, or ValueError."""
    if not isinstance(value, str) or not 0 < len(value) <= 100:
        raise ValueError("bad record id")
    return value
