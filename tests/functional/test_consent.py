"""Consent before the log (issue 19, part 1; EPISODE_LOG=ask, the deployed default): what the person
hears and what is stored, through lambda_handler against moto.

Guidance never waits: the cramp is guided first, with one write and no read, and the write is
refused by the table itself (a ConditionCheck on the consent in the same transaction) while there
is no yes. After the cramp ends, one short question; yes stores the consent (time, wording version)
and logs this cramp; no stores nothing about the cramp and rests the question for 30 days. "Start"
and "stop logging my cramps" work at any time; "delete my history" erases the consent with the
history; SkillDisabled erases everything, the 30-day no included. EPISODE_LOG=off: guidance only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cramp_helper.records import CONSENT_WORDING
from cramp_helper.storage import user_key
from testkit.conversation import load_event
from testkit.deletion import profile_of
from testkit.people import ACCOUNT, ANA, speak
from testkit.world import NIGHT, World

USER = "amzn1.ask.account.CONSENTING"
QUESTION = "Would you like me to keep a private log of your cramps"


@pytest.fixture
def ask_mode(monkeypatch):
    monkeypatch.setenv("EPISODE_LOG", "ask")


@pytest.fixture
def off_mode(monkeypatch):
    monkeypatch.setenv("EPISODE_LOG", "off")


def mine(world: World, user: str = USER) -> list[dict]:
    """Everything stored in ``user``'s partition (a Query, no faults)."""
    return world.partition(user)


def guided_cramp(world: World, user: str = USER):
    """A calf cramp guided and eased; returns the conversation and the "it's gone" reply."""
    talk = world.conversation(user)
    first = talk.intent("CrampIntent", Muscle="calf", Side="left")
    assert first.hold_seconds() > 0 and not first.ended  # guided at once, consent or not
    world.clock.now += timedelta(seconds=40)
    talk.intent("StillCrampingIntent")
    world.clock.now += timedelta(seconds=40)
    return talk, talk.intent("CrampGoneIntent")


def test_first_guidance_is_one_write_no_read_and_stores_nothing_before_a_yes(world, ask_mode):
    talk = world.conversation(USER)
    reply = talk.intent("CrampIntent", Muscle="calf", Side="left")
    assert "calf" in reply.speech and reply.hold_seconds() > 0
    assert world.faults.attempts == {"TransactWriteItems": 1}  # one write (refused), no read
    assert mine(world) == []  # no episode, no open-cramp marker, no profile
    talk.session_ended()  # the person goes quiet mid-cramp: no bookmark either
    assert mine(world) == []


def test_after_the_cramp_one_short_question_says_what_is_kept_for_how_long_and_how_to_erase(world, ask_mode):
    _, gone = guided_cramp(world)
    assert "glad" in gone.speech  # the after-care first
    assert QUESTION in gone.speech and "400 days" in gone.speech and "delete my history" in gone.speech
    assert not gone.ended and "yes or no" in gone.reprompt
    assert mine(world) == []  # still nothing stored while the question waits


def test_yes_stores_the_consent_and_logs_this_cramp_and_the_next(world, ask_mode):
    talk, _ = guided_cramp(world)
    reply = talk.intent("AMAZON.YesIntent")
    assert reply.ended and "I'll keep a private log of your cramps, starting with this one" in reply.speech
    [episode] = world.episodes(USER)
    assert (episode["muscle"], episode["side"], episode["outcome"]) == ("CALF", "LEFT", "RELIEVED")
    consent = profile_of(USER)["log_consent"]
    assert consent == {"given": True, "at": "2026-11-23T08:03:31Z", "wording": CONSENT_WORDING, "how": "yes"}

    world.clock.now += timedelta(hours=20)  # the next night: logged from the first write, not asked
    talk, gone = guided_cramp(world)
    assert QUESTION not in gone.speech and gone.ended
    assert [e["outcome"] for e in world.episodes(USER)] == ["RELIEVED", "RELIEVED"]
    history = world.conversation(USER).intent("CrampCountIntent", Period="week")
    assert "You've had 2 cramps this week" in history.speech and QUESTION not in history.speech


def test_no_logs_nothing_and_is_not_asked_again_for_30_days(world, ask_mode):
    talk, _ = guided_cramp(world)
    reply = talk.intent("AMAZON.NoIntent")
    assert reply.ended and "I won't keep a log" in reply.speech
    assert world.episodes(USER) == [] and [i["sk"] for i in mine(world)] == ["PROFILE"]
    assert profile_of(USER)["log_consent"]["given"] is False

    world.clock.now += timedelta(days=3)
    _, gone = guided_cramp(world)
    assert gone.ended and QUESTION not in gone.speech  # not asked again
    assert world.episodes(USER) == []
    world.clock.now += timedelta(days=28)  # 31 days after the no
    _, gone = guided_cramp(world)
    assert QUESTION in gone.speech and not gone.ended
    assert world.episodes(USER) == []


