"""Owns DynamoDB's typed JSON for the few shapes the skill stores (strings, numbers, booleans,
lists, maps; None is never stored), whole items both ways, and the SET expression that writes a set
of fields through placeholders (so any attribute name is safe). Pure functions, no I/O.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any


def encode(value: Any) -> dict:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        if len(str(abs(value))) > 38:  # DynamoDB keeps 38 digits: refused, never an OverflowError
            raise ValueError("number out of DynamoDB's range")
        return {"N": str(value)}
    if isinstance(value, float):
        if not math.isfinite(value) or (value and not 1e-130 <= abs(value) < 1e126):
            raise ValueError("number out of DynamoDB's range")
        return {"N": str(int(value)) if value.is_integer() else str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (list, tuple)):
        return {"L": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {k: encode(v) for k, v in value.items() if v is not None}}
    raise TypeError(f"cannot store {type(value).__name__}")


def decode(typed: dict) -> Any:
    (kind, value), = typed.items()
    if kind == "S":  # most of what is stored
        return value
    if kind == "N":
        number = float(value)
        return int(number) if number.is_integer() else number
    if kind == "L":
        return [decode(v) for v in value]
    if kind == "M":
        return {k: decode(v) for k, v in value.items()}
    if kind == "NULL":
        return None
    return value


def encode_item(item: dict) -> dict:
    return {k: encode(v) for k, v in item.items() if v is not None}


def decode_item(typed: dict) -> dict:
    out = {}
    for k, v in typed.items():
        text = v.get("S")  # most attributes are strings: read without the general step
        out[k] = text if text is not None else decode(v)
    return out


def without_key(values: dict, *keys: str) -> dict:
    """The key attributes are the storage layer's to set: never taken from a caller's dict."""
    return {k: v for k, v in values.items() if k not in keys}


def set_expression(fields: dict) -> dict:
    """UpdateItem arguments that set every field (placeholders, so any name is safe)."""
    return {
        "UpdateExpression": "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields))),
        "ExpressionAttributeNames": {f"#f{i}": name for i, name in enumerate(fields)},
        "ExpressionAttributeValues": {f":v{i}": encode(v) for i, v in enumerate(fields.values())},
    }


def utc_iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
