"""Settings read from the environment, in one place.

Table: CRAMP_TABLE_NAME (or Alexa-hosted DYNAMODB_PERSISTENCE_TABLE_NAME); region: CRAMP_TABLE_REGION,
DYNAMODB_PERSISTENCE_REGION, AWS_REGION or AWS_DEFAULT_REGION; DYNAMODB_ENDPOINT_URL points the skill
at a local endpoint. With no table name the skill still guides, it just stores nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def _first(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


@dataclass(frozen=True)
class TableConfig:
    name: str | None
    region: str | None
    endpoint_url: str | None = None
    # Short timeouts and few attempts: a slow table must never hold a cramp response past ~3 s.
    connect_timeout: float = 0.5
    read_timeout: float = 0.6
    max_attempts: int = 2

    @classmethod
    def from_environment(cls) -> TableConfig:
        return cls(
            name=_first("CRAMP_TABLE_NAME", "DYNAMODB_PERSISTENCE_TABLE_NAME"),
            region=_first("CRAMP_TABLE_REGION", "DYNAMODB_PERSISTENCE_REGION", "AWS_REGION",
                          "AWS_DEFAULT_REGION") or "us-east-1",
            endpoint_url=_first("DYNAMODB_ENDPOINT_URL"),
        )
