"""Amazon's apl-suggester accepts every document the skill can send, with zero findings."""

import pytest

from cramp_helper import apl
from testkit.screens import APL, ShowConversation, screens_of
from testkit.world import World
from tools import apl_validate

pytestmark = [pytest.mark.npm,
              pytest.mark.skipif(apl_validate.node_path() is None,
                                 reason="node is not installed: apl-suggester (npm) cannot run")]


@pytest.fixture(scope="module")
def findings():
    return apl_validate.validate(apl_validate.sample_directives())


def test_every_screen_kind_every_pictogram_and_long_texts_are_validated(findings):
    names = set(findings)
    for kind in ("guidance/long-texts", "guidance/no-holds", "bedtime/0", "bedtime/1",
                 "bedtime/long-texts", "red_flag/EMERGENCY", "red_flag/long-texts", "history",
                 "history/long-texts", "history/empty"):
        assert kind in names
    graphics = [d["document"]["graphics"] for d in apl_validate.sample_directives().values()]
    pictograms = {g["pictogram"]["items"][0]["pathData"] for g in graphics if "pictogram" in g}
    assert len(pictograms) >= 13


def test_apl_suggester_finds_nothing(findings):
    problems = [f"{name}: {f['level']} {f['path']}: {f['errorMessage']}"
                for name, found in findings.items() for f in found]
    assert problems == []


def test_the_validator_does_report_a_broken_document():
    """The check is live: a misspelt property and a bad AVG are reported, not silently passed."""
    avg = {"type": "AVG", "version": "1.2", "width": 10, "height": 10,
           "items": [{"type": "path", "pathData": "M0,0", "strokeWidht": 2}]}
    broken = {"type": "APL", "version": "2023.2", "graphics": {"g": avg},
              "mainTemplate": {"items": [{"type": "Text", "text": "hi", "fontSizee": "20dp"}]}}
    found = apl_validate.validate({"broken": broken})["broken"]
    assert len(found) >= 2, found


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
    assert all(apl.size_of(d) < 16 * 1024 for d in sent)
