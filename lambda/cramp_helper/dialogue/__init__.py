"""The conversation's vocabulary and its table, pure: no Alexa or AWS types, no I/O.

- ``vocabulary``: Question, Answer, Action, and how intents and touches are heard;
- ``table``: (question asked last, answer) -> action, and the sets the turn reads;
- ``doc``: docs/dialogue.md, written from the table.

The turn (turn.py) runs a request through it; the actions (actions/) import it, never the turn.
"""

from __future__ import annotations

from .table import (
    BEDTIME_ACTIONS,
    CARE_ACTIONS,
    CARRY_ON_ANSWERS,
    CLOCK_ACTIONS,
    DEFAULTS,
    EPISODE_ACTIONS,
    GUIDING,
    HISTORY_ACTIONS,
    NO_LOOKUPS,
    OVERRIDES,
    STILL_GOING,
    TABLE,
    URGENT_ACTIONS,
    ZONE_ACTIONS,
    action_for,
)
from .vocabulary import (
    HEARD,
    INTENTS,
    TOUCHES,
    Action,
    Answer,
    Question,
    answer_to_heard,
    answer_to_intent,
    answer_to_touch,
)

__all__ = [
    "ANSWER_COLUMNS", "BEDTIME_ACTIONS", "CARE_ACTIONS", "CARRY_ON_ANSWERS", "CLOCK_ACTIONS", "DEFAULTS",
    "EPISODE_ACTIONS", "GUIDING", "HEARD", "HISTORY_ACTIONS", "INTENTS", "NO_LOOKUPS", "OVERRIDES",
    "STILL_GOING",
    "TABLE", "TOUCHES", "URGENT_ACTIONS", "ZONE_ACTIONS", "Action", "Answer", "Question", "action_for",
    "answer_to_heard", "answer_to_intent", "answer_to_touch", "table_markdown",
]


def __getattr__(name: str):
    """The doc's names on first use: a request never writes docs/dialogue.md."""
    if name in ("ANSWER_COLUMNS", "table_markdown"):
        from . import doc

        return getattr(doc, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
