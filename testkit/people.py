"""Several people on one account, shared by the tests and bench/fault_matrix.py.

Two people on one account, and a speaker Alexa does not recognise.

When Alexa recognises a voice profile (context.System.person.personId), the episodes, the history,
the voice preference, the open-cramp bookmark and "delete my history" are that person's; otherwise
they are the account's. The three never mix. Disabling the skill deletes all of them: each person's
first write registers them in the account's partition, so the account's deletion can find them.
"""

from __future__ import annotations

import time
from datetime import timedelta

from cramp_helper.storage import Store, user_key
from testkit.conversation import Conversation, load_event
from testkit.deletion import left, profile_of
from testkit.durability import DurableWorld, Row
from testkit.world import NIGHT

ACCOUNT = "amzn1.ask.account.SHAREDECHO"
ANA = "amzn1.ask.person.ANA"
BEN = "amzn1.ask.person.BEN"
MUSCLES = {ANA: ("calf", "CALF"), BEN: ("foot", "FOOT"), None: ("hamstring", "HAMSTRING")}
SAID = {"CALF": "calf", "FOOT": "foot", "HAMSTRING": "hamstring"}


class Speaker(Conversation):
    """A conversation on the shared account, by a recognised person (or nobody recognised)."""

    def __init__(self, person: str | None, **kwargs):
        super().__init__(user_id=ACCOUNT, **kwargs)
        self.person = person

    def _envelope(self, fixture: str, request: dict | None = None) -> dict:
        envelope = super()._envelope(fixture, request)
        if self.person:
            envelope["context"]["System"]["person"] = {"personId": self.person,
                                                      "accessToken": "person-access-token"}
        return envelope


def speak(world: DurableWorld, person: str | None) -> Speaker:
    return Speaker(person, handler=world.handler, clock=world.clock)


def owner(person: str | None) -> str:
    return person or ACCOUNT


def store(world: DurableWorld, person: str | None) -> Store:
    return Store(world.repository, owner(person), ACCOUNT)


def two_people(world: DurableWorld) -> Row:
    row = Row("two people on one account")
    started = time.perf_counter()
    world.clock.now = NIGHT
    logged = {ANA: 2, BEN: 1, None: 3}

    def check(condition: bool, what: str, kind: str = "crossed") -> None:
        row.cases += 1
        if not condition:
            setattr(row, kind, getattr(row, kind) + 1)
            row.problems.append(what)

    # Each logs their own cramps; Ana asks to whisper; Ben stops mid-cramp (bookmarked).
    for person, count in logged.items():
        words, _ = MUSCLES[person]
        for _ in range(count):
            world.clock.now += timedelta(minutes=7)
            talk = speak(world, person)
            talk.intent("CrampIntent", Muscle=words)
            talk.intent("CrampGoneIntent")
    speak(world, ANA).intent("WhisperIntent")
    world.clock.now += timedelta(minutes=3)
    ben = speak(world, BEN)
    ben.intent("CrampIntent", Muscle="foot")
    ben.intent("AMAZON.StopIntent")

    # Partitions: three, none holding another's items; the people registered in the account's.
    partitions = {p: user_key(owner(p)) for p in logged}
    check(len(set(partitions.values())) == 3, "two owners share a partition")
    for person, pk in partitions.items():
        _, muscle = MUSCLES[person]
        mine = [i for i in world.items() if i["pk"] == pk and i["sk"].startswith("EP#")]
        check(all(i.get("muscle") == muscle for i in mine), f"{owner(person)}'s partition holds another's")
        expected = logged[person] + (person == BEN)
        check(len(mine) == expected, f"{owner(person)} has {len(mine)} episodes, not {expected}", "lost")
    members = {i["sk"] for i in left(world, ACCOUNT) if i["sk"].startswith("MEMBER#")}
    check(members == {f"MEMBER#{partitions[ANA]}", f"MEMBER#{partitions[BEN]}"},
          f"members registered: {sorted(members)}", "lost")

    # History: each hears only their own.
    world.clock.now += timedelta(hours=12)
    for person in logged:
        last = speak(world, person).intent("LastCrampIntent").speech
        _, muscle = MUSCLES[person]
        others = [SAID[m] for p, (_, m) in MUSCLES.items() if p != person]
        check(SAID[muscle] in last and not any(o in last for o in others),
              f"{owner(person)} heard {last!r}")
        history = store(world, person).history()
        check({e.get("muscle") for e in history if e["kind"] == "episode"} == {muscle},
              f"{owner(person)}'s history mixes muscles")

    # The voice preference is Ana's alone; the bookmark is Ben's alone.
    check(profile_of(ANA).get("voice") == "WHISPER", "Ana's preference is not stored", "lost")
    check("voice" not in profile_of(BEN) and "voice" not in profile_of(ACCOUNT), "the whisper spread")
    check("open_episode" in profile_of(BEN), "Ben's bookmark is missing", "lost")
    check("open_episode" not in profile_of(ANA) and "open_episode" not in profile_of(ACCOUNT),
          "Ben's bookmark spread")

    # "Delete my history" by Ana deletes Ana's only; by the unrecognised speaker, the account's only.
    for deleter in (ANA, None):
        talk = speak(world, deleter)
        talk.intent("DeleteHistoryIntent")
        talk.intent("AMAZON.YesIntent")
        check([i for i in left(world, owner(deleter)) if not i["sk"].startswith("MEMBER#")] == [],
              f"{owner(deleter)}'s delete left items", "resurrected")
    ben_left = [i for i in left(world, BEN) if i["sk"].startswith("EP#")]
    check(len(ben_left) == logged[BEN] + 1, f"Ben has {len(ben_left)} episodes after the others deleted",
          "lost")
    check("open_episode" in profile_of(BEN), "Ben's bookmark went with another's delete", "lost")
    check(len([i for i in left(world, ACCOUNT) if i["sk"].startswith("MEMBER#")]) == 2,
          "the account's delete dropped the registrations", "lost")

    # Disabling the skill deletes everyone's.
    event = load_event("skill_disabled")
    event["context"]["System"]["user"]["userId"] = ACCOUNT
    event["request"]["timestamp"] = world.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    world.handler(event, None)
    world.drain()
    for person in logged:
        check(left(world, owner(person)) == [], f"{owner(person)}'s data survived SkillDisabled",
              "resurrected")
    row.seconds = time.perf_counter() - started
    row.detail = ("Ana (2 cramps, whispers), Ben (1 cramp + one open), the unrecognised speaker (3): "
                  "history, voice, bookmark, two deletes, then SkillDisabled")
    return row
