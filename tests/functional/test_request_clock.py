"""Issue 21, finding 8: request timestamps are not trusted. A stamp more than five minutes from the
function's clock (Services.now, which tests move together with the request timestamps: testkit's
Clock) is replaced by the function's clock and logged as a WARNING; nothing stored is dated in the
future."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from testkit.clock import Clock
from testkit.conversation import Conversation

USER = "amzn1.ask.account.CLOCKSKEW"
FUTURE = datetime(2099, 1, 1, 3, 0, tzinfo=UTC)


def _forged(world) -> Conversation:
    """A conversation whose request timestamps say 2099 while the function's clock says now."""
    return Conversation(handler=world.handler, clock=Clock(FUTURE), user_id=USER)


def _warnings(capsys) -> list[dict]:
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    return [x for x in lines if x["event"] == "request_time_replaced"]


def _delete(talk) -> str:
    talk.intent("DeleteHistoryIntent")
    return talk.intent("AMAZON.YesIntent").speech


def test_a_cramp_stamped_2099_is_dated_now_and_deleted_by_delete_my_history(world, capsys):
    talk = _forged(world)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("CrampGoneIntent")
    [episode] = world.episodes(USER)
    now = world.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert episode["started_at"] == now and episode["ended_at"] == now
    warnings = _warnings(capsys)
    assert warnings and all(w["level"] == "WARNING" and w["skew_s"] > 0 for w in warnings)

    world.clock.now += timedelta(minutes=1)
    assert _delete(world.conversation(USER)).startswith("Done.")
    assert world.episodes(USER) == []
    assert world.conversation(USER).intent("HistorySummaryIntent").speech.startswith(
        "You haven't logged any cramps with me yet.")


def test_a_deletion_stamped_2099_does_not_block_later_cramps(world, capsys):
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    talk.intent("CrampGoneIntent")
    world.clock.now += timedelta(minutes=1)
    assert _delete(_forged(world)).startswith("Done.")
    [profile] = [i for i in world.partition(USER) if i["sk"] == "PROFILE"]
    assert profile["deleted_at"] == world.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _warnings(capsys)

    world.clock.now += timedelta(minutes=1)
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="foot")
    talk.intent("CrampGoneIntent")
    [episode] = world.episodes(USER)
    assert episode["muscle"] == "FOOT"
    assert world.conversation(USER).intent("HistorySummaryIntent").speech.startswith(
        "In the last 30 days you've had one cramp.")


def test_a_stamp_a_little_off_is_kept_and_never_after_the_clock(world, capsys):
    behind = Conversation(handler=world.handler, clock=Clock(world.clock() - timedelta(minutes=4)),
                          user_id=USER)
    behind.intent("CrampIntent", Muscle="calf")
    behind.intent("CrampGoneIntent")
    ahead = Conversation(handler=world.handler, clock=Clock(world.clock() + timedelta(minutes=4)),
                         user_id=USER)
    ahead.intent("CrampIntent", Muscle="foot")
    ahead.intent("CrampGoneIntent")
    starts = {e["muscle"]: e["started_at"] for e in world.episodes(USER)}
    assert starts == {"CALF": (world.clock() - timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                      "FOOT": world.clock().strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert _warnings(capsys) == []  # jitter, not a forgery: no warning
