"""Bad input gets a clear, bounded answer (issue 12, item 9), through the Lambda handler.

What a person would notice: the guidance is still spoken, the response stays under 24 KB, and
nothing hostile from the request comes back (a raw locale, a lone surrogate). What an operator
would notice: memory does not grow with junk locales, and Alexa's free-text error messages are
logged truncated.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from cramp_helper import content as content_module
from cramp_helper.config import TableConfig
from cramp_helper.envelope_reader import MAX_MESSAGE
from cramp_helper.services import Services
from cramp_helper.skill import make_handler
from cramp_helper.storage import EpisodeRepository, user_key
from testkit.alexa_api import RecordingApiClient, time_zone_route
from testkit.clock import alexa_timestamp
from testkit.conversation import load_event
from testkit.world import World
from tools.alexa_rules import MAX_RESPONSE_BYTES, check_response, spoken_text

USER = "amzn1.ask.account.BADINPUT"
FIRST = "pull your toes up"  # the calf routine's first instruction
SURROGATE = re.compile("[\ud800-\udfff]")


def logs(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


def speech(body: dict) -> str:
    ssml = ((body.get("response") or {}).get("outputSpeech") or {}).get("ssml")
    return spoken_text(ssml) if ssml else ""


def served(handler, event) -> dict:
    """One request through the handler: a valid, bounded response, whatever the input."""
    body = handler(event, None)
    assert check_response(body) == [], check_response(body)
    size = len(json.dumps(body, ensure_ascii=False).encode("utf-8"))  # raises on a lone surrogate
    assert size < MAX_RESPONSE_BYTES
    return body


def cramp(user: str = USER, **request) -> dict:
    event = load_event("one_shot_calf")
    event["session"]["user"]["userId"] = event["context"]["System"]["user"]["userId"] = user
    event["request"].update(request)
    return event


def no_table_handler():
    """The entry point with storage off and a fake Alexa API: the cheapest full request path."""
    services = Services(repository=EpisodeRepository(TableConfig(name=None, region=None)))
    return make_handler(services, api_client=RecordingApiClient(time_zone_route()))


# --- the locale ----------------------------------------------------------------------------------
LOCALES = {"huge": "en-US" + "x" * 200_000, "reversed": "\u202eSU-ne" * 5000, "unsupported": "nl-NL",
           "empty": "", "missing": None, "number": 42, "list": ["en-US"], "lower-case": "en-us"}


def test_a_bad_locale_gets_english_guidance_and_is_never_echoed_or_stored(world):
    for n, (name, locale) in enumerate(LOCALES.items()):
        user = f"{USER}{n}"
        body = served(world.handler, cramp(user, locale=locale))
        assert FIRST in speech(body) and body["response"]["shouldEndSession"] is False, name
        text = json.dumps(body)
        if isinstance(locale, str) and len(locale) > 16:
            assert locale[:40] not in text and locale[5:45] not in text, name
        [episode] = world.repository.query(user_key(user), "EP#")
        assert episode["locale"] == "en-US", name


def test_junk_locales_do_not_grow_the_content_cache_or_memory():
    handler = no_table_handler()
    event = load_event("launch")
    served(handler, event)  # warm: whatever the first request loads is loaded
    before_cache = content_module.load.cache_info().currsize
    before_rss = _rss_bytes()
    for n in range(3000):
        event["request"]["locale"] = f"xx-{n:05d}-" + "y" * 200
        event["request"]["requestId"] = f"amzn1.echo-api.request.locale-{n}"
        body = handler(event, None)
        assert "outputSpeech" in body["response"]
    grown = _rss_bytes() - before_rss
    print(f"\n3000 junk locales: content cache {before_cache} -> "
          f"{content_module.load.cache_info().currsize} entries, RSS +{grown / 2**20:.1f} MB")
    assert content_module.load.cache_info().currsize <= max(before_cache, len(
        content_module.supported_locales()) + 1)
    assert grown < 16 * 2**20  # before the fix: about 60 KB per locale, 184 MB for 3,000


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        import os

        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# --- lone surrogates -----------------------------------------------------------------------------
def test_lone_surrogates_are_never_echoed(world):
    """A lone surrogate (valid JSON as "\\ud800", not valid UTF-8) anywhere in the input: the person
    is guided, and no surrogate reaches the response, the session or the table."""
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    state = copy.deepcopy(talk.attributes)
    state["cramp"]["episode"]["note\ud800"] = "left\udfff"  # an older version's extra field
    state["cramp"]["pending"] = [{"op": "end", "id": state["cramp"]["episode"]["id"],
                                  "fields": {"remark": "a\udc00b"}}]
    state["legacy\udbff"] = "x\ud800"
    envelope = talk._envelope("one_shot_calf", {"intent": {
        "name": "StillCrampingIntent", "confirmationStatus": "NONE\ud800", "slots": {
            "Muscle": {"name": "Muscle", "value": "calf\udfff", "confirmationStatus": "NONE"}}}})
    envelope["session"]["attributes"] = state
    envelope["session"]["new"] = False
    envelope["request"]["locale"] = "en-US\ud800"
    envelope["context"]["System"]["device"]["deviceId"] += "\udc00"
    envelope["futureField\ud800"] = {"text\udc00": "\ud800"}
    body = served(world.handler, envelope)
    assert "Once more" in speech(body) or "stand" in speech(body).lower()  # the routine went on
    assert not SURROGATE.search(json.dumps(body, ensure_ascii=False))
    assert not SURROGATE.search(json.dumps(world.items(), ensure_ascii=False, default=str))


def test_huge_words_in_a_slot_are_not_echoed_back_with_the_question_that_keeps_them(world):
    """"It won't stop" asks how long and keeps the muscle named for the answer (Dialog.ElicitSlot's
    updated intent): a 20 KB Muscle value (no body part) is not sent back, and the response stays
    valid and under Alexa's 24 KB."""
    envelope = world.conversation(USER)._envelope("one_shot_calf", {"intent": {
        "name": "LongCrampIntent", "confirmationStatus": "NONE", "slots": {
            "Muscle": {"name": "Muscle", "value": "<break time='100s'/>X" * 1000,
                       "confirmationStatus": "NONE"}}}})
    body = served(world.handler, envelope)
    assert "how long" in speech(body).lower()
    assert "100s" not in json.dumps(body)


