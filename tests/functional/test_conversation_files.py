"""Every conversation file in tests/conversations, played through lambda_handler; and the runner
and envelopes behind them, held to what a user (or a test author making a typo) would notice."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import pytest

from testkit.envelopes import LocalSession
from testkit.world import CURRENT_WORLD, World
from tools.conversation_files import (
    ConversationError,
    conversation_paths,
    load_conversation,
    register_expectation,
    resolver_for,
    run_conversation,
    unregister_expectation,
    user_id_for,
)
from tools.resolver import ROOT, language_model, load_model

PATHS = conversation_paths()
# Each file parsed once for the tests that only read it (the coverage tests read every file per locale).
read_conversation = functools.cache(load_conversation)
MODEL_LOCALES = sorted(p.stem for p in (ROOT / "interaction_models").glob("*.json"))


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_conversation_file(path, world, monkeypatch):
    """Each file against the real handler with a moto table, so `table:` can be checked."""
    conversation = load_conversation(path)
    if conversation.log_mode:  # EPISODE_LOG for this file (issue 19's consent conversations)
        monkeypatch.setenv("EPISODE_LOG", conversation.log_mode)
    if conversation.zone:  # a device elsewhere: the same table, another time zone (and country)
        world = World(zone=conversation.zone)
    session = LocalSession(conversation.locale, user_id=user_id_for(path), clock=world.clock)
    CURRENT_WORLD["world"] = world
    try:
        results = run_conversation(conversation, handler=world.handler, session=session)
    finally:
        CURRENT_WORLD["world"] = None
    assert len(results) == len(conversation.turns)


# --- coverage: every intent and every slot value is exercised by some conversation -----------
@functools.cache
def _spoken_resolutions(locale: str) -> tuple:
    """What every line said in the locale's conversation files resolves to, resolved once per
    locale (a file's lines resolve the same for every slot type asked about)."""
    resolver = resolver_for(locale)
    return tuple(resolver.resolve(turn["say"]) for path in PATHS
                 for conversation in (read_conversation(path),) if conversation.locale == locale
                 for turn in conversation.turns if "say" in turn)


def _custom_types(locale: str) -> list[tuple[str, str]]:
    lm = language_model(load_model(locale))
    return [(locale, t["name"]) for t in lm.get("types", [])]


@pytest.mark.parametrize("locale", MODEL_LOCALES)
def test_every_intent_in_the_model_is_said_in_some_conversation(locale):
    intents = {i["name"] for i in language_model(load_model(locale))["intents"]}
    said = {r.intent for r in _spoken_resolutions(locale) if r.intent}
    missing = sorted(intents - said)
    assert not missing, f"no file in tests/conversations says anything that resolves to {missing}"


@pytest.mark.parametrize(("locale", "slot_type"),
                         [pair for locale in MODEL_LOCALES for pair in _custom_types(locale)])
def test_every_value_of_every_custom_slot_type_is_said_in_some_conversation(locale, slot_type):
    lm = language_model(load_model(locale))
    ids = {v.get("id") for t in lm["types"] if t["name"] == slot_type for v in t["values"]}
    said = {slot.id for r in _spoken_resolutions(locale) for slot in r.slots.values()
            if slot.slot_type == slot_type}
    missing = sorted(ids - said)
    assert not missing, f"no conversation file says a {slot_type} that resolves to {missing}"


def test_there_are_conversation_files_to_run():
    assert len(PATHS) >= 10


# --- the runner ----------------------------------------------------------------------------------
def write(tmp_path: Path, text: str, name: str = "night.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_failed_expectation_names_the_file_the_turn_and_the_words(tmp_path):
    path = write(tmp_path, """
name: wrong expectation
turns:
  - say: open leg cramp helper
  - say: my left calf
    speech: "your right calf"
""")
    with pytest.raises(ConversationError) as failure:
        run_conversation(path)
    message = str(failure.value)
    assert "night.yaml, turn 2 ('my left calf')" in message
    assert "your right calf" in message and "Okay, your left calf." in message


@pytest.mark.parametrize(("turn", "expected_in_message"), [
    ("  - say: open leg cramp helper\n    speach: hello\n", "unknown key(s) ['speach']"),
    ("  - says: open leg cramp helper\n", "unknown key(s) ['says']"),
    ("  - say: open leg cramp helper\n    event: session_ended\n", "exactly one of say, event or touch"),
    ("  - say: open leg cramp helper\n    touch: Pause\n", "exactly one of say, event or touch"),
    ("  - touch: 5\n", "touch must be a button's label or argument"),
    ("  - event: launch\n", "event must be session_ended"),
    ("  - say: open leg cramp helper\n    reason: ERROR\n", "reason and error go with event"),
])
def test_a_misspelt_or_impossible_turn_fails_when_loaded(tmp_path, turn, expected_in_message):
    path = write(tmp_path, "name: typo\nturns:\n" + turn)
    with pytest.raises(ConversationError, match=re.escape(expected_in_message)) as failure:
        load_conversation(path)
    assert "night.yaml, turn 1" in str(failure.value)


def test_an_unknown_top_level_key_or_missing_turns_fail_when_loaded(tmp_path):
    with pytest.raises(ConversationError, match=r"unknown key\(s\) \['turn'\]"):
        load_conversation(write(tmp_path, "name: x\nturn:\n  - say: open leg cramp helper\n"))
    with pytest.raises(ConversationError, match="non-empty list of turns"):
        load_conversation(write(tmp_path, "name: x\nturns: []\n"))


@pytest.mark.parametrize(("expectation", "complaint"), [
    ("holds: sixty", "holds: expected a number"),
    ("session: ended", "session: expected open or closed"),
    ("slots: CALF", "slots: expected a mapping"),
    ("speech: 5", "speech: expected a string"),
])
def test_an_expectation_of_the_wrong_shape_fails_instead_of_passing(tmp_path, expectation, complaint):
    path = write(tmp_path, f"name: x\nturns:\n  - say: open leg cramp helper\n    {expectation}\n")
    with pytest.raises(ConversationError, match=complaint):
        run_conversation(path)


def test_words_without_the_invocation_name_cannot_reach_a_closed_skill(tmp_path):
    path = write(tmp_path, "name: x\nturns:\n  - say: my left calf\n")
    with pytest.raises(ConversationError, match="no session is open") as failure:
        run_conversation(path)
    assert "open leg cramp helper" in str(failure.value)


def test_every_expectation_can_fail(tmp_path):
    wrong = {"intent": "AMAZON.HelpIntent", "slots": "{Muscle: FOOT}", "speech": "elephant",
             "regex": "'^Has it eased'", "not": "calf", "session": "closed", "holds": 10,
             "card": "After your cramp", "screen": "'[screen guidance]'"}
    for key, value in wrong.items():
        text = f"name: x\nturns:\n  - say: tell leg cramp helper my calf\n    {key}: {value}\n"
        path = write(tmp_path, text)
        with pytest.raises(ConversationError, match=r"turn 1 \('tell leg cramp helper my calf'\)"):
            run_conversation(path)


def test_an_invalid_response_fails_the_turn_even_without_expectations(tmp_path):
    def broken_skill(request, context):
        return {"version": "1.0", "response": {
            "outputSpeech": {"type": "SSML", "ssml": "<speak>salt & water</speak>"},
            "shouldEndSession": True}}

    path = write(tmp_path, "name: x\nturns:\n  - say: open leg cramp helper\n")
    with pytest.raises(ConversationError, match="SSML is not well-formed"):
        run_conversation(path, handler=broken_skill)


def test_a_spoken_answer_to_a_session_end_fails(tmp_path):
    def chatty_skill(request, context):
        return {"version": "1.0", "response": {
            "outputSpeech": {"type": "SSML", "ssml": "<speak>Bye?</speak>"},
            "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Bye?</speak>"}},
            "shouldEndSession": False}}

    path = write(tmp_path, "name: x\nturns:\n  - say: open leg cramp helper\n  - say: <session ended>\n")
    with pytest.raises(ConversationError, match="turn 2.*must not speak"):
        run_conversation(path, handler=chatty_skill)


