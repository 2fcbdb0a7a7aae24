"""Consent before the log (issue 19; docs/data-model.md, "Consent").

With EPISODE_LOG=ask the skill guides every cramp at once and stores nothing about it until the
person has said yes to a private log. The question is asked once a guided cramp has ended (the
turn adds it to the closing answer: ``offer``) or when history is asked for (actions/history.py),
at most once a session, and not for 30 days after a no. The cramp just guided waits in the session
(``state.held``), so a yes logs it too. "Start logging my cramps" and "stop logging my cramps"
work at any time. With EPISODE_LOG=on every cramp is logged (a deployment with its own legal
basis); with off nothing is, and the answers say so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import LOG_OFF, LOG_ON, episode_log_mode
from ..dialogue import Question
from ..logs import log_event
from ..records import Consent
from ..reply import Reply
from ..storage import StorageError
from .common import night_now, say

if TYPE_CHECKING:
    from ..context import Context


def may_ask(ctx: Context) -> bool:
    """The question may be asked now: ask mode, no yes on record, not asked this session, and no
    recent no. Unknown consent (the profile could not be read, the start never reached the table)
    is not asked about: the answer would be a guess. Nor is it asked after someone else's cramp
    (nothing of theirs would be kept)."""
    state = ctx.state
    return (ctx.store.asks_consent and state.consent == "absent" and not state.consent_asked
            and not state.for_other)


def offer(ctx: Context, reply: Reply) -> Reply:
    """The closing answer of a guided cramp, with the consent question when it may be asked: the
    session stays open for the answer, the cramp held in it. Otherwise the reply as it was (and a
    cramp held for a question that will not come is let go: nothing about it is stored)."""
    if not reply.end or not may_ask(ctx):
        if reply.end:
            ctx.state.held.clear()
        return reply
    return question(ctx, reply)


def question(ctx: Context, reply: Reply) -> Reply:
    """``reply``'s words (card and screen kept), then the question; the session stays open."""
    ctx.state.consent_asked = True
    log_event("consent_asked")
    words = ctx.content.section("consent")
    return Reply(reply.speech, question=words["question"], reprompt=words["reprompt"],
                 asks=Question.CONSENT, card=reply.card, screen=reply.screen)


def yes(ctx: Context) -> Reply:
    """Yes to the question: the consent stored (its time and wording version), then the cramp
    held in the session is logged, in this request's flush."""
    words = ctx.content.section("consent")
    if not _save(ctx, True, "yes"):  # no consent stored: the cramp held for it is let go
        ctx.state.held.clear()
        return _closing(ctx, words["save_failed"])
    state = ctx.state
    cramp = bool(state.held)
    state.pending.extend(state.held)
    state.held.clear()
    return _closing(ctx, words["yes" if cramp else "started"])


def no(ctx: Context) -> Reply:
    """No: nothing is logged, the question rests for 30 days, and history kept from before
    consent existed (issue 19, part 12) is deleted."""
    words = ctx.content.section("consent")
    state = ctx.state
    state.held.clear()
    sentences = [words["no"]]
    deleted = _delete_kept(ctx)
    if deleted:
        sentences.append(words["no_deleted"])
    # the voice preference is not history: kept across the deletion of what was logged before
    _save(ctx, False, "no", voice=state.voice if deleted and state.voice in ("WHISPER", "NORMAL") else None)
    state.consent = "quiet"
    return _closing(ctx, *sentences)


def _fixed_by_the_deployment(ctx: Context, words: dict, on_key: str) -> Reply | None:
    """Start or stop logging where the deployment decides (EPISODE_LOG off or on, or no table):
    the honest answer; None in ask mode, where the person decides."""
    mode = episode_log_mode()
    if mode == LOG_OFF or not ctx.store.enabled:
        return _after(ctx, words["off"])
    if mode == LOG_ON:
        return _after(ctx, words[on_key])
    return None


def start_logging(ctx: Context) -> Reply:
    """ "Start logging my cramps", at any time."""
    words = ctx.content.section("consent")
    fixed = _fixed_by_the_deployment(ctx, words, "already_on")
    if fixed is not None:
        return fixed
    if not _save(ctx, True, "start"):
        return _after(ctx, words["save_failed"])
    state = ctx.state
    state.pending.extend(state.held)
    state.held.clear()
    return _after(ctx, words["started"])


def stop_logging(ctx: Context) -> Reply:
    """ "Stop logging my cramps", at any time: no new cramp is logged from now on; what is kept
    stays until "delete my history"."""
    words = ctx.content.section("consent")
    fixed = _fixed_by_the_deployment(ctx, words, "always_on")
    if fixed is not None:
        return fixed
    if not _save(ctx, False, "stop"):
        return _after(ctx, ctx.content.phrase("error"))
    state = ctx.state
    state.consent = "quiet"
    state.held.clear()
    return _after(ctx, words["stopped"])


def _save(ctx: Context, given: bool, how: str, voice: str | None = None) -> bool:
    try:
        ctx.store.save_consent(Consent.answered(given, ctx.request_time, how), voice=voice)
    except StorageError as err:
        log_event("consent_write_failed", level="WARNING", error_type=err.kind, how=how)
        return False
    ctx.state.consent = "given" if given else "quiet"
    log_event("consent_answered", how=how)
    return True


def _delete_kept(ctx: Context) -> bool:
    """A no deletes what was stored before consent existed; True when there was something."""
    from ..episodes import iso

    try:
        if not ctx.store.history():
            return False
        erased = ctx.store.delete_all(at=iso(ctx.request_time))
    except StorageError as err:
        log_event("history_delete_failed", level="ERROR", error_type=err.kind)
        return False
    if erased.pending:
        ctx.state.purge_at = iso(ctx.request_time)
    log_event("history_deleted_on_no", items=erased.found)
    return bool(erased.found)


def _closing(ctx: Context, *sentences: str) -> Reply:
    content = ctx.content
    closing = content.phrase("closing_night" if night_now(ctx) else "closing_day")
    return Reply(say(ctx, *sentences, closing), end=True)


def _after(ctx: Context, sentence: str) -> Reply:
    from .privacy import _after as after  # mid-cramp: back to the check-in, as privacy answers do

    return after(ctx, sentence)