def test_silence_after_the_question_stores_nothing(world, ask_mode):
    talk, _ = guided_cramp(world)
    talk.session_ended("EXCEEDED_MAX_REPROMPTS")
    assert mine(world) == []


def test_history_asked_before_a_yes_says_nothing_is_kept_and_asks(world, ask_mode):
    talk = world.conversation(USER)
    reply = talk.intent("HistorySummaryIntent")
    assert reply.speech.startswith("I'm not keeping a log of your cramps, so there's no history")
    assert QUESTION in reply.speech and not reply.ended
    reply = talk.intent("AMAZON.NoIntent")
    assert "I won't keep a log" in reply.speech and "deleted" not in reply.speech
    reply = world.conversation(USER).intent("LastCrampIntent")
    assert reply.speech.startswith("I'm not keeping a log") and "start logging my cramps" in reply.speech
    assert reply.ended and QUESTION not in reply.speech


def test_start_and_stop_logging_work_at_any_time(world, ask_mode):
    talk = world.conversation(USER)
    reply = talk.intent("StartLoggingIntent")
    assert "I'll log your cramps from now on" in reply.speech
    assert profile_of(USER)["log_consent"]["how"] == "start"
    guided_cramp(world)
    assert [e["outcome"] for e in world.episodes(USER)] == ["RELIEVED"]

    world.clock.now += timedelta(hours=1)
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="foot")  # mid-cramp
    reply = talk.intent("StopLoggingIntent")
    assert "I've stopped logging your cramps" in reply.speech and not reply.ended  # back to the cramp
    talk.intent("CrampGoneIntent")
    world.clock.now += timedelta(hours=1)
    _, gone = guided_cramp(world)
    assert QUESTION not in gone.speech  # "stop" is an answer: not asked again
    # what was kept stays; the foot cramp started before the stop was logged and ended
    assert [e["muscle"] for e in world.episodes(USER)] == ["CALF", "FOOT"]
    assert world.episodes(USER)[-1]["outcome"] == "RELIEVED"


def test_cramps_started_after_stop_logging_are_not_stored(world, ask_mode):
    world.conversation(USER).intent("StartLoggingIntent")
    world.conversation(USER).intent("StopLoggingIntent")
    guided_cramp(world)
    assert world.episodes(USER) == [] and not any(i["sk"].startswith("OPEN#") for i in mine(world))


def test_delete_my_history_erases_the_history_and_the_consent_so_the_next_cramp_asks_again(world, ask_mode):
    talk, _ = guided_cramp(world)
    talk.intent("AMAZON.YesIntent")
    assert len(world.episodes(USER)) == 1
    world.clock.now += timedelta(minutes=5)
    talk = world.conversation(USER)
    talk.intent("DeleteHistoryIntent")
    assert "Done. I've deleted your cramp history." in talk.intent("AMAZON.YesIntent").speech
    assert world.episodes(USER) == [] and "log_consent" not in profile_of(USER)
    assert [i["sk"] for i in mine(world)] == ["PROFILE"]  # the tombstone; the marker swept too
    world.clock.now += timedelta(minutes=5)
    _, gone = guided_cramp(world)
    assert QUESTION in gone.speech and world.episodes(USER) == []


def test_skill_disabled_erases_the_30_day_no(world, ask_mode):
    talk, _ = guided_cramp(world)
    talk.intent("AMAZON.NoIntent")
    assert profile_of(USER)["log_consent"]["given"] is False
    event = load_event("skill_disabled")
    event["context"]["System"]["user"]["userId"] = USER
    event["request"]["timestamp"] = event["request"]["eventCreationTime"] = "2026-11-23T09:00:00Z"
    world.clock.now = NIGHT + timedelta(hours=1)
    world.handler(event, None)
    assert "log_consent" not in profile_of(USER) and world.episodes(USER) == []
    world.clock.now += timedelta(minutes=10)
    _, gone = guided_cramp(world)
    assert QUESTION in gone.speech  # asked again: the no went with everything else


def test_consent_is_the_recognised_persons_not_the_accounts(world, ask_mode):
    ana = speak(world, ANA)
    ana.intent("StartLoggingIntent")
    assert profile_of(ANA)["log_consent"]["given"] is True
    assert "log_consent" not in (profile_of(ACCOUNT) or {})
    ana = speak(world, ANA)
    ana.intent("CrampIntent", Muscle="calf")
    ana.intent("CrampGoneIntent")
    assert len(world.partition(ANA, "EP#")) == 1
    nobody = speak(world, None)  # the account itself has said nothing: nothing of it is logged
    nobody.intent("CrampIntent", Muscle="foot")
    gone = nobody.intent("CrampGoneIntent")
    assert QUESTION in gone.speech and world.partition(ACCOUNT, "EP#") == []


def test_a_red_flag_is_never_followed_by_the_question(world, ask_mode):
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    reply = talk.intent("RedFlagIntent", Symptom="swollen")
    assert QUESTION not in reply.speech and mine(world) == []


