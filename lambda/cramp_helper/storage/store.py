"""Owns the storage API the skill uses: ``Store``, one person's data by meaning (start an episode,
end it, save bedtime stretches, their voice preference and the bookmark of a cramp that outlived
its session, their history, delete everything, apply and hand off queued writes). It turns an Alexa
id into the keyed partition, adds the tombstone guards and the account registration to every write
that creates history, and is a no-op when there is no table or no user, so callers never check.
Failures raise StorageError for the caller to queue or apologise.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..config import LOG_ASK, LOG_OFF, episode_log_mode, pseudonym_key
from ..logs import log_event
from ..records import (
    BOOKMARK,
    CONSENT,
    DELETED_AT,
    DISABLED_AT,
    VOICE,
    Bookmark,
    Consent,
    PendingWrite,
    Profile,
)
from . import budget
from .client import StorageError
from .keys import (
    ACCOUNT,
    EPISODE,
    MEMBER,
    PARTITION,
    PERSON,
    PREVENTION,
    PROFILE,
    MissingKey,
    check_key_in_use,
    checked_id,
    old_keys,
    record_id,
    user_key,
)
from .table import OPEN, EpisodeRepository, Guard

if TYPE_CHECKING:
    from .erase import Erased, Eraser


class Store:
    """One person's items. Every method is a no-op (or empty) when there is no table or no user,
    so callers never check; failures raise StorageError for the caller to queue or apologise.

    ``owner_id`` is whose data this is (the recognised voice profile, else the account);
    ``account_id`` the account it belongs to. A recognised person's first write registers them
    in the account's partition, so disabling the skill can find and delete every person's data.

    Episode and prevention ids are opaque strings made by ``new_id``; the sort keys built from
    them are this package's business. The profile is read at most once per request and cached.

    EPISODE_LOG (config.episode_log_mode): with "off" the store is disabled (nothing is stored,
    nothing read); with "ask" every write of a cramp (episode, stretch session, bookmark) is
    conditional on the person's yes on their PROFILE, in the same transaction, so nothing about a
    cramp is stored before it (issue 19; docs/data-model.md, "Consent")."""

    def __init__(self, repository: EpisodeRepository | None, owner_id: str | None,
                 account_id: str | None = None, *, erasing: bool = False):
        self._repository = repository
        self._pk: str | None = None
        self._account_pk: str | None = None
        self._profile: dict | None = None
        self._pending_cut = ""  # a deletion queued but not yet in force (see ``honour``)
        self._rotation: tuple[str, str, object] | None = None  # (owner id, kind, key): see _old_pks
        self._old: list[str] | None = None  # the owner's partitions under the previous key
        self._old_profile: dict = {}  # their old PROFILE while it has not moved (load_profile)
        self._old_items: dict[str, list[dict]] = {}  # what load_profile found there, to move
        self.log_mode = episode_log_mode()
        off = self.log_mode == LOG_OFF and not erasing  # ``erasing``: SkillDisabled erases in every mode
        if repository is None or not repository.enabled or not owner_id or off:
            return
        key = pseudonym_key()
        if key is None:
            log_event("key_secret_missing", level="ERROR",
                      message="CRAMP_KEY_SECRET is not set, or CRAMP_KEY_ID is not 1-8 letters and "
                              "digits: nothing is stored")
            return
        # The HMAC input names the id's kind by its role here: a person's id can never reach an
        # account's partition (or the reverse), whatever it spells.
        kind = PERSON if account_id and account_id != owner_id else ACCOUNT
        self._pk = user_key(owner_id, key, kind)
        self._rotation = (owner_id, kind, key)
        if kind == PERSON:
            self._account_pk = user_key(account_id, key, ACCOUNT)

    @classmethod
    def for_partition(cls, repository: EpisodeRepository, pk: str, account_pk: str | None = None) -> Store:
        """A store over a partition key as a queued message carries it (the drain)."""
        if not PARTITION.match(pk) or (account_pk is not None and not PARTITION.match(account_pk)):
            raise ValueError("not a partition key")
        for key in (pk, account_pk):
            if key is not None:
                check_key_in_use(key)  # UnknownKey: written there, nothing would ever find it
        store = cls(None, None)
        if store.log_mode == LOG_OFF:
            raise ValueError("EPISODE_LOG is off: nothing is stored")
        store._repository = repository
        store._pk = pk
        store._account_pk = account_pk if account_pk != pk else None
        store._old = []  # a queued message names its partition: it is never moved from here
        return store

    @property
    def enabled(self) -> bool:
        return self._pk is not None

    @staticmethod
    def new_id(request_id: str) -> str:
        """An id fixed by the request id alone: Alexa delivering a request again (with the same
        id and a new timestamp) writes the same item."""
        return record_id(request_id)

    @property
    def asks_consent(self) -> bool:
        """EPISODE_LOG=ask: a cramp is stored only after the person's yes."""
        return self.enabled and self.log_mode == LOG_ASK

    def _guards(self) -> list[Guard]:
        guards = [Guard(self._pk, (DELETED_AT, DISABLED_AT), consent=self.log_mode == LOG_ASK)]
        if self._account_pk is not None:
            guards.append(Guard(self._account_pk, (DISABLED_AT,)))
        return guards

    def _registrations(self) -> tuple[tuple[str, str, dict], ...]:
        if self._account_pk is None:
            return ()
        return ((self._account_pk, MEMBER + self._pk, {"kind": "member"}),)

    def honour(self, deleted_at: str | None) -> None:
        """A deletion as of ``deleted_at`` was handed to the purge job without its tombstone (the
        session carries the marker, state.purge_at): until the job has run, every history answer
        and every write of this request treats it as if the tombstone were there."""
        if isinstance(deleted_at, str) and deleted_at > self._pending_cut:
            self._pending_cut = deleted_at

    def _purged(self, started: str) -> bool:
        return bool(self._pending_cut) and started <= self._pending_cut

    def _create(self, sk: str, item: dict, kind: str, marker: str | None = None) -> str:
        started = item.get("started_at") if isinstance(item.get("started_at"), str) else ""
        if self._purged(started):
            log_event("write_discarded_after_deletion", kind=kind, pending=True)
            return "deleted"
        result = self._repository.create_guarded(self._pk, {**item, "sk": sk, "kind": kind},
                                                 self._guards(), started, self._registrations(),
                                                 marker=marker)
        if result == "deleted":
            log_event("write_discarded_after_deletion", kind=kind)
        elif result == "unconsented":
            log_event("write_not_consented", kind=kind)  # INFO: the expected answer before a yes
        return result

    def _eraser(self) -> Eraser:
        from .erase import Eraser  # deletion only: a cramp's writes never load the eraser

        return Eraser(self._repository)

    # --- episodes ----------------------------------------------------------------------
    def start_episode(self, episode_id: str, item: dict, end: dict | None = None) -> str:
        """Create the episode once; with ``end``, start and end in one write (or, when the start
        had landed already and its answer was lost, the end applied as an update). Nothing is
        written for an episode that started before the person's history was deleted, nor (ask
        mode) before the person's yes. A start for the same muscle within a minute of an open
        start is that cramp (the first answer was lost and the person said it again, with a new
        request id): the open-cramp marker, Put in the same transaction, names it.

        Returns "created", "exists", "deleted", "unconsented", "disabled", or "same:<id>" (this
        cramp is the open episode ``id``: the caller carries on with that id)."""
        if not self.enabled:
            return "disabled"
        end = {k: v for k, v in (end or {}).items() if v is not None}
        sk = EPISODE + checked_id(episode_id)
        muscle = item.get("muscle")
        marker = OPEN + muscle if isinstance(muscle, str) and muscle.isalnum() and len(muscle) <= 40 else None
        result = self._create(sk, {**item, **end}, "episode", marker=marker)
        if result.startswith("open:"):
            result = self._same_cramp(result[len("open:"):], sk, {**item, **end}, marker, end)
        if result == "exists" and end:
            self._repository.update_registered(self._pk, sk, end, self._registrations())
        return result

    def _same_cramp(self, open_id: str, sk: str, item: dict, marker: str, end: dict) -> str:
        """The marker names another episode started under a minute ago. Still open (no outcome):
        this is that cramp ("same:<id>", and an ``end`` goes to it). Ended, or gone: a new cramp,
        written as one, and the marker moved to it (the rare path: one read, two writes)."""
        open_sk = EPISODE + checked_id(open_id)
        held = self._repository.get(self._pk, open_sk)
        if isinstance(held, dict) and "outcome" not in held:
            log_event("episode_same_cramp")
            if end:
                self._repository.update_registered(self._pk, open_sk, end, self._registrations())
            return "same:" + open_id
        result = self._create(sk, item, "episode")
        if result == "created":
            self._repository.replace_marker(self._pk, marker, {**item, "sk": sk}, item.get("started_at", ""))
        return result

    def end_episode(self, episode_id: str, fields: dict, item: dict | None = None) -> None:
        """Set the outcome. If the episode is not there (its start never landed: it may still be
        on its way through the queue), ``item`` (its start) and the end are written together,
        under the same tombstone check as a start."""
        if not self.enabled:
            return
        sk = EPISODE + checked_id(episode_id)
        if self._repository.update_registered(self._pk, sk, fields, self._registrations()) \
                or not isinstance(item, dict):
            return
        end = {k: v for k, v in fields.items() if v is not None}
        if self._create(sk, {**item, **end}, "episode") == "exists":
            self._repository.update_registered(self._pk, sk, end, self._registrations())

    def save_prevention(self, session_id: str, item: dict) -> str:
        if not self.enabled:
            return "disabled"
        return self._create(PREVENTION + checked_id(session_id), item, "prevention")

    # --- consent (EPISODE_LOG=ask) ------------------------------------------------------
    def save_consent(self, consent: Consent, voice: str | None = None) -> None:
        """The person's answer about keeping a log (yes, no, start or stop logging), on their
        PROFILE with its time and the question's wording version. Erased with their history.
        ``voice``: a voice preference to keep (a no deletes the history kept before consent,
        and the tombstone with it the preference, which is not history)."""
        if not self.enabled:
            return
        fields = {CONSENT: consent.to_json(), "kind": "profile"}
        if voice is not None:
            fields[VOICE] = voice
        self._profile = None
        if self._account_pk is None:
            self._repository.upsert(self._pk, PROFILE, fields)
        else:
            self._repository.write_together([(self._pk, PROFILE, fields), *self._registrations()])

    # --- the profile: voice preference and the open-episode bookmark --------------------
    def _profile_item(self) -> dict:
        """The person's profile item, raw (one GetItem, at most once per request)."""
        if not self.enabled:
            return {}
        if self._profile is None:
            self._profile = self._repository.get(self._pk, PROFILE) or {}
        return self._profile

    # --- the key rotation (storage/rotate.py, docs/data-model.md "Rotation") -------------------
    def _old_pks(self) -> list[str]:
        """The owner's partitions under the previous key (named and plain), where a rotation may
        still hold their history. MissingKey when a previous key id is set but its secret cannot be
        read (logged ``key_secret_missing``): those partitions can be neither read nor deleted."""
        if self._old is None:
            owner, kind, key = self._rotation or (None, None, None)
            if owner is None:
                return []
            try:
                self._old = [pk for pk in old_keys(owner, kind, key) if pk != self._pk]
            except MissingKey:
                log_event("key_secret_missing", level="ERROR", key="previous",
                          message="CRAMP_PREVIOUS_KEY_ID is set but its secret cannot be read")
                raise
        return self._old

    def _reachable_old_pks(self) -> list[str]:
        """``_old_pks``, or StorageError (kind KeyMissing) when they cannot be computed: a history
        answer or a deletion without them would not be the whole truth."""
        try:
            return self._old_pks()
        except MissingKey as err:
            raise StorageError("KeyMissing", "get_secret_value") from err

    def _read_old(self) -> None:
        """Read the owner's partitions under the previous key (rotate.read_partition: a small
        Query each), keeping what they hold for ``move_to_current_key`` and their PROFILE for this
        request's profile."""
        self._old_items = {}
        olds = self._old_pks()
        if not olds:
            return  # no rotation under way: nothing more is read, nothing more is loaded
        from . import rotate  # only a rotation's profile read loads it

        for old in olds:
            items = rotate.read_partition(self, old)
            if items:
                self._old_items[old] = items
                self._old_profile = next((i for i in items if i.get("sk") == PROFILE), self._old_profile)

    @property
    def move_due(self) -> bool:
        """This request found history under the previous key (``load_profile``): the turn moves
        it once its answer is made (turn.persist)."""
        return bool(self._old_items)

    def move_to_current_key(self) -> bool:
        """Move what ``load_profile`` found under the previous key into the owner's current
        partition (copy, then delete: rotate.move), in a window of its own (rotate.MOVE_WINDOW_S)
        after the turn's answer is made, so a slow move never costs the answer its reads. True
        when nothing is left there. Never raises: what was moved stays moved, and the next session
        carries on (history and deletion read both until then)."""
        from . import rotate

        left = False
        with budget.reserved_budget(rotate.MOVE_WINDOW_S):
            until = time.monotonic() + rotate.MOVE_WINDOW_S
            for old, items in self._old_items.items():
                try:
                    moved = rotate.move(self, old, items, until)
                except StorageError as err:
                    log_event("key_move_incomplete", level="WARNING", error_type=err.kind)
                    moved = False
                log_event("key_partition_moved", items=len(items), finished=moved)
                left = left or not moved
        self._old_items = {}
        return not left

    def load_profile(self) -> Profile:
        """The person's profile as a record (the same single, cached GetItem as ``profile``):
        ``.voice`` (WHISPER, NORMAL or None) and ``.bookmark`` (a Bookmark or None). During a key
        rotation the session's one profile read also reads the owner's partitions under the
        previous key (``_read_old``): their old PROFILE's voice and bookmark count now, and what
        they hold is moved once the turn has answered (``move_due``, ``move_to_current_key``)."""
        item = self._profile_item()
        try:
            self._read_old()
        except (StorageError, MissingKey) as err:
            log_event("key_move_incomplete", level="WARNING", error_type=getattr(err, "kind", "MissingKey"))
        if self._old_profile:
            item = {**{k: v for k, v in self._old_profile.items() if k in (VOICE, BOOKMARK)}, **item}
        return Profile.from_item(item)

    def cramps_started(self) -> list[tuple[str, str]]:
        """(episode id, start) of the cramps begun in the last day, one a muscle: their open-cramp
        markers (OPEN#<muscle>, one Query). A bookmark older than one of them was left behind by
        a later cramp (episodes.resume)."""
        if not self.enabled:
            return []
        return [(str(item.get("episode", "")), str(item["started_at"]))
                for item in self._repository.query(self._pk, OPEN)
                if isinstance(item.get("started_at"), str)]

    def save_voice(self, value: str) -> None:
        if not self.enabled:
            return
        fields = {VOICE: value, "kind": "profile"}
        if self._account_pk is None:
            self._repository.upsert(self._pk, PROFILE, fields)
        else:
            self._repository.write_together([(self._pk, PROFILE, fields), *self._registrations()])

    def bookmark(self, snapshot: dict | Bookmark) -> str | None:
        """Keep the place of a cramp whose session closed, only if it is newer than any bookmark
        this profile has held and its episode has not ended (``Bookmark.supersedes``, checked by
        the table in one transaction): a replayed, redelivered, redriven or late bookmark changes
        nothing. A snapshot that is not a readable bookmark raises ValueError."""
        if not self.enabled:
            return
        mark = snapshot if isinstance(snapshot, Bookmark) else Bookmark.from_json(snapshot)
        if mark is None:
            raise ValueError("unreadable bookmark")
        if self._purged(mark.episode.started_at):
            log_event("write_discarded_after_deletion", kind="bookmark", pending=True)
            return
        result = self._repository.bookmark_guarded(
            self._pk, {BOOKMARK: mark.to_json(), "kind": "profile"}, (mark.version, mark.closed_at),
            EPISODE + checked_id(mark.episode_id), self._guards(), mark.episode.started_at,
            self._registrations())
        if result == "deleted":
            log_event("write_discarded_after_deletion", kind="bookmark")
        elif result == "refused":
            log_event("bookmark_not_applied", reason="older_ended_or_not_consented")
        return result

    def clear_bookmark(self, episode_id: str | None = None) -> None:
        """Remove the bookmark (only the one of ``episode_id``, when given: a late queued clear
        never removes a newer bookmark)."""
        if self.enabled:
            self._repository.remove(self._pk, PROFILE, BOOKMARK,
                                    if_id=episode_id if isinstance(episode_id, str) else None)

    # --- history and deletion -----------------------------------------------------------
    def history(self, since: str = "") -> list[dict]:
        """Episodes and prevention sessions started at or after ``since`` (UTC ISO), oldest first,
        each with ``kind`` "episode" or "prevention"; nothing the person has deleted, even while a
        purge is still removing it. One query: the profile (with the tombstone) sorts among them."""
        if not self.enabled:
            return []
        items = self._repository.query(self._pk, EPISODE, "", until_prefix=PREVENTION)
        olds = self._reachable_old_pks()
        if olds:  # a rotation not yet finished: what they hold
            here = {str(i.get("sk")) for i in items}
            for old in olds:
                items += [i for i in self._repository.query(old, EPISODE, "", until_prefix=PREVENTION)
                          if str(i.get("sk")) not in here or i.get("sk") == PROFILE]
        profiles = [i for i in items if i.get("sk") == PROFILE]
        cut = max((str(p[a]) for p in profiles for a in (DELETED_AT, DISABLED_AT)
                   if isinstance(p.get(a), str)), default="")
        cut = max(cut, self._pending_cut)
        kept = []
        for item in items:
            sk = str(item.get("sk", ""))
            if not sk.startswith((EPISODE, PREVENTION)):
                continue
            started = item.get("started_at")
            if cut and (not isinstance(started, str) or started <= cut):
                continue
            if since and isinstance(started, str) and started < since:
                continue
            item["kind"] = "prevention" if sk.startswith(PREVENTION) else "episode"
            kept.append(item)
        kept.sort(key=lambda i: i["started_at"] if isinstance(i.get("started_at"), str) else "")
        return kept

    def newest_episode(self) -> dict | None:
        episodes = [i for i in self.history() if i["kind"] == "episode"]
        return episodes[-1] if episodes else None

    def delete_all(self, at: str | None = None) -> Erased:
        """Delete this person's history (episodes, stretch sessions, preferences, bookmark) as of
        ``at`` (UTC ISO; default now), for good: a tombstone first, then every item, however many.
        What does not fit in this request continues as a purge job on the queue. Returns how
        many episodes and stretch sessions there were (``found``; at least 1 when the count is
        not known because the rest was handed off) and whether only the purge job could be
        queued, the tombstone not yet written (``pending``: the caller says so, and honours the
        deletion itself until the job has run). Raises StorageError when it could neither
        finish nor hand off."""
        if not self.enabled:
            from .erase import Erased

            return Erased(0)
        self._profile = None
        at = at or self._repository.now_iso()
        old = self._old_with_items()  # before the tombstone: a rotation's partitions too
        eraser = self._eraser()
        erased = eraser.erase_told(self._pk, at, (DELETED_AT,), (PROFILE, MEMBER))
        for pk in old:
            more = eraser.erase_told(pk, at, (DELETED_AT,), (PROFILE, MEMBER))
            erased = type(erased)(erased.found + more.found, erased.pending or more.pending)
        if erased.pending:
            self.honour(at)
        return erased

    def _old_with_items(self) -> list[str]:
        """The rotation's old partitions of this owner that hold anything (one small query each;
        StorageError or MissingKey when they cannot be looked at: a deletion must not say it is
        done without them). An empty one needs nothing: whatever a late queued write puts there
        later started before the new tombstone, which every read and move honours."""
        return [pk for pk in self._reachable_old_pks() if self._repository._call(
            "query", TableName=self._repository.config.name, ConsistentRead=True, Limit=1,
            KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": pk}},
        ).get("Items")]

    def delete_everything(self, at: str | None = None) -> int:
        """The skill was disabled: this account's data and every registered voice profile's."""
        if not self.enabled:
            return 0
        self._profile = None
        at = at or self._repository.now_iso()
        old = self._old_with_items()  # a rotation's: the account's old partition and its members
        eraser = self._eraser()
        return eraser.erase_account(self._pk, at) + sum(eraser.erase_account(pk, at) for pk in old)

    def queue_delete_everything(self, at: str) -> None:
        """SkillDisabled could not finish here: hand the whole deletion (the account's tombstone,
        every registered person's partition, then the account's) to the purge job. Raises
        StorageError when the queue refuses too (or none is configured)."""
        if not self.enabled:
            return
        for pk in (self._pk, *self._reachable_old_pks()):  # every one: which are empty is unknown
            self._eraser().hand_off_purge(pk, at, (DELETED_AT, DISABLED_AT), (PROFILE,), members=True)

    def purge(self, message: dict, until: float) -> bool:
        """Carry on a deletion handed off to the queue (the drain). True when finished; False when
        time ran out (the caller sends the message on again). Lasting failures raise."""
        return self._eraser().purge(self._pk, message, until)

    # --- writes that outlive the session ------------------------------------------------
    def apply(self, op: dict | PendingWrite) -> str | None:
        """One queued write (records.PendingWrite: episodes.py's queue, or the drain's message).
        Every one is idempotent. An unreadable one raises ValueError (the caller drops it).
        Returns what a start or a stretch session came to ("created", "unconsented",
        "same:<id>", ...; see ``start_episode``), None for the rest."""
        write = op if isinstance(op, PendingWrite) else PendingWrite.from_json(op)
        if write is None:
            raise ValueError("unreadable queued write")
        if write.op == "start":
            return self.start_episode(write.id, write.item, write.end or {})
        if write.op == "end":
            self.end_episode(write.id, write.fields, write.item)
        elif write.op == "prevention":
            return self.save_prevention(write.id, write.item)
        elif write.op == "bookmark":
            self.bookmark(write.snapshot)
        else:  # unbookmark
            self.clear_bookmark(write.id)
        return None

    def hand_off(self, ops: list[dict | PendingWrite]) -> None:
        """Send writes that could not be made to the queue, in order, as one message. Raises
        StorageError (kind "NoQueue" when none is configured)."""
        if not self.enabled or not ops:
            return
        ops = [o.to_json() if isinstance(o, PendingWrite) else o for o in ops]
        self._repository.outbox.send({"v": 1, "kind": "writes", "pk": self._pk,
                                      "account": self._account_pk, "ops": ops})
