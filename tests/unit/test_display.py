"""Screens: who gets one, the countdown that keeps time with the voice, sizes, and lazy loading."""

import json
import os
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from cramp_helper import apl, guide
from cramp_helper.content import load
from cramp_helper.speech import Hold, Speech
from testkit.apl import timeline as simulate
from tools.apl_validate import LONG, sample_directives

CONTENT = load("en-US")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# --- who gets a screen --------------------------------------------------------------------------
def interfaces(version):
    return {"Alexa.Presentation.APL": {"runtime": {"maxVersion": version}}}


@pytest.mark.parametrize("supported, expected", [
    (interfaces("2024.2"), True),
    (interfaces("2023.2"), True),
    (interfaces("2023.1"), False),
    (interfaces("1.9"), False),
    (interfaces("2025.10"), True),
    (interfaces(None), False),
    (interfaces("garbage"), False),
    ({"Alexa.Presentation.APL": {}}, False),
    ({"AudioPlayer": {}}, False),
    ({}, False),
    (None, False),
])
def test_only_devices_with_a_recent_enough_apl_runtime_get_a_screen(supported, expected):
    assert apl.supports_apl(supported) is expected


def test_ask_sdk_objects_are_read_like_the_envelope():
    runtime = SimpleNamespace(max_version="2024.1")
    device = SimpleNamespace(alexa_presentation_apl=SimpleNamespace(runtime=runtime))
    assert apl.supports_apl(device)
    assert not apl.supports_apl(SimpleNamespace(alexa_presentation_apl=None))
    assert not apl.supports_apl(device, min_version="2024.2")


def test_the_deserialized_envelope_is_read_too():
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    with open(os.path.join(ROOT, "tests", "events", "one_shot_calf.json"), encoding="utf-8") as fh:
        event = json.load(fh)
    assert not apl.supports_apl(event["context"]["System"]["device"]["supportedInterfaces"])
    event["context"]["System"]["device"]["supportedInterfaces"] = interfaces("2024.2")
    envelope = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    assert apl.supports_apl(envelope.context.system.device.supported_interfaces)
    assert apl.supports_apl(event["context"]["System"]["device"]["supportedInterfaces"])


# --- the countdown keeps time with the spoken holds ---------------------------------------------
def spoken_timeline(ssml: str) -> list[tuple[float, str, object]]:
    """The SSML as Alexa plays it, estimated independently of apl.py: ("text", words) and
    ("break", seconds), each with its start time, at 2.4 words a second scaled by the prosody rate."""
    root = ET.fromstring(ssml.replace("<amazon:", "<amazon_").replace("</amazon:", "</amazon_"))
    rate = 1.0
    for element in root.iter("prosody"):
        if element.get("rate", "").endswith("%"):
            rate = float(element.get("rate")[:-1]) / 100
    tokens = []

    def walk(element):
        if element.text and element.text.strip():
            tokens.append(("text", element.text.strip()))
        for child in element:
            if child.tag == "break":
                time = child.get("time")
                tokens.append(("break", float(time[:-2]) / 1000 if time.endswith("ms") else float(time[:-1])))
            else:
                walk(child)
            if child.tail and child.tail.strip():
                tokens.append(("text", child.tail.strip()))

    walk(root)
    out, at = [], 0.0
    for kind, value in tokens:
        out.append((at, kind, value))
        at += value if kind == "break" else len(value.split()) / (2.4 * rate)
    return out


def spoken_holds(ssml: str) -> list[dict]:
    """Each hold in the speech: a run of breaks, broken only by cues, that ends in a release cue."""
    cues = {CONTENT.cues["halfway"], CONTENT.cues["five_more"]}
    releases = {CONTENT.cues["release"]} | {step.get("release") for t in CONTENT.data["techniques"].values()
                                            for step in t["steps"]} - {None}
    timeline = spoken_timeline(ssml)
    holds, i = [], 0
    while i < len(timeline):
        if timeline[i][1] != "break" or (i and timeline[i - 1][1] == "break"):
            i += 1
            continue
        start, seconds, marks, j = timeline[i][0], 0.0, [], i
        while j < len(timeline):
            at, kind, value = timeline[j]
            if kind == "break":
                seconds += value
            elif any(value.startswith(c) for c in cues):
                marks.append((at, next(c for c in cues if value.startswith(c)), seconds))
            elif any(value.startswith(r) for r in releases):
                holds.append({"start": start, "end": at, "seconds": seconds, "cues": marks})
                break
            else:
                break
            j += 1
        i = j + 1
    return holds


def every_turn():
    for routine in ("CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES", "BEDTIME"):
        for side in ((None, "LEFT", "BOTH") if routine != "BEDTIME" else ("BOTH",)):
            turn = guide.begin(CONTENT, routine, side)
            while True:
                yield f"{routine}/{side}/{turn.position.technique}.{turn.position.part}", turn
                if guide.is_last(CONTENT, turn.position):
                    break
                turn = guide.go(CONTENT, turn.position, guide.Move.NEXT)


