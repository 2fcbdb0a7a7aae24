"""The Echo Show end to end: which answers carry a night screen, what it shows, and touches that
take the same paths through the dialogue as the spoken answers."""

from __future__ import annotations

import copy

import pytest

from cramp_helper import display
from testkit.world import World
from tools.alexa_rules import check_response

APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}}
OLD_APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "1.4"}}}


class ShowConversation:
    """A conversation whose device reports the given supportedInterfaces."""

    def __init__(self, world: World, interfaces: dict):
        self.talk = world.conversation()
        self.interfaces = interfaces
        original = self.talk._envelope

        def envelope(fixture, request=None):
            built = original(fixture, request)
            built["context"]["System"]["device"]["supportedInterfaces"] = copy.deepcopy(interfaces)
            return built

        self.talk._envelope = envelope

    def __getattr__(self, name):
        return getattr(self.talk, name)

    def touch(self, argument: str):
        return self.talk.request({"type": "Alexa.Presentation.APL.UserEvent", "token": "cramp-screen",
                                  "arguments": [argument], "source": {"type": "TouchWrapper"}})


def screens_of(reply) -> list[dict]:
    return [d for d in reply.response.get("directives") or []
            if d.get("type") == "Alexa.Presentation.APL.RenderDocument"]


@pytest.fixture
def show(aws):
    return ShowConversation(World(), APL)


def test_guidance_on_a_show_carries_the_step_and_a_countdown_per_spoken_hold(show):
    reply = show.intent("CrampIntent", Muscle="calf", Side="left")
    [screen] = screens_of(reply)
    data = screen["datasources"]["screen"]
    assert data["title"] == "Toes toward your shin" and data["progress"] == "Technique 1 of 4"
    spoken_holds = [30, 30]  # the toe pull, twice (content: calf_toe_pull)
    assert data["holds"] == spoken_holds
    assert [b["label"] for b in data["buttons"]] == ["It's gone", "Still cramping", "Pause"]
    assert len(str(reply.envelope)) < 24 * 1024 and not check_response(reply.envelope)


def test_screenless_and_old_runtime_devices_get_no_directive_and_the_same_speech(aws):
    spoken = []
    for interfaces in ({}, OLD_APL, APL):
        talk = ShowConversation(World(), interfaces)
        reply = talk.intent("CrampIntent", Muscle="calf", Side="left")
        spoken.append(reply.speech)
        assert bool(screens_of(reply)) is (interfaces is APL)
    assert spoken[0] == spoken[1] == spoken[2]  # speech alone stays complete


@pytest.mark.parametrize("touch,said", [("gone", "CrampGoneIntent"), ("still", "StillCrampingIntent"),
                                         ("pause", "AMAZON.PauseIntent")])
def test_a_touch_takes_the_same_path_as_the_spoken_answer(aws, touch, said):
    touched = ShowConversation(World(), APL)
    touched.intent("CrampIntent", Muscle="calf", Side="left")
    by_touch = touched.touch(touch)
    spoken = ShowConversation(World(), APL)
    spoken.intent("CrampIntent", Muscle="calf", Side="left")
    by_voice = spoken.intent(said)
    assert by_touch.speech == by_voice.speech and by_touch.ended == by_voice.ended
    assert touched.attributes.get("cramp", {}).get("question") == spoken.attributes.get("cramp", {}).get(
        "question")


def test_red_flag_history_and_bedtime_screens(aws):
    world = World()
    talk = ShowConversation(world, APL)
    urgent = talk.intent("RedFlagIntent", Symptom="chest pain")
    [screen] = screens_of(urgent)
    assert screen["datasources"]["screen"]["number"] == "911"
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("CrampGoneIntent")
    summary = talk.intent("HistorySummaryIntent")
    [screen] = screens_of(summary)
    assert screen["datasources"]["screen"]["title"] == summary.card["title"]
    night = ShowConversation(World(now=world.clock.now.replace(hour=2, minute=30)), APL)
    stretches = night.intent("BedtimeStretchIntent")
    [screen] = screens_of(stretches)
    legs = screen["datasources"]["screen"]["legs"]
    assert [leg["label"] for leg in legs] == ["Left leg", "Right leg"]


def test_every_screen_sent_in_these_conversations_is_accepted_by_apl_suggester(aws):
    from tools import apl_validate

    if apl_validate.node_path() is None:
        pytest.skip("node is missing: apl-suggester cannot run")
    world = World()
    talk = ShowConversation(world, APL)
    sent = screens_of(talk.intent("CrampIntent", Muscle="foot", Side="both"))
    sent += screens_of(talk.intent("StillCrampingIntent"))
    sent += screens_of(talk.intent("RedFlagIntent", Symptom="swollen"))
    sent += screens_of(ShowConversation(World(), APL).intent("BedtimeStretchIntent"))
    assert len(sent) == 4
    findings = apl_validate.validate({f"sent-{n}": d for n, d in enumerate(sent)})
    assert all(not found for found in findings.values()), findings
    assert all(display.size_of(d) < 16 * 1024 for d in sent)
