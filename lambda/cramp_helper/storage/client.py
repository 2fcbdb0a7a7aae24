"""Owns the AWS clients and their failures: the boto3 DynamoDB and SQS clients (short timeouts, two
attempts), made on first use and never at import (boto3 is imported inside ``make_client``, so a
request that never touches the table never pays for it), and ``StorageError``, the one exception
every failed table or queue call becomes, with its kind (Throttling, Timeout, ...). Tests replace
``make_table_client`` on this module to count or wrap the clients made.
"""

from __future__ import annotations

from ..config import TableConfig

TRANSIENT = ("Throttling", "Timeout", "Unreachable", "InternalServerError", "TransactionConflict")


class StorageError(Exception):
    """A table or queue call failed; ``kind`` says how (Throttling, Timeout, AccessDenied, ...).
    A cancelled transaction carries each action's cancellation code in ``reasons``, and in
    ``items`` the item each action found (DynamoDB's typed JSON, or None) where the action asked
    for it (ReturnValuesOnConditionCheckFailure ALL_OLD)."""

    def __init__(self, kind: str, operation: str, reasons: tuple[str, ...] = (),
                 items: tuple[dict | None, ...] = ()):
        super().__init__(f"{operation}: {kind}")
        self.kind = kind
        self.operation = operation
        self.reasons = reasons
        self.items = items

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT


def preload() -> None:
    """Import what the first table call needs, creating nothing (for a SnapStart snapshot)."""
    import hashlib  # noqa: F401
    import hmac  # noqa: F401

    import boto3  # noqa: F401
    import botocore.config  # noqa: F401


def make_table_client(config: TableConfig):
    """The DynamoDB client: short timeouts, two attempts (docs/data-model.md, "The budget")."""
    return make_client("dynamodb", config, config.endpoint_url, config.read_timeout)


def make_queue_client(config: TableConfig):
    """The SQS client: the same bounds, a little more time to read (a send is the last resort)."""
    return make_client("sqs", config, config.queue_endpoint_url, 1.0)


def make_client(service: str, config: TableConfig, endpoint_url: str | None, read_timeout: float):
    import boto3  # deferred: see the module docstring
    from botocore.config import Config

    return boto3.client(
        service,
        region_name=config.region,
        endpoint_url=endpoint_url,
        config=Config(
            connect_timeout=config.connect_timeout,
            read_timeout=read_timeout,
            retries={"total_max_attempts": config.max_attempts, "mode": "standard"},
            tcp_keepalive=True,
        ),
    )


def error_kind(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = (response.get("Error") or {}).get("Code", "")
        for known in ("ConditionalCheckFailed", "TransactionCanceled", "TransactionConflict",
                      "Throttl", "ProvisionedThroughputExceeded", "AccessDenied", "ResourceNotFound",
                      "InternalServerError", "RequestLimitExceeded"):
            if known in code:
                return "Throttling" if known in ("Throttl", "ProvisionedThroughputExceeded",
                                                  "RequestLimitExceeded") else known
        return code or "ClientError"
    name = type(exc).__name__
    if "Timeout" in name:
        return "Timeout"
    if "Connect" in name or "Endpoint" in name:
        return "Unreachable"
    return name


def cancellation_reasons(exc: Exception) -> tuple[str, ...]:
    response = getattr(exc, "response", None)
    reasons = response.get("CancellationReasons") if isinstance(response, dict) else None
    if not isinstance(reasons, list):
        return ()
    return tuple(str((r or {}).get("Code") or "None") for r in reasons)


def cancellation_items(exc: Exception) -> tuple[dict | None, ...]:
    response = getattr(exc, "response", None)
    reasons = response.get("CancellationReasons") if isinstance(response, dict) else None
    if not isinstance(reasons, list):
        return ()
    return tuple(r.get("Item") if isinstance(r, dict) and isinstance(r.get("Item"), dict) else None
                 for r in reasons)


def wrap(exc: Exception, operation: str, *, reasons: bool = True) -> StorageError:
    """The StorageError a failed call becomes."""
    if not reasons:
        return StorageError(error_kind(exc), operation)
    return StorageError(error_kind(exc), operation, cancellation_reasons(exc), cancellation_items(exc))