TURNS = dict(every_turn())


@pytest.mark.parametrize("voice", [None, {"volume": "soft", "rate": "90%"}, {"rate": "95%"}])
@pytest.mark.parametrize("name", sorted(TURNS))
def test_each_countdown_starts_and_ends_within_a_second_of_its_spoken_hold(name, voice):
    turn = TURNS[name]
    speech = Speech(voice).add(turn.script).say(turn.question)
    plan = apl.countdowns(speech.items, apl.rate_of(voice))
    changes = simulate(apl.countdown_commands(plan))
    spoken = spoken_holds(speech.ssml())

    assert len(spoken) == len(plan) == sum(isinstance(i, Hold) for i in turn.script)  # warmth: none
    starts = [ms / 1000 for ms, prop, value in changes if prop == "holding" and value is True]
    zeros = [ms / 1000 for ms, prop, value in changes if prop == "remaining" and value == 0]
    assert len(starts) == len(zeros) == len(spoken)
    for hold, countdown, start, zero in zip(spoken, plan, starts, zeros, strict=True):
        assert countdown.seconds == hold["seconds"]
        assert abs(start - hold["start"]) <= 1.0, (start, hold)
        assert abs(zero - hold["end"]) <= 1.0, (zero, hold)
        for at, cue, held in hold["cues"]:  # "Halfway." is said while the screen shows half the hold
            shown = [v for ms, p, v in changes if p == "remaining" and ms / 1000 <= at + 0.001][-1]
            assert shown == hold["seconds"] - held, (cue, shown)


def test_the_number_counts_down_by_one_each_second_and_rests_between_holds():
    speech = Speech({"rate": "90%"}).add(TURNS["CALF/LEFT/0.0"].script)
    plan = apl.countdowns(speech.items, 0.9)
    changes = simulate(apl.countdown_commands(plan))
    shown = [v for _, p, v in changes if p == "remaining"]
    assert shown == [*range(29, -1, -1), 30, *range(29, -1, -1)]
    holding = [(ms, v) for ms, p, v in changes if p == "holding"]
    assert [v for _, v in holding] == [True, False, True, False]
    assert [v for _, p, v in changes if p == "hold"] == [2, 3]
    # the whole timeline is a handful of commands, not one per second
    assert len(apl.countdown_commands(plan)) < 40


def test_plain_offset_pairs_work_and_overlaps_are_refused():
    changes = simulate(apl.countdown_commands([(2, 3), (10, 2)]))
    assert [(ms, v) for ms, p, v in changes if p == "remaining"] == [
        (3000, 2), (4000, 1), (5000, 0), (6000, 2), (11000, 1), (12000, 0)]
    with pytest.raises(ValueError):
        apl.countdown_commands([(0, 10), (5, 10)])


def test_estimates_follow_words_and_rate():
    assert apl.estimate_seconds("one two three four five six", 1.0) == pytest.approx(2.5)
    assert apl.estimate_seconds("one two", 0.5) == pytest.approx(2 / 1.2)
    assert apl.rate_of({"rate": "90%"}) == 0.9
    assert apl.rate_of({"rate": "slow"}) == 0.8
    assert apl.rate_of(None) == apl.rate_of({"rate": "nonsense%"}) == 1.0


# --- the documents ------------------------------------------------------------------------------
def test_every_technique_in_the_content_has_its_own_pictogram():
    techniques = set(CONTENT.data["techniques"])
    assert techniques <= set(apl.PICTOGRAM_IDS)
    default = apl.pictogram("_default")
    for technique in techniques:
        graphic = apl.pictogram(technique)
        assert graphic["type"] == "AVG" and graphic["items"] and graphic != default
    assert apl.pictogram("no_such_technique") == default


def test_a_guidance_directive_carries_the_words_the_caller_gave():
    turn = TURNS["CALF/LEFT/0.0"]
    directive = apl.guidance(
        "Toes toward your shin", "Pull your toes up.", "calf_toe_pull", "Technique 1 of 4",
        apl.countdowns(turn.script), [("It's gone", apl.GONE), ("Still cramping", apl.STILL),
                                          ("Pause", apl.PAUSE)], unit="seconds")
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    assert directive["token"] == "legcramp-guidance"
    screen = directive["datasources"]["screen"]
    assert screen["title"] == "Toes toward your shin" and screen["holds"] == [30, 30]
    assert [b["argument"] for b in screen["buttons"]] == ["gone", "still", "pause"]
    document = directive["document"]
    assert document["type"] == "APL" and document["version"] == apl.DOCUMENT_VERSION
    assert document["graphics"]["pictogram"] == apl.pictogram("calf_toe_pull")
    root = document["mainTemplate"]["items"][0]
    assert root["id"] == "root" and root["onMount"] and "onMount" not in apl._load("guidance")[
        "mainTemplate"]["items"][0]
    assert apl.summary(directive) == ("[screen guidance] | Technique 1 of 4 | Toes toward your shin | "
                                          "countdown 30s + 30s | buttons: It's gone, Still cramping, Pause")


