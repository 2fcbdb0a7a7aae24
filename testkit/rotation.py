"""Key rotation (issue 21, item 8), shared by tests/functional/test_key_rotation.py and the fault
matrix's findings rows: histories written before the HMAC named its kind, under key id k1 (the
"plain" form), then the skill deployed with a new key k2 and k1 as its previous key.

``with keys(...)`` sets the environment the way template.yaml does (CRAMP_KEY_ID and its secret,
CRAMP_PREVIOUS_KEY_ID and its own secret); ``make_plain`` rewrites a partition the current code
wrote into the form the code before issue 21 wrote (the HMAC of the bare id), so the tests start
from exactly what a deployed table would hold.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest

from cramp_helper import config
from cramp_helper.storage import decode_item, user_key
from cramp_helper.storage.keys import PLAIN, kind_of
from testkit.world import TABLE, World

OLD_SECRET = "old-secret-for-key-one-" * 2  # 46 bytes: k1, before the rotation
NEW_SECRET = "new-secret-for-key-two-" * 2
OLD = config.PseudonymKey("k1", OLD_SECRET.encode())
NEW = config.PseudonymKey("k2", NEW_SECRET.encode())


@contextmanager
def keys(current: config.PseudonymKey, previous: config.PseudonymKey | None = None, *,
         previous_secret: bool = True):
    """The skill's key environment: ``current`` (CRAMP_KEY_ID, CRAMP_KEY_SECRET) and ``previous``
    (CRAMP_PREVIOUS_KEY_ID, and unless ``previous_secret`` is False, CRAMP_PREVIOUS_KEY_SECRET)."""
    with pytest.MonkeyPatch.context() as env:
        env.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
        env.delenv("CRAMP_KEY_SECRET_ARN", raising=False)
        env.delenv("CRAMP_PREVIOUS_KEY_SECRET_ARN", raising=False)
        env.setenv("CRAMP_KEY_ID", current.key_id)
        env.setenv("CRAMP_KEY_SECRET", current.secret.decode())
        env.delenv("CRAMP_PREVIOUS_KEY_ID", raising=False)
        env.delenv("CRAMP_PREVIOUS_KEY_SECRET", raising=False)
        if previous is not None:
            env.setenv("CRAMP_PREVIOUS_KEY_ID", previous.key_id)
            if previous_secret:
                env.setenv("CRAMP_PREVIOUS_KEY_SECRET", previous.secret.decode())
        yield env


def items_at(world: World, pk: str, prefix: str = "") -> list[dict]:
    """Every item of one partition key (a client no fault is injected into)."""
    kwargs = {"TableName": TABLE, "KeyConditionExpression": "pk = :pk",
              "ExpressionAttributeValues": {":pk": {"S": pk}}}
    items = []
    while True:
        page = world.reader.query(**kwargs)
        items.extend(decode_item(i) for i in page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return [i for i in items if str(i["sk"]).startswith(prefix)]
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def plain(user: str, key: config.PseudonymKey = OLD) -> str:
    """The partition key the code before issue 21 made: the HMAC of the bare id."""
    return user_key(user, key, PLAIN)


def named(user: str, key: config.PseudonymKey, kind: str | None = None) -> str:
    return user_key(user, key, kind or kind_of(user))


def make_plain(world: World, users: list[str], key: config.PseudonymKey = OLD) -> None:
    """Rewrite ``users``' partitions (written by today's code under ``key``) into the plain form,
    partition keys and MEMBER# references alike: what a table written before issue 21 holds."""
    rename = {named(u, key): plain(u, key) for u in users}
    for old, new in rename.items():
        for item in items_at(world, old):
            sk = str(item["sk"])
            for was, now in rename.items():
                sk = sk.replace(was, now)
            from cramp_helper.storage import encode_item

            world.reader.put_item(TableName=TABLE, Item=encode_item({**item, "pk": new, "sk": sk}))
            world.reader.delete_item(TableName=TABLE, Key={"pk": {"S": old}, "sk": {"S": str(item["sk"])}})


def log_cramps(world: World, talk_of, muscles: list[str], minutes: int = 7) -> None:
    """Each muscle one relieved cramp, ``minutes`` apart (``talk_of()`` starts a new session)."""
    for muscle in muscles:
        world.clock.now += timedelta(minutes=minutes)
        talk = talk_of()
        talk.intent("CrampIntent", Muscle=muscle)
        talk.intent("CrampGoneIntent")


def everywhere(world: World, user: str, prefix: str = "EP#") -> dict[str, int]:
    """How many of ``user``'s items (sort key ``prefix``) each of their partitions holds."""
    places = {"new": named(user, NEW), "old named": named(user, OLD), "old plain": plain(user)}
    return {name: len(items_at(world, pk, prefix)) for name, pk in places.items()}
