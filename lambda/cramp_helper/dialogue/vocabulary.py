"""The words of the conversation machine: what the skill asked (``Question``), what the person
said or touched (``Answer``), what the skill does (``Action``), and how intents and touches are
heard. Plain enums and dicts: no Alexa or AWS types, no I/O, nothing of ours imported.

Every distinction an action needs is made here, before the table decides, so an action never
looks at the intent or the answer again: "thank you" and "I'm okay" close with their own words
because they are their own actions (THANKS_END, OKAY_END), "how many cramps" and "when was my last"
are their own answers (HISTORY_COUNT, HISTORY_LAST), and so on.
"""

from __future__ import annotations

from enum import Enum


class Question(Enum):
    """What the skill asked last: the meaning of a bare "yes", "no" or "not yet" depends on it."""

    NONE = "none"  # nothing asked (or the answer needs no context)
    WHERE = "where"  # "Where's the cramp?"
    WHERE_AGAIN = "where_again"  # asked again after a body part this skill does not guide
    CHECKIN = "checkin"  # "Has it eased?"
    PAUSED = "paused"  # "Say I'm ready when you are. Shall we go on?"
    AGAIN = "again"  # "Would you like to go through the stretches again?"
    BEDTIME_NEXT = "bedtime_next"  # "Ready for the hamstrings?"
    BEDTIME_OFFER = "bedtime_offer"  # "Would you like to do your bedtime stretches now?"
    DELETE = "delete"  # "Do you want me to delete your whole cramp history?"
    REMINDER_TIME = "reminder_time"  # "What time would you like?"
    REMINDER_MORNING = "reminder_morning"  # "Six in the morning?"
    CLARIFY = "clarify"  # "Is your leg swollen, red or warm?"
    CARE_OFFER = "care_offer"  # after the ten-minute advice: "Would you like some gentle ways to ease it?"
    TRY_ELSE = "try_else"  # a cramp under ten minutes: "Shall we try something else to ease it?"
    # issue 19: consent before the log
    CONSENT = "consent"  # "Would you like me to keep a private log of your cramps?"
    # issue 18: "it won't stop" with no duration, at the start
    HOW_LONG = "how_long"  # "How long has it been cramping?" (asked once)
    # issue 17: words nobody knows, with no leg named in them
    TOPIC = "topic"  # "Is it about your leg cramp, or a different problem?"


class Answer(Enum):
    """What the person said, by meaning. The first block answers questions (docs/dialogue.md's
    columns, up to LAUNCH); the rest are requests that mean the same whatever was asked."""

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
    # issue 17 (heard): answers heard in everyday words, by the new intents or the interpreter
    SORE = "it's let go, just sore"
    NO_SIGN = "no, it's just the cramp"
    SLOWER = "slower, please"
    FIRST_PART = "the first part again"
    LATER = "not now, maybe later"
    UNCLEAR = "(words with no known meaning, no leg named)"
    # issue 17 (heard), part 6: Alexa played the reprompt, heard nothing again and ended the session
    # (a SessionEndedRequest: silence, or the person walking away)
    SILENCE = "(silence)"
    # requests
    LAUNCH = "(open the skill)"
    EMERGENCY = "an emergency"
    BEDTIME = "bedtime stretches"
    HISTORY_COUNT = "how many cramps have I had"
    HISTORY_LAST = "when was my last cramp"
    HISTORY_COMMON = "where do I cramp most"
    HISTORY_SUMMARY = "how have my cramps been"
    DELETE = "delete my history"
    REMINDER = "remind me to stretch"
    STOP_REMINDER = "stop reminding me"
    WHISPER = "whisper to me"
    SPEAK_NORMALLY = "speak normally"
    PREVENTION_INFO = "how do I prevent cramps"
    CAUSE_INFO = "why do cramps come at night"
    DISTRESS = "is this serious"
    MEDICINE = "a medicine question"
    LONG_CRAMP = "it won't go away"
    PERMISSION = "(Alexa's answer to the reminders permission request)"
    # issue 19: consent before the log
    START_LOGGING = "start logging my cramps"
    STOP_LOGGING = "stop logging my cramps"
    # things the skill cannot do: a call or a message, or the device (lights, music, an alarm)
    CALL_SOMEONE = "call or message someone"
    DEVICE_ACTION = "lights, music, an alarm"


