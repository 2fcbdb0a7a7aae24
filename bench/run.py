"""Leg Cramp Helper benchmarks: one run on one machine, every figure a ratio to a floor measured in
the same run. Not a test, and nothing here asserts a time: this machine is shared and noisy.

    .venv/bin/python bench/run.py                  # everything, about 3-4 minutes on 2 cores
    .venv/bin/python bench/run.py --quick          # fewer repetitions, about a minute
    .venv/bin/python bench/run.py --only cold,warm # some sections: cold help deployed warm table sizes holds

Sections (bench/README.md says what each means and its target; each is a module here: cold.py for
cold and help, deployed.py, warm.py, table.py, speech.py for speech, sizes and holds; common.py is shared):
  cold   cold start to first guidance: a fresh process answers a one-shot calf cramp, with its
         time-zone lookup (HTTPS, local) and its episode write (moto server, local), vs a process
         that imports ask-sdk, makes a boto3 client and makes the same write. Target <= 1.10.
  help   cold start of a request that needs no table (Help) vs importing ask-sdk alone. <= 1.15.
  deployed  the deployed zip on Python 3.13: a cold Launch with its bytecode vs without (no target).
  warm   in-process latency per request type, no table, vs a one-handler ask-sdk skill. p99 <= 2x.
  table  table calls per request type in a typical night, counted by botocore operation.
  sizes  the largest response and longest speech across every conversation file and every
         muscle x side routine walk, vs 24 KB and 8000 characters.
  holds  every hold in the content: silence rendered vs seconds stated; and one technique
         rendered to audio with espeak-ng.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(_ROOT / "lambda"), str(_ROOT)]

from bench.cold import bench_cold, bench_help  # noqa: E402
from bench.common import SECTIONS, TARGETS, out  # noqa: E402
from bench.deployed import bench_deployed  # noqa: E402
from bench.speech import bench_holds, bench_sizes, bench_speech  # noqa: E402
from bench.table import bench_table  # noqa: E402
from bench.warm import bench_warm  # noqa: E402


def summary(results: dict, args, started: float) -> None:
    out("\n== Summary (paste into README.md) ==\n")
    lines = [f"Benchmarks: `.venv/bin/python bench/run.py{' --quick' if args.quick else ''}`, "
             f"{dt.date.today().isoformat()}, {platform.machine()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores (shared, noisy); ratios from one run, medians unless noted.", "",
             "| figure | ours vs floor | target |", "|---|---|---|"]
    if "cold" in results:
        r = results["cold"]
        lines.append(f"| cold start to first calf guidance, incl. time-zone lookup and episode write "
                     f"(fresh process, wall) | {r['ours_wall_s'] * 1000:.0f} ms vs "
                     f"{r['floor_wall_s'] * 1000:.0f} ms = **{r['ratio_wall']:.2f}x** | "
                     f"<= {TARGETS['cold']:.2f} |")
    if "help" in results:
        r = results["help"]
        lines.append(f"| cold start of Help, no table (boto3 never imported: {not r['boto3']}) | "
                     f"{r['ours_wall_s'] * 1000:.0f} ms vs {r['floor_wall_s'] * 1000:.0f} ms = "
                     f"**{r['ratio_wall']:.2f}x** | <= {TARGETS['help']:.2f} |")
    if "warm" in results:
        worst = max(results["warm"], key=lambda r: r["x99"])
        slow = max(results["warm"], key=lambda r: r["ours_p99"])
        lines.append(f"| warm p99 per request type vs a one-handler skill, worst | **{worst['x99']:.2f}x** "
                     f"({worst['label']}; slowest p99 {slow['ours_p99']:.2f} ms) | "
                     f"<= {TARGETS['warm_p99']:.0f}x |")
        show = [r for r in results["warm"] if "Echo Show" in r["label"]]
        if show:
            shown = max(show, key=lambda r: r["x99"])
            lines.append(f"| Echo Show: warm p99 vs a one-handler skill, worst / largest response | "
                         f"**{shown['x99']:.2f}x** ({shown['label']}) / "
                         f"{results.get('screen_bytes', 0):,} B | "
                         f"<= {TARGETS['warm_p99']:.0f}x / < 24 KB |")
    if "table" in results:
        bad = results["table"]["mismatches"]
        lines.append(f"| table calls: first guidance 1 write (a guarded transaction) 0 reads, navigation 0, "
                     f"end 1 update, history 1 query, delete query + batches; a cramp carried across two "
                     f"sessions is one episode (1 start, 1 end) | "
                     f"{'as promised' if not bad else 'differs: ' + ', '.join(bad)}"
                     ", plus one GetItem (profile: voice and bookmark) per session not opened by a "
                     "one-shot cramp | docs/data-model.md |")
    if "deployed" in results:
        r = results["deployed"]
        lines.append(f"| cold Launch from the deployed zip on Python 3.13 (read-only, -B): without its "
                     f"bytecode vs with | {r['without_s'] * 1000:.0f} ms vs {r['with_s'] * 1000:.0f} ms = "
                     f"**{r['ratio']:.2f}x** | shipped with bytecode |")
    if "speech" in results:
        r = results["speech"]
        lines.append(f"| words before the first instruction, worst muscle and side / longest both-legs "
                     f"answer (speech + silence) | {r['words_before_instruction_max']} words / "
                     f"{r['both_longest_s']:.1f} s ({r['over_target']} of {r['answers']} over) | "
                     f"<= 12 / < 60 s |")
    if "sizes" in results:
        s = results["sizes"]
        lines.append(f"| largest response / longest speech over {s['turns']} responses | "
                     f"{s['largest']['bytes']:,} B / {s['longest']['chars']:,} chars | < 24 KB / < 8000 |")
    if "holds" in results:
        h = results["holds"]
        audio = results.get("audio")
        extra = (f"; espeak-ng audio of one technique: {audio['heard']:.1f} s of pauses heard for "
                 f"{audio['stated']:g} s stated ({audio['ratio']:.2f})") if audio else ""
        lines.append(f"| hold silence vs stated, {h['count']} holds | "
                     f"ratio {h['min']:.2f}-{h['max']:.2f}{extra} | 1.00 |")
    for line in lines:
        out(line)
    out(f"\n(bench took {time.monotonic() - started:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about a minute)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {','.join(SECTIONS)}")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    for key in [k for k in os.environ if k.startswith(("CRAMP_", "DYNAMODB_"))]:
        os.environ.pop(key)  # the in-process skill below must never find a real table
    cold_runs, warm_requests = (5, 1000) if args.quick else (21, 5000)
    started = time.monotonic()
    out(f"Leg Cramp Helper bench, {dt.datetime.now().isoformat(timespec='seconds')}: {platform.machine()}, "
        f"Python {platform.python_version()}, nproc {os.cpu_count()}, {platform.platform()}")
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "cold" in chosen:
            bench_cold(cold_runs, work, results)
        if "help" in chosen:
            bench_help(cold_runs, work, results)
        if "deployed" in chosen:
            bench_deployed(cold_runs, work, results)
    with contextlib.redirect_stderr(io.StringIO()):  # the skill's JSON log lines, one per request
        if "warm" in chosen:
            bench_warm(warm_requests, results)
        if "table" in chosen:
            bench_table(results)
        if "speech" in chosen:
            bench_speech(results)
        if "sizes" in chosen:
            bench_sizes(results)
    if "holds" in chosen:
        bench_holds(results)
    summary(results, args, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
