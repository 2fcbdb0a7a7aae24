"""Owns where things are in the table: the partition key (a keyed pseudonym of the Alexa id, never
the id itself), the sort-key prefixes of each item kind, record ids (a hash of the request id, so a
redelivered request writes the same item), and the DynamoDB key of an item. hashlib and hmac are
imported on first use, like boto3.

    pk  "USER#<key id>#<HMAC-SHA256 of "person:" or "account:" and the Alexa id>"   one person
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


ACCOUNT = "account"
PERSON = "person"
PLAIN = None  # the form before issue 21: the HMAC of the bare id (read only, to move it)


def kind_of(user_id: str) -> str:
    """The kind an Alexa id names by its own form (tools and tests that hold a bare id). The
    skill never relies on it: Store names the kind by the id's role in the request."""
    return PERSON if user_id.startswith("amzn1.ask.person.") else ACCOUNT


def user_key(user_id: str, key: PseudonymKey | None = None, kind: str | None = "") -> str:
    """The partition key: a keyed one-way hash (HMAC-SHA256), so the table never holds the raw
    Alexa id, and nobody holding an Alexa id can find its partition without the secret. The HMAC
    input names the id's kind ("account:<id>" or "person:<id>"), so an account id and a person id
    never meet in one partition, whatever they spell. The key id names the secret, so a rotation
    can tell old partitions from new (docs/data-model.md). ``kind`` "" (the default) is
    ``kind_of(user_id)``; PLAIN (None) is the un-namespaced form partitions had before issue 21,
    computed only to find and move them."""
    import hashlib  # deferred, like boto3: requests that never touch the table never need it
    import hmac

    key = key or pseudonym_key()
    if key is None:
        raise MissingKey("CRAMP_KEY_SECRET")
    if kind == "":
        kind = kind_of(user_id)
    if kind not in (ACCOUNT, PERSON, PLAIN):
        raise ValueError("unknown kind")
    named = user_id if kind is PLAIN else f"{kind}:{user_id}"
    digest = hmac.new(key.secret, named.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"USER#{key.key_id}#{digest}"


def old_keys(user_id: str, kind: str, current: PseudonymKey) -> list[str]:
    """Where a rotation may still hold this id's history: its partitions under the previous key
    (config.previous_pseudonym_key), named and plain (a key from before issue 21 made plain ones;
    the current key only ever makes named ones). MissingKey when a previous key id is set but its
    secret cannot be read: those partitions cannot be found, so neither moved nor deleted."""
    from ..config import previous_key_id, previous_pseudonym_key

    found = []
    if previous_key_id() is not None:
        previous = previous_pseudonym_key()
        if previous is None:
            raise MissingKey("CRAMP_PREVIOUS_KEY_SECRET")
        found += [user_key(user_id, previous, kind), user_key(user_id, previous, PLAIN)]
    return found


def in_use(pk: str) -> bool:
    """Whether ``pk``'s key id is one in use (after a rotation ends, the old id's partitions are
    unreachable and expire: a member record pointing at one is not deleted or queued again)."""
    return key_id_of(pk) in key_ids_in_use()


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