# --- extreme timestamps ----------------------------------------------------------------------------
@pytest.mark.parametrize(("zone", "stamp"), [
    ("America/New_York", "0001-01-01T00:00:00Z"),  # year 1, west of UTC
    ("Pacific/Kiritimati", "9999-12-31T23:59:59Z"),  # year 9999, UTC+14
    ("Pacific/Kiritimati", "0001-01-01T00:00:00+14:00"),
    ("America/New_York", "9999-12-31T23:59:59-14:00"),
])
def test_extreme_timestamps_are_clamped_and_the_person_is_guided(aws, zone, stamp):
    """Before: episodes.start -> timezone.local -> datetime.astimezone raised OverflowError, and
    the cramp got "Sorry, something went wrong". Now a stamp that far from the function's clock is
    replaced by it (issue 21, finding 8), so the episode is dated by the clock."""
    world = World(zone=zone)
    talk = world.conversation(USER)
    talk.clock = None
    build = talk._envelope

    def stamped(*args, **kwargs):
        envelope = build(*args, **kwargs)
        envelope["request"]["timestamp"] = stamp
        return envelope

    talk._envelope = stamped
    replies = [talk.intent("CrampIntent", Muscle="calf", Side="left"), talk.intent("StillCrampingIntent"),
               talk.intent("CrampGoneIntent"), talk.intent("HistorySummaryIntent")]
    assert FIRST in replies[0].speech and not replies[0].ended
    assert "something went wrong" not in " ".join(r.speech for r in replies)
    [episode] = world.episodes()
    assert episode["outcome"] == "RELIEVED"
    assert episode["started_at"] == alexa_timestamp(world.clock())


