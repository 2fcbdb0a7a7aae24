"""Many small cases in one test: every case is checked, and a failure lists every case that failed.

A corpus of ten thousand samples parametrized one test a sample costs pytest about a millisecond a
test to collect, run and report (on two workers and again under 3.13), ten times the check itself.
``check_each`` keeps the check per case and the report per case, with one test per group (an
intent, a locale) instead of one per line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
SHOWN = 25  # failures listed in full; the rest are counted


def check_each(cases: Iterable[T], check: Callable[[T], None], label: Callable[[T], str] = repr) -> int:
    """Run ``check`` on every case; fail listing each case whose check raised AssertionError, with
    its message. Returns how many cases were checked (a caller may assert there were some)."""
    failed: list[str] = []
    count = 0
    for case in cases:
        count += 1
        try:
            check(case)
        except AssertionError as error:
            failed.append(f"{label(case)}: {error}".rstrip(": "))
    if failed:
        more = f"\n... and {len(failed) - SHOWN} more" if len(failed) > SHOWN else ""
        raise AssertionError(f"{len(failed)} of {count} cases failed:\n" + "\n".join(failed[:SHOWN]) + more)
    return count
