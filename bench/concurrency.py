"""Many conversations at once on ONE warm handler, against moto's server on loopback.

    .venv/bin/python bench/concurrency.py [--conversations 200] [--workers 32]

Each conversation has its own user and start time: "my <muscle> is cramping" -> "still cramping"
-> "it's gone" / "stop" / a red flag. Every answer is checked to be that user's own (the right
muscle and side, its own episode key in the session attributes, valid by tools/alexa_rules), and
afterwards the table must hold exactly one episode per conversation with its right outcome,
muscle, side and start. Prints conversations, episodes expected/stored, duplicates, lost, wrong,
boto3 clients created, wall time and per-request latency (latencies are printed, never asserted).
The same check runs in the default test run (tests/system/test_concurrency.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

from testkit.concurrency import run_concurrently  # noqa: E402
from testkit.world import moto_server  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--generous-timeouts", action="store_true",
                        help="connect 5 s / read 10 s instead of the skill's 0.5 s / 0.6 s (as the test)")
    parser.add_argument("--unserialised", action="store_true",
                        help="let moto's server take requests on many threads (it races: HTTP 500s)")
    args = parser.parse_args(argv)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ[key] = "testing"
    os.environ.pop("AWS_SESSION_TOKEN", None)

    table = f"cramps-bench-{uuid.uuid4().hex[:6]}"
    started = time.perf_counter()
    with moto_server(table, serialised=not args.unserialised) as url:
        report = run_concurrently(url, table, args.conversations, args.workers,
                                  None if args.generous_timeouts else {})
    total = time.perf_counter() - started
    latencies = sorted(ms for o in report.outcomes for ms in o.latencies_ms)
    requests = len(latencies)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    timeouts = ("connect 5 s, read 10 s" if args.generous_timeouts
                else "the skill's own: connect 0.5 s, read 0.6 s")
    print(f"conversations:        {report.conversations} on {report.workers} threads, one warm handler")
    print(f"client timeouts:      {timeouts}")
    print(f"requests:             {requests} ({requests / report.wall_s:.0f}/s)")
    print(f"episodes expected:    {report.expected}")
    print(f"episodes stored:      {report.stored}")
    print(f"duplicates:           {len(report.duplicates)}")
    print(f"lost (no episode):    {len(report.lost)}")
    print(f"missing outcomes:     {len(report.missing_outcomes)}")
    print(f"wrong muscle/side/start: {len(report.wrong)}")
    print(f"queue: {report.drained} message(s) drained after, {report.dead_letters} in the dead-letter queue")
    print(f"moto server errors (HTTP 5xx, moto's own, not the skill's): {report.server_errors}"
          f"{'' if args.unserialised else ' (server serialised)'}")
    print(f"in no partition of a conversation: {report.strays}")
    print(f"answers not the user's own or invalid: {sum(len(o.problems) for o in report.outcomes)}")
    print(f"boto3 clients created: {report.clients_made}")
    print(f"last write timed out, still queued at close: {report.queued_at_close} "
          "(load on this machine, not isolation: see the stored outcomes above)")
    print(f"wall time:            {report.wall_s:.2f} s for the conversations "
          f"({total:.2f} s with the server)")
    if latencies:
        print(f"request latency:      median {statistics.median(latencies):.0f} ms, p90 {pct(0.9):.0f} ms, "
              f"p99 {pct(0.99):.0f} ms, max {latencies[-1]:.0f} ms (threads share one GIL with the server)")
    for problem in report.problems[:20]:
        print(f"PROBLEM: {problem}")
    if len(report.problems) > 20:
        print(f"... and {len(report.problems) - 20} more problems")
    return 0 if not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())