def test_a_registered_expectation_is_accepted_and_checked(tmp_path):
    def words_at_most(turn, expected):
        count = len(turn.speech.split())
        return None if count <= expected else f"{count} words, more than {expected}"

    register_expectation("words_at_most", words_at_most)
    try:
        with pytest.raises(ValueError, match="already registered"):
            register_expectation("words_at_most", words_at_most)
        text = "name: x\nturns:\n  - say: open leg cramp helper\n    words_at_most: {}\n"
        run_conversation(write(tmp_path, text.format(20)))
        with pytest.raises(ConversationError, match="more than 5"):
            run_conversation(write(tmp_path, text.format(5)))
    finally:
        unregister_expectation("words_at_most")
    with pytest.raises(ConversationError, match="unknown key"):
        load_conversation(write(tmp_path, text.format(20)))


def test_an_expectation_may_also_fail_by_asserting(tmp_path):
    def never(turn, expected):
        raise AssertionError("the table was empty")

    register_expectation("probe", never)
    try:
        path = write(tmp_path, "name: x\nturns:\n  - say: open leg cramp helper\n    probe: []\n")
        with pytest.raises(ConversationError, match="the table was empty"):
            run_conversation(path)
    finally:
        unregister_expectation("probe")


# --- the envelopes the runner sends ---------------------------------------------------------
FIXED = dt.datetime(2026, 11, 23, 3, 4, 5, tzinfo=dt.UTC)


