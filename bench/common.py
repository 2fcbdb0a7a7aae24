"""What every bench section shares: paths, the table and skill ids, the targets, and output."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMBDA = ROOT / "lambda"
sys.path[:0] = [str(LAMBDA), str(ROOT)]

EVENTS = ROOT / "tests" / "events"
SKILL_ID = "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab"  # the fixtures' application id
TABLE = "leg-cramp-helper-bench"
REGION = "us-east-1"
ZONE = "America/New_York"
TARGETS = {"cold": 1.10, "help": 1.15, "warm_p99": 2.0}
RESPONSE_LIMIT = 24 * 1024
SPEECH_LIMIT = 8000
SECTIONS = ("cold", "help", "deployed", "warm", "table", "speech", "sizes", "holds")
WARM_BLOCKS = 5


def out(line: str = "") -> None:
    print(line, flush=True)


def median(values) -> float:
    return statistics.median(values)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    index = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def load_event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))