class Action(Enum):
    """What the skill does. Each is one function in actions/ (see ``actions.ACTIONS``)."""

    START = "start or switch the routine for the cramp named"
    NEXT = "next technique (or the next part of this one)"
    STILL_CRAMPING = "next technique; with no relief routine under way, relief for the leg"
    TRY_NEXT = "try something else: the next technique, or relief for the leg when none is under way"
    CONTINUE = "carry on with this technique"
    REPEAT = "repeat this technique"
    PREVIOUS = "previous technique"
    START_OVER = "from the first technique"
    WAIT = "wait: say how to come back, keep the place"
    RELIEVED = "after-care, log RELIEVED, close"
    FINISHED = "no more to try: care advice, log STILL_CRAMPING, close"
    GOODBYE = "close; a cramp in progress keeps its place for 20 minutes"
    POLITE_END = "close politely, no cramp after-care"
    THANKS_END = "close politely after a thank-you, no cramp after-care"
    OKAY_END = "close politely after an I'm okay, no cramp after-care"
    ASK_WHERE = "ask where the cramp is"
    REASK = "ask the last question again"
    NOTHING_TO_MOVE = "nothing to move through: say so when no routine is under way, then ask again"
    HELP = "help, then the last question again"
    FALLBACK = "didn't catch that, then the last question again"
    TRIAGE = "red-flag triage: care advice by urgency"
    EMERGENCY = "an emergency said: triage as one"
    CLARIFIED = "a warning sign confirmed: same-day care advice"
    CARRY_ON = "back to where the person was"
    LONG_CRAMP = "a cramp past ten minutes: same-day care advice first"
    TEN_MINUTES = "guidance asked for ten minutes into a cramp: the same-day care advice leads"
    LONG_AFTER_CLOSE = "still cramping over twenty minutes after the session closed: care advice"
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
    PERMISSION_ANSWERED = "the reminders permission answered: set the reminder, or the consent card"
    HISTORY_COUNT = "answer from history: how many"
    HISTORY_LAST = "answer from history: the last cramp"
    HISTORY_COMMON = "answer from history: where most"
    HISTORY_SUMMARY = "answer from history: a summary, with a card"
    WHISPER = "whisper from now on (kept for later sessions)"
    SPEAK_NORMALLY = "speak normally from now on (kept for later sessions)"
    PREVENTION_INFO = "the prevention answer"
    CAUSE_INFO = "why cramps come at night"
    LAUNCH = "welcome, ask where (evenings: offer the stretches)"
    # issue 19: consent before the log
    CONSENT_YES = "keep a log: store the consent, log this cramp and the next"
    CONSENT_NO = "no log: store the no (not asked again for 30 days), delete what was kept before"
    START_LOGGING = "start logging: store the consent"
    STOP_LOGGING = "stop logging: store the stop, keep what is kept"
    # things the skill cannot do: said honestly, then the question that was open (nothing is lost)
    CANT_CALL = "can't call or message: how to ask Alexa once we stop, then the last question again"
    CANT_DO = "can't do that from here (lights, music, alarms), then the last question again"
    # issue 17 (heard)
    SORE = "it has let go but is sore: after-care, log RELIEVED, close"
    SLOWER = "this step again, more slowly (or the last question, more slowly)"
    FIRST_PART = "the first part of this technique again"
    # issue 17 (heard), part 6: silence after the reprompt; the session is over, nothing is said
    SILENT_CLOSE = "silence: close; nothing was under way to keep"
    KEEP_PLACE = "silence: close; the cramp keeps its place for 20 minutes"
    KEEP_PAUSED = "silence while paused: close; the cramp keeps its place for 20 minutes, paused"
    BEDTIME_LEFT = "silence in the stretches: close; logged as not finished"
    # issue 17 (heard): words nobody knows get one neutral question; the clot question only for the leg
    ASK_TOPIC = "words not understood: one neutral question (the leg cramp, or a different problem?)"
    LEG_WORDS = "the words were about the leg or the cramp: the clot question"
    SOMETHING_ELSE = "not about the cramp: what this skill helps with and when to get care, then back"


# --- how intents and touches are heard ------------------------------------------------------
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
    "EmergencyIntent": Answer.EMERGENCY,
    "BedtimeStretchIntent": Answer.BEDTIME,
    "CrampCountIntent": Answer.HISTORY_COUNT,
    "LastCrampIntent": Answer.HISTORY_LAST,
    "CommonCrampIntent": Answer.HISTORY_COMMON,
    "HistorySummaryIntent": Answer.HISTORY_SUMMARY,
    "DeleteHistoryIntent": Answer.DELETE,
    "SetReminderIntent": Answer.REMINDER,
    "StopReminderIntent": Answer.STOP_REMINDER,
    "WhisperIntent": Answer.WHISPER,
    "SpeakNormallyIntent": Answer.SPEAK_NORMALLY,
    "PreventionInfoIntent": Answer.PREVENTION_INFO,
    "CauseInfoIntent": Answer.CAUSE_INFO,
    "DistressIntent": Answer.DISTRESS,
    "MedicineIntent": Answer.MEDICINE,
    "LongCrampIntent": Answer.LONG_CRAMP,
    # issue 19: consent before the log
    "StartLoggingIntent": Answer.START_LOGGING,
    "StopLoggingIntent": Answer.STOP_LOGGING,
    # things the skill cannot do
    "CallSomeoneIntent": Answer.CALL_SOMEONE,
    "DeviceActionIntent": Answer.DEVICE_ACTION,
    # issue 17 (heard)
    "SoreIntent": Answer.SORE,
    "NoSignIntent": Answer.NO_SIGN,
    "SlowerIntent": Answer.SLOWER,
    "FirstPartIntent": Answer.FIRST_PART,
    "LaterIntent": Answer.LATER,
}