def requests_for(tmp_path: Path, *said: str) -> list[dict]:
    """The requests a conversation file saying these words sends to the skill."""
    path = write(tmp_path, "name: x\nturns:\n" + "".join(f"  - say: \"{s}\"\n" for s in said))
    session = LocalSession(clock=lambda: FIXED)
    return [result.request for result in run_conversation(path, session=session)]


def test_an_intent_request_carries_entity_resolution_as_alexa_sends_it(tmp_path):
    (request,) = requests_for(tmp_path, "tell leg cramp helper my jaw is cramping")
    slots = request["request"]["intent"]["slots"]
    assert set(slots) == {"Muscle", "Side", "Who"}  # every declared slot, filled or not
    assert "value" not in slots["Side"]
    muscle = slots["Muscle"]["resolutions"]["resolutionsPerAuthority"][0]
    assert slots["Muscle"]["value"] == "jaw"
    assert muscle["status"] == {"code": "ER_SUCCESS_NO_MATCH"} and "values" not in muscle
    assert muscle["authority"].startswith("amzn1.er-authority.echo-sdk.amzn1.ask.skill.")
    assert muscle["authority"].endswith(".MuscleType")
    assert request["request"]["timestamp"] == "2026-11-23T03:04:05Z"
    assert request["request"]["locale"] == "en-US"
    assert request["context"]["System"]["apiEndpoint"] == "https://api.amazonalexa.com"
    assert request["context"]["System"]["device"]["supportedInterfaces"] == {}


def test_a_synonym_resolves_to_its_value_name_and_id(tmp_path):
    (request,) = requests_for(tmp_path, "tell leg cramp helper my left charley horse")
    slots = request["request"]["intent"]["slots"]
    authority = slots["Muscle"]["resolutions"]["resolutionsPerAuthority"][0]
    assert slots["Muscle"]["value"] == "charley horse"
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH"
    assert authority["values"][0]["value"] == {"name": "calf", "id": "CALF"}


