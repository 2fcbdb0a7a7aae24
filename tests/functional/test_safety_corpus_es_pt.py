"""The safety corpus through lambda_handler: the Spanish and Portuguese locales. A shard of
tests/functional/test_safety_corpus.py (which says what is checked), so two workers share the corpus."""

from __future__ import annotations

import pytest

from testkit import safety_corpus


@pytest.fixture(scope="module")
def worlds(table_world):
    return safety_corpus.Worlds(table_world)


@pytest.mark.parametrize("entry", **safety_corpus.shard("es_pt"))
def test_each_safety_phrasing_end_to_end(worlds, entry):
    safety_corpus.play(worlds, entry)
