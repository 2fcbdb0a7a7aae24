"""APL as the device runs it, for the tests and tools/render_screens.py: the one reader of a
screen's onMount commands."""

from __future__ import annotations

import re

_DECREMENT = re.compile(r"\$\{(\w+) - 1\}")


def timeline(commands: list[dict]) -> list[tuple[int, str, object]]:
    """Run onMount commands the way APL does (Idle waits, SetValue sets, Sequential repeats with
    each repetition evaluated afresh) and return every change: (ms, property, value). Anything
    else the skill does not send, and this refuses it."""
    state: dict = {"remaining": None}
    changes: list[tuple[int, str, object]] = []
    clock = 0

    def run(cmds):
        nonlocal clock
        for cmd in cmds:
            if cmd["type"] == "Idle":
                clock += cmd["delay"]
            elif cmd["type"] == "SetValue":
                assert cmd["componentId"] == "root"
                value = cmd["value"]
                if isinstance(value, str):
                    match = _DECREMENT.fullmatch(value)
                    assert match, value
                    value = state[match.group(1)] - 1
                state[cmd["property"]] = value
                changes.append((clock, cmd["property"], value))
            elif cmd["type"] == "Sequential":
                for _ in range(cmd.get("repeatCount", 0) + 1):
                    run(cmd["commands"])
            else:
                raise AssertionError(cmd["type"])

    run(commands)
    return changes
