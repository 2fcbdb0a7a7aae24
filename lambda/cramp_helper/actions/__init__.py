"""What the skill does, one function per dialogue action (see dialogue.Action).

Every function takes the request's Context and returns a Reply; none calls a handler, none writes
the question asked (the turn records it from the Reply: ``Reply.asks``), and none looks at the
intent or the answer again: the table has decided, and every distinction is its own action.

Each action module is imported on the first request that runs one of its actions, so a request
pays only for the actions it runs (a Help never imports the history, bedtime or reminders code).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..dialogue import Action

if TYPE_CHECKING:
    from ..context import Context
    from ..reply import Reply


def _relief():
    from . import relief

    return relief


def _bedtime():
    from . import bedtime

    return bedtime


def _general():
    from . import general

    return general


def _history():
    from . import history

    return history


def _privacy():
    from . import privacy

    return privacy


def _consent():
    from . import consent

    return consent


def _reminders():
    from . import reminders

    return reminders


def _safety():
    from . import safety

    return safety


def _silence():
    from . import silence

    return silence


def _relief_move(how: str) -> Callable[[Context], Reply]:
    def move(ctx: Context) -> Reply:
        relief = _relief()
        return relief.move(ctx, getattr(relief.Move, how))

    return move


ACTIONS: dict[Action, Callable[[Context], Reply]] = {
    Action.START: lambda ctx: _relief().start(ctx),
    Action.NEXT: _relief_move("NEXT"),
    Action.STILL_CRAMPING: lambda ctx: _relief().still_cramping(ctx),
    Action.TRY_NEXT: lambda ctx: _relief().try_next(ctx),
    Action.CONTINUE: _relief_move("RESUME"),
    Action.REPEAT: _relief_move("REPEAT"),
    Action.PREVIOUS: _relief_move("PREVIOUS"),
    Action.START_OVER: _relief_move("START_OVER"),
    Action.WAIT: lambda ctx: _relief().wait(ctx),
    Action.RELIEVED: lambda ctx: _relief().relieved(ctx),
    Action.FINISHED: lambda ctx: _relief().finished(ctx),
    Action.GOODBYE: lambda ctx: _relief().goodbye(ctx),
    Action.POLITE_END: lambda ctx: _relief().polite_end(ctx, "no_goodbye"),
    Action.THANKS_END: lambda ctx: _relief().polite_end(ctx, "thanks_goodbye"),
    Action.OKAY_END: lambda ctx: _relief().polite_end(ctx, "okay_goodbye"),
    Action.ASK_WHERE: lambda ctx: _relief().ask_where(ctx),
    Action.REASK: lambda ctx: _relief().reask_here(ctx),
    Action.NOTHING_TO_MOVE: lambda ctx: _relief().nothing_to_move(ctx),
    Action.HELP: lambda ctx: _general().help_(ctx),
    Action.FALLBACK: lambda ctx: _general().fallback(ctx),
    Action.TRIAGE: lambda ctx: _safety().red_flag(ctx),
    Action.EMERGENCY: lambda ctx: _safety().red_flag(ctx, emergency=True),
    Action.GENTLE: lambda ctx: _safety().gentle(ctx),
    Action.DECLINED: lambda ctx: _safety().declined(ctx),
    Action.CLARIFIED: lambda ctx: _safety().clarified(ctx),
    Action.CARRY_ON: lambda ctx: _safety().carry_on(ctx),
    Action.LONG_CRAMP: lambda ctx: _safety().long_cramp(ctx),
    Action.TEN_MINUTES: lambda ctx: _safety().ten_minutes(ctx),
    Action.LONG_AFTER_CLOSE: lambda ctx: _safety().long_after_close(ctx),
    Action.DISTRESS: lambda ctx: _safety().distress(ctx),
    Action.MEDICINE: lambda ctx: _safety().medicine(ctx),
    Action.BEDTIME_START: lambda ctx: _bedtime().start_bedtime(ctx),
    Action.BEDTIME_NEXT: lambda ctx: _bedtime().next_stretch(ctx),
    Action.BEDTIME_WAIT: lambda ctx: _bedtime().wait(ctx),
    Action.BEDTIME_FINISH: lambda ctx: _bedtime().finish_early(ctx),
    Action.ASK_DELETE: lambda ctx: _privacy().ask_delete(ctx),
    Action.DELETE: lambda ctx: _privacy().delete(ctx),
    Action.KEEP_HISTORY: lambda ctx: _privacy().keep(ctx),
    Action.REMINDER: lambda ctx: _reminders().reminder(ctx),
    Action.REMINDER_MORNING: lambda ctx: _reminders().morning(ctx),
    Action.REMINDER_EVENING: lambda ctx: _reminders().evening(ctx),
    Action.REMINDER_DECLINE: lambda ctx: _reminders().decline(ctx),
    Action.STOP_REMINDER: lambda ctx: _reminders().stop_reminder(ctx),
    Action.PERMISSION_ANSWERED: lambda ctx: _reminders().permission_response(ctx),
    Action.HISTORY_COUNT: lambda ctx: _history().answer(ctx, "COUNT"),
    Action.HISTORY_LAST: lambda ctx: _history().answer(ctx, "LAST"),
    Action.HISTORY_COMMON: lambda ctx: _history().answer(ctx, "COMMON"),
    Action.HISTORY_SUMMARY: lambda ctx: _history().answer(ctx, "SUMMARY"),
    Action.WHISPER: lambda ctx: _general().voice_preference(ctx, "WHISPER"),
    Action.SPEAK_NORMALLY: lambda ctx: _general().voice_preference(ctx, "NORMAL"),
    Action.PREVENTION_INFO: lambda ctx: _general().info(ctx, "prevent"),
    Action.CANT_CALL: lambda ctx: _general().cannot(ctx, "cant_call"),
    Action.CANT_DO: lambda ctx: _general().cannot(ctx, "cant_do"),
    Action.CAUSE_INFO: lambda ctx: _general().info(ctx, "why"),
    Action.LAUNCH: lambda ctx: _general().launch(ctx),
    # issue 19: consent before the log
    Action.CONSENT_YES: lambda ctx: _consent().yes(ctx),
    Action.CONSENT_NO: lambda ctx: _consent().no(ctx),
    Action.START_LOGGING: lambda ctx: _consent().start_logging(ctx),
    Action.STOP_LOGGING: lambda ctx: _consent().stop_logging(ctx),
    # issue 17 (heard)
    Action.SORE: lambda ctx: _relief().sore(ctx),
    Action.SLOWER: lambda ctx: _relief().slower(ctx),
    Action.FIRST_PART: lambda ctx: _relief().first_part(ctx),
    # issue 17 (heard), part 6: silence after the reprompt
    Action.SILENT_CLOSE: lambda ctx: _silence().close(ctx),
    Action.KEEP_PLACE: lambda ctx: _silence().keep_place(ctx),
    Action.KEEP_PAUSED: lambda ctx: _silence().keep_place(ctx, paused=True),
    Action.BEDTIME_LEFT: lambda ctx: _silence().bedtime_left(ctx),
    # issue 17 (heard): words nobody knows
    Action.ASK_TOPIC: lambda ctx: _safety().ask_topic(ctx),
    Action.LEG_WORDS: lambda ctx: _safety().leg_words(ctx),
    Action.SOMETHING_ELSE: lambda ctx: _safety().something_else(ctx),
}

missing = set(Action) - set(ACTIONS)
if missing:  # pragma: no cover - caught by the import in every test
    raise RuntimeError(f"actions without a function: {sorted(a.name for a in missing)}")


def run_action(action: Action, ctx: Context) -> Reply:
    return ACTIONS[action](ctx)
