"""One request, one turn: the only path from what the person said (or touched, or what Alexa
answered for them) to what the skill answers, and the ONLY writer of the next question.

``respond`` runs a turn:

1. resume: a new session that carries on ("still cramping", "I'm ready", "it's gone", ...) or
   says a cramp is here without saying where ("it's back") picks up a cramp whose session closed
   in the last twenty minutes (the profile, read once through lookups.profile, handed to
   episodes.resume), question and all, unless the other side is named;
2. the table (dialogue/) names the action; a cramp past ten minutes, or one still going twenty
   minutes after its session closed, hears the care advice first;
3. the per-turn look-ups (lookups.py: the profile, the device's zone), only as the answer and the
   action need them; their results are handed to the decisions through the Context;
4. the voice, decided once (voice.decide, pure);
5. the action (actions/) runs and returns a Reply; the question it asks is recorded here
   (``_record_question``), so the next "yes", "no" or "not yet" answers exactly that question.

``persist`` (the response interceptor ``PersistSession``, and ``recover`` after an exception) stores
what the turn queued and the session state, the same way for every request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor

from . import content as content_module
from . import lookups, voice
from .actions import run_action
from .context import Context, save_state
from .dialogue import (
    BEDTIME_ACTIONS,
    CARE_ACTIONS,
    CARRY_ON_ANSWERS,
    CLOCK_ACTIONS,
    EPISODE_ACTIONS,
    GUIDING,
    HISTORY_ACTIONS,
    NO_LOOKUPS,
    STILL_GOING,
    URGENT_ACTIONS,
    ZONE_ACTIONS,
    Action,
    Answer,
    Question,
    action_for,
)
from .logs import log_event
from .reply import Reply, render
from .slots import MATCH, MISSING
from .speech import Speech
from .state import SessionState
from .timezone import local_now

if TYPE_CHECKING:
    from ask_sdk_model import Response

    from . import episodes
    from .records import Bookmark

CAN_FULFILL = "CanFulfillIntentRequest"


def answer(handler_input, what: Answer) -> Response:
    """A handler's one call: run the turn for ``what`` and build the response."""
    ctx = Context.of(handler_input)
    return render(ctx, respond(ctx, what))


def respond(ctx: Context, answer: Answer) -> Reply:
    """The turn, from the answer to the Reply (its question recorded in the session state)."""
    state = ctx.state
    expired = False
    cramp = _cramp_back(ctx) if ctx.session_new and answer is Answer.CRAMP else None
    if ctx.session_new and state.position is None and (answer in CARRY_ON_ANSWERS or cramp is not None):
        from . import episodes  # a carry-on or "it's back" opening a session may resume a cramp

        if episodes.may_resume(ctx):
            profile = lookups.profile(ctx)
            mark = profile.bookmark  # the cramps begun since: read only when it may be taken up
            fresh = mark is not None and episodes.still_fresh(ctx, mark)
            later = lookups.cramps_started(ctx) if fresh else []
            resumption = episodes.resume(ctx, profile, cramp, later)
            expired = resumption.expired
            if resumption.bookmark is not None:
                _restore(ctx, resumption.bookmark)
                if cramp is not None:
                    answer = Answer.STILL  # "it's back": the same cramp, still going (issue 17)
    action = action_for(state.question, answer)
    if action in GUIDING and _past_ten_minutes(ctx):
        action = Action.TEN_MINUTES
    if expired and answer in STILL_GOING:
        action = Action.LONG_AFTER_CLOSE  # "still cramping" over twenty minutes after it began: get care
    first_guidance = ctx.session_new and answer is Answer.CRAMP
    _look_up(ctx, action, may_look_up=not first_guidance and answer not in NO_LOOKUPS)
    reply = run_action(action, ctx)
    if action in CONSENT_AFTER and ctx.state.consent is not None:
        from .actions.consent import offer  # issue 19: after the first guided cramp ends

        reply = offer(ctx, reply)
    return _record_question(ctx, reply)


# Issue 19 (EPISODE_LOG=ask): a guided cramp ends with these; the consent question may follow.
CONSENT_AFTER = frozenset({Action.RELIEVED, Action.FINISHED})


def _record_question(ctx: Context, reply: Reply) -> Reply:
    """The one place the next question is written: what the reply asks, nothing once it ends."""
    ctx.state.question = Question.NONE if reply.end else reply.asks
    return reply


def _look_up(ctx: Context, action: Action, *, may_look_up: bool) -> None:
    """The look-ups this turn needs, then the voice. ``may_look_up`` is False for the requests
    that must stay as fast as the platform allows (first guidance, red flags, help, stop, cancel):
    they read neither the profile nor the zone for the voice, only what this session knows."""
    state = ctx.state
    urgent = action in URGENT_ACTIONS
    if may_look_up and not urgent and state.voice is None:
        lookups.profile(ctx)
    by_clock = not urgent and state.voice not in (voice.WHISPER, voice.NORMAL)
    if may_look_up and (by_clock or action in CLOCK_ACTIONS):
        lookups.zone(ctx)
    ctx.local_time = local_now(ctx)
    ctx.voice = voice.decide(ctx.content.section("voices"), state.voice, ctx.local_time, urgent=urgent)
    if _records_in_local_time(ctx, action):
        lookups.zone(ctx)
    if action in CARE_ACTIONS:
        lookups.zone(ctx, quick=True)  # the number to call is the country's: one short look-up
    _numbers_of_the_country(ctx)


