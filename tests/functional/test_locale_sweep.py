"""Every locale, end to end: a calf cramp is guided in that locale's own words with timed holds,
and chest pain names that locale's own emergency number."""

from __future__ import annotations

import json

import pytest

from cramp_helper import content as content_module
from testkit.conversation import Conversation, load_model

LOCALES = ("en-US", "en-CA", "en-GB", "en-AU", "en-IN", "es-US", "es-MX", "es-ES", "de-DE", "fr-FR",
           "fr-CA", "it-IT", "pt-BR")
NUMBERS = {"en-US": "911", "en-CA": "911", "en-GB": "999", "en-AU": "000", "en-IN": "112", "es-US": "911",
           "es-MX": "911", "es-ES": "112", "de-DE": "112", "fr-FR": "15", "fr-CA": "911", "it-IT": "112",
           "pt-BR": "192"}
ENGLISH_CALF = content_module.load("en-US").technique("calf_toe_pull")["steps"][0]["say"].split(",")[0]


def _word_for(locale: str, slot_type: str, value_id: str) -> str:
    """What a person in that locale says for a slot value (its name in that locale's model)."""
    model = load_model(locale)
    [kind] = [t for t in model["types"] if t["name"] == slot_type]
    return next(v["name"]["value"] for v in kind["values"] if v["id"] == value_id)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_calf_cramp_is_guided_in_the_locales_words_and_chest_pain_names_its_number(locale):
    assert content_module.load(locale).locale == locale
    talk = Conversation(locale=locale)
    reply = talk.intent("CrampIntent", Muscle=_word_for(locale, "MuscleType", "CALF"),
                        Side=_word_for(locale, "SideType", "LEFT"))
    assert reply.hold_seconds() >= 60 and not reply.ended  # the toe pull: timed holds, in silence
    if not locale.startswith("en"):
        assert ENGLISH_CALF.split()[0] not in reply.speech.split()[:3]  # not the English words
        english = content_module.load("en-US")
        assert english.phrase("check_in") not in reply.speech
    urgent = Conversation(locale=locale).intent("EmergencyIntent")
    assert NUMBERS[locale] in urgent.speech and urgent.ended
    others = set(NUMBERS.values()) - {NUMBERS[locale]}
    assert not any(f" {n}" in urgent.speech for n in others), urgent.speech
    assert urgent.card and NUMBERS[locale] in json.dumps(urgent.card, ensure_ascii=False)
