"""Writes docs/dialogue.md from the dialogue table (lambda/cramp_helper/dialogue/table.py).

Run from the repository root: ``python tools/dialogue_doc.py``. tests/test_dialogue.py fails when
the file and the code differ, so the document a reviewer reads is the table the skill runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "dialogue.md"


def main() -> int:
    sys.path[:0] = [str(ROOT / "lambda")]
    from cramp_helper.dialogue import table_markdown

    DOC.write_text(table_markdown(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
