"""The Echo Show end to end: which answers carry a night screen, what it shows, and touches that
take the same paths through the dialogue as the spoken answers."""

from __future__ import annotations

import pytest

from testkit.screens import APL, OLD_APL, ShowConversation, screens_of
from testkit.world import World
from tools.alexa_rules import check_response


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


def test_after_dizziness_the_screen_shows_the_sitting_version_the_voice_gives(show):
    show.intent("CrampIntent", Muscle="calf", Side="left")
    show.intent("RedFlagIntent", Symptom="dizzy")  # "I feel dizzy": no standing step from now on
    show.intent("AMAZON.NoIntent")  # no chest pain, breathing, sweating or sickness: carry on
    reply = show.intent("StillCrampingIntent")  # the next technique is the standing heel press
    [screen] = screens_of(reply)
    data = screen["datasources"]["screen"]
    assert "Stay sitting or lying" in reply.speech and "Stay sitting or lying" in data["instruction"]
    assert "Hold something steady" not in data["instruction"] and data["progress"] == "Technique 2 of 4"


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


def test_history_on_a_show_draws_the_month_the_voice_summarises_and_says_the_same(aws):
    """Issue 22: the chart comes from the same stored items as the words; the words do not change."""
    from datetime import timedelta

    world = World()  # 3:02 a.m.
    person = "amzn1.ask.account.SHOWHISTORY"
    show = ShowConversation(world, APL, person)
    for days_ago, side in ((0, "left"), (2, "right"), (5, "left")):
        world.clock.now = world.clock.now - timedelta(days=days_ago) if days_ago else world.clock.now
        show.intent("CrampIntent", Muscle="calf", Side=side)
        show.intent("CrampGoneIntent")
        world.clock.now = world.clock.now + timedelta(days=days_ago)
    on_screen = show.intent("HistorySummaryIntent")
    spoken = ShowConversation(world, {}, person).intent("HistorySummaryIntent")
    assert on_screen.speech == spoken.speech and not screens_of(spoken)
    assert "In the last 30 days you've had 3 cramps." in on_screen.speech
    [screen] = screens_of(on_screen)
    chart = screen["datasources"]["screen"]["chart"]
    assert chart["shown"] and chart["total"] == 3
    graphic = screen["document"]["graphics"]["chart"]
    dots = {item["stroke"]: item["pathData"].count("M") for item in graphic["items"]
            if item.get("strokeLineCap") == "round"}
    assert dots == {"${leftColor}": 2, "${rightColor}": 1}
    assert not check_response(on_screen.envelope)
