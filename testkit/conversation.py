"""Drives lambda_handler through whole conversations with envelopes shaped as Alexa sends them.

Requests are built from the JSON fixtures in tests/events/. Slot words are resolved against the
interaction model the way Alexa's entity resolution does (a value or synonym gives
ER_SUCCESS_MATCH with its id; anything else ER_SUCCESS_NO_MATCH). Every response is checked
against Alexa's rules before the test sees it.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from lambda_function import lambda_handler
from tools.alexa_rules import check_response, spoken_text

ROOT = Path(__file__).resolve().parent.parent
EVENTS = Path(__file__).resolve().parent / "events"


def load_event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def load_model(locale: str = "en-US") -> dict:
    path = ROOT / "interaction_models" / f"{locale}.json"
    return json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


def slot_types(model: dict) -> dict[str, str]:
    """Slot name -> slot type, per intent."""
    return {(i["name"], s["name"]): s["type"] for i in model["intents"] for s in i.get("slots", [])}


def resolve(model: dict, slot_type: str, words: str) -> dict:
    """Entity resolution as Alexa reports it for ``words`` in a custom slot type."""
    authority = f"amzn1.er-authority.echo-sdk.SKILL.{slot_type}"
    wanted = words.strip().lower()
    for type_ in model["types"]:
        if type_["name"] != slot_type:
            continue
        for value in type_["values"]:
            names = [value["name"]["value"], *value["name"].get("synonyms", [])]
            if wanted in (n.lower() for n in names):
                return {"resolutionsPerAuthority": [{
                    "authority": authority, "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": value["name"]["value"], "id": value["id"]}}]}]}
    return {"resolutionsPerAuthority": [{"authority": authority,
                                         "status": {"code": "ER_SUCCESS_NO_MATCH"}}]}


@dataclass
class Reply:
    envelope: dict

    @property
    def response(self) -> dict:
        return self.envelope.get("response") or {}

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return spoken_text(self.ssml) if self.ssml else ""

    @property
    def reprompt(self) -> str:
        ssml = ((self.response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")
        return spoken_text(ssml) if ssml else ""

    @property
    def ended(self) -> bool:
        return self.response.get("shouldEndSession") is not False

    @property
    def card(self) -> dict | None:
        return self.response.get("card")

    def hold_seconds(self) -> float:
        """Total timed silence in the speech."""
        import re

        total = 0.0
        for amount, unit in re.findall(r'<break time="(\d+(?:\.\d+)?)(ms|s)"/>', self.ssml):
            total += float(amount) / (1000 if unit == "ms" else 1)
        return total


class Conversation:
    """One user talking to the skill across turns; a new session starts after one ends."""

    def __init__(self, locale: str = "en-US", user_id: str | None = None, handler=lambda_handler,
                 clock=None):
        self.locale = locale
        self.handler = handler
        self.clock = clock  # when set, stamps every request with clock()
        self.consent_token: str | None = None  # set: the user has granted the reminders permission
        self.model = load_model(locale)
        self.types = slot_types(self.model)
        self.user_id = user_id or f"amzn1.ask.account.TEST{uuid.uuid4().hex.upper()}"
        self.attributes: dict = {}
        self.new = True
        self.session_id = self._new_session_id()
        self.replies: list[Reply] = []

    @staticmethod
    def _new_session_id() -> str:
        return f"amzn1.echo-api.session.{uuid.uuid4()}"

    def _envelope(self, fixture: str, request: dict | None = None) -> dict:
        envelope = copy.deepcopy(load_event(fixture))
        envelope["session"]["new"] = self.new
        envelope["session"]["sessionId"] = self.session_id
        envelope["session"]["attributes"] = copy.deepcopy(self.attributes)
        for holder in (envelope["session"], envelope["context"]["System"]):
            holder["user"]["userId"] = self.user_id
            if self.consent_token:
                holder["user"]["permissions"] = {"consentToken": self.consent_token}
        if request:
            envelope["request"].update(request)
        envelope["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
        envelope["request"]["locale"] = self.locale
        if self.clock is not None:
            envelope["request"]["timestamp"] = self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        return envelope

    def send(self, envelope: dict) -> Reply:
        result = self.handler(envelope, None)
        problems = check_response(result)
        assert not problems, f"invalid response: {problems}\n{json.dumps(result, indent=1)}"
        reply = Reply(result)
        self.replies.append(reply)
        if envelope["request"]["type"] == "SessionEndedRequest" or reply.ended:
            self.attributes, self.new, self.session_id = {}, True, self._new_session_id()
        else:
            self.attributes, self.new = result.get("sessionAttributes") or {}, False
        return reply

    def launch(self) -> Reply:
        return self.send(self._envelope("launch"))

    def intent(self, name: str, **slots: str | None) -> Reply:
        """An IntentRequest; slot values are the words the user said (None: slot left empty)."""
        filled = {}
        declared = [slot for (intent, slot) in self.types if intent == name]
        for slot in declared + [s for s in slots if s not in declared]:
            words = slots.get(slot)
            entry: dict = {"name": slot, "confirmationStatus": "NONE"}
            if words is not None:
                slot_type = self.types.get((name, slot), "Unknown")
                entry.update(value=words, source="USER",
                             resolutions=resolve(self.model, slot_type, words))
            filled[slot] = entry
        request = {"type": "IntentRequest", "dialogState": "COMPLETED",
                   "intent": {"name": name, "confirmationStatus": "NONE", "slots": filled}}
        envelope = self._envelope("one_shot_calf", request)
        return self.send(envelope)

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
