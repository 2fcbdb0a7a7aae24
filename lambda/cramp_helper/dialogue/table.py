"""The conversation as one table: (question asked last, what the person said) -> action.

The table is complete: every question the skill can ask x every answer. docs/dialogue.md shows it
(``doc.table_markdown``), and a test keeps the two in step. Red flags win in every row. Beside the
table, the sets the turn (turn.py) reads to run a request: which answers may carry on a cramp
whose session closed, which may look anything up, which actions are urgent, guide, read the
device's clock or stamp a record with the device's time zone. Pure data: nothing is read here.
"""

from __future__ import annotations

from .vocabulary import Action, Answer, Question

A = Action
# What an answer means when the question asked gives it no special meaning.
DEFAULTS: dict[Answer, Action] = {
    Answer.YES: A.REASK,
    Answer.NO: A.POLITE_END,
    Answer.NOT_YET: A.WAIT,
    Answer.STILL: A.STILL_CRAMPING,
    Answer.GONE: A.RELIEVED,
    Answer.THANKS: A.THANKS_END,
    Answer.OKAY: A.OKAY_END,
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
    Answer.EMERGENCY: A.EMERGENCY,
    Answer.BEDTIME: A.BEDTIME_START,
    Answer.HISTORY_COUNT: A.HISTORY_COUNT,
    Answer.HISTORY_LAST: A.HISTORY_LAST,
    Answer.HISTORY_COMMON: A.HISTORY_COMMON,
    Answer.HISTORY_SUMMARY: A.HISTORY_SUMMARY,
    Answer.DELETE: A.ASK_DELETE,
    Answer.REMINDER: A.REMINDER,
    Answer.STOP_REMINDER: A.STOP_REMINDER,
    Answer.WHISPER: A.WHISPER,
    Answer.SPEAK_NORMALLY: A.SPEAK_NORMALLY,
    Answer.PREVENTION_INFO: A.PREVENTION_INFO,
    Answer.CAUSE_INFO: A.CAUSE_INFO,
    Answer.DISTRESS: A.DISTRESS,
    Answer.MEDICINE: A.MEDICINE,
    Answer.LONG_CRAMP: A.LONG_CRAMP,
    Answer.PERMISSION: A.PERMISSION_ANSWERED,
    # issue 19: consent before the log
    Answer.START_LOGGING: A.START_LOGGING,
    Answer.STOP_LOGGING: A.STOP_LOGGING,
    # "call my daughter", "turn on the light": what the skill cannot do, said honestly, then the
    # question that was open, whatever it was (mid-cramp the routine carries on; red flags still win)
    Answer.CALL_SOMEONE: A.CANT_CALL,
    Answer.DEVICE_ACTION: A.CANT_DO,
}

# With nothing asked, or "where's the cramp?" asked, there is no routine to move through.
_NOTHING_TO_MOVE = {Answer.NEXT: A.NOTHING_TO_MOVE, Answer.PREVIOUS: A.NOTHING_TO_MOVE,
                    Answer.REPEAT: A.NOTHING_TO_MOVE, Answer.START_OVER: A.NOTHING_TO_MOVE}

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
    Question.NONE: {**_NOTHING_TO_MOVE, Answer.RESUME: A.NOTHING_TO_MOVE, Answer.READY: A.NOTHING_TO_MOVE},
    Question.WHERE: {
        **_NOTHING_TO_MOVE, Answer.NO: A.POLITE_END, Answer.NOT_YET: A.WAIT, Answer.READY: A.ASK_WHERE,
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
        **_IN_ROUTINE, Answer.YES: A.TRY_NEXT, Answer.NO: A.FINISHED, Answer.NOT_YET: A.WAIT,
        Answer.READY: A.TRY_NEXT, Answer.NEXT: A.TRY_NEXT,
    },
    # issue 19: consent before the log ("Shall I keep a log?"); "stop" or silence decides nothing.
    # Only a yes consents: "I'm fine" ("no I'm good", "I'm fine thanks") and "I'm ready" ("I'm
    # back", after "one sec") answer another question, so the question is asked again.
    Question.CONSENT: {
        Answer.YES: A.CONSENT_YES, Answer.NO: A.CONSENT_NO, Answer.NOT_YET: A.CONSENT_NO,
        Answer.OKAY: A.REASK, Answer.READY: A.REASK, Answer.THANKS: A.THANKS_END,
        Answer.REPEAT: A.REASK,
    },
    # issue 18: "How long has it been cramping?", asked once. A number of minutes (or "half an hour",
    # "an hour": LongCrampIntent) answers it; anything that is not a duration leaves how long unknown,
    # which is the safe side: the same-day advice, then gentle options (LONG_AFTER_CLOSE's answer).
    Question.HOW_LONG: {
        Answer.YES: A.LONG_AFTER_CLOSE, Answer.NO: A.LONG_AFTER_CLOSE, Answer.NOT_YET: A.LONG_AFTER_CLOSE,
        Answer.STILL: A.LONG_AFTER_CLOSE, Answer.FALLBACK: A.LONG_AFTER_CLOSE,
        Answer.READY: A.LONG_AFTER_CLOSE, Answer.NEXT: A.LONG_AFTER_CLOSE, Answer.RESUME: A.LONG_AFTER_CLOSE,
        Answer.OKAY: A.RELIEVED, Answer.REPEAT: A.REASK,
    },
}

