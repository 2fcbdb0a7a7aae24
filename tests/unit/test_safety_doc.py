"""docs/safety.md is the sign table the skill runs (tools/make_safety_doc.py writes it), and
docs/hazards.md names, for each hazard, a test that exists."""

from __future__ import annotations

import re
from pathlib import Path

from cramp_helper import signs, triage
from tools.make_safety_doc import DOC, markdown

ROOT = Path(__file__).resolve().parents[2]


def test_docs_safety_md_is_generated_from_the_sign_table_and_current():
    stale = "docs/safety.md is stale: run python tools/make_safety_doc.py"
    assert DOC.read_text(encoding="utf-8") == markdown(), stale


def test_docs_safety_md_names_every_sign_with_its_level_and_sources():
    doc = DOC.read_text(encoding="utf-8")
    for sign in signs.ALL:
        row = re.search(rf"^\| {sign} \|.*$", doc, re.M)
        assert row and triage.SIGNS[sign].sources in row.group(0), sign


def test_every_hazard_names_a_test_that_exists():
    hazards = (ROOT / "docs" / "hazards.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", hazards)
    assert len(named) >= 10
    for path, name in named:
        text = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", text, re.M), (path, name)
    for hazard in ("missed warning sign", "false alarm", "fall", "burn", "wrong number", "clot",
                   "wrong person"):
        assert hazard in hazards.lower(), hazard
