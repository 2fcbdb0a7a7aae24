"""Speech figures: how soon the first instruction comes, and how long each relief answer runs.

Pure: drives guide.begin and guide.go over every muscle, side, technique, part and move, and
estimates each answer with speech.estimate_seconds (words at the night rate plus every silence).
No Alexa, no AWS, no clock. ``figures(content)`` returns the numbers (bench/run.py and
tests/unit/test_guide.py call it); ``main()`` prints them against their targets (bench/speech_figures.py).

Targets (issue 10, "speech like a good coach at 3 a.m."):
- at most 12 words before the first instruction, for every muscle and side;
- a both-legs answer (side BOTH) under 60 s of speech plus silence.
Single-side answers have no seconds target; their longest is shown for reference. The bedtime
stretches (kind "prevention") are hands-free and exempt from the 60 s target; shown for reference.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":  # run as a script: make the package importable without installing
    _ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path[:0] = [os.path.join(_ROOT, "lambda"), _ROOT]

from cramp_helper import content as content_module  # noqa: E402
from cramp_helper import guide  # noqa: E402
from cramp_helper.guide import Move, Position, Turn  # noqa: E402
from cramp_helper.speech import Say, estimate_seconds  # noqa: E402

WORDS_TARGET = 12  # words before the first instruction, at most
BOTH_SECONDS_TARGET = 60.0  # a both-legs answer, under
SIDES = ("LEFT", "RIGHT", "BOTH", None)
AFTER_UNKNOWN = "CALF (after unknown)"
BEDTIME = "BEDTIME"


def answer_seconds(turn: Turn) -> float:
    """One answer as heard: the script, then the question that ends it."""
    return estimate_seconds([*turn.script, Say(turn.question)])


def walk(content, muscle: str, side: str | None, *, after_unknown: bool = False) -> tuple[Turn, list[Turn]]:
    """The opening turn, and every answer the routine can give: each technique and part x each move."""
    first = guide.begin(content, muscle, side, after_unknown=after_unknown)
    turns = [first]
    for index in range(len(content.techniques(muscle))):
        for part in range(guide.part_count(content, Position(muscle, side, index))):
            for move in Move:
                turns.append(guide.go(content, Position(muscle, side, index, part), move))
    return first, turns


def _row(content, label: str, muscle: str, side: str | None, *, after_unknown: bool = False,
         exempt: bool = False) -> dict:
    first, turns = walk(content, muscle, side, after_unknown=after_unknown)
    seconds = [answer_seconds(t) for t in turns]
    words = first.words_before_instruction
    over_seconds = 0 if exempt or side != "BOTH" else sum(s >= BOTH_SECONDS_TARGET for s in seconds)
    over_words = 0 if exempt else int(words > WORDS_TARGET)
    return {
        "muscle": label,
        "side": side or "-",
        "words_before_instruction": words,
        "longest_s": round(max(seconds), 1),
        "answers": len(turns),
        "over_target": over_seconds + over_words,
        "exempt": exempt,
    }


def figures(content) -> dict:
    """Every row (muscle x side) and the worst of each figure, with the targets."""
    rows = []
    for muscle in content.muscle_ids():
        rows.extend(_row(content, muscle, muscle, side) for side in SIDES)
    rows.extend(_row(content, AFTER_UNKNOWN, "CALF", side, after_unknown=True) for side in SIDES)
    if BEDTIME in content.data["routines"]:
        rows.append(_row(content, BEDTIME, BEDTIME, "BOTH", exempt=True))
    graded = [r for r in rows if not r["exempt"]]
    return {
        "rows": rows,
        "words_before_instruction_max": max(r["words_before_instruction"] for r in graded),
        "single_side_longest_s": max(r["longest_s"] for r in graded if r["side"] != "BOTH"),
        "both_longest_s": max(r["longest_s"] for r in graded if r["side"] == "BOTH"),
        "answers": sum(r["answers"] for r in graded),
        "over_target": sum(r["over_target"] for r in graded),
        "targets": {"words_before_instruction": WORDS_TARGET, "both_seconds": BOTH_SECONDS_TARGET},
    }


def main(argv: list[str] | None = None) -> int:
    result = figures(content_module.load("en-US"))
    print("== Speech figures: words before the first instruction, seconds per answer (estimate) ==")
    print(f"  {'muscle':22} {'side':5} {'words':>5} {'longest':>8} {'answers':>7} {'over':>4}")
    for r in result["rows"]:
        note = "  (exempt: bedtime)" if r["exempt"] else ""
        print(f"  {r['muscle']:22} {r['side']:5} {r['words_before_instruction']:5d} "
              f"{r['longest_s']:7.1f}s {r['answers']:7d} {r['over_target']:4d}{note}")
    print(f"  words before the first instruction, worst: {result['words_before_instruction_max']} "
          f"(target <= {WORDS_TARGET})")
    print(f"  longest answer, one side or unspecified: {result['single_side_longest_s']:.1f} s "
          "(no target)")
    print(f"  longest answer, both legs: {result['both_longest_s']:.1f} s "
          f"(target < {BOTH_SECONDS_TARGET:g} s)")
    print(f"  answers over target: {result['over_target']} of {result['answers']}")
    return 0 if result["over_target"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