def test_the_session_carries_attributes_between_turns_and_restarts_after_it_ends(tmp_path):
    first, second, third, fourth = requests_for(
        tmp_path, "tell leg cramp helper my calf", "still cramping", "it's gone", "open leg cramp helper")
    assert first["session"]["new"] is True and second["session"]["new"] is False
    assert second["session"]["sessionId"] == first["session"]["sessionId"] == third["session"]["sessionId"]
    assert second["session"]["attributes"]  # what the skill saved on turn 1
    assert fourth["session"]["new"] is True and fourth["session"]["attributes"] == {}
    assert fourth["session"]["sessionId"] != first["session"]["sessionId"]
    assert {r["session"]["user"]["userId"] for r in (first, fourth)} == {
        first["context"]["System"]["user"]["userId"]}


def test_each_file_plays_as_its_own_stable_user(tmp_path):
    ids = {}
    for name in ("a.yaml", "b.yaml", "a.yaml"):
        path = write(tmp_path, "name: x\nturns:\n  - say: open leg cramp helper\n", name)
        (result,) = run_conversation(path)
        ids.setdefault(name, set()).add(result.request["session"]["user"]["userId"])
    assert len(ids["a.yaml"]) == 1 and ids["a.yaml"] != ids["b.yaml"]


def test_a_one_shot_during_an_open_session_starts_a_new_one(tmp_path):
    first, second = requests_for(tmp_path, "tell leg cramp helper my calf",
                                 "ask leg cramp helper about my foot")
    assert second["session"]["new"] is True
    assert second["session"]["sessionId"] != first["session"]["sessionId"]
    assert second["session"]["attributes"] == {}


# --- touch: a conversation on an Echo Show presses the buttons on its screen (issue 22) ---------------
def test_every_button_a_screen_shows_is_pressed_in_some_conversation():
    from testkit.screens import BEDTIME_BUTTONS, RELIEF_BUTTONS
    from tools.apl_validate import SCREEN_WORDS

    pressed = set()
    for path in PATHS:
        conversation = read_conversation(path)
        pressed |= {str(turn["touch"]).lower() for turn in conversation.turns if "touch" in turn}
    for argument in {*RELIEF_BUTTONS, *BEDTIME_BUTTONS}:
        assert {argument, SCREEN_WORDS["buttons"][argument].lower()} & pressed, argument


def test_a_touch_needs_a_screen_and_a_button_that_is_on_it(tmp_path):
    with pytest.raises(ConversationError, match=r"touch needs a device with a screen \(screen: true\)"):
        load_conversation(write(tmp_path, "name: x\nturns:\n  - say: open leg cramp helper\n"
                                          "  - touch: Pause\n"))
    path = write(tmp_path, """
name: x
screen: true
turns:
  - say: tell leg cramp helper my left calf is cramping
  - touch: Next stretch
""")
    with pytest.raises(ConversationError) as failure:
        run_conversation(path)
    message = str(failure.value)
    assert "turn 2 ('<touch Next stretch>')" in message and "no button 'Next stretch'" in message
    assert "'Still cramping' (still)" in message


def test_a_touch_sends_the_user_event_alexa_sends_and_is_answered_like_the_words(tmp_path):
    touched = run_conversation(write(tmp_path, """
name: x
screen: true
turns:
  - say: tell leg cramp helper my left calf is cramping
  - touch: still
""", "touched.yaml"))
    spoken = run_conversation(write(tmp_path, """
name: x
screen: true
turns:
  - say: tell leg cramp helper my left calf is cramping
  - say: still cramping
""", "spoken.yaml"))
    request = touched[1].request["request"]
    assert request["type"] == "Alexa.Presentation.APL.UserEvent" and request["arguments"] == ["still"]
    assert request["token"] == touched[0].response["response"]["directives"][0]["token"]
    assert touched[1].speech == spoken[1].speech and touched[1].ended == spoken[1].ended
    assert touched[0].request["context"]["System"]["device"]["supportedInterfaces"]["Alexa.Presentation.APL"]
