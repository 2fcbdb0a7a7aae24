"""docs/dialogue.md, written from the table (tools/dialogue_doc.py writes it; a test compares)."""

from __future__ import annotations

from .table import DEFAULTS, TABLE
from .vocabulary import Action, Answer, Question

ANSWER_COLUMNS = [a for a in Answer if list(Answer).index(a) < list(Answer).index(Answer.LAUNCH)]


def table_markdown() -> str:
    """docs/dialogue.md, generated from TABLE (tests/test_dialogue.py keeps the file in step)."""
    lines = [
        "# The dialogue table",
        "",
        "Generated from `lambda/cramp_helper/dialogue/` by `python tools/dialogue_doc.py`;",
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
    # issue 19
    Question.CONSENT: "(EPISODE_LOG=ask, a guided cramp ended or history asked) Shall I keep a log?",
    Question.HOW_LONG: "(it won't stop, at the start) How long has it been cramping?",
    # issue 17
    Question.TOPIC: "(words nobody knows, no leg named) Is it about your leg cramp, or a different problem?",
}


