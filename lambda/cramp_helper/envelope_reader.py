"""Reads the request envelope Alexa sends, tolerating what ask-sdk-model does not know yet.

Alexa adds values and fields to its envelope over time (a new Viewport mode, a new dialogState, a
new entity-resolution status code, a new SessionEndedRequest reason...), while the pinned
ask-sdk-model turns every enum into a Python Enum and raises on a value it does not know: one new
value anywhere used to turn "my calf is cramping" into "Sorry, something went wrong".

``TolerantSerializer`` is ask-sdk-core's ``DefaultSerializer`` with two of its steps replaced, the
model/enum step and the datetime step (name-mangled private methods, so they are overridden by
their mangled names; the rest of the SDK's deserialisation, lists, dicts, primitives and the
ask-sdk-model classes, is unchanged). Where the SDK raised, it now reads:

- an enum value the model does not know as ``UNKNOWN`` (a ``str`` equal to "unknown", with the
  ``.name``/``.value`` an enum member has);
- an object whose ``type`` discriminator the model does not know (a new ``Viewports[].type``, a
  new ``slotValue.type``) as its base class: its common fields parse, and its type is ``UNKNOWN``;
- a timestamp it cannot parse as None (handlers fall back to the clock), and one outside
  ``EARLIEST``..``LATEST`` is clamped into it, so date arithmetic (local time, week boundaries,
  expiry) never overflows;
and fields the model does not know are kept as plain attributes, as the SDK does, except names
that would overwrite one of the model's own attributes or methods (``object_type``, ``to_dict``,
dunders), which are dropped.

And on the way back, ``serialize`` leaves ``UNKNOWN`` out of a response (an intent echoed in a
Dialog directive never sends Alexa "unknown" as a confirmation status).

``read`` is the one way in: it replaces lone surrogates in every string (they are never echoed),
parses with the serializer above, and then bounds what the handlers see: the locale becomes one
the skill has content for (content.load is cached per locale string, so a raw locale would grow
that cache per junk value), and Alexa's free-text error messages are cut to ``MAX_MESSAGE``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from . import content as content_module
from .logs import log_event

EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)  # before Alexa skills existed
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_TIMESTAMP_CHARS = 64  # an ISO 8601 stamp is about 25; longer is not a timestamp
MAX_MESSAGE = 200  # Alexa's free-text error messages, as logged


class Unknown(str):
    """What an enum value ask-sdk-model does not know reads as: equal to "unknown", and shaped
    like an enum member (``.name``, ``.value``) for code that logs ``reason.value``."""

    name = "UNKNOWN"

    @property
    def value(self) -> str:
        return str(self)


UNKNOWN = Unknown("unknown")


class TolerantSerializer(DefaultSerializer):
    """DefaultSerializer that reads newer envelopes than its model (see the module docstring).
    ``unknown`` lists the model classes it met an unknown value or kind of (for the log)."""

    def __init__(self):
        self.unknown: list[str] = []

    def _DefaultSerializer__deserialize_model(self, payload, obj_type):
        kind = _kind_of(obj_type)
        if kind is _ENUM:
            try:
                return obj_type(payload)
            except (ValueError, TypeError):
                self.unknown.append(obj_type.__name__)
                return UNKNOWN
        if kind is _PLAIN:
            return payload
        try:
            if not isinstance(payload, dict):
                raise TypeError(f"{type(payload).__name__} where {obj_type.__name__} was expected")
            cls, kind_unknown = obj_type, False
            if kind is _PARENT:
                try:
                    cls = self._DefaultSerializer__get_obj_by_discriminator(payload, cls)
                except Exception:  # noqa: BLE001 - a kind newer than the model: read the base
                    kind_unknown = True
            names, known, fields, taken = _plan(cls)
            model = cls()
            read = self._DefaultSerializer__deserialize
            for attr, key, type_name in fields:
                if key in payload:
                    setattr(model, attr, read(payload[key], type_name))
            for key, value in payload.items():
                if key not in known and key not in taken and not key.startswith("_"):
                    setattr(model, key, value)
            if kind_unknown:
                self.unknown.append(cls.__name__)
                for attr, key in names.items():
                    if key == getattr(cls, "json_discriminator_key", None):
                        setattr(model, attr, UNKNOWN)
            return model
        except Exception as exc:  # noqa: BLE001 - the SDK's contract: one exception type
            raise SerializationException(str(exc)) from exc

    def _DefaultSerializer__deserialize(self, payload, obj_type):
        """The SDK's step for one value, with each type string ("list[...]", "dict(str, ...)", a
        model's dotted name) worked out once a process instead of on every value (a regex and an
        import each time: a tenth of a warm request)."""
        if payload is None:
            return None
        if isinstance(obj_type, str):
            kind, sub = _type_named(obj_type)
            if sub is str and type(payload) is str:  # most values: what the SDK's str() returns
                return payload
            read = self._DefaultSerializer__deserialize
            if kind == "list":
                if isinstance(sub, tuple):  # a list of several types, in order
                    return [read(p, t) for p, t in zip(payload, sub, strict=False)]
                return [read(p, sub) for p in payload]
            if kind == "dict":
                return {k: read(v, sub) for k, v in payload.items()}
            if kind == "empty":
                return sub()
            obj_type = sub
        if obj_type in self.PRIMITIVE_TYPES:
            return self._DefaultSerializer__deserialize_primitive(payload, obj_type)
        if obj_type is object:
            return payload
        if obj_type is date or obj_type is datetime:
            return self._DefaultSerializer__deserialize_datetime(payload, obj_type)
        return self._DefaultSerializer__deserialize_model(payload, obj_type)

    def _DefaultSerializer__deserialize_datetime(self, payload, obj_type):
        if not isinstance(payload, str) or len(payload) > MAX_TIMESTAMP_CHARS:
            return None
        try:
            parsed = datetime.fromisoformat(payload)  # Alexa's stamps are ISO 8601: no dateutil
        except ValueError:
            try:
                from dateutil.parser import parse  # what the SDK itself uses, for anything else

                parsed = parse(payload)
            except (ValueError, OverflowError, TypeError):
                return None
        return parsed.date() if obj_type is date else clamp(parsed)

    def serialize(self, obj):
        kind = type(obj)
        if obj is None or kind is str or kind is int or kind is float or kind is bool:
            return obj  # what the SDK returns for them, without its chain of checks
        if kind is dict:  # plain JSON (an APL document, its data): the SDK's own recursion
            return {key: self.serialize(value) for key, value in obj.items()}
        if kind is list:
            return [self.serialize(value) for value in obj]
        if isinstance(obj, Unknown):
            return None
        out = super().serialize(obj)
        if isinstance(out, dict) and not isinstance(obj, dict):  # a model: drop UNKNOWN fields
            return {k: v for k, v in out.items() if v is not None}
        return out


@cache
def _plan(cls: type) -> tuple[dict[str, str], frozenset[str], tuple, frozenset[str]]:
    """A model class's attributes and their JSON keys, every name the payload may use for them,
    (attribute, key, type) for each, and the names the class itself holds (an unknown field by
    one of those is dropped): read once per class, not once per object."""
    names = {**{k: k for k in cls.deserialized_types}, **getattr(cls, "attribute_map", {})}
    fields = tuple((attr, key, cls.deserialized_types[attr]) for attr, key in names.items())
    held = frozenset(dir(cls)) | frozenset(dir(type(cls)))  # what hasattr(cls, name) finds
    return names, frozenset(names.values()) | frozenset(names), fields, held


_ENUM, _PLAIN, _MODEL, _PARENT = "enum", "plain", "model", "parent"


@cache
def _kind_of(obj_type) -> str:
    """What the model step does with a type: an Enum, a value kept as it is, a model, or a model
    whose payload names its subclass (a discriminator)."""
    if isinstance(obj_type, type) and issubclass(obj_type, Enum):
        return _ENUM
    if not hasattr(obj_type, "deserialized_types"):
        return _PLAIN
    return _PARENT if hasattr(obj_type, "get_real_child_model") else _MODEL


def clamp(moment: datetime) -> datetime:
    """A moment in UTC within EARLIEST..LATEST (naive means UTC, as Alexa's stamps are)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    try:
        utc = aware.astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 east of UTC, year 9999 west of it
        return LATEST if aware.year > EARLIEST.year else EARLIEST
    return min(max(utc, EARLIEST), LATEST)


SERIALIZER = TolerantSerializer()  # for responses; each request is read by its own instance


@cache
def _supported() -> dict[str, str]:
    return {name.lower(): name for name in content_module.supported_locales()}


def normal_locale(value: object) -> str:
    """The supported locale a request's locale names (case aside), else the default."""
    if isinstance(value, str) and len(value) <= 16:
        found = _supported().get(value.strip().lower())
        if found:
            return found
    return content_module.DEFAULT_LOCALE


MAX_DEPTH = 64  # Alexa's envelopes nest about 12 deep; past this nothing is read, only refused


@cache
def _type_named(name: str) -> tuple[str, object]:
    """What the SDK makes of a type string, as it would on each value: ("list", the item type or
    a tuple of types), ("dict", the value type), ("empty", list or dict) for a string it cannot
    split, else ("type", the class or native type). A name no module holds raises as the SDK does
    (and is not remembered)."""
    if name.startswith("list["):
        inner = re.match(r"list\[(.*)\]", name)
        if inner is None:
            return "empty", list
        items = inner.group(1)
        if "," in items:
            return "list", tuple(t.strip() for t in items.split(","))
        return "list", items.strip()
    if name.startswith("dict("):
        inner = re.match(r"dict\(([^,]*), (.*)\)", name)
        return ("dict", inner.group(2)) if inner else ("empty", dict)
    native = DefaultSerializer.NATIVE_TYPES_MAPPING.get(name)
    if native is not None:
        return "type", native
    return "type", TolerantSerializer()._DefaultSerializer__load_class_from_name(name)


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests dicts and lists more than ``limit`` deep (iterative: never recurses,
    so a hostile envelope nested thousands deep cannot raise RecursionError here)."""
    if not isinstance(value, dict | list | tuple):
        return False
    stack = [(value, 0)]  # containers only: the leaves (most of an envelope) are never pushed
    while stack:
        item, depth = stack.pop()
        if depth >= limit:
            return True
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list | tuple):
                stack.append((child, depth + 1))
    return False


def bounded(value: object, limit: int = MAX_DEPTH) -> object:
    """A copy of ``value`` with every dict or list deeper than ``limit`` replaced by None
    (iterative), for the error path: what it serialises can never be too deep to serialise."""
    root: list = [None]
    stack = [(value, root, 0, 0)]
    while stack:
        item, parent, key, depth = stack.pop()
        if isinstance(item, dict | list | tuple) and depth >= limit:
            parent[key] = None
        elif isinstance(item, dict):
            copy: dict = {}
            parent[key] = copy
            stack.extend((v, copy, k, depth + 1) for k, v in item.items())
        elif isinstance(item, list | tuple):
            items: list = [None] * len(item)
            parent[key] = items
            stack.extend((v, items, n, depth + 1) for n, v in enumerate(item))
        else:
            parent[key] = item
    return root[0]


def scrubbed_json(event: object) -> str:
    """The event as JSON text, every lone surrogate replaced by U+FFFD. ValueError when it nests
    deeper than MAX_DEPTH."""
    if too_deep(event):
        raise ValueError("the envelope nests too deep")
    text = json.dumps(event, ensure_ascii=False)
    try:
        text.encode("utf-8")  # fails only on a lone surrogate
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text


def read(event: object) -> RequestEnvelope:
    """The envelope as the handlers should see it; raises on what cannot be a request at all.
    Values newer than the model are logged by the name of their model class (never the value)."""
    serializer = TolerantSerializer()
    envelope = serializer.deserialize(scrubbed_json(event), RequestEnvelope)
    request = getattr(envelope, "request", None)
    if envelope is None or request is None:
        raise ValueError("no request in the envelope")
    if serializer.unknown:
        log_event("envelope_unknown_values", count=len(serializer.unknown),
                  classes=sorted(set(serializer.unknown))[:20])
    request.locale = normal_locale(getattr(request, "locale", None))
    error = getattr(request, "error", None)
    message = getattr(error, "message", None)
    if isinstance(message, str) and len(message) > MAX_MESSAGE:
        error.message = message[:MAX_MESSAGE] + "..."
    return envelope


def session_attributes(event: object) -> dict | None:
    """The session attributes an event carries, read without the SDK (for the error reply): depth
    limited (``bounded``), so the error path never raises however deep the envelope nests."""
    try:
        data = json.loads(scrubbed_json(bounded(event)))
    except (TypeError, ValueError, RecursionError):
        return None
    session = data.get("session") if isinstance(data, dict) else None
    attributes = session.get("attributes") if isinstance(session, dict) else None
    return attributes if isinstance(attributes, dict) else None