def test_off_guides_and_stores_nothing_and_says_so(world, off_mode):
    talk = world.conversation(USER)
    assert talk.intent("CrampIntent", Muscle="calf").hold_seconds() > 0
    gone = talk.intent("CrampGoneIntent")
    assert gone.ended and QUESTION not in gone.speech
    assert world.items() == [] and world.faults.attempts == {}
    off = "This version of the skill keeps no log of your cramps"
    assert world.conversation(USER).intent("HistorySummaryIntent").speech.startswith(off)
    reply = world.conversation(USER).intent("DeleteHistoryIntent")
    assert reply.speech.startswith(off) and reply.ended
    assert world.conversation(USER).intent("StartLoggingIntent").speech.startswith(off)


def test_on_logs_every_cramp_and_never_asks(world, monkeypatch):
    monkeypatch.setenv("EPISODE_LOG", "on")
    _, gone = guided_cramp(world)
    assert gone.ended and QUESTION not in gone.speech
    assert [e["outcome"] for e in world.episodes(USER)] == ["RELIEVED"]
    reply = world.conversation(USER).intent("StopLoggingIntent")
    assert "This version of the skill logs every cramp" in reply.speech


def test_the_mode_defaults_to_ask_and_refuses_anything_else(monkeypatch):
    from cramp_helper.config import episode_log_mode

    monkeypatch.delenv("EPISODE_LOG")
    assert episode_log_mode() == "ask"
    for value, mode in (("ON", "on"), (" off ", "off"), ("always", "ask"), ("", "ask")):
        monkeypatch.setenv("EPISODE_LOG", value)
        assert episode_log_mode() == mode


def test_the_console_takes_the_mode(monkeypatch, capsys, tmp_path):
    import os

    from tools import console

    monkeypatch.delenv("EPISODE_LOG")
    script = tmp_path / "night.txt"
    script.write_text(":quit\n", encoding="utf-8")
    assert console.main(["--no-table", "--log-mode", "off", "--script", str(script)]) == 0
    assert os.environ["EPISODE_LOG"] == "off" and "episode log: off" in capsys.readouterr().out


def test_a_tombstone_is_still_told_from_a_missing_consent(world, ask_mode):
    """The one ConditionCheck carries both conditions; the refused item tells which one failed, so
    a deletion still discards a late write (and nothing is held for a question about it)."""
    from cramp_helper.storage import Store

    store = Store(world.repository, USER)
    store.delete_all(at="2026-11-23T09:00:00Z")
    late = {"started_at": "2026-11-23T08:59:00Z", "muscle": "CALF"}
    new = {"started_at": "2026-11-23T09:01:00Z", "muscle": "CALF"}
    assert store.start_episode("late", late) == "deleted"
    assert store.start_episode("new", new) == "unconsented"
    assert [i["sk"] for i in mine(world)] == ["PROFILE"]
    assert user_key(USER) == mine(world)[0]["pk"]


def test_skill_disabled_erases_in_off_mode_too_what_an_earlier_mode_kept(world, monkeypatch):
    monkeypatch.setenv("EPISODE_LOG", "on")
    guided_cramp(world)
    assert len(world.episodes(USER)) == 1
    monkeypatch.setenv("EPISODE_LOG", "off")  # the deployment changed its mode since
    event = load_event("skill_disabled")
    event["context"]["System"]["user"]["userId"] = USER
    event["request"]["timestamp"] = event["request"]["eventCreationTime"] = "2026-11-23T09:00:00Z"
    world.clock.now = NIGHT + timedelta(hours=1)
    world.handler(event, None)
    assert world.episodes(USER) == [] and profile_of(USER)["disabled_at"] == "2026-11-23T09:00:00Z"


def test_a_yes_that_cannot_be_saved_says_so_and_stores_nothing(world, ask_mode):
    talk, _ = guided_cramp(world)
    world.faults.fail("UpdateItem", "InternalServerError", times=10)  # the PROFILE write fails
    reply = talk.intent("AMAZON.YesIntent")
    assert reply.ended and reply.speech.startswith("Sorry, I couldn't save that just now, so nothing is")
    world.faults.clear()
    assert mine(world) == []  # no consent, so no cramp either


def test_a_table_outage_before_any_answer_guides_asks_nothing_and_the_drain_stores_nothing(aws, ask_mode):
    from testkit.world import DurableWorld

    world = DurableWorld()
    world.table_down()
    talk = world.conversation(USER)
    assert talk.intent("CrampIntent", Muscle="calf").hold_seconds() > 0  # guided, table or not
    gone = talk.intent("CrampGoneIntent")
    assert gone.ended and QUESTION not in gone.speech  # whether a yes exists is unknown: no guess
    assert world.queued() == 1  # the cramp's writes went to the queue...
    world.faults.clear()
    world.drain()
    assert mine(world) == []  # ...and the table refused them there too: no yes on record