UNREADABLE_STAMPS = ["not a time", "99999-01-01T00:00:00Z", 10**30, -1, {"iso": "x"},
                     "2026-13-45T99:99:99Z", "9" * 5000]


def test_an_unreadable_timestamp_falls_back_to_the_clock(world):
    for n, stamp in enumerate(UNREADABLE_STAMPS):
        user = f"{USER}{n}"
        body = served(world.handler, cramp(user, timestamp=stamp))
        assert FIRST in speech(body) and body["response"]["shouldEndSession"] is False, stamp
        [episode] = world.repository.query(user_key(user), "EP#")
        assert episode["started_at"] == alexa_timestamp(world.clock()), stamp


# --- Alexa's free-text error messages ---------------------------------------------------------------
def test_alexa_error_messages_are_logged_truncated(world, capsys):
    message = "Invalid SSML: " + "<speak>" * 20_000
    ended = load_event("session_ended")
    ended["request"].update(reason="ERROR", error={"type": "INVALID_RESPONSE", "message": message})
    assert "outputSpeech" not in served(world.handler, ended)["response"]
    exception = load_event("launch")
    exception["request"] = {**{k: exception["request"][k] for k in ("requestId", "timestamp", "locale")},
                            "type": "System.ExceptionEncountered",
                            "error": {"type": "INVALID_RESPONSE", "message": message},
                            "cause": {"requestId": "amzn1.echo-api.request.earlier"}}
    assert "outputSpeech" not in served(world.handler, exception)["response"]
    lines = logs(capsys)
    logged = [e["error_message"] for e in lines if "error_message" in e]
    assert len(logged) == 2
    assert all(m.startswith("Invalid SSML: <speak>") and len(m) <= MAX_MESSAGE + 3 for m in logged)
    assert max(len(json.dumps(e)) for e in lines) < 1000


def test_a_huge_intent_name_is_logged_truncated(world, capsys):
    event = cramp()
    event["request"]["intent"]["name"] = "CrampIntent" + "X" * 50_000
    served(world.handler, event)
    [line] = [e for e in logs(capsys) if e["event"] == "request"]
    assert len(line["intent"]) <= 103


# --- deep nesting (issue 21, finding 11b) --------------------------------------------------------
def nested(depth: int) -> dict:
    deep: dict = {}
    here = deep
    for _ in range(depth):
        here["x"] = {}
        here = here["x"]
    return deep


@pytest.mark.parametrize("where", ["request", "session", "context", "envelope", "state"])
def test_an_unknown_field_nested_990_deep_never_makes_lambda_handler_raise(world, capsys, where):
    """It used to raise RecursionError in the error path (json.dumps of the whole event). Now the
    envelope is refused by depth before it is serialised, the apology is spoken, the session stays
    open with the cramp in progress kept, and nothing is written for it."""
    talk = world.conversation(USER + "DEEP" + where)
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    kept = talk.attributes["cramp"]
    event = cramp(USER + "DEEP" + where)
    event["session"]["new"] = False
    event["session"]["attributes"] = {"cramp": copy.deepcopy(kept)}
    target = {"request": event["request"], "session": event["session"], "context": event["context"],
              "envelope": event, "state": event["session"]["attributes"]["cramp"]}[where]
    target["unknownField"] = nested(990)
    capsys.readouterr()
    body = served(world.handler, event)
    words = content_module.load("en-US")
    assert speech(body).startswith(spoken_text(f"<speak>{words.phrase('error')}</speak>")[:40])
    assert body["response"]["shouldEndSession"] is False
    events = [line["event"] for line in logs(capsys)]
    assert "unreadable_request" in events
    if where != "state":  # the session's own state comes back, the cramp in progress with it
        assert body["sessionAttributes"]["cramp"]["episode"] == kept["episode"]
    assert len(world.episodes(USER + "DEEP" + where)) == 1  # the cramp's start, nothing more
