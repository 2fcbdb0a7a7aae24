"""Owns time: how long the storage layer may spend in one request, and the windows of its own that
a closing turn's last write or a deletion gets. The per-request budget is a ContextVar (each thread,
each invocation has its own); ``spent()`` is what every table call asks before it is made. Also the
backoff that retried calls sleep, which never sleeps past a deadline. Nothing here does I/O.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

QUERY_DEADLINE_S = 2.5  # a history answer gives up paging after this long
REQUEST_BUDGET_S = 1.0  # all ordinary table calls of one request together; see start_request_budget
FINAL_WRITE_RESERVE_S = 1.0  # the closing turn's last write: calls may start within this window
QUEUE_SEND_WINDOW_S = 1.5  # a queue send of its own: retried sends may start within this window

# Per request (each thread, each invocation): when this request's table calls must stop.
_BUDGET: ContextVar[float | None] = ContextVar("table_budget", default=None)


def start_request_budget(seconds: float = REQUEST_BUDGET_S) -> None:
    """Each call is bounded by the client's timeouts; this bounds their sum in one request, so a
    hung table costs a response about one call in flight (under 2.2 s) however many calls the
    request would make. A fast failure spends almost nothing, so a transient one still gets its
    retry in the same request."""
    _BUDGET.set(time.monotonic() + seconds)


def end_request_budget() -> None:
    """Outside a request, calls are bounded by the client's timeouts only."""
    _BUDGET.set(None)


@contextmanager
def reserved_budget(seconds: float = FINAL_WRITE_RESERVE_S):
    """A window of its own, whatever the request has spent: the closing turn's final write (so a
    slow table earlier in the turn cannot starve it), or a deletion. Calls may start until it ends;
    the request's own budget applies again afterwards."""
    token = _BUDGET.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _BUDGET.reset(token)


def spent() -> bool:
    """True once this request (or the window it is in) may start no more table calls."""
    until = _BUDGET.get()
    return until is not None and time.monotonic() > until


def back_off(attempt: int, until: float) -> bool:
    """Sleep an exponential backoff with jitter (50 ms, 100 ms, ... up to 1 s); False, without
    sleeping, when that would pass ``until``."""
    import random  # only a retry needs it: every cold start imports this module

    delay = min(0.05 * 2 ** attempt, 1.0) * (0.5 + random.random() / 2)
    if time.monotonic() + delay > until:
        return False
    time.sleep(delay)
    return True
