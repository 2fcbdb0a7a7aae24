"""Drives lambda_handler through whole conversations with envelopes shaped as Alexa sends them.

Every envelope is built by testkit.envelopes (the one builder): requests given by intent name and
slot words, or read from the event JSON in tests/events/ and wrapped in this conversation's
session. Slot words are resolved with the shipped resolver (tools/resolver.py) the way Alexa's
entity resolution does (a value or synonym gives ER_SUCCESS_MATCH with its id; anything else
ER_SUCCESS_NO_MATCH). Every response is checked against Alexa's rules before the test sees it.
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from pathlib import Path

from lambda_function import lambda_handler
from testkit.clock import NIGHT, alexa_timestamp
from testkit.envelopes import LocalSession
from testkit.resolver import MATCH, NO_MATCH, Resolver, SlotMatch
from testkit.response import ResponseView
from tools.alexa_rules import check_response

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "tests" / "events"

__all__ = ["Conversation", "Reply", "load_event", "load_model", "slot_types"]

Reply = ResponseView  # what one turn of a Conversation returns


def load_event(name: str) -> dict:
    """A request envelope as Alexa sent it, from tests/events/<name>.json."""
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def load_model(locale: str = "en-US") -> dict:
    """The languageModel part of interaction_models/<locale>.json."""
    path = ROOT / "interaction_models" / f"{locale}.json"
    return json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


def slot_types(model: dict) -> dict[tuple[str, str], str]:
    """(intent, slot name) -> slot type."""
    return {(i["name"], s["name"]): s["type"] for i in model["intents"] for s in i.get("slots", [])}


@cache
def _shared_model(locale: str) -> tuple[dict, dict[tuple[str, str], str]]:
    """The locale's languageModel and its slot types, read once: thousands of Conversations share
    them (read only; ``load_model`` gives a copy of one's own)."""
    model = load_model(locale)
    return model, slot_types(model)


@cache
def resolver(locale: str) -> Resolver:
    return Resolver.from_locale(locale)


def slot_match(locale: str, intent: str, slot: str, words: str) -> SlotMatch:
    """``words`` said for ``slot``: a custom type resolves to its id or no match; a built-in type
    (or an undeclared slot) carries the words as said, with no entity resolution."""
    found = resolver(locale).match(intent, slot, words)
    if found.status in (MATCH, NO_MATCH):
        return SlotMatch(words, found.id, found.status, found.slot_type, name=found.name)
    return SlotMatch(words, None, None, found.slot_type)


class Conversation:
    """One user talking to the skill across turns; a new session starts after one ends."""

    def __init__(self, locale: str = "en-US", user_id: str | None = None, handler=lambda_handler,
                 clock=None):
        self.locale = locale
        self.handler = handler
        self.clock = clock  # when set, stamps every request with clock()
        self.model, self.types = _shared_model(locale)  # read only
        user_id = user_id or f"amzn1.ask.account.TEST{uuid.uuid4().hex.upper()}"
        self.session = LocalSession(locale, user_id=user_id, clock=self._now)
        self.replies: list[Reply] = []

    def _now(self):
        # Without a clock a request keeps the timestamp of its event fixture (a night in NIGHT's minute).
        return self.clock() if self.clock is not None else None

    # --- Alexa's side of the session, kept by the one envelope builder -------------------------
    @property
    def user_id(self) -> str:
        return self.session.user_id

    @property
    def attributes(self) -> dict:
        return self.session.attributes

    @attributes.setter
    def attributes(self, value: dict) -> None:
        self.session.attributes = value

    @property
    def new(self) -> bool:
        return self.session.new

    @new.setter
    def new(self, value: bool) -> None:
        self.session.new = value

    @property
    def session_id(self) -> str:
        return self.session.session_id

    @property
    def consent_token(self) -> str | None:
        return self.session.consent_token

    @consent_token.setter
    def consent_token(self, value: str | None) -> None:
        self.session.consent_token = value

    # --- envelopes ----------------------------------------------------------------------------
    def envelope(self, request: dict) -> dict:
        """``request`` (a plain dict) in this conversation's session."""
        if self.clock is None and "timestamp" not in request:
            request = {**request, "timestamp": alexa_timestamp(NIGHT)}
        return self.session.envelope_for(request)

    def _envelope(self, fixture: str, request: dict | None = None) -> dict:
        """The request of tests/events/<fixture>.json, updated with ``request``, in this session."""
        body = load_event(fixture)["request"]
        if request:
            body.update(request)
        return self.envelope(body)

    def send(self, envelope: dict) -> Reply:
        result = self.handler(envelope, None)
        problems = check_response(result)
        assert not problems, f"invalid response: {problems}\n{json.dumps(result, indent=1)}"
        reply = Reply(result)
        self.replies.append(reply)
        self.session.receive(envelope, result)
        return reply

    # --- turns --------------------------------------------------------------------------------
    def launch(self) -> Reply:
        return self.send(self._envelope("launch"))

    def said(self, name: str, slots: dict | None = None) -> Reply:
        """An IntentRequest whose slots are exactly as Alexa sends them: ``{slot: (words, id)}``,
        the id a custom slot resolved to, or None for words it could not resolve (NO_MATCH);
        Minutes carries the number (the id), another built-in slot its words. No resolver is
        involved: for tests that must drive every locale with the same ids."""
        filled = {}
        for slot, (words, value) in (slots or {}).items():
            entry = {"name": slot, "value": str(words), "confirmationStatus": "NONE", "source": "USER"}
            slot_type = self.types.get((name, slot), "")
            if slot == "Minutes":  # AMAZON.NUMBER: the number ("five" is sent as "5")
                entry["value"] = str(value)
            elif not slot_type.startswith("AMAZON."):
                code = "ER_SUCCESS_NO_MATCH" if value is None else "ER_SUCCESS_MATCH"
                authority = {"authority": f"amzn1.er-authority.echo-sdk.SKILL.{slot_type}",
                             "status": {"code": code}}
                if value is not None:
                    authority["values"] = [{"value": {"name": str(words), "id": value}}]
                entry["resolutions"] = {"resolutionsPerAuthority": [authority]}
            filled[slot] = entry
        request = {"type": "IntentRequest", "dialogState": "COMPLETED",
                   "intent": {"name": name, "confirmationStatus": "NONE", "slots": filled}}
        return self.send(self.envelope(request))

    def intent(self, name: str, **slots: str | None) -> Reply:
        """An IntentRequest; slot values are the words the user said (None: slot left empty)."""
        declared = {slot: kind for (intent, slot), kind in self.types.items() if intent == name}
        filled = {slot: slot_match(self.locale, name, slot, words)
                  for slot, words in slots.items() if words is not None}
        body = self.session.intent_request(name, filled, declared)["request"]
        return self.send(self._envelope("one_shot_calf", body))

    def request(self, request: dict) -> Reply:
        """Any other request type (Connections.Response, AlexaSkillEvent.*, ...), in the session."""
        envelope = self._envelope("session_ended")
        stamped = {k: envelope["request"][k] for k in ("requestId", "timestamp", "locale")}
        envelope["request"] = {**stamped, **request}
        return self.send(envelope)

    def session_ended(self, reason: str = "USER_INITIATED", error: dict | None = None) -> Reply:
        request = {"reason": reason}
        if error:
            request["error"] = error
        return self.send(self._envelope("session_ended", request))

