"""The deployed zip on Lambda's Python: a cold Launch with the zip's bytecode and without (section zip).

Lambda unpacks the zip into /var/task, which is read-only: Python cannot write __pycache__ there,
so whatever the zip does not carry compiled is compiled again on every cold start. This section
builds the zip as a deploy does (tools/package.py, whose pip cache under build/ it reuses), unpacks
it twice, once as built and once with its bytecode removed, and runs a Launch in a fresh Python
3.13 process on each, interleaved, with -B (nothing written back, as on Lambda) and -I -S (only
the zip and the standard library). No target: it shows what shipping the bytecode saves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from bench.cold import child_env, interleaved, spawn
from bench.common import ROOT, load_event, median, out

CHILD = r"""
import time
t0 = time.perf_counter()
import json, sys
sys.path.insert(0, sys.argv[1])
from lambda_function import lambda_handler
with open(sys.argv[2]) as fh:
    event = json.load(fh)
response = lambda_handler(event, None)
print(json.dumps({"total_s": time.perf_counter() - t0,
                  "ssml": response["response"].get("outputSpeech", {}).get("ssml", "")}))
"""


def bench_deployed(runs: int, work: Path, results: dict) -> None:
    out("\n== The deployed zip on Python 3.13: a cold Launch with its bytecode and without ==")
    sys.path.insert(0, str(ROOT))
    from tools import package

    python = package.python_for("3.13")
    if python is None:
        out("  skipped: no Python 3.13 on this machine (the zip is then built without bytecode)")
        return
    build = ROOT / "build" / "bench"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), "--build-dir", str(build)],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    if done.returncode != 0:
        out(f"  skipped: the zip could not be built:\n{done.stderr[-1500:]}")
        return
    compiled, plain = work / "with-bytecode", work / "without-bytecode"
    with zipfile.ZipFile(build / package.ZIP_NAME) as archive:
        archive.extractall(compiled)
        archive.extractall(plain)
    for cache in sorted(plain.rglob("__pycache__")):
        shutil.rmtree(cache)
    event = load_event("launch")
    event["context"]["System"]["apiEndpoint"] = "https://127.0.0.1:9"  # refused at once: no lookup
    event_file = work / "launch.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    env = child_env()
    argv = [str(python), "-I", "-S", "-B", "-c", CHILD]
    with_pyc, without = interleaved(runs, lambda i: spawn([*argv, str(compiled), str(event_file)], env),
                                    lambda i: spawn([*argv, str(plain), str(event_file)], env))
    ok = all(r["ssml"].startswith("<speak>") for r in with_pyc + without)
    ours, bare = median(r["wall_s"] for r in with_pyc), median(r["wall_s"] for r in without)
    out(f"  runs: {runs} of each, interleaved; medians of spawn to exit (wall)")
    out(f"  with the zip's bytecode      {ours * 1000:7.0f} ms")
    out(f"  without it (compiles source) {bare * 1000:7.0f} ms   ratio {bare / ours:.2f}x")
    out(f"  every answer a Launch welcome: {ok}")
    results["deployed"] = {"with_s": ours, "without_s": bare, "ratio": bare / ours}
