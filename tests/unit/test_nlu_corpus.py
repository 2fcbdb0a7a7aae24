"""The NLU corpora (tests/nlu/<locale>.tsv, and tests/nlu/written/<locale>.tsv) are well formed:
every row names a meaning, a family, slot ids and a context that tests/nlu/README.md defines. A row
naming an id nothing produces could never be heard right, and a typo would pass as a miss in the
figures. The figures themselves are tools/nlu.py's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cramp_helper import signs
from testkit.cases import check_each
from tools.nlu import CORPUS_DIR, HELDOUT_DIR, WRITTEN_DIR, hear, miss, read_corpus, right
from tools.resolver import Resolver

README = (CORPUS_DIR / "README.md").read_text(encoding="utf-8")
MEANINGS = set(re.findall(r"`([A-Z_]+)`", README.split("## Meanings", 1)[1].split("## Slot ids", 1)[0]))
CONTEXTS = set(re.findall(r"`([A-Z_]+)`", README.split("| context |", 1)[1].split("\n", 1)[0]))
FAMILIES = set(re.findall(r"[a-z_]+", README.split("## Families", 1)[1].split("##", 1)[0]))
SLOT_NAMES = {"Muscle", "Side", "Sign", "Minutes", "Period", "Time", "Medicine", "Kind", "Who"}
MUSCLES = set(re.findall(r"[A-Z_]{3,}", README.split("- `Muscle`:", 1)[1].split("`Side`", 1)[0]))
IDS = {
    "Muscle": MUSCLES, "Side": {"LEFT", "RIGHT", "BOTH"}, "Sign": signs.ALL,
    "Kind": {"SERIOUS", "DYING", "UNBEARABLE", "CANT_MOVE", "SCARED", "HOSPITAL"},
    "Who": {"PARTNER", "CHILD", "PARENT", "OTHER"}, "Period": {"WEEK", "MONTH"},
    "Medicine": set(re.findall(r"[A-Z_]{3,}", README.split("- `Medicine`:", 1)[1].split("\n", 1)[0])),
}
PATHS = (sorted(CORPUS_DIR.glob("*.tsv")) + sorted(WRITTEN_DIR.glob("*.tsv"))
         + sorted(HELDOUT_DIR.glob("*.tsv")))


def _problem(row) -> str | None:
    """What is wrong with the row, in words that never quote it (the test half is never read)."""
    if not row.text or row.text != row.text.lower():
        return "text: not lower case"
    if re.search(r"[0-9.,!?;:\"]", row.text):
        return "text: digits or punctuation"
    if row.meaning not in MEANINGS:
        return f"meaning {row.meaning}"
    if row.family not in FAMILIES:
        return f"family {row.family}"
    if row.context != "-" and row.context not in CONTEXTS:
        return f"context {row.context}"
    for name, value in row.slots:
        if name not in SLOT_NAMES:
            return f"slot {name}"
        if name == "Minutes":
            ok = value.isdigit() and int(value) > 0
        elif name == "Time":
            ok = re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) is not None
        else:
            ok = value in IDS[name]
        if not ok:
            return f"{name}={value}"
    return None


def _well_formed(row) -> None:
    problem = _problem(row)
    if problem:
        raise AssertionError(problem)  # raised, not asserted: pytest would print the row's words


def test_the_readme_lists_what_the_rows_are_checked_against():
    assert {"YES", "SIGN", "UNKNOWN", "LOG_OFF", "OTHER_PERSON"} <= MEANINGS
    assert {"relief", "sign_emergency", "oneshot", "unknown"} <= FAMILIES
    assert {"WHERE", "CHECKIN", "LOG_CONSENT", "SIGN_CHECK"} <= CONTEXTS
    assert {"CALF", "BEHIND_KNEE", "CHEST"} <= MUSCLES and {"STATIN", "WATER_PILL"} <= IDS["Medicine"]


@pytest.mark.parametrize("path", PATHS, ids=[p.relative_to(CORPUS_DIR).as_posix() for p in PATHS])
def test_every_row_is_well_formed(path: Path):
    rows = read_corpus(path)
    assert len(rows) >= 100, f"{path.name}: {len(rows)} rows"
    # Failures name the line, never the words: the test half of a corpus is never read.
    check_each(rows, _well_formed, lambda row: f"{path.name}:{row.line}")


# --- the written rows: development rows, read while the models were written -----------------------
WRITTEN = sorted(WRITTEN_DIR.glob("*.tsv"))
WRITTEN_BAR = 0.95  # issue 17's bar; the rows below it are listed (these rows may be read)


@pytest.mark.parametrize("path", WRITTEN, ids=[p.stem for p in WRITTEN])
def test_the_written_rows_are_heard_right(path: Path):
    """A model or lexicon change that loses what natives say shows here, row by row. (The unread
    set, tests/nlu/heldout/, is measured by tools/nlu.py, never asserted.)"""
    share, missed = _heard_right(path)
    assert share >= WRITTEN_BAR, f"{share:.1%} heard right:\n" + "\n".join(missed)


def _heard_right(path: Path) -> tuple[float, list[str]]:
    """The share of a file's rows heard right, and each row heard wrong (tools/nlu.py's miss line)."""
    rows = read_corpus(path)
    resolver = Resolver.from_locale(path.stem)
    missed = [miss(row, got) for row in rows if not right(row, got := hear(resolver, row))]
    return 1 - len(missed) / len(rows), missed


# --- issue 17's bar: each locale's corpus heard right at 95% (read since round 9) --------------------
CORPORA = sorted(CORPUS_DIR.glob("*.tsv"))
CORPUS_BAR = 0.95


@pytest.mark.parametrize("path", CORPORA, ids=[p.stem for p in CORPORA])
def test_each_locales_corpus_is_heard_right(path: Path):
    """Through the shipped model (tools/resolver.py) and the interpreter, as `make nlu` prints it. The
    corpus became development rows in round 9; the unread figure is tests/nlu/heldout/'s, printed by
    tools/nlu.py --heldout and never asserted (asserting it would mean reading it)."""
    share, missed = _heard_right(path)
    assert share >= CORPUS_BAR, f"{share:.1%} heard right:\n" + "\n".join(missed)