# --- issue 17 (heard): answers heard in everyday words -----------------------------------------
# "It's let go, just sore" ends the cramp with after-care; "no, it's just the cramp" is the no to
# the clarifying question and to "has it eased?" (elsewhere the question is asked again); "slower" and
# "the first part again" repeat; "not now, maybe later" declines whatever was offered and otherwise
# closes politely (mid-cramp it is a not-yet). None of them ever raises a sign: red flags win in every row.
DEFAULTS.update({
    Answer.SORE: A.SORE, Answer.NO_SIGN: A.REASK, Answer.SLOWER: A.SLOWER,
    Answer.FIRST_PART: A.FIRST_PART, Answer.LATER: A.POLITE_END,
})
for _question, _rows in {
    # mid-cramp, "not right now" to "has it eased?" or "shall we go on?" is a not-yet, never a goodbye
    Question.CHECKIN: {Answer.LATER: A.NEXT, Answer.NO_SIGN: A.NEXT},
    Question.PAUSED: {Answer.LATER: A.WAIT},
    Question.AGAIN: {Answer.LATER: A.FINISHED},
    Question.TRY_ELSE: {Answer.LATER: A.FINISHED},
    Question.BEDTIME_NEXT: {Answer.LATER: A.BEDTIME_FINISH, Answer.SORE: A.BEDTIME_FINISH},
    Question.DELETE: {Answer.LATER: A.KEEP_HISTORY, Answer.NO_SIGN: A.KEEP_HISTORY},
    Question.REMINDER_TIME: {Answer.LATER: A.REMINDER_DECLINE},
    Question.REMINDER_MORNING: {Answer.LATER: A.REMINDER_DECLINE},
    Question.CLARIFY: {Answer.NO_SIGN: A.CARRY_ON,
                       Answer.LATER: A.REASK},  # the clot question is never closed by "not now"
    Question.CARE_OFFER: {Answer.LATER: A.DECLINED},
}.items():
    OVERRIDES[_question].update(_rows)

# --- issue 17 (heard): words nobody knows ----------------------------------------------------
# Words the interpreter cannot read, carried as a warning sign with no leg named ("que me pida un
# taxi", "I have a headache"), get one neutral question: the leg cramp, or a different problem? Yes (or the
# cramp, the leg) means the words were about the leg: the clot question follows. "No, just the
# cramp", "still cramping", "I'm ready": back to where the person was. No, or words again nobody
# knows: what this skill helps with and when to get care, then back (or close, with nothing under
# way). A sign said at the question is triaged, as everywhere. At the clot question, words nobody
# knows ask it again (its pending signs stand); at "how long?", they leave how long unknown.
DEFAULTS[Answer.UNCLEAR] = A.ASK_TOPIC
OVERRIDES[Question.TOPIC] = {
    Answer.YES: A.LEG_WORDS, Answer.CRAMP: A.LEG_WORDS, Answer.NO_SIGN: A.CARRY_ON, Answer.STILL: A.CARRY_ON,
    Answer.READY: A.CARRY_ON, Answer.RESUME: A.CARRY_ON, Answer.NEXT: A.CARRY_ON, Answer.NOT_YET: A.CARRY_ON,
    Answer.NO: A.SOMETHING_ELSE, Answer.UNCLEAR: A.SOMETHING_ELSE, Answer.FALLBACK: A.SOMETHING_ELSE,
    Answer.LATER: A.GOODBYE, Answer.SILENCE: A.KEEP_PLACE,
}
OVERRIDES[Question.CLARIFY][Answer.UNCLEAR] = A.REASK
OVERRIDES[Question.HOW_LONG][Answer.UNCLEAR] = A.LONG_AFTER_CLOSE