# A touch on the Echo Show's buttons (Alexa.Presentation.APL.UserEvent arguments[0]).
TOUCHES: dict[str, Answer] = {"gone": Answer.GONE, "still": Answer.STILL, "pause": Answer.WAIT,
                              "next": Answer.NEXT, "resume": Answer.RESUME, "stop": Answer.STOP}


def answer_to_intent(intent: str | None) -> Answer:
    """An intent this skill does not model (an old model, a new built-in) is not understood."""
    return INTENTS.get(intent or "", Answer.FALLBACK)


# What the words meant, when the interpreter heard more in them than the intent's name says
# (interpreter.Heard.by_words): "the pain has stopped" carried to RedFlagIntent is relief, an
# unresolved "chest" in CrampIntent is a warning sign. Meanings not listed (UNKNOWN) leave the
# intent's own answer standing.
HEARD: dict[str, Answer] = {
    "SIGN": Answer.RED_FLAG, "PREGNANT": Answer.RED_FLAG, "RELIEF": Answer.GONE, "STILL": Answer.STILL,
    "SORE": Answer.SORE, "CRAMP": Answer.CRAMP, "DURATION": Answer.LONG_CRAMP, "DISTRESS": Answer.DISTRESS,
    "MEDICINE": Answer.MEDICINE, "OTHER_PERSON": Answer.CRAMP, "NOT_A_SIGN": Answer.NO_SIGN,
    # requests said in an open carrier's words (interpreter.REQUESTS)
    "HISTORY": Answer.HISTORY_SUMMARY, "CRAMP_COUNT": Answer.HISTORY_COUNT, "LAST_CRAMP": Answer.HISTORY_LAST,
    "COMMON_CRAMP": Answer.HISTORY_COMMON, "DELETE": Answer.DELETE, "BEDTIME": Answer.BEDTIME,
    "REMINDER": Answer.REMINDER, "STOP_REMINDER": Answer.STOP_REMINDER, "PREVENTION": Answer.PREVENTION_INFO,
    "CAUSE": Answer.CAUSE_INFO, "WHISPER": Answer.WHISPER, "LOUDER": Answer.SPEAK_NORMALLY,
    "LOG_ON": Answer.START_LOGGING, "LOG_OFF": Answer.STOP_LOGGING,
    "CALL": Answer.CALL_SOMEONE, "DEVICE": Answer.DEVICE_ACTION,  # what the skill cannot do
    "WAIT": Answer.WAIT,  # "one sec" heard as a duration of one second
}
# Answers a body part named in the words does not turn into a new cramp ("still cramping in my shin").
_KEEP_WITH_A_PLACE = frozenset({Answer.STILL, Answer.LONG_CRAMP, Answer.CRAMP})


def answer_to_heard(intent: str | None, meaning: str | None, by_words: bool, *,
                    leg_named: bool = False) -> Answer:
    """The answer for an intent as the interpreter heard it (``meaning``, ``by_words``: see HEARD).
    "An emergency" said stays one, whatever else was heard. Words nobody knows, carried as a
    warning sign ("it's {Symptom}") with no body part named (``leg_named``: the Muscle slot
    resolved, or its words read as a body part), are UNCLEAR: one neutral question, never the
    clot question (issue 17); "no" with words nobody knows is a plain no (only a denial or "just
    the cramp" is NO_SIGN)."""
    said = answer_to_intent(intent)
    if not by_words or meaning is None or said is Answer.EMERGENCY:
        return said
    if meaning == "UNKNOWN" and said is Answer.RED_FLAG and not leg_named:
        return Answer.UNCLEAR
    if meaning == "UNKNOWN" and said is Answer.NO_SIGN:  # "no, it's a different problem": a no
        return Answer.NO
    found = HEARD.get(meaning)
    if found is None or (found is Answer.CRAMP and said in _KEEP_WITH_A_PLACE):
        return said
    return found


def answer_to_touch(argument: object) -> Answer:
    """A button's argument; anything else on the screen repeats what was said."""
    return TOUCHES.get(argument, Answer.REPEAT) if isinstance(argument, str) else Answer.REPEAT
