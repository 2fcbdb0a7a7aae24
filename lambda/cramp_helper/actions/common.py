"""What every action shares: the voice of this answer, and the question that fits where the
person is (so any answer can end by asking the right thing again)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dialogue import Question
from ..lines import fill
from ..reply import Reply
from ..speech import Speech
from ..voice import is_night

if TYPE_CHECKING:
    from ..context import Context

CRAMP_INTENT = "CrampIntent"
HOW_LONG_ELICIT = ("LongCrampIntent", "Duration")  # AMAZON.DURATION, with its slot samples
REMINDER_INTENT = "SetReminderIntent"


def say(ctx: Context, *sentences: str) -> Speech:
    """A speech in the voice decided for this answer, with these sentences."""
    speech = Speech(ctx.voice)
    for sentence in sentences:
        speech.say(sentence)
    return speech


def in_relief(ctx: Context) -> bool:
    """A relief routine is under way (not the bedtime stretches)."""
    return ctx.state.position is not None and not is_prevention(ctx)


def is_prevention(ctx: Context) -> bool:
    muscle = ctx.state.muscle
    return muscle is not None and ctx.content.routine(muscle).get("kind") == "prevention"


def night_now(ctx: Context) -> bool:
    """Night on the device's clock (21:00-07:00), or unknown: then night, the quiet side. The
    clock is the one the turn looked up (``ctx.local_time``)."""
    return is_night(ctx.local_time)


def ask(ctx: Context, speech: Speech, question: Question) -> Reply:
    """End ``speech`` with ``question``, worded for where the person is."""
    words, reprompt, elicit = question_words(ctx, question)
    return Reply(speech, question=words, reprompt=reprompt, asks=question, elicit=elicit)


def reask(ctx: Context, speech: Speech) -> Reply:
    """Ask the last question again (a routine's check-in when nothing else is pending)."""
    question = ctx.state.question
    if question is Question.NONE:
        question = routine_checkin(ctx) if ctx.state.position is not None else Question.WHERE
    return ask(ctx, speech, question)


def routine_checkin(ctx: Context) -> Question:
    return Question.BEDTIME_NEXT if is_prevention(ctx) else Question.CHECKIN


def question_words(ctx: Context, question: Question) -> tuple[str, str, tuple[str, str] | None]:
    """(question, reprompt, elicitation) for each question the skill asks."""
    content = ctx.content
    phrase = content.phrase
    if question is Question.CHECKIN and ctx.state.position is None:
        question = Question.WHERE
    if question in (Question.CHECKIN, Question.BEDTIME_NEXT):
        routine = content.routine(ctx.state.muscle)
        return (routine.get("check_in", phrase("check_in")),
                routine.get("check_in_reprompt", phrase("check_in_reprompt")), None)
    if question is Question.PAUSED:
        return phrase("paused_question"), phrase("paused_reprompt"), None
    if question is Question.AGAIN:
        return phrase("again_question"), phrase("again_reprompt"), None
    if question is Question.WHERE_AGAIN:
        return (phrase("other_part_question"), phrase("ask_muscle_reprompt"), (CRAMP_INTENT, "Muscle"))
    if question is Question.BEDTIME_OFFER:
        info = content.section("info")
        return info["question"], info["reprompt"], None
    if question is Question.DELETE:
        words = content.section("privacy")
        return words["confirm"], words["reprompt"], None
    if question is Question.REMINDER_TIME:
        words = content.section("reminders")
        return words["ask_time"], words["ask_time_reprompt"], (REMINDER_INTENT, "Time")
    if question is Question.REMINDER_MORNING:
        return morning_question(ctx)
    if question is Question.CLARIFY:  # the question the pending signs need (issue 18)
        from ..lines import text
        from ..triage import question_of

        asked, reprompt = question_of(ctx.state.symptoms)
        return text(content, asked), text(content, reprompt), None
    if question is Question.CARE_OFFER:
        words = content.section("ten_minutes")
        return fill(content, words["offer"]), fill(content, words["offer_reprompt"]), None
    if question is Question.CONSENT:  # issue 19
        words = content.section("consent")
        return words["question"], words["reprompt"], None
    if question is Question.TRY_ELSE:
        words = content.section("ten_minutes")
        return words["short_question"], words["short_reprompt"], None
    if question is Question.TOPIC:  # issue 17: words nobody knows
        words = content.section("red_flags")
        return words["topic_question"], words["topic_reprompt"], None
    if question is Question.HOW_LONG:  # issue 18: a bare "half an hour" is the answer
        from ..lines import text

        return (text(content, "safety_steps.how_long"), text(content, "safety_steps.how_long_reprompt"),
                HOW_LONG_ELICIT)
    return phrase("help_question_idle"), phrase("ask_muscle_reprompt"), (CRAMP_INTENT, "Muscle")


# --- the reminder's times in words (reminders.py sets the reminder) ------------------------
def evening_of(hhmm: str) -> str:
    hour, minute = int(hhmm[:2]), hhmm[3:]
    return f"{hour + 12 if hour < 12 else hour:02d}:{minute}"


def spoken_time(locale: str, hhmm: str, *, plain: bool = False) -> str:
    """ "9:30 p.m.", "21:30 Uhr" (CLDR through cldr.py); with ``plain``, no "a.m." or "p.m.",
    for a sentence that says which half of the day in words."""
    from .. import cldr

    hour, minute = (int(x) for x in hhmm.split(":"))
    return cldr.time(locale, hour, minute, plain=plain)


def locale_of(ctx: Context) -> str:
    return getattr(ctx.content, "speech_locale", None) or ctx.content.locale


def morning_question(ctx: Context) -> tuple[str, str, None]:
    words = ctx.content.section("reminders")
    hhmm = ctx.state.reminder_time or "06:00"
    locale = locale_of(ctx)
    morning = spoken_time(locale, hhmm)
    evening = spoken_time(locale, evening_of(hhmm))
    return (words["confirm_morning"].format(morning=spoken_time(locale, hhmm, plain=True)),
            words["confirm_morning_reprompt"].format(morning=morning, evening=evening), None)


# --- safe steps at night (issue 18) ---------------------------------------------------------
def steps(ctx: Context):
    """The content as the step machine sees it this session (issue 18): lying or sitting versions
    once the person is dizzy or can't stand; the standing guard until it has been said."""
    return ctx.content.for_steps(seated=ctx.state.seated, guard=not ctx.state.guarded)


def guarded(ctx: Context, turn):
    """Remember that the standing guard was said (it is said once a session)."""
    line = ctx.content.data.get("safety_steps", {}).get("guard")
    if line and any(line in getattr(item, "text", "") for item in turn.script):
        ctx.state.guarded = True
    return turn
