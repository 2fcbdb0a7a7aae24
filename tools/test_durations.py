"""Seconds each test module takes, from a JUnit report, into tests/durations.json.

``make test`` runs the modules on two workers, one module at a time each. A module of four tests
that takes 25 s, handed out last, leaves the other worker idle for most of it; tests/conftest.py
hands the longest modules out first from this file. Regenerate after the suite changes shape:

    .venv/bin/python -m pytest -n 2 --dist loadfile -m "not serial" --junitxml=build/junit.xml
    .venv/bin/python tools/test_durations.py build/junit.xml

Modules missing from the file (new ones) go after the ones it lists, in their usual order.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATIONS = ROOT / "tests" / "durations.json"


def module_seconds(report: Path) -> dict[str, float]:
    """{"tests/functional/test_x.py": seconds} for every module in the JUnit report."""
    seconds: Counter[str] = Counter()
    for case in ET.parse(report).iter("testcase"):
        classname = case.get("classname") or ""
        parts = classname.split(".")
        while parts and not parts[-1].startswith("test_"):
            parts.pop()  # a class inside the module
        if parts:
            seconds["/".join(parts) + ".py"] += float(case.get("time") or 0)
    return {module: round(s, 1) for module, s in seconds.most_common()}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    durations = module_seconds(Path(argv[0]))
    DURATIONS.write_text(json.dumps(durations, indent=1) + "\n", encoding="utf-8")
    print(f"{DURATIONS.relative_to(ROOT)}: {len(durations)} modules, {sum(durations.values()):.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
