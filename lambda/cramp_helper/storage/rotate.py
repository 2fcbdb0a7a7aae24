"""Owns the key rotation's move (docs/data-model.md, "Rotation"): a person's partition under the
previous key (or in the plain form from before issue 21) is copied into their partition under the
current key, then deleted, the next time they speak: the session's profile read finds it
(Store.load_profile), and the turn moves it once its answer is made (turn.persist,
Store.move_to_current_key, in a window of its own). Copy then delete, item by
item, so an interrupted move (a timeout, throttling, the request's budget) leaves every item in one
partition or both, never neither; running it again finishes it (every copy is conditional, so a
second copy changes nothing). Until it has finished, history reads both partitions and deletion
covers both (Store).

What is copied, and how:

- an episode or stretch session: a Put into the new partition that keeps the item as it is (its
  ``expires_at`` too: a move is not a write of the person's, so it never extends retention), under
  the same tombstone checks as any start (the new PROFILE, and for a person the account's
  ``disabled_at``), registering the person in the account in the same transaction. An item already
  there (copied before, or written there since) is kept, unless only the old one has an outcome,
  which is then added. An item the old partition's own tombstone covers (a deletion still being
  purged) is not copied.
- the PROFILE: its tombstones first (never moved back in time, so nothing deleted under the old key
  comes back through a late queued write), then the bookmark through Store.bookmark (the one
  ordering rule), then the voice preference when the new profile has none.
- an account's MEMBER# items (a voice profile's partition, under whichever key made it): as they are,
  so SkillDisabled still finds every person, moved or not.

The old items are deleted (BatchWriteItem) only after their copies are committed, the PROFILE last.
"""

from __future__ import annotations

import time
from typing import Any

from ..records import BOOKMARK, DELETED_AT, DISABLED_AT, VOICE, Bookmark
from .codec import encode_item, set_expression
from .keys import EPISODE, MEMBER, PREVENTION, PROFILE, table_key

Store = Any  # a storage.store.Store (not imported: store loads this module, on a profile read)

MOVE_WINDOW_S = 0.5  # a move starts no new item after this long; the next session carries on


def read_partition(store: Store, pk: str) -> list[dict]:
    """Every item of ``pk`` (consistent reads, all pages)."""
    from .codec import decode_item

    repository = store._repository
    items: list[dict] = []
    kwargs = {"TableName": repository.config.name, "ConsistentRead": True,
              "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": {"S": pk}}}
    while True:
        page = repository._call("query", **kwargs)
        items.extend(decode_item(i) for i in page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def move(store: Store, old_pk: str, items: list[dict], until: float) -> bool:
    """Move ``items`` (all of ``old_pk``, as read) into the store's partition. True when every one
    was moved and deleted from ``old_pk``; False when time ran out (the rest stays, and is read
    from there). A failing call raises StorageError: what was done stays done."""
    repository = store._repository
    profile = next((i for i in items if i.get("sk") == PROFILE), None)
    cut = max((str(profile[a]) for a in (DELETED_AT, DISABLED_AT) if isinstance((profile or {}).get(a), str)),
              default="")
    if profile is not None:
        _copy_tombstones(store, profile)
    done: list[dict] = []
    for item in items:
        sk = str(item.get("sk", ""))
        if sk == PROFILE:
            continue
        if time.monotonic() > until:
            _delete(store, old_pk, done, until)
            return False
        started = item.get("started_at")
        if sk.startswith((EPISODE, PREVENTION)):
            if not (cut and (not isinstance(started, str) or started <= cut)):
                _copy_record(store, sk, item)
        elif sk.startswith(MEMBER):
            repository._conditional("put_item", Item=encode_item({**item, "pk": store._pk}),
                                    ConditionExpression="attribute_not_exists(pk)")
        done.append(item)
    if profile is not None:
        _copy_preferences(store, profile)
        done.append(profile)
    return _delete(store, old_pk, done, until)


def _copy_record(store: Store, sk: str, item: dict) -> None:
    """An episode or stretch session, as it is, under the tombstone checks of any start."""
    repository = store._repository
    started = item["started_at"] if isinstance(item.get("started_at"), str) else ""  # "": any tombstone wins
    guards = store._guards()
    actions = [repository._check(guard, started) for guard in guards]
    put_at = len(actions)
    actions.append({"Put": {"TableName": repository.config.name,
                            "Item": encode_item({**item, "pk": store._pk, "sk": sk}),
                            "ConditionExpression": "attribute_not_exists(pk)"}})
    actions += repository._registration_updates(store._registrations())
    if repository._transact(actions, guard_indexes=range(put_at), exists_index=put_at) != "exists":
        return
    ended = {k: item[k] for k in ("outcome", "ended_at", "duration_s", "techniques") if k in item}
    if ended:  # the copy there has no outcome yet: add the old one's (never replace one)
        fields = {**ended, "expires_at": item.get("expires_at") or repository.expires_at()}
        repository._conditional("update_item", Key=table_key(store._pk, sk),
                                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(#c0)",
                                **_named(set_expression(fields), "outcome"))


def _named(expression: dict, outcome: str) -> dict:
    expression["ExpressionAttributeNames"]["#c0"] = outcome
    return expression


def _copy_tombstones(store: Store, profile: dict) -> None:
    """The old PROFILE's deletion times onto the new one, each never moved back in time."""
    for attribute in (DELETED_AT, DISABLED_AT):
        at = profile.get(attribute)
        if not isinstance(at, str):
            continue
        fields = store._repository.profile_fields({attribute: at, "kind": "profile"})
        store._repository._conditional("update_item", Key=table_key(store._pk, PROFILE),
                                       ConditionExpression="attribute_not_exists(#f0) OR #f0 < :v0",
                                       **set_expression(fields))


def _copy_preferences(store: Store, profile: dict) -> None:
    """The bookmark (through the one ordering rule) and the voice (when the new profile has none)."""
    mark = Bookmark.from_json(profile.get(BOOKMARK)) if isinstance(profile.get(BOOKMARK), dict) else None
    if mark is not None:
        try:
            store.bookmark(mark)
        except ValueError:
            pass  # unreadable: nothing to keep
    voice = profile.get(VOICE)
    if isinstance(voice, str) and not store._profile_item().get(VOICE):
        fields = store._repository.profile_fields({VOICE: voice, "kind": "profile"})
        expression = set_expression(fields)
        store._repository._conditional("update_item", Key=table_key(store._pk, PROFILE),
                                       ConditionExpression="attribute_not_exists(#f0)", **expression)
        store._profile = None  # read again with the voice


def _delete(store: Store, old_pk: str, items: list[dict], until: float) -> bool:
    """Delete the moved items from ``old_pk``, retrying throttled batches until ``until`` only: a
    move never spends the time the turn's own answer needs. False when time ran out (what was not
    deleted is still copied, read once, and deleted by the next move)."""
    from .erase import Eraser

    keys = [table_key(old_pk, str(i["sk"])) for i in items]
    eraser = Eraser(store._repository)
    for start in range(0, len(keys), 25):
        if not eraser._delete_batch(keys[start:start + 25], until):
            return False
    return True
