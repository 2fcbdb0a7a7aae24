"""What the Echo Show shows: the night screen for each answer that has one (apl.py lays it
out). Nothing here runs for a screenless device: ``ctx.apl`` is False and display is never imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..speech import Speech

if TYPE_CHECKING:
    from ..context import Context
    from ..guide import Turn

RELIEF_BUTTONS = ("gone", "still", "pause")
BEDTIME_BUTTONS = ("next", "pause", "stop")


def _words(ctx: Context) -> dict:
    return ctx.content.section("screens")


def _buttons(ctx: Context, arguments: tuple[str, ...]) -> list[tuple[str, str]]:
    labels = _words(ctx)["buttons"]
    return [(labels[a], a) for a in arguments]


def _step(ctx: Context, turn: Turn) -> tuple[dict, str, dict, int, int]:
    """(screen words, technique id, its title and line, its number from 1, how many there are)."""
    words = _words(ctx)
    techniques = ctx.content.techniques(turn.position.muscle)
    technique = techniques[turn.position.technique]
    text = words["techniques"][technique]
    if ctx.state.seated:  # the voice gives the lying or sitting version (issue 18): so does the screen
        text = words.get("sitting", {}).get(technique, text)
    return words, technique, text, turn.position.technique + 1, len(techniques)


def guidance(ctx: Context, turn: Turn, speech: Speech) -> dict | None:
    """A relief technique: its title and line, its pictogram, "technique 2 of 4", the countdowns."""
    if not ctx.apl or turn.finished:
        return None
    from .. import apl

    words, technique, text, number, total = _step(ctx, turn)
    progress = words["progress"].format(n=number, total=total)
    return apl.guidance(text["title"], text["instruction"], technique, progress,
                            apl.countdowns(speech.items, apl.rate_of(speech.voice)),
                            _buttons(ctx, RELIEF_BUTTONS), unit=words["unit"])


def bedtime(ctx: Context, turn: Turn, speech: Speech) -> dict | None:
    """A bedtime stretch: both legs' progress, "calf, left leg, round 2 of 3" under each hold."""
    if not ctx.apl:
        return None
    from .. import apl

    words, technique, text, number, total = _step(ctx, turn)
    holds = apl.countdowns(speech.items, apl.rate_of(speech.voice))
    legs = [words["legs"]["LEFT"], words["legs"]["RIGHT"]]
    rounds = len(holds) // len(legs) if len(holds) % len(legs) == 0 else 0
    if not rounds:  # not a both-legs stretch: no per-leg rows
        legs = []
    stretch = words["stretch_names"].get(technique, text["title"])
    labels = [words["bedtime_hold"].format(stretch=stretch, leg=legs[i // rounds].lower() if rounds else "",
                                           n=i % rounds + 1 if rounds else i + 1,
                                           total=rounds or len(holds)) for i in range(len(holds))]
    progress = words["bedtime_progress"].format(stretch=stretch, n=number, total=total)
    return apl.bedtime(text["title"], text["instruction"], technique, progress, holds, legs, labels,
                           _buttons(ctx, BEDTIME_BUTTONS), unit=words["unit"])


def red_flag(ctx: Context, text: str) -> dict | None:
    """The emergency number large, and what to do."""
    if not ctx.apl:
        return None
    from .. import apl

    words = _words(ctx)
    return apl.red_flag(ctx.content.emergency_number, text, title=words["red_flag_title"],
                            call_label=words["red_flag_call"])


def same_day(ctx: Context, text: str) -> dict | None:
    """Same-day care: "Get care today" large, then what to do; the after-hours line under it where
    the country has one. Never the emergency number large (that is for emergencies only)."""
    if not ctx.apl:
        return None
    from .. import apl

    words = _words(ctx)
    after_hours = getattr(ctx.content, "after_hours", None) or ""
    return apl.same_day(words["same_day_title"], text, after_hours=after_hours)


def history(ctx: Context, card: tuple[str, str] | None, sentences: list[str], chart=None) -> dict | None:
    """The month of nights (``insights.chart``, when the history was read), and the summary card's
    contents (or, without a card, what was said)."""
    if not ctx.apl:
        return None
    from .. import apl

    title, body = card if card else (_words(ctx)["history_title"], "\n".join(sentences))
    lines = body.split("\n")
    footer = lines.pop() if card and len(lines) > 1 else ""
    return apl.history(title, lines, footer=footer, chart=chart)
