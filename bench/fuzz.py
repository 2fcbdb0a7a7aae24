"""The long fuzz run: tests/functional/test_fuzz.py with the "fuzz" profile, at least 10,000 examples in all.

    .venv/bin/python bench/fuzz.py                      # 10,000 examples, random
    .venv/bin/python bench/fuzz.py --examples 50000     # more
    .venv/bin/python bench/fuzz.py --seed 1234          # reproducible
    .venv/bin/python bench/fuzz.py --no-shrink          # skip phase 2

Phase 1 runs the same properties as the default test run, with the budget shared between the
tests by their weights, in FUZZ_MODE=collect: a failing example is recorded under its signature
(the test, and the exception and where it was raised, or the rule the response broke) and the run
goes on, so one frequent bug cannot stop the count short. It prints how many examples each test
really executed (counted inside the properties), and each distinct failure with how often it was
seen, the smallest example seen (long strings elided) and its traceback.

Phase 2 hands each distinct failure back to hypothesis (FUZZ_MODE=target:<signature>, only that
failure raised) so it is shrunk to a minimal example, and prints hypothesis' report.

Everything printed also goes to build/fuzz-report.txt. Exit status 0 when no property failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT_FILE = ROOT / "build" / "fuzz-report.txt"
TEST_FILE = "tests/functional/test_fuzz.py"
LINES: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    LINES.append(text)


def run_pytest(env_extra: dict[str, str], selector: str = TEST_FILE, seed: int | None = None):
    """pytest on the fuzz tests in a child process; returns (exit code, output, report or None)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "FUZZ_REPORT": str(report), **env_extra}
        cmd = [sys.executable, "-m", "pytest", selector, "-q", "-p", "no:cacheprovider", "-o", "addopts=",
               "--tb=short"]
        if seed is not None:
            cmd.append(f"--hypothesis-seed={seed}")
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else None
    return done.returncode, done.stdout, data


def _falsifying_part(output: str, limit: int = 80) -> str:
    """The traceback and hypothesis' minimal example from a pytest failure report."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("____")), 0)
    end = next((i for i, line in enumerate(lines) if "short test summary" in line), len(lines))
    body = [line for line in lines[start:end] if not line.startswith("{\"event\"")]
    body = [line for line in body if line.strip() and not re.match(r"^-+ Captured", line)]
    if len(body) > limit:
        body = body[:limit // 2] + [f"... ({len(body) - limit} lines) ..."] + body[-limit // 2:]
    return "\n".join(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000, help="examples in all (default 10000)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    parser.add_argument("--no-shrink", action="store_true", help="skip phase 2 (minimal examples)")
    parser.add_argument("--shrink-examples", type=int, default=3000,
                        help="examples hypothesis may spend finding each failure again (default 3000)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    code, output, data = run_pytest({"FUZZ_EXAMPLES": str(args.examples), "FUZZ_MODE": "collect"},
                                    seed=args.seed)
    elapsed = time.perf_counter() - started
    if data is None:
        say(output[-5000:])
        say("fuzz: the run did not complete (see the output above)")
        return 2
    executed, failures = data["executed"], data["failures"]
    total = sum(executed.values())
    say(f"fuzz phase 1: profile 'fuzz', {args.examples} examples requested, "
        + (f"seed {args.seed}" if args.seed is not None else "random seed"))
    say(f"{'test':<50} {'executed':>9}  distinct failures")
    for name, count in executed.items():
        say(f"{name:<50} {count:>9}  {sum(1 for f in failures.values() if f['test'] == name)}")
    say(f"{'total':<50} {total:>9}  {len(failures)}   ({elapsed:.0f} s, {total / elapsed:.0f} examples/s)")
    if code not in (0, 1) or (code == 1 and not failures):
        say(f"note: pytest exited with {code}:\n{_falsifying_part(output)}")

    for number, (key, failure) in enumerate(sorted(failures.items()), 1):
        say(f"\n=== failure {number}: {key}")
        say(f"seen {failure['count']} times; smallest example seen ({failure['size']} characters as JSON):")
        say(json.dumps(failure["example"], indent=1, ensure_ascii=True)[:6000])
        say(failure["traceback"].rstrip())

    if failures and not args.no_shrink:
        say("\nfuzz phase 2: each failure shrunk by hypothesis")
        for number, (key, failure) in enumerate(sorted(failures.items()), 1):
            test = failure["test"]
            begun = time.perf_counter()
            _, output, data = run_pytest({"FUZZ_MODE": f"target:{key}",
                                          "FUZZ_TEST_EXAMPLES": str(args.shrink_examples)},
                                         selector=f"{TEST_FILE}::{test}", seed=args.seed)
            tried = (data or {}).get("executed", {}).get(test, 0)
            spent = time.perf_counter() - begun
            say(f"\n=== failure {number} minimised ({tried} examples, {spent:.0f} s): {key}")
            if "Falsifying" in output:
                say(_falsifying_part(output))
            else:
                say(f"not found again in {tried} examples: the smallest example seen above stands")

    say(f"\ndone in {time.perf_counter() - started:.0f} s")
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
