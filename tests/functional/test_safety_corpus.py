"""The safety corpus (tests/safety_corpus.yaml and tests/safety_corpus/<locale>.yaml), every entry
end to end through lambda_handler, in its locale, on a device in that locale's country: the en-US
shard and the corpus-wide checks (testkit.safety_corpus.SHARDS: the other shards are
test_safety_corpus_<shard>.py, so two workers share the corpus).

Each entry is said where the corpus says (one-shot, at each technique of the calf routine, during
the bedtime stretches, at each question), as the intent and slot ids Alexa would send. Then what a
person would notice is checked: how urgent the answer is, whether the country's emergency number is
said, that no stretch or massage follows a red flag, the card, whether the session stays open, and
what the episode log records.
"""

from __future__ import annotations

import pytest

from testkit import safety_corpus
from testkit.safety_corpus import ENTRIES, LOCALES, WHERES


@pytest.fixture(scope="module")
def worlds(table_world):
    return safety_corpus.Worlds(table_world)


@pytest.mark.parametrize("entry", **safety_corpus.shard("en_us"))
def test_each_safety_phrasing_end_to_end(worlds, entry):
    safety_corpus.play(worlds, entry)


def test_every_entry_is_in_one_shard():
    assert sum(len(safety_corpus.shard(name)["ids"]) for name in safety_corpus.SHARDS) == len(ENTRIES)


def test_the_corpus_is_large_and_covers_every_place():
    assert len(ENTRIES) >= 200
    assert {e["where"] for e in ENTRIES} == set(WHERES)
    for locale in LOCALES:
        assert {e["where"] for e in ENTRIES if e["locale"] == locale} == set(WHERES), locale
