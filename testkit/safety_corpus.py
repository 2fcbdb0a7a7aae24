"""The safety corpus: tests/safety_corpus.yaml (en-US, and the `wheres` every locale shares) plus one
file a locale in tests/safety_corpus/<locale>.yaml. Data only; the tests that run it are
tests/unit/test_triage.py (through cramp_helper.triage) and tests/functional/test_safety_corpus.py
(through lambda_handler, in each entry's locale, on a device in that locale's country).

A locale file holds ``locale``, ``zone`` (a time zone of the country, for the device's number),
``number`` (that country's emergency number, as the skill must say it), ``phrases`` (the words the
functional test looks for in that language: see tests/safety_corpus/README.md) and ``entries`` in
the format of tests/safety_corpus.yaml. Every entry gets ``locale`` (en-US when the file is the main one).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "tests" / "safety_corpus.yaml"
LOCALE_DIR = ROOT / "tests" / "safety_corpus"
DEFAULT_LOCALE = "en-US"

# en-US: what the main file's entries are checked for (the phrases a locale file gives itself).
EN_US = {"locale": "en-US", "zone": "America/New_York", "number": "911",
         "phrases": {"call_now": "call 911 now", "cant_call": "I can't call for you",
                     "department": "Go to the emergency department now", "call": "call 911",
                     "same_day": ["today", "tonight"], "clot_question": "swollen, red or warm"}}


@cache
def load() -> dict:
    """{"wheres": ..., "entries": [every entry, with its locale], "locales": {locale: its header}}."""
    main = yaml.safe_load(MAIN.read_text(encoding="utf-8"))
    entries = [{**e, "locale": e.get("locale", DEFAULT_LOCALE)} for e in main["entries"]]
    locales = {DEFAULT_LOCALE: EN_US}
    for path in sorted(LOCALE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        locale = data["locale"]
        assert path.stem == locale, path
        locales[locale] = {k: data[k] for k in ("locale", "zone", "number", "phrases")}
        entries += [{**e, "locale": e.get("locale", locale)} for e in data["entries"]]
    return {"wheres": main["wheres"], "entries": entries, "locales": locales}
