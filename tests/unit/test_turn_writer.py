"""The turn (lambda/cramp_helper/turn.py) is the only writer of the next question.

By reading the code: no module but turn.py assigns a ``.question`` attribute (nor sets it through
``setattr`` or ``dataclasses.replace``). By running it: through the shipped lambda_handler, every
action leaves ``state.question`` as it found it, and what the action's Reply asks is what the
session remembers afterwards, so the next "yes" answers exactly that question.
"""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lambda" / "cramp_helper"
APP = "amzn1.ask.skill.00000000-0000-4000-8000-000000000000"


def question_writes(path: Path) -> list[int]:
    """Line numbers where ``path`` writes an attribute named ``question``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            named = len(node.args) > 1 and getattr(node.args[1], "value", None) == "question"
            if name == "setattr" and named:
                lines.append(node.lineno)
            if name == "replace" and any(k.arg == "question" for k in node.keywords):
                lines.append(node.lineno)
        for target in targets:
            for part in ast.walk(target):  # tuple targets: a.question, b = ...
                if isinstance(part, ast.Attribute) and part.attr == "question":
                    lines.append(part.lineno)
    return lines


def test_only_turn_py_writes_a_question_attribute():
    writers = {path.relative_to(PACKAGE).as_posix(): lines for path in sorted(PACKAGE.rglob("*.py"))
               if (lines := question_writes(path))}
    assert "turn.py" in writers, "the turn must write the next question"
    assert set(writers) == {"turn.py"}, writers


def test_the_reader_catches_every_way_of_writing_it(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("ctx.state.question = q\nstate.question: Q = q\na.question, b = 1, 2\n"
                      "setattr(state, 'question', q)\nstate = replace(state, question=q)\n"
                      "x = state.question\n")
    assert question_writes(sample) == [1, 2, 3, 4, 5]


# --- behaviour, through the shipped entry point (no table: storage off) ----------------------
def _event(request: dict, attributes: dict | None, new: bool) -> dict:
    application = {"applicationId": APP}
    user = {"userId": "amzn1.ask.account.TURN-WRITER"}
    request = {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
               "timestamp": "2026-12-06T03:02:00Z", "locale": "en-US", **request}
    return {"version": "1.0",
            "session": {"new": new, "sessionId": "amzn1.echo-api.session.turn-writer",
                        "application": application, "user": user, "attributes": attributes or {}},
            "context": {"System": {"application": application, "user": user,
                                   "device": {"deviceId": "device-1", "supportedInterfaces": {}}}},
            "request": request}


def _intent(name: str, **slots: str) -> dict:
    return {"type": "IntentRequest", "intent": {"name": name, "confirmationStatus": "NONE", "slots": {
        slot: {"name": slot, "value": value, "confirmationStatus": "NONE", "resolutions": {
            "resolutionsPerAuthority": [{"authority": "amzn1.er-authority.echo-sdk.x", "status": {
                "code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"name": value, "id": value.upper()}}]}]}}
        for slot, value in slots.items()}}}


@pytest.fixture
def handler(monkeypatch):
    from cramp_helper import turn
    from cramp_helper.config import TableConfig
    from cramp_helper.services import Services
    from cramp_helper.skill import make_handler
    from cramp_helper.storage import EpisodeRepository

    seen: list[tuple] = []
    real = turn.run_action

    def watched(action, ctx):
        before = ctx.state.question
        reply = real(action, ctx)
        seen.append((action, before, ctx.state.question, reply))
        return reply

    monkeypatch.setattr(turn, "run_action", watched)
    services = Services(repository=EpisodeRepository(TableConfig(name=None, region=None)))
    return make_handler(services, skill_id=APP), seen


CONVERSATION = [
    {"type": "LaunchRequest"},
    _intent("CrampIntent", Muscle="calf", Side="left"),
    _intent("StillCrampingIntent"),
    _intent("AMAZON.PauseIntent"),
    _intent("AMAZON.HelpIntent"),
    _intent("AMAZON.YesIntent"),
    _intent("DeleteHistoryIntent"),
    _intent("AMAZON.NoIntent"),
    _intent("SetReminderIntent"),
    _intent("AMAZON.CancelIntent"),
]


def test_actions_leave_the_question_alone_and_the_turn_records_what_they_ask(handler):
    lambda_handler, seen = handler
    attributes, new = None, True
    for request in CONVERSATION:
        body = lambda_handler(_event(request, attributes, new), None)
        action, before, after_action, reply = seen[-1]
        assert after_action is before, f"{action.name} wrote the question itself"
        remembered = (body.get("sessionAttributes") or {}).get("cramp", {}).get("question", "none")
        assert remembered == ("none" if reply.end else reply.asks.value), action.name
        if body["response"].get("shouldEndSession"):
            attributes, new = None, True
        else:
            attributes, new = body.get("sessionAttributes"), False
    asked = {reply.asks.value for *_, reply in seen}
    assert {"where", "checkin", "paused", "delete", "reminder_time"} <= asked


def test_an_action_that_asks_something_else_is_answered_next_turn_by_that_question(handler, monkeypatch):
    from cramp_helper import actions
    from cramp_helper.dialogue import Action, Question
    from cramp_helper.reply import Reply
    from cramp_helper.speech import Speech

    lambda_handler, seen = handler
    # Help, made to ask "delete your history?": the session must remember DELETE, so "yes" deletes.
    monkeypatch.setitem(actions.ACTIONS, Action.HELP, lambda ctx: Reply(
        Speech().say("Help."), question="Delete your history?", reprompt="Delete it?", asks=Question.DELETE))
    body = lambda_handler(_event(_intent("AMAZON.HelpIntent"), None, True), None)
    assert body["sessionAttributes"]["cramp"]["question"] == "delete"
    lambda_handler(_event(_intent("AMAZON.YesIntent"), body["sessionAttributes"], False), None)
    assert seen[-1][0] is Action.DELETE
