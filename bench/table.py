"""Table calls per request type in a typical night, counted by botocore operation (section table)."""

from __future__ import annotations

import contextlib
import datetime as dt

from bench.common import (
    out,
)


# =================================================================================================
# Table calls per request type
# =================================================================================================
@contextlib.contextmanager
def moto_world(zone: str | None = None):
    """testkit.world.World: the real handler on an in-process moto table, fake Alexa API, clock
    (the device in ``zone``, else the World's default), with EPISODE_LOG=on while it lives (the
    person said yes to the log), as the tests and docs/data-model.md's promised calls assume: the
    environment's "ask" would store nothing before a yes. A conversation file that names its own
    mode plays in it (run_conversation)."""
    from testkit.world import World, moto_table
    from tools.conversation_files import episode_log

    with episode_log("on"), moto_table():
        yield World(zone=zone) if zone else World()


class CallCounter:
    def __init__(self, client):
        self.calls: list[str] = []
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_):
        self.calls.append(model.name)

    def take(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for name in self.calls:
            counts[name] = counts.get(name, 0) + 1
        self.calls = []
        return counts


# What docs/data-model.md promises: label -> (exact calls, or None for "report only").
# A start is one conditional write: a TransactWriteItems (the put, guarded by the person's deletion
# tombstone, docs/data-model.md), still no read.
EXPECTED_CALLS = {
    "CrampIntent (one-shot start)": {"TransactWriteItems": 1},
    "CrampIntent (one-shot, carried)": {"TransactWriteItems": 1},
    # the session closes mid-cramp: the episode's place is kept in the profile, in one transaction
    # that writes it only if it is newer and its episode has not ended (issue 21: bookmarks in order)
    "SessionEndedRequest (mid-cramp)": {"TransactWriteItems": 1},
    # the new session's one read (profile: bookmark and voice), and the bookmark cleared
    "StillCrampingIntent (new session)": {"GetItem": 1, "UpdateItem": 1},
    "CrampGoneIntent (carried, end)": {"UpdateItem": 1},
    "AMAZON.NextIntent (navigation)": {},
    "AMAZON.RepeatIntent (navigation)": {},
    "CrampGoneIntent (end)": {"UpdateItem": 1},
    "CrampCountIntent (history)": {"Query": 1},
    "HistorySummaryIntent (history)": {"Query": 1},
}


def bench_table(results: dict) -> None:
    out("\n== Table calls per request type (botocore before-call hook, moto in-process) ==")
    with moto_world() as world:
        counter = CallCounter(world.client)
        rows = []

        night = world.conversation("amzn1.ask.account.BENCHTABLE")

        def turn(label, call):
            api_before, first = len(world.api.calls), night.new
            call()
            rows.append((label, counter.take(), len(world.api.calls) - api_before, first))
        turn("CrampIntent (one-shot start)", lambda: night.intent("CrampIntent", Muscle="calf", Side="left"))
        turn("StillCrampingIntent", lambda: night.intent("StillCrampingIntent"))
        turn("AMAZON.NextIntent (navigation)", lambda: night.intent("AMAZON.NextIntent"))
        turn("AMAZON.RepeatIntent (navigation)", lambda: night.intent("AMAZON.RepeatIntent"))
        turn("AMAZON.HelpIntent", lambda: night.intent("AMAZON.HelpIntent"))
        turn("CrampGoneIntent (end)", lambda: night.intent("CrampGoneIntent"))
        turn("LaunchRequest", night.launch)
        turn("CrampIntent (after launch)", lambda: night.intent("CrampIntent", Muscle="foot"))
        turn("SessionEndedRequest (abandoned)", night.session_ended)
        turn("CrampCountIntent (history)", lambda: night.intent("CrampCountIntent"))
        turn("HistorySummaryIntent (history)", lambda: night.intent("HistorySummaryIntent"))
        turn("DeleteHistoryIntent (asks)", lambda: night.intent("DeleteHistoryIntent"))
        turn("AMAZON.YesIntent (delete)", lambda: night.intent("AMAZON.YesIntent"))
        episodes_left = len(world.episodes())
        # One cramp across two sessions: silence closes the first, "still cramping" carries on.
        carried = world.conversation("amzn1.ask.account.BENCHCARRIED")
        night = carried
        turn("CrampIntent (one-shot, carried)", lambda: carried.intent("CrampIntent", Muscle="foot"))
        turn("SessionEndedRequest (mid-cramp)", carried.session_ended)
        world.clock.now += dt.timedelta(minutes=2)
        turn("StillCrampingIntent (new session)", lambda: carried.intent("StillCrampingIntent"))
        turn("CrampGoneIntent (carried, end)", lambda: carried.intent("CrampGoneIntent"))
        carried_episodes = [e for e in world.episodes() if e.get("muscle") == "FOOT"]
    out(f"  {'request':34} {'new':>3}  {'table calls':28} {'API':>3}  promised (docs/data-model.md)")
    mismatches, profile_reads = [], 0
    for label, calls, api_calls, first in rows:
        shown = ", ".join(f"{op} {n}" for op, n in sorted(calls.items())) or "none"
        rest = dict(calls)
        promise = EXPECTED_CALLS.get(label) or {}
        if rest.get("GetItem") == 1 and "GetItem" not in promise:  # the profile, read once a session
            profile_reads += 1
            del rest["GetItem"]
        extra = " + the session's profile read" if rest != calls else ""
        promise = EXPECTED_CALLS.get(label)
        if label.startswith("AMAZON.YesIntent"):
            # the tombstone first (one update), then query + batch deletes
            ok = rest.get("Query", 0) >= 1 and rest.get("BatchWriteItem", 0) >= 1 and set(rest) <= {
                "Query", "BatchWriteItem", "UpdateItem"}
            wanted = "tombstone + query + batch writes"
            verdict = (wanted if ok else "NOT " + wanted) + extra
        elif promise is None:
            ok, verdict = True, ""
        else:
            ok = rest == promise
            wanted = ", ".join(f"{op} {n}" for op, n in promise.items()) or "none"
            verdict = ("" if ok else "NOT ") + wanted + extra
        if not ok:
            mismatches.append(label)
        out(f"  {label:34} {'yes' if first else '':>3}  {shown:28} {api_calls:>3}  {verdict}")
    out(f"  items left after the delete: {episodes_left}; promises broken: {mismatches or 'none'}")
    one = len(carried_episodes) == 1 and carried_episodes[0].get("outcome") == "RELIEVED"
    out(f"  one cramp across two sessions: {len(carried_episodes)} episode(s) stored, outcome "
        f"{carried_episodes[0].get('outcome') if carried_episodes else None}: "
        f"{'one episode, one start write, one end write' if one else 'NOT one episode'}")
    if not one:
        mismatches.append("carried episode")
    out("  new = first request of a session; API = device time-zone lookups (at most one per session).")
    out(f"  {profile_reads} GetItem calls are the profile read (voice preference and the bookmark of a cramp")
    out("  whose session closed) that voice.py makes once per session, on the first request that may look")
    out("  up: never a one-shot cramp's first answer, a red flag, help or stop.")
    results["table"] = {"rows": [(label, calls) for label, calls, _, _ in rows], "mismatches": mismatches,
                        "profile_reads": profile_reads}
