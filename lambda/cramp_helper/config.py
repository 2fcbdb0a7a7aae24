"""Settings read from the environment, in one place.

Table: CRAMP_TABLE_NAME (or Alexa-hosted DYNAMODB_PERSISTENCE_TABLE_NAME); region: CRAMP_TABLE_REGION,
DYNAMODB_PERSISTENCE_REGION, AWS_REGION or AWS_DEFAULT_REGION; DYNAMODB_ENDPOINT_URL points the skill
at a local endpoint. With no table name the skill still guides, it just stores nothing.

Queue: CRAMP_QUEUE_URL, the SQS queue that takes the writes a closing session could not make and
the deletions that did not fit in a request (docs/data-model.md, "The drain"); SQS_ENDPOINT_URL
points at a local endpoint. Unset: such writes are logged as lost, and a deletion that does not
finish in its request says so.

Keyed pseudonyms: the HMAC secret for partition keys, and CRAMP_KEY_ID (a short name for it,
default "k1", written into every partition key so a rotation can tell old keys from new). Deployed,
the secret lives in AWS Secrets Manager: CRAMP_KEY_SECRET_ARN names it, and it is read on first use
(the first request that stores or reads history; under SnapStart only after the restore hook has
run, never into the snapshot), once per container, then cached; boto3 is imported only then.
CRAMP_KEY_SECRET gives the secret itself (the console, tests). In Lambda (AWS_LAMBDA_FUNCTION_NAME
set) a secret that is missing, unreadable or shorter than MIN_SECRET_BYTES turns storage off (the
skill still guides; the store logs the ERROR ``key_secret_missing``, and an unreadable or short
secret also ``key_secret_refused`` with the reason); local runs fall back to a development secret.
The secret is never logged and never part of a repr.

Key rotation (docs/data-model.md, "Rotation"): CRAMP_PREVIOUS_KEY_ID names the previous key, whose
partitions are still read, moved and deleted; its own secret is CRAMP_PREVIOUS_KEY_SECRET_ARN
(Lambda) or CRAMP_PREVIOUS_KEY_SECRET, read and kept like the current one. The key ids in use
(``key_ids_in_use``: the current and the previous) need no secret: the drain refuses any other.

Episode log: EPISODE_LOG = ask (the default) | on | off (issue 19; docs/data-model.md, "Consent").
ask: cramps are guided at once, and logged only once the person has said yes to keeping a log;
on: every cramp is logged (a deployment with its own legal basis); off: guidance only, nothing
about a cramp is stored.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import NamedTuple

DEV_KEY_SECRET = "leg-cramp-helper-development-secret-never-used-in-lambda"
DEV_KEY_ID = "dev"
_KEY_ID = re.compile(r"^[A-Za-z0-9]{1,8}$")
MIN_SECRET_BYTES = 32  # in Lambda a shorter secret is refused: a guessable key locates histories
SECRET_RETRY_S = 30.0  # after a failed read, requests go without storage this long before a retry
_SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[\w/+=.@-]+$")


def _first(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


LOG_ASK, LOG_ON, LOG_OFF = "ask", "on", "off"
LOG_MODES = (LOG_ASK, LOG_ON, LOG_OFF)


def episode_log_mode() -> str:
    """EPISODE_LOG: "ask" (default, and for anything unrecognised: the safe side that stores
    nothing without consent), "on" or "off"."""
    value = (os.environ.get("EPISODE_LOG") or "").strip().lower()
    return value if value in LOG_MODES else LOG_ASK


def in_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "").strip())


class TableConfig(NamedTuple):  # a NamedTuple, not a frozen dataclass: see speech.Say
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
    """The key from Secrets Manager (CRAMP_KEY_SECRET_ARN) or CRAMP_KEY_SECRET, named by
    CRAMP_KEY_ID; the development key outside Lambda when neither is set. None in Lambda when the
    secret is missing, unreadable or under MIN_SECRET_BYTES, or the key id is not 1-8 letters and
    digits."""
    key_id = _first("CRAMP_KEY_ID") or "k1"
    arn = _first("CRAMP_KEY_SECRET_ARN")
    if arn is not None:
        if _SNAPSHOT_PENDING.is_set():
            return None  # SnapStart's init (its primed request): nothing secret goes into the snapshot
        secret = _STORED.read(arn)
    else:
        secret = _first("CRAMP_KEY_SECRET")
        if secret is None:
            return None if in_lambda() else PseudonymKey(DEV_KEY_ID, DEV_KEY_SECRET.encode("utf-8"))
        secret = secret.encode("utf-8")
    if secret is None or not _KEY_ID.match(key_id):
        return None
    if in_lambda() and len(secret) < MIN_SECRET_BYTES:
        _log_refusal(f"the pseudonym secret is shorter than {MIN_SECRET_BYTES} bytes")
        return None
    return PseudonymKey(key_id, secret)


def previous_key_id() -> str | None:
    """The key id of the rotation's previous key (CRAMP_PREVIOUS_KEY_ID), or None: none set, the
    same as the current one, or not 1-8 letters and digits. Needs no secret (the drain)."""
    key_id = _first("CRAMP_PREVIOUS_KEY_ID")
    if key_id is None or not _KEY_ID.match(key_id) or key_id == _current_key_id():
        return None
    return key_id


def previous_pseudonym_key() -> PseudonymKey | None:
    """The previous key of a rotation (docs/data-model.md, "Rotation"): CRAMP_PREVIOUS_KEY_ID and
    its own secret, from Secrets Manager (CRAMP_PREVIOUS_KEY_SECRET_ARN) or given
    (CRAMP_PREVIOUS_KEY_SECRET), read and kept like the current one. None when no previous key id
    is set, and also when one is set but its secret is missing, unreadable or short: callers tell
    the two apart with ``previous_key_id()`` (a deletion that cannot reach the previous key's
    partitions must not say it is done)."""
    key_id = previous_key_id()
    if key_id is None:
        return None
    arn = _first("CRAMP_PREVIOUS_KEY_SECRET_ARN")
    if arn is not None:
        if _SNAPSHOT_PENDING.is_set():
            return None
        secret = _STORED.read(arn)
    else:
        given = _first("CRAMP_PREVIOUS_KEY_SECRET")
        secret = given.encode("utf-8") if given is not None else None
    if secret is None:
        return None
    if in_lambda() and len(secret) < MIN_SECRET_BYTES:
        _log_refusal(f"the previous pseudonym secret is shorter than {MIN_SECRET_BYTES} bytes")
        return None
    return PseudonymKey(key_id, secret)


def _current_key_id() -> str:
    if not in_lambda() and _first("CRAMP_KEY_SECRET_ARN", "CRAMP_KEY_SECRET") is None:
        return DEV_KEY_ID
    return _first("CRAMP_KEY_ID") or "k1"


def key_ids_in_use() -> frozenset[str]:
    """The key ids whose partitions may still be written: the current one (CRAMP_KEY_ID, default
    k1; the development key's outside Lambda when no secret is configured) and the previous one a
    rotation still honours (CRAMP_PREVIOUS_KEY_ID). Needs no secret: the drain refuses a message
    under any other id (docs/data-model.md, "Rotation"). Deletion reaches every id listed here."""
    ids = {_current_key_id(), previous_key_id() or ""}
    return frozenset(i for i in ids if _KEY_ID.match(i))


class _StoredSecret:
    """A Secrets Manager secret read once per container and kept in memory. A failed read is not
    retried for SECRET_RETRY_S: while the secret store is down, requests go without storage at
    once instead of each waiting on a timeout."""

    def __init__(self):
        self._lock = threading.Lock()
        self._values: dict[str, bytes] = {}
        self._failed_at: dict[str, float] = {}

    def read(self, arn: str) -> bytes | None:
        value = self._values.get(arn)
        if value is not None:
            return value
        with self._lock:
            if arn in self._values:
                return self._values[arn]
            failed = self._failed_at.get(arn)
            if failed is not None and time.monotonic() - failed < SECRET_RETRY_S:
                return None
            try:
                value = _get_secret(arn)
            except Exception as exc:  # noqa: BLE001 - any failure: guide without storage
                self._failed_at[arn] = time.monotonic()
                _log_refusal("the pseudonym secret could not be read", error=type(exc).__name__)
                return None
            self._values[arn] = value
            self._failed_at.pop(arn, None)
            return value

    def forget(self) -> None:
        """Drop what was read (a new container starts this way; tests call it)."""
        with self._lock:
            self._values.clear()
            self._failed_at.clear()


_STORED = _StoredSecret()
forget_pseudonym_key = _STORED.forget
_SNAPSHOT_PENDING = threading.Event()


def _wait_for_restore() -> None:
    """Under SnapStart the init phase (this import, and the request skill.prime_for_snapshot runs)
    is snapshotted and restored into every new environment: the secret is not read until the
    runtime's after-restore hook has run. snapshot_restore_py comes with Lambda's managed Python
    runtimes (3.12+); without it the secret is simply read on first use."""
    if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") != "snap-start":
        return
    try:
        from snapshot_restore_py import register_after_restore
    except ImportError:
        return
    _SNAPSHOT_PENDING.set()
    register_after_restore(_SNAPSHOT_PENDING.clear)


_wait_for_restore()


def _get_secret(arn: str) -> bytes:
    """One GetSecretValue, with the table's short bounds (a cramp must not wait on it)."""
    match = _SECRET_ARN.match(arn)
    if not match:
        raise ValueError("CRAMP_KEY_SECRET_ARN is not a Secrets Manager secret ARN")
    import boto3  # deferred: cold starts of requests that store nothing never import it
    from botocore.config import Config

    client = boto3.client("secretsmanager", region_name=match.group(1), config=Config(
        connect_timeout=0.5, read_timeout=1.0, retries={"total_max_attempts": 2, "mode": "standard"}))
    response = client.get_secret_value(SecretId=arn)
    if "SecretString" in response:
        return response["SecretString"].encode("utf-8")
    return bytes(response["SecretBinary"])


def _log_refusal(reason: str, **fields) -> None:
    from .logs import log_event

    log_event("key_secret_refused", level="ERROR", reason=reason, **fields)
