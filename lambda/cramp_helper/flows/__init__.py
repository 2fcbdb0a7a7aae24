"""What the skill does, one function per dialogue action (see dialogue.Action).

Every function takes the request's Context and returns a Reply; none calls a handler, and none
sets the question asked (the dialogue records it from the Reply).
"""

from __future__ import annotations

from ..dialogue import Action
from ..guide import Move
from . import bedtime, general, history, privacy, relief, reminders, safety

ACTIONS = {
    Action.START: relief.start,
    Action.NEXT: relief.next_,
    Action.CONTINUE: lambda ctx: relief.move(ctx, Move.RESUME),
    Action.REPEAT: lambda ctx: relief.move(ctx, Move.REPEAT),
    Action.PREVIOUS: lambda ctx: relief.move(ctx, Move.PREVIOUS),
    Action.START_OVER: lambda ctx: relief.move(ctx, Move.START_OVER),
    Action.WAIT: relief.wait,
    Action.RELIEVED: relief.relieved,
    Action.FINISHED: relief.finished,
    Action.GOODBYE: relief.goodbye,
    Action.POLITE_END: relief.polite_end,
    Action.ASK_WHERE: relief.ask_where,
    Action.REASK: relief.reask_here,
    Action.HELP: general.help_,
    Action.FALLBACK: general.fallback,
    Action.TRIAGE: safety.red_flag,
    Action.GENTLE: safety.gentle,
    Action.DECLINED: safety.declined,
    Action.CLARIFIED: safety.clarified,
    Action.CARRY_ON: safety.carry_on,
    Action.LONG_CRAMP: safety.long_cramp,
    Action.DISTRESS: safety.distress,
    Action.MEDICINE: safety.medicine,
    Action.BEDTIME_START: bedtime.start_bedtime,
    Action.BEDTIME_NEXT: bedtime.next_stretch,
    Action.BEDTIME_WAIT: bedtime.wait,
    Action.BEDTIME_FINISH: bedtime.finish_early,
    Action.ASK_DELETE: privacy.ask_delete,
    Action.DELETE: privacy.delete,
    Action.KEEP_HISTORY: privacy.keep,
    Action.REMINDER: reminders.reminder,
    Action.REMINDER_MORNING: reminders.morning,
    Action.REMINDER_EVENING: reminders.evening,
    Action.REMINDER_DECLINE: reminders.decline,
    Action.STOP_REMINDER: reminders.stop_reminder,
    Action.HISTORY: history.answer,
    Action.VOICE: general.voice_preference,
    Action.INFO: general.info,
    Action.LAUNCH: general.launch,
}

missing = set(Action) - set(ACTIONS)
if missing:  # pragma: no cover - caught by the import in every test
    raise RuntimeError(f"actions without a function: {sorted(a.name for a in missing)}")