def _numbers_of_the_country(ctx: Context) -> None:
    """Every answer (speech, card, screen) says the numbers of the country the device is in, not
    those of its language (countries.py): the zone's country once the session knows it, else the
    locale's. The speech says them in their spoken forms; same-day lines name the after-hours line."""
    from .countries import care_numbers

    care = care_numbers(ctx.content.locale, ctx.state.tz)
    local_line = care.after_hours if care.after_hours and ctx.content.health_line else None
    ctx.content = ctx.content.for_numbers(care.write, care.also, local_line, care)


def _records_in_local_time(ctx: Context, action: Action) -> bool:
    """The action may set a reminder, stamp a new record, or answer from history in the
    device's local time."""
    if action in ZONE_ACTIONS:
        return True
    may_record = (action in HISTORY_ACTIONS or (action in EPISODE_ACTIONS and ctx.state.episode is None)
                  or (action in BEDTIME_ACTIONS and ctx.state.prevention is None))
    return may_record and ctx.store.enabled  # asked last: the store loads the storage layer


def _cramp_back(ctx: Context) -> episodes.CrampSaid | None:
    """A cramp said at a session's start with no body part ("it's back", "the cramp's come back",
    "my left one again"): it may be a bookmarked cramp come back, so the profile is read. A cramp
    that names its muscle is first guidance, which reads nothing before it speaks (one write, as
    fast as the platform allows): it is a new episode. Someone else's cramp is never the speaker's."""
    from .episodes import CrampSaid

    if ctx.named("Muscle").status != MISSING or ctx.named("Who").id is not None:
        return None
    side = ctx.named("Side")
    return CrampSaid(side=side.id if side.status == MATCH and side.id in ctx.content.side_ids() else None)


def _restore(ctx: Context, mark: Bookmark) -> None:
    """Put a resumed cramp back where it was: its routine position and the question it was at."""
    state = ctx.state
    muscle = mark.episode.muscle
    if not ctx.content.knows_muscle(muscle):
        return
    state.muscle = muscle
    state.side = mark.episode.side if mark.episode.side in ctx.content.side_ids() else None
    count = len(ctx.content.techniques(muscle))
    state.technique = mark.technique if 0 <= mark.technique < count else 0
    state.part = mark.part if 0 <= mark.part < 10 else 0
    state.question = Question.PAUSED if mark.paused else Question.CHECKIN
    ctx.resumed = True


def _past_ten_minutes(ctx: Context) -> bool:
    episode = ctx.state.episode
    if episode is None:
        return False
    from . import episodes

    minutes = episodes.minutes_since_start(ctx)
    return minutes is not None and minutes >= 10 and not episode.get("escalated")


# --- after the turn: storing what it queued, the same way for every request ----------------
def persist(handler_input, *, closing: bool) -> None:
    """Flush the turn's queued writes (episodes.persist) and store the session state."""
    if getattr(handler_input.request_envelope.request, "object_type", None) == CAN_FULFILL:
        return  # answering "could you?" must change nothing
    state = Context.of(handler_input).state
    if state.pending or state.episode is not None or state.prevention is not None:
        from . import episodes  # only a request with something to store loads the storage layer

        episodes.persist(Context.of(handler_input), closing=closing)
    store = Context.of(handler_input)._store  # a key rotation: history found under the previous key
    if store is not None and store.move_due:
        store.move_to_current_key()  # after the answer, in a window of its own (storage/rotate.py)
    save_state(handler_input)


class PersistSession(AbstractResponseInterceptor):
    """The response interceptor that runs ``persist`` once per request."""

    def process(self, handler_input, response) -> None:
        persist(handler_input, closing=response is None or response.should_end_session is not False)


def recover(handler_input) -> Response:
    """The answer after an exception: the error line and the last question again; the session
    state (with its queued writes) is kept. Response interceptors do not run after an exception,
    so ``persist`` runs here."""
    from .actions.common import reask, say  # only a request that failed needs these

    ctx = Context.of(handler_input)
    content = ctx.content
    try:
        reply = reask(ctx, say(ctx, content.phrase("error")))
    except Exception:  # noqa: BLE001 - state itself may be what broke
        reply = Reply(Speech().say(content.phrase("error")), question=content.phrase("help_question_idle"),
                      reprompt=content.phrase("ask_muscle_reprompt"))
    _record_question(ctx, reply)
    partial = handler_input.response_builder.response  # whatever the failed handler began
    partial.directives, partial.card = None, None
    response = render(ctx, reply)
    try:
        persist(handler_input, closing=False)
    except Exception as exc:  # noqa: BLE001 - the spoken answer matters more
        log_event("persist_failed", level="ERROR", error_type=type(exc).__name__)
    return response


def kept_state(attributes) -> dict | None:
    """For a request the SDK cannot parse (skill.py answers it with an apology): the request's own
    session state (state.KEY), validated as any request's is, without the question it last asked
    (the apology asks its own); None when there is nothing worth keeping."""
    content = content_module.load(None)
    state = SessionState.load(attributes, muscles=content.position_ids(), sides=content.side_ids())
    state.question = Question.NONE
    if state == SessionState():
        return None
    saved: dict = {}
    state.save(saved)
    return saved
