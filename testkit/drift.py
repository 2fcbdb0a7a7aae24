"""Envelopes drifted past the ask-sdk-model release, shared by the tests and bench/fault_matrix.py.

Forward compatibility: an envelope from a newer Alexa still gets its normal answer.

Alexa adds enum values and fields to its request envelope before ask-sdk-model knows them. For
every envelope in tests/events/ (and two derived ones that carry the error objects of
SessionEndedRequest and System.ExceptionEncountered), this walks the JSON alongside
ask-sdk-model's classes and makes drifted copies:

- one per enum field the object's model class declares, present in the fixture or not (a list
  of enums gets a new value appended), and one per ``type`` discriminator of a polymorphic object
  (``Viewports[].type``, ``slotValue.type``, the viewport size ``type``), set to a value no model
  knows; the request's own ``type`` is left alone (a request type from the future is a clean
  no-op, tested in test_request_types.py);
- one per object in the envelope with a new unknown field added there;
- one with every enum drifted at once, one with a new field at every level, one with both.

Every copy must get the same response as the undrifted envelope (after removing the episode key,
which follows the request id); every copy of the cramp request must also be guided (the first
instruction spoken, the session open, the episode written). ``drift_report`` returns the figures
(bench/fault_matrix.py can print them).
"""

from __future__ import annotations

import copy
import importlib
import json
import time
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

from ask_sdk_model import RequestEnvelope

from cramp_helper import content as content_module
from cramp_helper.storage import user_key
from testkit.conversation import EVENTS  # the envelopes in tests/events/
from testkit.world import World
from tools.alexa_rules import check_response, spoken_text

DRIFTED = "DRIFTED_2031"  # an enum value no ask-sdk-model release knows
NEW_FIELD = "futureField2031"
# Enum-like fields Alexa sends that the pinned model keeps as plain (unknown) fields.
EXTRA_ENUMS = {"Slot": ("source",)}
CRAMP = "one_shot_calf"


# --- the model walk ------------------------------------------------------------------------------
@cache
def _class(name: str):
    module, _, cls = name.rpartition(".")
    return getattr(importlib.import_module(module), cls)


def _shape(type_name: str) -> tuple[str, str]:
    if type_name.startswith("list["):
        return "list", type_name[5:-1]
    if type_name.startswith("dict("):
        return "dict", type_name.split(", ", 1)[1][:-1]
    return "one", type_name


@dataclass
class Drift:
    enums: list[tuple] = field(default_factory=list)  # (action, path): "set" or "append"
    objects: list[tuple] = field(default_factory=list)  # paths of every model object


def walk(node: object, cls, path: tuple = (), found: Drift | None = None) -> Drift:
    """The enum fields and model objects of ``node``, read as ask-sdk-model class ``cls``."""
    found = found if found is not None else Drift()
    if not isinstance(node, dict):
        return found
    found.objects.append(path)
    if hasattr(cls, "get_real_child_model"):
        key = cls.json_discriminator_key
        if key in node and path != ("request",):
            found.enums.append(("set", (*path, key)))
        child = cls.discriminator_value_class_map.get(node.get(key))
        if child:
            cls = _class(child)
    names = {**{k: k for k in cls.deserialized_types}, **getattr(cls, "attribute_map", {})}
    found.enums += [("set", (*path, key)) for key in EXTRA_ENUMS.get(cls.__name__, ())]
    for attr, key in names.items():
        shape, type_name = _shape(cls.deserialized_types[attr])
        if "." not in type_name:  # str, int, object, datetime...
            continue
        target = _class(type_name)
        value = node.get(key)
        if issubclass(target, Enum):
            if shape == "list":
                found.enums.append(("append", (*path, key)))
            elif shape == "one":
                found.enums.append(("set", (*path, key)))
        elif shape == "one":
            walk(value, target, (*path, key), found)
        elif shape == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, target, (*path, key, index), found)
        elif shape == "dict" and isinstance(value, dict):
            for name, item in value.items():
                walk(item, target, (*path, key, name), found)
    return found


def _node(document: dict, path: tuple):
    for key in path:
        document = document[key]
    return document


def drift_enum(envelope: dict, action: str, path: tuple) -> None:
    parent = _node(envelope, path[:-1])
    if action == "append":
        current = parent.get(path[-1])
        parent[path[-1]] = [*(current if isinstance(current, list) else []), DRIFTED]
    else:
        parent[path[-1]] = DRIFTED


def add_field(envelope: dict, path: tuple) -> None:
    _node(envelope, path)[NEW_FIELD] = {"nested": [1, "two", {"three": None}], "enabled": True}


