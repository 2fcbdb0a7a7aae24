"""Launch, help, the fallback, what the skill cannot do, the voice preference, and the prevention
and cause answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import voice
from ..dialogue import Question
from ..lines import fill, text
from ..logs import log_event
from ..reply import Reply
from ..speech import Speech
from .common import ask, in_relief, reask, say

if TYPE_CHECKING:
    from ..context import Context

EVENING = range(18, 24)  # a launch in these hours offers the bedtime stretches


def launch(ctx: Context) -> Reply:
    """ "Open leg cramp helper": one short welcome and a question."""
    content = ctx.content
    if ctx.resumed:  # a cramp whose session closed minutes ago
        state = ctx.state
        lead = content.fill(content.phrase("welcome_back"), state.muscle, state.side)
        return ask(ctx, say(ctx, lead), Question.CHECKIN)
    local = ctx.local_time
    if local is not None and local.hour in EVENING and "welcome_evening" in content.data["phrases"]:
        info = content.section("info")
        return Reply(say(ctx), question=fill(content, content.phrase("welcome_evening")),
                     reprompt=info["reprompt"],
                     asks=Question.BEDTIME_OFFER)
    return Reply(say(ctx), question=content.phrase("welcome"), reprompt=content.phrase("ask_muscle_reprompt"),
                 asks=Question.WHERE, elicit=("CrampIntent", "Muscle"))


def help_(ctx: Context) -> Reply:
    from ..lines import spoken_line  # the numbers in "help" said the way people there say them

    return reask(ctx, say(ctx).say(spoken_line(ctx.content, ctx.content.phrase("help"))))


def fallback(ctx: Context) -> Reply:
    return reask(ctx, say(ctx, ctx.content.phrase("fallback")))


def cannot(ctx: Context, key: str) -> Reply:
    """ "Call my daughter" ("cant_call"), "turn on the light" ("cant_do"): what this skill cannot do,
    said honestly, then the question that was open (mid-cramp, the routine's check-in)."""
    return reask(ctx, say(ctx, ctx.content.phrase(key)))


def voice_preference(ctx: Context, preference: str) -> Reply:
    """ "Whisper to me" (WHISPER) / "speak normally" (NORMAL): kept for later sessions."""
    words = ctx.content.section("voice_prefs")
    whisper = preference == voice.WHISPER
    saved = _save_preference(ctx, preference)
    # this very answer is said in the new voice
    speech = Speech(voice.decide(ctx.content.section("voices"), preference, ctx.local_time))
    speech.say(words["whisper_on" if whisper else "normal_on"])
    if not saved and ctx.store.enabled:
        speech.say(words["not_saved"])
    if in_relief(ctx) or ctx.state.question is not Question.NONE:
        return reask(ctx, speech)
    return Reply(speech, question=words["saved_question_idle"], reprompt=words["saved_reprompt_idle"],
                 asks=Question.WHERE, elicit=("CrampIntent", "Muscle"))


def _save_preference(ctx: Context, value: str) -> bool:
    """Remember the preference for this session, and in the profile for later ones."""
    ctx.state.voice = value
    if not ctx.store.enabled:
        return False
    from ..storage import StorageError  # help, launch and stop never load the storage layer

    try:
        ctx.store.save_voice(value)
    except StorageError as err:
        log_event("profile_write_failed", level="WARNING", error_type=err.kind)
        return False
    return True


def info(ctx: Context, key: str) -> Reply:
    """How to prevent cramps ("prevent") / why they come at night ("why"). Mid-cramp, back to
    the cramp."""
    words = ctx.content.section("info")
    # issue 18: water only unless told to limit fluids; the pregnancy tips where cramps' causes are
    extra = {"prevent": "safety_steps.fluids", "why": "safety_steps.pregnancy"}[key]
    speech = say(ctx, words[key], text(ctx.content, extra))
    if ctx.state.position is not None:
        return reask(ctx, speech)
    return ask(ctx, speech, Question.BEDTIME_OFFER)
