"""docs/evidence.md: every source tag any locale's content carries has an entry there (its address
and what it supports), every entry is cited by some content line or marked background, and nothing
the skill ships or documents points outside the repository for its evidence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "lambda" / "cramp_helper" / "content"
EVIDENCE = ROOT / "docs" / "evidence.md"
TAG = re.compile(r"\[([A-Za-z][A-Za-z0-9 -]*)\]")


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _cited(path: Path) -> set[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {tag for text in _strings(data) for tag in TAG.findall(text)}


def _entries() -> dict[str, str]:
    """{tag: the entry's text} for each '### [TAG]' heading."""
    parts = re.split(r"^### \[([^\]]+)\]\s*$", EVIDENCE.read_text(encoding="utf-8"), flags=re.M)
    return {parts[i]: parts[i + 1].split("\n## ", 1)[0] for i in range(1, len(parts), 2)}


CONTENT_FILES = sorted(CONTENT.glob("*.json"))


def test_every_locale_is_checked():
    from cramp_helper import content

    names = {p.stem for p in CONTENT_FILES}
    assert set(content.supported_locales()) <= names and "locales" in names


@pytest.mark.parametrize("path", CONTENT_FILES, ids=[p.stem for p in CONTENT_FILES])
def test_every_source_tag_in_the_content_resolves_to_an_entry(path):
    cited = _cited(path)
    assert cited, f"{path.name} cites no source"
    missing = cited - set(_entries())
    assert not missing, f"{path.name} cites {sorted(missing)}, which docs/evidence.md does not list"


def test_each_entry_gives_an_address_and_what_it_supports():
    entries = _entries()
    assert len(entries) >= 26
    for tag, text in entries.items():
        address = re.search(r"^- Address: (.+)$", text, re.M)
        supports = re.search(r"^- Supports: (.{40,})", text, re.M)
        assert address and supports, tag
        has_url = re.search(r"https?://\S+", address.group(1))
        assert has_url or "not recorded" in text or "no stable web address" in text, tag


def test_every_entry_is_cited_somewhere_or_marked_background():
    cited = set().union(*(_cited(p) for p in CONTENT_FILES))
    for tag, text in _entries().items():
        background = "**Background.**" in text
        assert (tag in cited) != background, (
            f"[{tag}] is {'cited' if tag in cited else 'not cited'} by the content, so it should "
            f"{'not ' if tag in cited else ''}be marked background")


def test_the_project_facts_are_all_here_when_they_are_at_hand():
    """The shared facts file the content was written from sits beside the project's checkout only;
    where it does, each of its sources has an entry."""
    facts = next((p / "shared" / "CONTENT_FACTS.md" for p in ROOT.parents
                  if (p / "shared" / "CONTENT_FACTS.md").is_file()), None)
    if facts is None:
        pytest.skip("shared/CONTENT_FACTS.md is not beside this checkout")
    listed = set(re.findall(r"^- \[([A-Z0-9-]+)\]", facts.read_text(encoding="utf-8"), re.M))
    listed |= set(re.findall(r"; \[([A-Z0-9-]+)\] http", facts.read_text(encoding="utf-8")))
    assert listed and not listed - set(_entries()), sorted(listed - set(_entries()))


def test_content_readme_and_docs_point_to_docs_evidence_not_outside_the_repository():
    paths = [*CONTENT_FILES, ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    outside = [str(p.relative_to(ROOT)) for p in paths
               if re.search(r"\.\./shared|shared/CONTENT_FACTS", p.read_text(encoding="utf-8"))]
    assert not outside, outside
    assert "docs/evidence.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert all("docs/evidence.md" in p.read_text(encoding="utf-8") for p in CONTENT_FILES)