def drifted_copies(base: dict) -> list[tuple[str, dict]]:
    """(what was drifted, the drifted envelope) for one base envelope."""
    drift = walk(base, RequestEnvelope)
    copies = []
    for action, path in drift.enums:
        envelope = copy.deepcopy(base)
        drift_enum(envelope, action, path)
        copies.append((f"enum {'.'.join(map(str, path))}", envelope))
    for path in drift.objects:
        envelope = copy.deepcopy(base)
        add_field(envelope, path)
        copies.append((f"field at {'.'.join(map(str, path)) or 'top'}", envelope))
    every_enum, every_field, both = (copy.deepcopy(base) for _ in range(3))
    for action, path in drift.enums:
        drift_enum(every_enum, action, path)
        drift_enum(both, action, path)
    for path in sorted(drift.objects, key=len, reverse=True):  # children first: paths stay valid
        add_field(every_field, path)
        add_field(both, path)
    copies += [("every enum", every_enum), ("a field at every level", every_field),
               ("every enum and a field at every level", both)]
    return copies


# --- the bases -----------------------------------------------------------------------------------
def base_envelopes() -> dict[str, dict]:
    bases = {path.stem: json.loads(path.read_text(encoding="utf-8"))
             for path in sorted(EVENTS.glob("*.json"))}
    ended = copy.deepcopy(bases["session_ended"])
    ended["request"].update(reason="ERROR", error={"type": "INVALID_RESPONSE", "message": "Bad SSML"})
    bases["session_ended_error"] = ended
    exception = copy.deepcopy(bases["launch"])
    exception["request"] = {**{k: exception["request"][k] for k in ("requestId", "locale", "timestamp")},
                            "type": "System.ExceptionEncountered",
                            "error": {"type": "INVALID_RESPONSE", "message": "Bad SSML"},
                            "cause": {"requestId": "amzn1.echo-api.request.earlier"}}
    bases["exception_encountered"] = exception
    return bases


# --- running them --------------------------------------------------------------------------------
def _as_user(envelope: dict, n: int) -> dict:
    user = f"amzn1.ask.account.DRIFT{n:05d}"
    for holder in (envelope.get("session"), envelope.get("context", {}).get("System")):
        if isinstance(holder, dict) and isinstance(holder.get("user"), dict):
            holder["user"]["userId"] = user
    envelope["request"]["requestId"] = f"amzn1.echo-api.request.drift-{n:05d}"
    return envelope


def _comparable(body: dict) -> dict:
    body = copy.deepcopy(body)
    body.pop("userAgent", None)
    cramp = (body.get("sessionAttributes") or {}).get("cramp") or {}
    if isinstance(cramp.get("episode"), dict):
        cramp["episode"].pop("id", None)  # fixed by each copy's own request id
    return body


def first_instruction() -> str:
    content = content_module.load(None)
    step = content.technique(content.techniques("CALF")[0])["steps"][0]["say"]
    return content.fill(step, "CALF", "LEFT").split(".")[0]


@dataclass
class DriftReport:
    checked: int = 0
    cramp_checked: int = 0
    guided: int = 0
    normal: int = 0  # other request types answered as undrifted
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def drift_report(world: World) -> DriftReport:
    """Every drifted copy of every base envelope through the World's lambda_handler."""
    started = time.perf_counter()
    report, instruction, n = DriftReport(), first_instruction(), 0
    for name, base in base_envelopes().items():
        n += 1
        expected = _comparable(world.handler(_as_user(copy.deepcopy(base), n), None))
        for what, envelope in drifted_copies(base):
            n += 1
            report.checked += 1
            body = world.handler(_as_user(envelope, n), None)
            problems = check_response(body)
            if _comparable(body) != expected:
                problems.append("the answer differs from the undrifted envelope's")
            if name == CRAMP:
                report.cramp_checked += 1
                ssml = (body.get("response", {}).get("outputSpeech") or {}).get("ssml", "")
                if instruction not in spoken_text(ssml) if ssml else True:
                    problems.append("no first instruction")
                if body.get("response", {}).get("shouldEndSession") is not False:
                    problems.append("the session closed")
                pk = user_key(f"amzn1.ask.account.DRIFT{n:05d}")
                if not world.repository.query(pk, "EP#"):
                    problems.append("no episode written")
                if not problems:
                    report.guided += 1
            elif not problems:
                report.normal += 1
            report.failures += [f"{name}: {what}: {p}" for p in problems]
    report.seconds = time.perf_counter() - started
    return report
