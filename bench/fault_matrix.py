"""Prints the DynamoDB fault matrix, and how long a cramp start takes when the table hangs.

    .venv/bin/python bench/fault_matrix.py [--runs 3]

Part 1, the matrix (tests/functional/test_fault_matrix.py runs the same scenarios and asserts them): rows
are faults, columns the skill's table calls in the conversation that makes them, each fault
injected once through botocore hooks (tools/faults.py) on a moto table. Each cell shows the
verdict, the latency of the faulted turn through lambda_handler, and the user's episodes in the
table at the end. Unlike the tests, the client's real retry backoff and the real 0.3 s Slow apply.
Injected Timeouts fail at once; real ones are part 2.

Part 2, real timeouts: the skill pointed (through DYNAMODB_ENDPOINT_URL's code path, TableConfig
endpoint_url) at a loopback endpoint that accepts and never answers (read timeout) or never
accepts (connect timeout), with the repository's real client Config. It times a cramp start
(the number that matters at 3 a.m.) and every turn of a whole conversation against the hung table.
Latencies are printed, never asserted.

Part 3, durability (issue 12): one row per promise, each row a scenario from testkit/drift.py,
durability.py, deletion.py or people.py (tests/functional/test_drift.py, test_durability.py,
test_deletion.py and test_people.py, and tests/system/test_hanging_table.py, assert the same
zeros): drifted envelopes still guided; closing-turn hangs (a table that really holds every request
0.3, 1.2 and 3 s, with the client's real retry backoff); a whole-session outage, then the drain;
deletion at 5,000 items with throttling and unprocessed items (in the request, and handed to the
purge job); the resurrection race; redelivery; two people on one account. Each row counts episodes
lost, duplicated, resurrected after a deletion, and crossed into another person's data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

from testkit.fault_matrix import (  # noqa: E402
    COLUMNS,
    FAULTS,
    HangingEndpoint,
    run_cell,
    skill_on,
)

WIDTH = 24
LEGEND = """
ok = the faulted turn said the right thing: the guidance, the after-care, the count, or the
     in-character apology ('can't reach your history', 'couldn't delete', 'couldn't save it')
stored = the user's one episode is in the table with its outcome when the session ends
retried+stored = the same, the failed write made again (on the next turn, or before the
     closing turn answers when it is the session's last)
OUTCOME LOST = the episode is in the table without its outcome
answered = the slow or lost call still gave the real answer
recovers = asking again once the fault has passed works
ep = the user's episodes in the table at the end"""


def _cell_lines(cell) -> tuple[str, str]:
    verdict = f"ok: {cell.label}" if cell.guided else cell.label
    return verdict, f"{cell.latency_ms:.0f} ms, {cell.stored} ep"


def print_matrix() -> list:
    import boto3
    from moto import mock_aws

    from testkit.world import TABLE, World
    from tools.local_dynamodb import create_table

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ[key] = "testing"
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    cells = []
    with mock_aws():
        create_table(boto3.client("dynamodb", region_name="us-east-1"), TABLE)
        world = World()
        print("Part 1: one injected fault per cell (moto table, real retry backoff, Slow = 0.3 s)\n")
        header = f"{'fault':<20}" + "".join(f"{c:<{WIDTH}}" for c in COLUMNS)
        print(header)
        print("-" * len(header))
        for fault in FAULTS:
            row = [run_cell(world, column, fault) for column in COLUMNS]
            cells.extend(row)
            lines = [_cell_lines(c) for c in row]
            print(f"{fault:<20}" + "".join(f"{a:<{WIDTH}}" for a, _ in lines))
            print(f"{'':<20}" + "".join(f"{b:<{WIDTH}}" for _, b in lines))
    print(LEGEND)
    problems = [c for c in cells if not c.guided or c.notes or c.label != c.label.lower()]
    print(f"\n{len(cells)} cells, {len(problems)} with a problem:")
    for c in problems:
        notes = f"; {c.notes}" if c.notes else ""
        print(f"  {c.fault} on {c.column}: {c.label}; said {c.answer[:70]!r}{notes}")
    return cells


def _conversation_latencies(handler) -> list[tuple[str, float, bool]]:
    from testkit.conversation import Conversation
    from testkit.world import NIGHT

    talk = Conversation(handler=handler, clock=lambda: NIGHT)
    turns = [("my left calf is cramping", lambda: talk.intent("CrampIntent", Muscle="calf", Side="left")),
             ("still cramping", lambda: talk.intent("StillCrampingIntent")),
             ("it's gone", lambda: talk.intent("CrampGoneIntent")),
             ("how many cramps (new session)", lambda: talk.intent("CrampCountIntent"))]
    out = []
    for words, turn in turns:
        started = time.perf_counter()
        reply = turn()
        out.append((words, (time.perf_counter() - started) * 1000, bool(reply.speech)))
    return out


def print_real_timeouts(runs: int) -> None:
    from testkit.conversation import Conversation
    from testkit.world import NIGHT

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ[key] = "testing"
    print("\nPart 2: real botocore timeouts, table endpoint on 127.0.0.1 that never answers")
    for mode, what in (("read", "accepts, never answers"), ("connect", "never accepts")):
        starts, attempts = [], []
        with HangingEndpoint(mode) as endpoint:
            for _ in range(runs):
                handler, repository = skill_on(endpoint.url)
                config = repository.connection().meta.config
                before = endpoint.accepted
                talk = Conversation(handler=handler, clock=lambda: NIGHT)
                started = time.perf_counter()
                reply = talk.intent("CrampIntent", Muscle="calf", Side="left")
                starts.append((time.perf_counter() - started) * 1000)
                attempts.append(endpoint.accepted - before)
                assert reply.speech and talk.attributes["cramp"].get("pending"), "no guidance or no queue"
            handler, _ = skill_on(endpoint.url)
            conversation = _conversation_latencies(handler)
        attempts_allowed = config.retries["total_max_attempts"]
        print(f"\n  {mode} timeout ({what}); client connect_timeout={config.connect_timeout} s, "
              f"read_timeout={config.read_timeout} s, total_max_attempts={attempts_allowed}")
        print(f"  cramp start, {runs} runs: min {min(starts):.0f} ms, "
              f"median {statistics.median(starts):.0f} ms, max {max(starts):.0f} ms; "
              "guidance spoken and the write queued every time"
              + (f"; connections per start: {attempts}" if mode == "read" else ""))
        print("  a whole conversation against the hung table:")
        for words, ms, spoke in conversation:
            print(f"    {words:<32} {ms:>6.0f} ms{'' if spoke else '  (no speech)'}")


def drift_row():
    """Every drifted envelope through the skill (tests/functional/test_drift.py), then the table checked: each
    cramp envelope's user has exactly one episode, and no episode is in anyone else's partition."""
    from collections import Counter

    from cramp_helper.storage import user_key
    from testkit.drift import drift_report
    from testkit.durability import Row, moto

    row = Row("drifted envelopes still guided")
    with moto():
        from testkit.world import World

        world = World()
        report = drift_report(world)
        per_partition = Counter(e["pk"] for e in world.episodes())
    drift_users = {user_key(f"amzn1.ask.account.DRIFT{n:05d}") for n in range(report.checked + 50)}
    row.cases = report.checked
    row.lost = report.cramp_checked - report.guided
    row.duplicated = sum(n - 1 for n in per_partition.values() if n > 1)
    row.crossed = sum(n for pk, n in per_partition.items() if pk not in drift_users)
    row.problems = report.failures
    row.seconds = report.seconds
    row.detail = (f"{report.cramp_checked} drifted cramp envelopes guided and stored: {report.guided}; "
                  f"other requests answered as undrifted: {report.normal}")
    return row


def durability_rows(quick: bool = False) -> list:
    from testkit.deletion import deletion_at_scale, resurrection_race
    from testkit.durability import DurableWorld, closing_turn_hangs, moto, redelivery, whole_session_outage
    from testkit.people import two_people

    rows = [drift_row()]
    rows.append(closing_turn_hangs(real_backoff=True)[0])
    for scenario in (whole_session_outage,
                     lambda w: deletion_at_scale(w, items=500 if quick else 5000),
                     resurrection_race, redelivery, two_people):
        with moto():
            rows.append(scenario(DurableWorld()))
    return rows


def print_durability(quick: bool = False) -> list:
    print("\nPart 3: durability (issue 12); each row must show 0 lost, 0 duplicated, 0 resurrected, "
          "0 crossed\n")
    started = time.perf_counter()
    rows = durability_rows(quick)
    header = (f"{'row':<40}{'cases':>8}{'lost':>7}{'duplicated':>12}{'resurrected':>13}{'crossed':>9}"
              f"{'time':>9}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.name:<40}{row.cases:>8,}{row.lost:>7}{row.duplicated:>12}{row.resurrected:>13}"
              f"{row.crossed:>9}{row.seconds:>8.1f}s")
    print()
    for row in rows:
        print(f"  {row.name}: {row.detail}")
        for problem in row.problems[:10]:
            print(f"    PROBLEM: {problem}")
    clean = [r for r in rows if r.clean]
    print(f"\n{len(clean)} of {len(rows)} rows clean ({time.perf_counter() - started:.0f} s)")
    return rows


def print_findings() -> bool:
    """Part 4: a row per finding of issue 21 (testkit.fault_matrix.FINDINGS). Rows built on another
    branch are shown as pending; True when every built row holds."""
    from testkit.fault_matrix import FINDINGS, fast_retries
    from testkit.world import moto_table

    print("\nPart 4: issue 21, one row per finding (the answer and what is stored)\n")
    held = True
    for row in FINDINGS:
        if row.check is None:
            print(f"  PENDING  {row.finding}: {row.pending}")
            continue
        with fast_retries(), moto_table():
            problems = row.check()
        held = held and not problems
        print(f"  {'holds' if not problems else 'BROKEN':<8} {row.finding}: {row.expected}")
        for problem in problems:
            print(f"    PROBLEM: {problem}")
    return held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed cramp starts per hanging mode")
    parser.add_argument("--durability-only", action="store_true", help="only part 3")
    parser.add_argument("--quick", action="store_true", help="part 3 with 500 items, not 5,000")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    cells = []
    if not args.durability_only:
        cells = print_matrix()
        print_real_timeouts(args.runs)
    rows = print_durability(args.quick)
    findings = print_findings()
    print(f"\ndone in {time.perf_counter() - started:.1f} s")
    return 0 if all(c.guided for c in cells) and all(r.clean for r in rows) and findings else 1


if __name__ == "__main__":
    sys.exit(main())
