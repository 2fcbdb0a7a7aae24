"""Lists the samples whose fixed words hold a warning sign the interpreter never reads.

Alexa hands the skill an intent and its slots, never the fixed words of the sample it matched. A
carrier such as it-IT "quando cammino {Symptom}" ("when I walk {Symptom}") keeps the walking in
its fixed words, so "quando cammino mi fa male il polpaccio" reaches the interpreter as "mi fa
male il polpaccio": a calf cramp, where the words said pain on walking (WALKING_PAIN, see someone
soon). Such a carrier is safe only when its intent itself means the sign (EmergencyIntent) or when
what the slot holds always carries it too; otherwise the fix is to carry those words in the slot
(de-DE's round 12 turned "beim gehen {Symptom}" into "beim {Symptom}" with the walking words in the
lexicon), or to drop the carrier where a wider one takes the phrasing.

Run from the repository root: ``python tools/literal_signs.py [--locale xx-XX ...]`` prints, per
locale, each sample outside EmergencyIntent and NoSignIntent (a denial's fixed words name what is
denied) whose fixed words the locale's lexicon reads as a sign, with the signs, then the counts.
It changes nothing and exits 0: a worklist for the models' next round, not a gate.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda")]

from cramp_helper.interpreter import _matches, lexicon, tokens  # noqa: E402

# The intents whose fixed words may name a sign: the intent means it (an emergency), or denies it.
SIGN_BEARING = frozenset({"EmergencyIntent", "NoSignIntent"})
_SLOT = re.compile(r"\{\w+\}")


def hidden_signs(locale: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(intent, sample, signs) for each sample of ``locale`` with a slot whose fixed words read as
    a sign."""
    model = json.loads((ROOT / "interaction_models" / f"{locale}.json").read_text(encoding="utf-8"))
    lex = lexicon(locale)
    found = []
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        if intent["name"] in SIGN_BEARING:
            continue
        for sample in intent.get("samples", []):
            if not _SLOT.search(sample):
                continue
            signs = tuple(dict.fromkeys(m.value for part in _SLOT.split(sample)
                                        for m in _matches(tokens(part), lex) if m.section == "signs"))
            if signs:
                found.append((intent["name"], sample, signs))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locale", action="append", help="only this locale (repeatable)")
    args = parser.parse_args(argv)
    locales = args.locale or sorted(p.stem for p in (ROOT / "interaction_models").glob("*.json"))
    counts = {}
    for locale in locales:
        rows = hidden_signs(locale)
        counts[locale] = len(rows)
        print(f"== {locale}: {len(rows)}")
        for intent, sample, signs in rows:
            print(f"   {intent:24} {sample}   [{', '.join(signs)}]")
    print("samples whose fixed words hide a sign: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
