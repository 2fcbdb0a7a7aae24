"""The conversation as one machine: (question asked last, what the person said) -> action.

Every request a person makes goes through ``respond``:

1. what they said becomes an ``Answer`` (an intent, or a touch on a screen);
2. a new session that carries on ("still cramping", "I'm ready", "it's gone", …) picks up a cramp
   whose session closed in the last twenty minutes (episodes.resume), question and all;
3. ``TABLE[(question, answer)]`` names the action; red flags win in every row;
4. the voice is decided once, the action runs, and the question its reply asks is recorded, so
   the next "yes", "no" or "not yet" answers exactly that question and never an older one.

The table is complete: every question the skill can ask x every answer. docs/dialogue.md shows it
(``table_markdown``), and a test keeps the two in step. The actions live in flows/.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from . import episodes, voice
from .state import Question

if TYPE_CHECKING:
    from .context import Context
    from .reply import Reply


class Answer(Enum):
    """What the person said, by meaning. The first block answers questions; the rest are
    requests that mean the same whatever was asked."""

    YES = "yes"
    NO = "no"
    NOT_YET = "not yet"
    STILL = "still cramping"
    GONE = "it's gone"
    THANKS = "thank you"
    OKAY = "I'm okay"
    WAIT = "wait"
    READY = "I'm ready"
    RESUME = "resume"
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    START_OVER = "start over"
    HELP = "help"
    STOP = "stop"
    CANCEL = "cancel"
    FALLBACK = "(not understood)"
    CRAMP = "a cramp named"
    RED_FLAG = "a red flag"
    # requests
    LAUNCH = "(open the skill)"
    BEDTIME = "bedtime stretches"
    HISTORY = "how have my cramps been"
    DELETE = "delete my history"
    REMINDER = "remind me to stretch"
    STOP_REMINDER = "stop reminding me"
    VOICE = "whisper / speak normally"
    INFO = "how to prevent / why"
    DISTRESS = "is this serious"
    MEDICINE = "a medicine question"
    LONG_CRAMP = "it won't go away"


class Action(Enum):
    """What the skill does. Each is one function in flows/ (see ``flows.ACTIONS``)."""

    START = "start or switch the routine for the cramp named"
    NEXT = "next technique (or the next part of this one)"
    CONTINUE = "carry on with this technique"
    REPEAT = "repeat this technique"
    PREVIOUS = "previous technique"
    START_OVER = "from the first technique"
    WAIT = "wait: say how to come back, keep the place"
    RELIEVED = "after-care, log RELIEVED, close"
    FINISHED = "no more to try: care advice, log STILL_CRAMPING, close"
    GOODBYE = "close; a cramp in progress keeps its place for 20 minutes"
    POLITE_END = "close politely, no cramp after-care"
    ASK_WHERE = "ask where the cramp is"
    REASK = "ask the last question again"
    HELP = "help, then the last question again"
    FALLBACK = "didn't catch that, then the last question again"
    TRIAGE = "red-flag triage: care advice by urgency"
    CLARIFIED = "a warning sign confirmed: same-day care advice"
    CARRY_ON = "back to where the person was"
    LONG_CRAMP = "a cramp past ten minutes: same-day care advice first"
    GENTLE = "gentle ways to ease a long cramp (warmth, a few steps)"
    DECLINED = "no more guidance for a long cramp: get care today, log STILL_CRAMPING, close"
    DISTRESS = "calm safety line, then a way forward"
    MEDICINE = "the grounded medicine answer"
    BEDTIME_START = "start the bedtime stretches"
    BEDTIME_NEXT = "next bedtime stretch"
    BEDTIME_WAIT = "bedtime: wait for the person"
    BEDTIME_FINISH = "finish the bedtime stretches with the night's tip"
    ASK_DELETE = "ask to confirm deleting the history"
    DELETE = "delete the history"
    KEEP_HISTORY = "keep the history"
    REMINDER = "set the nightly reminder (or ask what time)"
    REMINDER_MORNING = "set the reminder in the morning, as said"
    REMINDER_EVENING = "set the reminder for the evening"
    REMINDER_DECLINE = "no reminder"
    STOP_REMINDER = "delete the reminder"
    HISTORY = "answer from history"
    VOICE = "whisper / speak normally"
    INFO = "prevention or cause answer"
    LAUNCH = "welcome, ask where (evenings: offer the stretches)"


A = Action
# What an answer means when the question asked gives it no special meaning.
DEFAULTS: dict[Answer, Action] = {
    Answer.YES: A.REASK,
    Answer.NO: A.POLITE_END,
    Answer.NOT_YET: A.WAIT,
    Answer.STILL: A.NEXT,
    Answer.GONE: A.RELIEVED,
    Answer.THANKS: A.POLITE_END,
    Answer.OKAY: A.POLITE_END,
    Answer.WAIT: A.WAIT,
    Answer.READY: A.REASK,
    Answer.RESUME: A.REASK,
    Answer.NEXT: A.REASK,
    Answer.PREVIOUS: A.REASK,
    Answer.REPEAT: A.REASK,
    Answer.START_OVER: A.REASK,
    Answer.HELP: A.HELP,
    Answer.STOP: A.GOODBYE,
    Answer.CANCEL: A.GOODBYE,
    Answer.FALLBACK: A.FALLBACK,
    Answer.CRAMP: A.START,
    Answer.RED_FLAG: A.TRIAGE,
    Answer.LAUNCH: A.LAUNCH,
    Answer.BEDTIME: A.BEDTIME_START,
    Answer.HISTORY: A.HISTORY,
    Answer.DELETE: A.ASK_DELETE,
    Answer.REMINDER: A.REMINDER,
    Answer.STOP_REMINDER: A.STOP_REMINDER,
    Answer.VOICE: A.VOICE,
    Answer.INFO: A.INFO,
    Answer.DISTRESS: A.DISTRESS,
    Answer.MEDICINE: A.MEDICINE,
    Answer.LONG_CRAMP: A.LONG_CRAMP,
}

# During a relief routine (the check-in, the pause, the offer to go again), navigation navigates.
_IN_ROUTINE = {
    Answer.READY: A.NEXT, Answer.RESUME: A.CONTINUE, Answer.NEXT: A.NEXT, Answer.PREVIOUS: A.PREVIOUS,
    Answer.REPEAT: A.REPEAT, Answer.START_OVER: A.START_OVER, Answer.OKAY: A.RELIEVED,
    Answer.THANKS: A.GOODBYE,  # "thank you" mid-cramp: close, keeping the place in case it returns
}
# During the bedtime stretches, a cramp answer starts relief and navigation moves the stretches.
_IN_BEDTIME = {
    Answer.YES: A.BEDTIME_NEXT, Answer.NO: A.BEDTIME_FINISH, Answer.NOT_YET: A.BEDTIME_WAIT,
    Answer.WAIT: A.BEDTIME_WAIT, Answer.READY: A.BEDTIME_NEXT, Answer.RESUME: A.BEDTIME_NEXT,
    Answer.NEXT: A.BEDTIME_NEXT, Answer.PREVIOUS: A.PREVIOUS, Answer.REPEAT: A.REPEAT,
    Answer.START_OVER: A.START_OVER, Answer.STILL: A.START, Answer.GONE: A.BEDTIME_FINISH,
    Answer.THANKS: A.BEDTIME_FINISH, Answer.OKAY: A.BEDTIME_FINISH, Answer.STOP: A.BEDTIME_FINISH,
    Answer.CANCEL: A.BEDTIME_FINISH,
}

# Where the question gives an answer its own meaning.
OVERRIDES: dict[Question, dict[Answer, Action]] = {
    Question.NONE: {},
    Question.WHERE: {
        Answer.NO: A.POLITE_END, Answer.NOT_YET: A.WAIT, Answer.READY: A.ASK_WHERE,
        Answer.RESUME: A.ASK_WHERE, Answer.YES: A.ASK_WHERE, Answer.STILL: A.START,
    },
    Question.WHERE_AGAIN: {
        Answer.YES: A.ASK_WHERE, Answer.NO: A.POLITE_END, Answer.READY: A.ASK_WHERE,
        Answer.STILL: A.ASK_WHERE,
    },
    Question.CHECKIN: {
        **_IN_ROUTINE, Answer.YES: A.RELIEVED, Answer.NO: A.NEXT, Answer.NOT_YET: A.NEXT,
        Answer.THANKS: A.RELIEVED,  # "thanks" to "has it eased?" is a yes
    },
    Question.PAUSED: {
        **_IN_ROUTINE, Answer.YES: A.CONTINUE, Answer.NO: A.WAIT, Answer.NOT_YET: A.WAIT,
        Answer.READY: A.CONTINUE,
    },
    Question.AGAIN: {
        **_IN_ROUTINE, Answer.YES: A.START_OVER, Answer.NO: A.FINISHED, Answer.NOT_YET: A.WAIT,
        Answer.READY: A.START_OVER, Answer.RESUME: A.START_OVER, Answer.NEXT: A.START_OVER,
        Answer.STILL: A.START_OVER, Answer.THANKS: A.FINISHED,
    },
    Question.BEDTIME_NEXT: dict(_IN_BEDTIME),
    Question.BEDTIME_OFFER: {
        Answer.YES: A.BEDTIME_START, Answer.READY: A.BEDTIME_START, Answer.NO: A.POLITE_END,
        Answer.NOT_YET: A.POLITE_END, Answer.NEXT: A.BEDTIME_START, Answer.RESUME: A.BEDTIME_START,
        Answer.STILL: A.START,
    },
    Question.DELETE: {
        Answer.YES: A.DELETE, Answer.NO: A.KEEP_HISTORY, Answer.NOT_YET: A.KEEP_HISTORY,
        Answer.CANCEL: A.KEEP_HISTORY, Answer.WAIT: A.KEEP_HISTORY, Answer.THANKS: A.KEEP_HISTORY,
        Answer.OKAY: A.KEEP_HISTORY,
    },
    Question.REMINDER_TIME: {
        Answer.NO: A.REMINDER_DECLINE, Answer.NOT_YET: A.REMINDER_DECLINE,
        Answer.CANCEL: A.REMINDER_DECLINE, Answer.WAIT: A.REASK, Answer.THANKS: A.REMINDER_DECLINE,
        Answer.OKAY: A.REMINDER_DECLINE,
    },
    Question.REMINDER_MORNING: {
        Answer.YES: A.REMINDER_MORNING, Answer.NO: A.REMINDER_EVENING, Answer.NOT_YET: A.REASK,
        Answer.CANCEL: A.REMINDER_DECLINE, Answer.WAIT: A.REASK, Answer.THANKS: A.REMINDER_DECLINE,
        Answer.OKAY: A.REMINDER_DECLINE,
    },
    Question.CLARIFY: {
        Answer.YES: A.CLARIFIED, Answer.NO: A.CARRY_ON, Answer.OKAY: A.CARRY_ON,
        Answer.NOT_YET: A.CARRY_ON, Answer.STILL: A.CARRY_ON, Answer.READY: A.CARRY_ON,
        Answer.RESUME: A.CARRY_ON, Answer.NEXT: A.CARRY_ON, Answer.THANKS: A.REASK,
    },
    Question.CARE_OFFER: {
        Answer.YES: A.GENTLE, Answer.NO: A.DECLINED, Answer.NOT_YET: A.WAIT, Answer.STILL: A.GENTLE,
        Answer.READY: A.GENTLE, Answer.RESUME: A.GENTLE, Answer.NEXT: A.GENTLE, Answer.REPEAT: A.REASK,
        Answer.THANKS: A.DECLINED, Answer.OKAY: A.RELIEVED,
    },
    Question.TRY_ELSE: {
        **_IN_ROUTINE, Answer.YES: A.NEXT, Answer.NO: A.FINISHED, Answer.NOT_YET: A.WAIT,
        Answer.READY: A.NEXT,
    },
}

TABLE: dict[tuple[Question, Answer], Action] = {
    (question, answer): OVERRIDES[question].get(answer, DEFAULTS[answer])
    for question in Question for answer in Answer
}

# Answers that, opening a new session, may carry on a cramp whose session closed (one read).
CARRY_ON_ANSWERS = frozenset({
    Answer.STILL, Answer.NEXT, Answer.READY, Answer.RESUME, Answer.GONE, Answer.REPEAT,
    Answer.OKAY, Answer.THANKS, Answer.NOT_YET, Answer.YES, Answer.NO, Answer.WAIT,
    Answer.PREVIOUS, Answer.START_OVER, Answer.LAUNCH, Answer.LONG_CRAMP,
})
# Answers that never read the table: the fastest path, and nothing to remember.
NO_LOOKUPS = frozenset({Answer.RED_FLAG, Answer.HELP, Answer.STOP, Answer.CANCEL})
URGENT_ACTIONS = frozenset({Action.TRIAGE, Action.CLARIFIED})
# Actions that continue relief guidance: a cramp past ten minutes hears the care advice first.
GUIDING = frozenset({Action.NEXT, Action.CONTINUE, Action.REPEAT, Action.START_OVER, Action.PREVIOUS})


def action_for(question: Question, answer: Answer) -> Action:
    return TABLE[(question, answer)]


def respond(ctx: Context, answer: Answer) -> Reply:
    """The one path from what the person said to what the skill answers."""
    from .flows import ACTIONS  # the actions import this module's enums

    state = ctx.state
    if ctx.session_new and state.position is None and answer in CARRY_ON_ANSWERS:
        snapshot = episodes.resume(ctx)
        if snapshot is not None:
            _restore(ctx, snapshot)
    action = action_for(state.question, answer)
    if action in GUIDING and _past_ten_minutes(ctx):
        action = Action.LONG_CRAMP
    if ctx.extras.get("expired") and answer in (Answer.STILL, Answer.NEXT, Answer.READY, Answer.RESUME):
        action = Action.LONG_CRAMP  # "still cramping" over twenty minutes after it began: get care
    first_guidance = ctx.session_new and answer is Answer.CRAMP
    look_up = not first_guidance and answer not in NO_LOOKUPS
    ctx.voice = voice.decide(ctx, look_up=look_up, urgent=action in URGENT_ACTIONS)
    ctx.extras.update(answer=answer, look_up=look_up)
    reply = ACTIONS[action](ctx)
    state.question = Question.NONE if reply.end else reply.asks
    return reply


def _restore(ctx: Context, snapshot: dict) -> None:
    """Put a resumed cramp back where it was: its routine position and the question it was at."""
    state = ctx.state
    muscle = snapshot.get("muscle")
    if not ctx.content.knows_muscle(muscle):
        return
    state.muscle = muscle
    state.side = snapshot.get("side") if snapshot.get("side") in ctx.content.side_ids() else None
    count = len(ctx.content.techniques(muscle))
    technique = snapshot.get("technique")
    state.technique = technique if isinstance(technique, int) and 0 <= technique < count else 0
    part = snapshot.get("part")
    state.part = part if isinstance(part, int) and 0 <= part < 10 else 0
    state.question = Question.PAUSED if snapshot.get("paused") else Question.CHECKIN
    ctx.extras["resumed"] = True


def _past_ten_minutes(ctx: Context) -> bool:
    episode = ctx.state.episode
    minutes = episodes.minutes_since_start(ctx)
    return minutes is not None and minutes >= 10 and not episode.get("escalated")


# --- the table, as docs/dialogue.md shows it ---------------------------------------------
ANSWER_COLUMNS = [a for a in Answer if list(Answer).index(a) < list(Answer).index(Answer.LAUNCH)]


def table_markdown() -> str:
    """docs/dialogue.md, generated from TABLE (tests/test_dialogue.py keeps the file in step)."""
    lines = [
        "# The dialogue table",
        "",
        "Generated from `lambda/cramp_helper/dialogue.py` by `python tools/dialogue_doc.py`;",
        "a test fails when this file and the code differ. Rows: the question the skill asked",
        "last. Columns: what the person said. A cell is the action taken. Red flags are triaged",
        "in every row; a cramp that has lasted ten minutes hears the same-day care advice before",
        "any more guidance; a new session that carries on picks up a cramp whose session closed",
        "in the last twenty minutes, with the question it was at.",
        "",
        "## Actions",
        "",
        "| action | what it does |",
        "|---|---|",
        *(f"| {a.name} | {a.value} |" for a in Action),
        "",
        "## Questions",
        "",
        "| question | asked as |",
        "|---|---|",
        *(f"| {q.name} | {_QUESTION_WORDS[q]} |" for q in Question),
        "",
        "## Answers to questions",
        "",
        "Rows: what the person said. Columns: the question asked last.",
        "",
        "| said \\ asked | " + " | ".join(q.name for q in Question) + " |",
        "|---|" + "---|" * len(Question),
    ]
    for answer in ANSWER_COLUMNS:
        cells = [TABLE[(question, answer)].name for question in Question]
        lines.append(f"| {answer.value} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Requests (the same after any question)",
        "",
        "| request | action |",
        "|---|---|",
        *(f"| {a.value} | {DEFAULTS[a].name} |" for a in Answer if a not in ANSWER_COLUMNS),
        "",
    ]
    return "\n".join(lines)


_QUESTION_WORDS = {
    Question.NONE: "(nothing pending)",
    Question.WHERE: "Where's the cramp?",
    Question.WHERE_AGAIN: "(another body part) Is there a cramp in your leg or foot?",
    Question.CHECKIN: "Has it eased?",
    Question.PAUSED: "Say I'm ready when you are. Shall we go on?",
    Question.AGAIN: "Would you like to go through the stretches again?",
    Question.BEDTIME_NEXT: "Ready for the hamstrings?",
    Question.BEDTIME_OFFER: "Would you like to do your bedtime stretches now?",
    Question.DELETE: "Do you want me to delete your whole cramp history?",
    Question.REMINDER_TIME: "What time would you like?",
    Question.REMINDER_MORNING: "Six in the morning?",
    Question.CLARIFY: "Is your leg swollen, red or warm?",
    Question.CARE_OFFER: "(after ten minutes' advice) Would you like some gentle ways to ease it?",
    Question.TRY_ELSE: "(a cramp under ten minutes) Shall we try something else to ease it?",
}


# --- what each intent means -----------------------------------------------------------------
INTENTS: dict[str, Answer] = {
    "AMAZON.YesIntent": Answer.YES,
    "AMAZON.NoIntent": Answer.NO,
    "NotYetIntent": Answer.NOT_YET,
    "StillCrampingIntent": Answer.STILL,
    "CrampGoneIntent": Answer.GONE,
    "ThankYouIntent": Answer.THANKS,
    "FeelingOkayIntent": Answer.OKAY,
    "AMAZON.PauseIntent": Answer.WAIT,
    "ReadyIntent": Answer.READY,
    "AMAZON.ResumeIntent": Answer.RESUME,
    "AMAZON.NextIntent": Answer.NEXT,
    "AMAZON.PreviousIntent": Answer.PREVIOUS,
    "AMAZON.RepeatIntent": Answer.REPEAT,
    "AMAZON.StartOverIntent": Answer.START_OVER,
    "AMAZON.HelpIntent": Answer.HELP,
    "AMAZON.StopIntent": Answer.STOP,
    "AMAZON.NavigateHomeIntent": Answer.STOP,
    "AMAZON.CancelIntent": Answer.CANCEL,
    "AMAZON.FallbackIntent": Answer.FALLBACK,
    "CrampIntent": Answer.CRAMP,
    "RedFlagIntent": Answer.RED_FLAG,
    "EmergencyIntent": Answer.RED_FLAG,
    "BedtimeStretchIntent": Answer.BEDTIME,
    "CrampCountIntent": Answer.HISTORY,
    "LastCrampIntent": Answer.HISTORY,
    "CommonCrampIntent": Answer.HISTORY,
    "HistorySummaryIntent": Answer.HISTORY,
    "DeleteHistoryIntent": Answer.DELETE,
    "SetReminderIntent": Answer.REMINDER,
    "StopReminderIntent": Answer.STOP_REMINDER,
    "WhisperIntent": Answer.VOICE,
    "SpeakNormallyIntent": Answer.VOICE,
    "PreventionInfoIntent": Answer.INFO,
    "CauseInfoIntent": Answer.INFO,
    "DistressIntent": Answer.DISTRESS,
    "MedicineIntent": Answer.MEDICINE,
    "LongCrampIntent": Answer.LONG_CRAMP,
}

# A touch on the Echo Show's buttons (Alexa.Presentation.APL.UserEvent arguments[0]).
TOUCHES: dict[str, Answer] = {"gone": Answer.GONE, "still": Answer.STILL, "pause": Answer.WAIT,
                              "next": Answer.NEXT, "resume": Answer.RESUME, "stop": Answer.STOP}


def answer_to_intent(intent: str | None) -> Answer:
    """An intent this skill does not model (an old model, a new built-in) is not understood."""
    return INTENTS.get(intent or "", Answer.FALLBACK)
