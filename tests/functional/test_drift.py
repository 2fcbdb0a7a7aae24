"""Forward compatibility: an envelope from a newer Alexa still gets its normal answer.

The scenarios, what must hold and why: testkit/drift.py (described once there)."""

from __future__ import annotations

import json

from ask_sdk_model import RequestEnvelope

from testkit.drift import (
    CRAMP,
    base_envelopes,
    drift_report,
    first_instruction,
    walk,
)
from testkit.world import World
from tools.alexa_rules import spoken_text


def test_every_drifted_envelope_gets_its_normal_answer(aws):
    report = drift_report(World())
    print(f"\ndrifted envelopes checked: {report.checked}; cramp requests {report.cramp_checked}, "
          f"still guided {report.guided}; other requests answered as before {report.normal} "
          f"({report.seconds:.1f} s)")
    assert report.failures == [], "\n".join(report.failures[:40])
    assert report.guided == report.cramp_checked > 30
    assert report.checked == report.guided + report.normal


def test_the_walk_finds_the_enums_alexa_is_known_to_extend():
    """The fields issue 12 names are among those drifted (so the walk is not silently empty)."""
    bases = base_envelopes()
    cramp = {".".join(map(str, p)) for _, p in walk(bases[CRAMP], RequestEnvelope).enums}
    assert {"context.Viewport.mode", "context.Viewports.0.type", "request.dialogState",
            "request.intent.slots.Muscle.source",
            "request.intent.slots.Muscle.resolutions.resolutionsPerAuthority.0.status.code",
            } <= cramp
    ended = {".".join(map(str, p)) for _, p in walk(bases["session_ended_error"], RequestEnvelope).enums}
    assert {"request.reason", "request.error.type"} <= ended


def test_a_value_newer_than_the_model_is_logged_by_its_class_only(world, capsys):
    envelope = base_envelopes()[CRAMP]
    envelope["context"]["Viewport"]["mode"] = "HOLOGRAM"
    envelope["request"]["dialogState"] = "HOLOGRAM"
    body = world.handler(envelope, None)
    assert first_instruction() in spoken_text(body["response"]["outputSpeech"]["ssml"])
    err = capsys.readouterr().err
    [line] = [json.loads(x) for x in err.splitlines() if '"envelope_unknown_values"' in x]
    assert line["count"] == 2 and line["classes"] == ["DialogState", "Mode"]
    assert "HOLOGRAM" not in err
