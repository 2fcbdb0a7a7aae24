"""How many safety-corpus wordings the interpreter's lexicons catch on their own words.

The corpus (tests/safety_corpus.yaml, tests/safety_corpus/<locale>.yaml) sends each sign as the
resolved SymptomType id. When Alexa cannot resolve the words (ER_SUCCESS_NO_MATCH), only the
locale's lexicon (content/lexicon/) can find the sign. This reports, per locale, the wordings whose
words alone give their sign, those that give another sign, and (with --misses) the ones that give
none. A report for the lexicon's owners, not a test.

    .venv/bin/python tools/safety_corpus_coverage.py [--misses] [LOCALE ...]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

from cramp_helper import interpreter, triage  # noqa: E402
from testkit import safety_corpus  # noqa: E402


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    wanted = {a for a in argv if not a.startswith("--")}
    found, other, missed = defaultdict(list), defaultdict(list), defaultdict(list)
    for entry in safety_corpus.load()["entries"]:
        symptom = entry["slots"].get("Symptom")
        alone = entry["intent"] == "RedFlagIntent" and "OtherSymptom" not in entry["slots"]
        if not alone or not symptom or not symptom[1]:
            continue
        if wanted and entry["locale"] not in wanted:
            continue
        sign = triage.ALIASES.get(symptom[1], symptom[1])
        meaning = interpreter.interpret({"Symptom": interpreter.Said(id=None, words=symptom[0])},
                                        interpreter.lexicon(entry["locale"]))
        bucket = found if sign in meaning.signs else other if meaning.signs else missed
        bucket[entry["locale"]].append((sign, symptom[0], meaning.signs))
    for locale in sorted(set(found) | set(other) | set(missed)):
        total = len(found[locale]) + len(other[locale]) + len(missed[locale])
        print(f"{locale}: {len(found[locale])}/{total} found, {len(other[locale])} another sign, "
              f"{len(missed[locale])} none")
        if show_misses:
            for sign, words, got in other[locale] + missed[locale]:
                print(f"  {sign:16} {words!r} -> {', '.join(got) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