def test_buttons_send_only_the_documented_arguments():
    with pytest.raises(ValueError):
        apl.guidance("t", "i", "massage", "p", [], [("Maybe", "maybe")])
    document = json.dumps(apl.guidance("t", "i", "massage", "p", [], [("Go", apl.GONE)])["document"])
    assert '"SendEvent", "arguments": ["${argument}"]' in document


def test_bedtime_shows_both_legs_rounds_and_a_label_per_hold():
    turn = TURNS["BEDTIME/BOTH/0.0"]
    plan = apl.countdowns(turn.script)
    labels = [f"Calf, {leg} leg, round {n} of 3" for leg in ("left", "right") for n in (1, 2, 3)]
    directive = apl.bedtime("Calf stretch", "Lean into the wall.", "bedtime_calf", "Bedtime 1 of 2", plan,
                                ["Left leg", "Right leg"], labels, [("Next stretch", apl.NEXT)])
    screen = directive["datasources"]["screen"]
    assert screen["legs"] == [{"label": "Left leg", "holds": [1, 2, 3]},
                              {"label": "Right leg", "holds": [4, 5, 6]}]
    assert screen["holdLabels"][4] == "Calf, right leg, round 2 of 3"
    assert directive["token"] == "legcramp-bedtime"
    with pytest.raises(ValueError):
        apl.bedtime("t", "i", "bedtime_calf", "p", plan[:5], ["L", "R"], labels)


def test_red_flag_and_history_screens():
    flag = apl.red_flag("911", CONTENT.red_flag("EMERGENCY"), title="Get medical care", call_label="Call")
    assert flag["datasources"]["screen"]["number"] == "911"
    assert "Buttons" not in flag["document"]["layouts"]  # no buttons: call, don't tap
    card = apl.history("Leg cramp summary", ["Last 30 days: 3 cramps", "", "Where: calf (3)"],
                           footer="Not advice")
    assert card["datasources"]["screen"]["lines"] == ["Last 30 days: 3 cramps", "Where: calf (3)"]
    assert apl.summary(card) == "[screen history] | Leg cramp summary | 2 lines"


def test_texts_are_clipped_so_no_caller_can_overflow_a_response():
    card = apl.history(LONG, [LONG] * 100, footer=LONG)
    screen = card["datasources"]["screen"]
    assert len(screen["title"]) <= apl.TITLE_CHARS and screen["title"].endswith("\u2026")
    assert len(screen["lines"]) == apl.MAX_LINES
    assert apl.size_of(card) < apl.MAX_DIRECTIVE_BYTES


def test_every_screen_the_skill_can_send_fits_in_a_response_with_the_longest_speech():
    samples = sample_directives()
    assert len(samples) > 60
    sizes = {name: apl.size_of(d) for name, d in samples.items()}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] < apl.MAX_DIRECTIVE_BYTES, (largest, sizes[largest])
    # a whole response: the largest screen, speech at Alexa's limit, a reprompt and session state
    response = {"version": "1.0", "sessionAttributes": {"state": "x" * 500}, "response": {
        "outputSpeech": {"type": "SSML", "ssml": "x" * 7999},
        "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "x" * 200}},
        "directives": [samples[largest]], "shouldEndSession": False}}
    assert len(json.dumps(response, separators=(",", ":")).encode()) < 24 * 1024


def test_a_directive_can_be_spliced_into_a_serialized_response():
    body = {"version": "1.0", "response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Hi</speak>"},
                                           "directives": [{"type": "Dialog.ElicitSlot"}]}}
    flag = apl.red_flag("911", "Call now.")
    assert apl.splice(body, flag)["response"]["directives"] == [{"type": "Dialog.ElicitSlot"}, flag]
    assert apl.splice({"version": "1.0"}, None) == {"version": "1.0"}
    assert apl.splice({"version": "1.0"}, flag)["response"]["directives"] == [flag]


def test_ask_sdk_sends_the_directive_unchanged():
    """Either path works: ask-sdk's RenderDocumentDirective serializes to exactly this dict."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    directive = sample_directives()["bedtime/0"]
    model = RenderDocumentDirective(token=directive["token"], document=directive["document"],
                                    datasources=directive["datasources"])
    assert DefaultSerializer().serialize(model) == directive


def test_documents_are_loaded_once_and_shared():
    apl._load.cache_clear()
    apl._template.cache_clear()
    for _ in range(3):
        apl.red_flag("911", "text")
        apl.history("t", ["a"])
    assert apl._load.cache_info().misses == 3  # theme, red_flag, history
