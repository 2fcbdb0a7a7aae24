"""Reads slots the way Alexa's entity resolution reports them: by resolved id, never raw words."""

from __future__ import annotations

from typing import NamedTuple

MATCH = "match"
NO_MATCH = "no_match"  # the user said something, but it is not one of our values
MISSING = "missing"  # the slot was empty
# Entity-resolution codes that mean "no value": any other code that carries a value (a code newer
# than ER_SUCCESS_MATCH) is read as a match; the caller still checks the id is one of ours.
_NOT_RESOLVED = ("ER_SUCCESS_NO_MATCH", "ER_ERROR_TIMEOUT", "ER_ERROR_EXCEPTION")


class SlotReading(NamedTuple):  # a NamedTuple, not a frozen dataclass: see speech.Say
    status: str
    id: str | None = None


def read_slot(intent, name: str) -> SlotReading:
    """One slot of ask-sdk's Intent (None, or one without slots, reads as MISSING)."""
    slots = getattr(intent, "slots", None) or {}
    slot = slots.get(name) if isinstance(slots, dict) else None
    value = getattr(slot, "value", None)
    if slot is None or not isinstance(value, str) or not value.strip():
        return SlotReading(MISSING)
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    for authority in authorities:
        code = getattr(getattr(authority, "status", None), "code", None)
        code = getattr(code, "value", code)
        if code not in _NOT_RESOLVED and authority.values:
            value_id = getattr(getattr(authority.values[0], "value", None), "id", None)
            if isinstance(value_id, str) and value_id:
                return SlotReading(MATCH, value_id)
    return SlotReading(NO_MATCH)


def status_and_id(reading) -> tuple[str | None, str | None]:
    """(status, id) of a reading: a SlotReading is that pair, and the pure tables take any (status,
    id) pair too; anything else reads as (None, None), which they skip."""
    if isinstance(reading, tuple):
        status, value = reading
        return status, value
    return None, None


def words_of(intent, name: str) -> str | None:
    """The words Alexa heard for one slot (its ``value``), for the interpreter only: never logged,
    never stored."""
    slots = getattr(intent, "slots", None) or {}
    slot = slots.get(name) if isinstance(slots, dict) else None
    value = getattr(slot, "value", None)
    return value if isinstance(value, str) and value.strip() else None
