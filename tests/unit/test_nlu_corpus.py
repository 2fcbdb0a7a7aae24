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
from tools.nlu import CORPUS_DIR, WRITTEN_DIR, read_corpus

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
PATHS = sorted(CORPUS_DIR.glob("*.tsv")) + sorted(WRITTEN_DIR.glob("*.tsv"))


def _well_formed(row) -> None:
    assert row.text and row.text == row.text.lower(), "text: not lower case"
    assert not re.search(r"[0-9.,!?;:\"]", row.text), "text: digits or punctuation"
    assert row.meaning in MEANINGS, f"meaning {row.meaning}"
    assert row.family in FAMILIES, f"family {row.family}"
    assert row.context == "-" or row.context in CONTEXTS, f"context {row.context}"
    for name, value in row.slots:
        assert name in SLOT_NAMES, f"slot {name}"
        if name == "Minutes":
            assert value.isdigit() and int(value) > 0, f"Minutes={value}"
        elif name == "Time":
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value), f"Time={value}"
        else:
            assert value in IDS[name], f"{name}={value}"


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