# --- issue 17 (heard), part 6: silence --------------------------------------------------------
# Every question is asked with a reprompt, which Alexa plays once when nothing is heard; silence
# after it ends the session (SessionEndedRequest, Answer.SILENCE). A cramp under way keeps its place
# for twenty minutes ("still cramping" picks it up), paused if it was paused; unfinished bedtime
# stretches are logged as such; anything else closes with nothing kept (at the log question,
# silence decides nothing, so nothing about the cramp is stored).
DEFAULTS[Answer.SILENCE] = A.SILENT_CLOSE
for _question in (Question.CHECKIN, Question.AGAIN, Question.TRY_ELSE, Question.CARE_OFFER, Question.CLARIFY):
    OVERRIDES[_question][Answer.SILENCE] = A.KEEP_PLACE
OVERRIDES[Question.PAUSED][Answer.SILENCE] = A.KEEP_PAUSED
OVERRIDES[Question.BEDTIME_NEXT][Answer.SILENCE] = A.BEDTIME_LEFT

TABLE: dict[tuple[Question, Answer], Action] = {
    (question, answer): OVERRIDES[question].get(answer, DEFAULTS[answer])
    for question in Question for answer in Answer
}

# Answers that, opening a new session, may carry on a cramp whose session closed (one read).
CARRY_ON_ANSWERS = frozenset({
    Answer.STILL, Answer.NEXT, Answer.READY, Answer.RESUME, Answer.GONE, Answer.REPEAT,
    Answer.OKAY, Answer.THANKS, Answer.NOT_YET, Answer.YES, Answer.NO, Answer.WAIT,
    Answer.PREVIOUS, Answer.START_OVER, Answer.LAUNCH, Answer.LONG_CRAMP,
    Answer.SORE, Answer.SLOWER, Answer.FIRST_PART,  # issue 17 (heard)
})
# Answers that never read the table: the fastest path, and nothing to remember.
NO_LOOKUPS = frozenset({Answer.RED_FLAG, Answer.EMERGENCY, Answer.HELP, Answer.STOP, Answer.CANCEL,
                        Answer.SILENCE})  # nobody hears the answer to silence
# Answers that, after a bookmark too old to resume (over twenty minutes), mean a long cramp.
STILL_GOING = frozenset({Answer.STILL, Answer.NEXT, Answer.READY, Answer.RESUME})
URGENT_ACTIONS = frozenset({Action.TRIAGE, Action.EMERGENCY, Action.CLARIFIED, Action.LEG_WORDS})
# Actions whose words name the emergency number or same-day care: the turn makes one short zone
# look-up for them when the session has none, so the number is the country's (issue 19).
CARE_ACTIONS = URGENT_ACTIONS | frozenset({Action.DISTRESS, Action.LONG_CRAMP, Action.TEN_MINUTES,
                                           Action.LONG_AFTER_CLOSE, Action.DECLINED, Action.FINISHED,
                                           Action.MEDICINE, Action.SOMETHING_ELSE})
# Actions that continue relief guidance: a cramp past ten minutes hears the care advice first.
GUIDING = frozenset({Action.NEXT, Action.STILL_CRAMPING, Action.TRY_NEXT, Action.CONTINUE, Action.REPEAT,
                     Action.START_OVER, Action.PREVIOUS})
# Actions whose words depend on the device's clock ("sleep well" or "take care"; the evening
# welcome): the turn looks the clock up for them when the answer may look anything up.
CLOCK_ACTIONS = frozenset({Action.RELIEVED, Action.GOODBYE, Action.POLITE_END, Action.THANKS_END,
                           Action.OKAY_END, Action.LAUNCH})
# Actions that may stamp a new record with the device's local time, or answer in it: the turn
# looks the zone up for them (once per session) when there is a table to write or read, and (the
# first two) no episode or bedtime session is open yet, so the action may start one.
EPISODE_ACTIONS = frozenset({Action.START, Action.STILL_CRAMPING, Action.TRY_NEXT, Action.TRIAGE,
                             Action.EMERGENCY, Action.CLARIFIED})  # a cramp starts, or a red flag is logged
BEDTIME_ACTIONS = frozenset({Action.BEDTIME_START, Action.BEDTIME_NEXT})
HISTORY_ACTIONS = frozenset({Action.HISTORY_COUNT, Action.HISTORY_LAST, Action.HISTORY_COMMON,
                             Action.HISTORY_SUMMARY})
# Actions that need the device's zone whatever the table: a reminder is set in it.
ZONE_ACTIONS = frozenset({Action.REMINDER, Action.REMINDER_MORNING, Action.REMINDER_EVENING,
                          Action.PERMISSION_ANSWERED})


def action_for(question: Question, answer: Answer) -> Action:
    return TABLE[(question, answer)]
