"""Hypothesis strategies for hostile Alexa request envelopes (tests/functional/test_fuzz.py,
bench/fuzz.py).

Everything starts from something real, then goes wrong:

- ``base_envelopes``: the request fixtures in tests/events/*.json, an IntentRequest for every intent
  of interaction_models/en-US.json with its declared slots, and request types the skill may or may
  not handle (CanFulfillIntentRequest, Connections.Response, System.ExceptionEncountered,
  AlexaSkillEvent.*, Alexa.Presentation.APL.UserEvent, ...), each with a plausible body;
- ``slot`` values: the model's own words resolved as Alexa would, or hostile text (SSML injection,
  XML metacharacters, huge strings, odd Unicode) with every entity-resolution status code and
  unknown value ids;
- ``session_attributes``: the skill's own state (``sessionAttributes["cramp"]``, ``"v": 2``) from a
  plausible mid-cramp session, from an older or newer version, corrupted field by field, or
  random JSON;
- ``mutated``: random structural damage at any depth: fields deleted, values replaced with the
  wrong type, unknown keys added.

Every string that tries to inject SSML carries ``CANARY`` so a test can prove none of it reached
the speech, escaped or not.
"""

from __future__ import annotations

import copy
import json
import socket
import string
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from cramp_helper import content as _skill_content
from cramp_helper import state as _skill_state
from testkit.conversation import load_model, slot_types

EVENTS = Path(__file__).resolve().parent.parent / "tests" / "events"
FIXTURES = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EVENTS.glob("*.json"))}
MODEL = load_model("en-US")
SLOT_TYPES = slot_types(MODEL)  # (intent, slot) -> slot type
INTENTS = {i["name"]: [s["name"] for s in i.get("slots", [])] for i in MODEL["intents"]}
TYPE_VALUES = {t["name"]: t["values"] for t in MODEL["types"]}
SKILL_ID = "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab"

CANARY = "XSSMLX"
ER_CODES = ("ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "ER_ERROR_TIMEOUT", "ER_ERROR_EXCEPTION")


def _closed_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Alexa API calls (the device time-zone lookup) from fuzzed requests go to a closed loopback port:
# the real TimedApiClient runs, fails at once and hermetically, and nothing leaves the machine.
API_ENDPOINT = f"https://127.0.0.1:{_closed_loopback_port()}"

# --- hostile text --------------------------------------------------------------------------------
SSML_INJECTIONS = tuple(s.replace("CANARY", CANARY) for s in (
    "<break time='100s'/>CANARY",
    '<break time="100s"/>CANARY',
    "</prosody></speak><speak>CANARY",
    "<speak>CANARY</speak>",
    "CANARY]]>",
    "<![CDATA[CANARY]]>",
    "<audio src='https://evil.example/CANARY.mp3'/>",
    '<say-as interpret-as="expletive">CANARY</say-as>',
    "<amazon:effect name=\"whispered\">CANARY</amazon:effect>",
    "CANARY & co",
    "CANARY &amp; &lt; &#x3c; &#0;",
    "\"CANARY' \"'\"",
    "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;CANARY",
    "<?xml version='1.0'?>CANARY",
    "<!-- CANARY -->",
    "<p>CANARY",
    "CANARY\x00\x01\x08\x0b\x1b\ufffe\uffff",
))
ODD_UNICODE = (
    "\u202eCANARY\u202c",  # right-to-left override
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # Hebrew, Arabic
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters, BOM
    "\U0001f9b5\U0001f4a5\U0001f469\u200d\u2695\ufe0f\U0001f3f3\ufe0f\u200d\U0001f308",  # emoji, ZWJ
    "\U0001d11e\U00010348\U0002070e",  # astral planes
    "\U000e0041\U000e007f",  # tag characters
    "\U000f0000\U0010fffd",  # private use planes
    "e\u0301\u0301\u0301\u0301",  # combining marks
    "\u0000",
    "\r\n\t\x85\u2028\u2029",
)
ODD_UNICODE = tuple(s.replace("CANARY", CANARY) for s in ODD_UNICODE)
FRAGMENTS = (*SSML_INJECTIONS, *ODD_UNICODE, "a", "calf ", "<", "&", CANARY)


@cache
@st.composite
def huge_text(draw, max_size: int = 100_000) -> str:
    """A string of up to ``max_size`` characters, cheap to draw and to shrink."""
    fragment = draw(st.sampled_from(FRAGMENTS))
    size = draw(st.integers(1_000, max_size))
    return (fragment * (size // len(fragment) + 1))[:size]


@cache
def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SSML_INJECTIONS),
        st.sampled_from(ODD_UNICODE),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
        st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join),
        huge_text(),
    )


@cache
def json_values(max_leaves: int = 8) -> st.SearchStrategy:
    """Random JSON (what a Lambda event can hold: no NaN, no infinities)."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70),
                        st.floats(allow_nan=False, allow_infinity=False),
                        st.text(st.characters(exclude_categories=("Cs",)), max_size=12))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(string.ascii_letters + "_", max_size=8), inner, max_size=4)),
        max_leaves=max_leaves)


@cache
def wrong_values() -> st.SearchStrategy:
    """What replaces a field: another type, or hostile text."""
    return st.one_of(
        st.none(), st.booleans(), st.integers(-(2 ** 64), 2 ** 64), st.just(0), st.just(-1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.just([]), st.just({}), st.lists(st.integers(), max_size=3),
        st.dictionaries(st.sampled_from(["type", "value", "id", "name", "code", "x"]),
                        st.one_of(st.none(), st.integers(), st.text(max_size=5)), max_size=3),
        hostile_text(), json_values(),
    )


# --- slots and entity resolution -----------------------------------------------------------------
def _authority(slot_type: str) -> str:
    return f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{slot_type}"


def _words_for(slot_type: str) -> list[tuple[str, str]]:
    """(words, id) for every value and synonym of a custom slot type."""
    out = []
    for value in TYPE_VALUES.get(slot_type, []):
        for words in [value["name"]["value"], *value["name"].get("synonyms", [])]:
            out.append((words, value["id"]))
    return out


@cache
@st.composite
def resolutions(draw, slot_type: str, value_id: str | None = None) -> dict:
    """resolutionsPerAuthority as Alexa reports it, with every status code and odd value ids."""
    ids = [v["id"] for v in TYPE_VALUES.get(slot_type, [])]
    authorities = []
    for _ in range(draw(st.integers(1, 2))):
        code = draw(st.sampled_from(ER_CODES))
        authority = {"authority": _authority(slot_type), "status": {"code": code}}
        if code == "ER_SUCCESS_MATCH" or draw(st.booleans()):
            chosen = draw(st.one_of(
                st.just(value_id) if value_id else st.nothing(),
                st.sampled_from(ids) if ids else st.nothing(),
                st.sampled_from(["NOPE", "", "calf", "CALF ", "LEFT_ARM", "null"]),
                st.none(), hostile_text()))
            values = [{"value": {"name": draw(st.one_of(st.sampled_from(["calf", "nope"]),
                                                        hostile_text())),
                                 "id": chosen}}]
            if draw(st.booleans()):
                values = draw(st.sampled_from([[], values + values, values]))
            authority["values"] = values
        authorities.append(authority)
    return {"resolutionsPerAuthority": authorities}


@cache
@st.composite
def slot(draw, name: str, slot_type: str, hostile: bool = True) -> dict:
    """One slot: empty, the model's own words resolved, or hostile words with odd resolutions."""
    entry: dict = {"name": name, "confirmationStatus": "NONE"}
    kinds = ["empty", "model"] + (["hostile", "hostile"] if hostile else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "empty":
        return entry
    if kind == "model" and _words_for(slot_type):
        words, value_id = draw(st.sampled_from(_words_for(slot_type)))
        if draw(st.booleans()):
            res = {"resolutionsPerAuthority": [{
                "authority": _authority(slot_type), "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": words, "id": value_id}}]}]}
        else:
            res = draw(resolutions(slot_type, value_id))
    else:
        words = draw(hostile_text())
        res = draw(resolutions(slot_type))
    entry.update(value=words, source="USER", resolutions=res)
    if draw(st.booleans()):
        entry["slotValue"] = {"type": "Simple", "value": words, "resolutions": res}
    return entry


# --- session attributes --------------------------------------------------------------------------
# Ids come from the skill itself, so states for routines added later are generated too.
_CONTENT = _skill_content.load(None)
POSITIONS = tuple(getattr(_CONTENT, "position_ids", _CONTENT.muscle_ids)())
MUSCLES = tuple(_CONTENT.muscle_ids())
SIDES = tuple(_CONTENT.side_ids())
QUESTIONS = tuple(q.value for q in _skill_state.Question)
ROUTINES = tuple(_CONTENT.data.get("routines", {}))
TECHNIQUES = tuple(_CONTENT.data.get("techniques", {}))
OUTCOMES = ("RELIEVED", "STILL_CRAMPING", "ABANDONED", "RED_FLAG")
BAD_ZONES = ("../../etc", "../../etc/passwd", "/etc/localtime", "America", "Not/AZone", "",
             "UTC\x00", "a" * 63, "x" * 10_000, "America/New_York/../../../etc")
GOOD_ZONES = ("America/New_York", "Europe/London", "UTC", "Asia/Kolkata", "Pacific/Chatham")
STARTED = "2026-11-23T08:02:11Z"
SK = f"{STARTED}#6debbe61bb"  # an episode id (the repository makes the sort key)
PS_SK = f"{STARTED}#7aebbe61cc"
INTRUDER_PK = "USER#" + "0" * 64


@cache
def _junk() -> st.SearchStrategy:
    return st.one_of(wrong_values(), st.sampled_from(["", "CALF", "NOPE", "1", "v1"]))


def _mostly(good: st.SearchStrategy, bad: st.SearchStrategy | None = None) -> st.SearchStrategy:
    """A field that is usually right and sometimes damaged."""
    return st.one_of(good, good, good, bad if bad is not None else _junk())


@st.composite
def _some_of(draw, fields: dict[str, st.SearchStrategy], required: tuple[str, ...] = ()) -> dict:
    """A dict holding each field with even odds (the ``required`` ones always)."""
    return {k: draw(v) for k, v in fields.items() if k in required or draw(st.booleans())}


def _record(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    """A dict whose fields are each usually right, sometimes damaged, sometimes missing."""
    return st.one_of(
        st.fixed_dictionaries({k: _mostly(v) for k, v in fields.items()}),
        _some_of({k: _mostly(v) for k, v in fields.items()}),
    )


_TIMES = st.sampled_from([STARTED, "2026-11-23T08:02:11+00:00", "2026-11-24T08:02:11Z"])
_BAD_TIMES = st.one_of(st.sampled_from(["not a time", "", "2026-13-45T99:99:99Z", "2026-11-23"]),
                       wrong_values())


@cache
def episode() -> st.SearchStrategy:
    """The episode in progress, as episodes.start writes it, field by field right or damaged."""
    return st.one_of(_record({
        "id": st.just(SK),
        "started_at": st.one_of(_TIMES, _TIMES, _BAD_TIMES),
        "local_time": st.sampled_from(["2026-11-23T03:02:11-05:00", None]),
        "muscle": st.one_of(st.sampled_from(MUSCLES), st.none()),
        "side": st.one_of(st.sampled_from(SIDES), st.none()),
        "locale": st.just("en-US"),
        "techniques": st.lists(st.sampled_from(TECHNIQUES), max_size=3, unique=True),
    }), _junk())


@cache
def prevention() -> st.SearchStrategy:
    """Bedtime stretches in progress, as episodes.start_prevention writes them."""
    return st.one_of(_record({
        "id": st.just(PS_SK),
        "started_at": st.one_of(_TIMES, _TIMES, _BAD_TIMES),
        "local_time": st.sampled_from(["2026-11-22T21:30:00-05:00", None]),
        "routine": st.sampled_from(ROUTINES) if ROUTINES else st.just("bedtime"),
        "locale": st.just("en-US"),
    }), _junk())


@cache
def pending_op() -> st.SearchStrategy:
    """A queued table write: as episodes.py queues it, damaged, or junk."""
    fields = _record({"outcome": st.sampled_from(OUTCOMES), "ended_at": st.just("2026-11-23T08:04:06Z"),
                      "duration_s": st.integers(0, 3600), "muscle": st.sampled_from(MUSCLES),
                      "techniques": st.lists(st.sampled_from(TECHNIQUES), max_size=2)})
    item = _record({"started_at": st.just(STARTED), "muscle": st.sampled_from(MUSCLES),
                    "locale": st.just("en-US"), "kind": st.sampled_from(["episode", "prevention"])})
    sks = st.one_of(st.sampled_from([SK, PS_SK]), st.sampled_from(["", "EP#", "PROFILE", "#", "x" * 2000]),
                    wrong_values())
    intruder = item.map(lambda i: {**i, "pk": INTRUDER_PK})  # a key of another user's partition
    return st.one_of(
        st.fixed_dictionaries({"op": st.just("start"), "id": _mostly(st.just(SK), sks), "item": item}),
        st.fixed_dictionaries({"op": st.just("start"), "id": st.just(SK), "item": intruder}),
        st.fixed_dictionaries({"op": st.just("start"), "id": _mostly(st.just(SK), sks), "item": item,
                               "end": fields}),
        st.fixed_dictionaries({"op": st.just("end"), "id": _mostly(st.just(SK), sks), "fields": fields}),
        st.fixed_dictionaries({"op": st.just("prevention"), "id": _mostly(st.just(PS_SK), sks),
                               "item": item}),
        st.fixed_dictionaries({"op": st.just("bookmark"), "snapshot": st.one_of(item, _junk())}),
        st.just({"op": "unbookmark"}),
        st.fixed_dictionaries({}, optional={
            "op": st.one_of(st.sampled_from(["start", "end", "prevention", "bookmark", "delete"]), _junk()),
            "id": sks, "item": _junk(), "fields": _junk(), "end": _junk(), "snapshot": _junk()}),
        _junk(),
    )


@cache
def cramp_state() -> st.SearchStrategy[dict]:
    """``sessionAttributes["cramp"]``: a plausible mid-cramp (or mid-bedtime) state with damaged
    fields, a state from another version, or a state with anything in any field."""
    plausible = {
        "v": st.just(_skill_state.VERSION),
        "muscle": st.sampled_from(POSITIONS),
        "side": st.sampled_from(SIDES),
        "technique": st.integers(0, 4),
        "part": st.integers(0, 2),
        "question": st.sampled_from(QUESTIONS),
        "unknown_tries": st.integers(0, 3),
        "profile_read": st.booleans(),
        "reminder_time": st.sampled_from(["06:00", "21:30", "6am"]),
        "episode": episode(),
        "prevention": prevention(),
        "pending": st.lists(pending_op(), max_size=3),
        "tz": st.sampled_from(GOOD_ZONES),
        "voice": st.sampled_from(["WHISPER", "NORMAL", ""]),
    }
    damaged = {
        "v": st.sampled_from([0, 1, 3, "2", 2.0, True, None, "v1"]),
        "muscle": st.one_of(st.sampled_from(["ARM", "calf", "NOPE"]), _junk()),
        "side": _junk(),
        "technique": st.one_of(st.integers(-(10 ** 12), 10 ** 12), st.sampled_from([2 ** 63, True, "1", 1.5]),
                               _junk()),
        "part": st.one_of(st.integers(-(10 ** 12), 10 ** 12), _junk()),
        "question": st.one_of(st.sampled_from(["yes", "CHECKIN", "expect"]), _junk()),
        "unknown_tries": _junk(),
        "profile_read": _junk(),
        "reminder_time": st.one_of(st.sampled_from(["25:99", "x" * 500]), _junk()),
        "episode": _junk(),
        "prevention": _junk(),
        "pending": _junk(),
        "tz": st.one_of(st.sampled_from(BAD_ZONES), _junk()),
        "voice": st.one_of(st.just("SHOUT"), _junk()),
    }
    mixed = {k: st.one_of(v, v, v, damaged[k]) for k, v in plausible.items()}
    return st.one_of(
        _some_of(mixed, required=("v",)),
        _some_of(mixed, required=("v",)),
        _some_of({k: st.one_of(v, damaged[k]) for k, v in plausible.items()}),
    )


@cache
def session_attributes(objects_only: bool = False) -> st.SearchStrategy:
    """The whole sessionAttributes: mostly the skill's own key, sometimes anything.

    Alexa only ever sends back the JSON object the skill returned, so ``objects_only`` keeps the
    top level an object (anything can be inside); otherwise it may be any JSON at all.
    """
    objects = [
        st.builds(lambda c: {"cramp": c}, cramp_state()),
        st.builds(lambda c: {"cramp": c}, cramp_state()),
        st.builds(lambda c, extra: {"cramp": c, **extra}, cramp_state(),
                  st.dictionaries(st.text(max_size=6), json_values(), max_size=3)),
        st.builds(lambda junk: {"cramp": junk}, _junk()),
        st.dictionaries(st.text(max_size=6), json_values(), max_size=3),
        st.just({}),
    ]
    return st.one_of(*objects) if objects_only else st.one_of(*objects, json_values())


# --- whole envelopes -----------------------------------------------------------------------------
def _with_api_endpoint(envelope: dict) -> dict:
    system = (envelope.get("context") or {}).get("System")
    if isinstance(system, dict):
        system["apiEndpoint"] = API_ENDPOINT
    return envelope


@cache
def fixture_envelopes() -> st.SearchStrategy[dict]:
    return st.sampled_from(sorted(FIXTURES)).map(
        lambda name: _with_api_endpoint(copy.deepcopy(FIXTURES[name])))


def _intent_envelope(name: str, slots: dict, dialog_state: str = "COMPLETED") -> dict:
    envelope = _with_api_endpoint(copy.deepcopy(FIXTURES["one_shot_calf"]))
    envelope["request"].update(type="IntentRequest", dialogState=dialog_state,
                               intent={"name": name, "confirmationStatus": "NONE", "slots": slots})
    return envelope


@cache
@st.composite
def intent_envelopes(draw, hostile_slots: bool = True) -> dict:
    """An IntentRequest for one of the model's intents, every declared slot present."""
    name = draw(st.sampled_from(sorted(INTENTS)))
    slots = {s: draw(slot(s, SLOT_TYPES[(name, s)], hostile_slots)) for s in INTENTS[name]}
    if hostile_slots and draw(st.integers(0, 9)) == 0:  # a slot the intent does not declare
        slots["Nope"] = draw(slot("Nope", "NopeType"))
    dialog = draw(st.sampled_from(["COMPLETED", "COMPLETED", "STARTED", "IN_PROGRESS"]))
    return _intent_envelope(name, slots, dialog)


UNKNOWN_INTENTS = ("AMAZON.SendToPhoneIntent", "AMAZON.ScrollUpIntent", "AMAZON.SelectIntent",
                   "crampintent", "CrampIntent ", "Cramp\u200bIntent", "", "AMAZON.", "BedtimeIntentX")


@cache
@st.composite
def unknown_intent_envelopes(draw) -> dict:
    name = draw(st.one_of(st.sampled_from(UNKNOWN_INTENTS), hostile_text()))
    slots = draw(st.one_of(st.just({}), st.just({"Muscle": {"name": "Muscle", "value": "calf"}})))
    return _intent_envelope(name, slots)


@cache
@st.composite
def _other_request(draw, request_type: str) -> dict:
    """A request body for a non-intent request type, shaped as Alexa sends it."""
    body: dict = {}
    if request_type == "CanFulfillIntentRequest":
        name = draw(st.one_of(st.sampled_from(sorted(INTENTS)), st.sampled_from(UNKNOWN_INTENTS)))
        declared = INTENTS.get(name, [])
        body["intent"] = {"name": name, "slots": {
            s: draw(slot(s, SLOT_TYPES[(name, s)])) for s in declared}}
    elif request_type == "Connections.Response":
        body.update(name=draw(st.sampled_from(["AskFor", "Buy", "ScheduleFoodEstablishmentReservation"])),
                    token=draw(st.one_of(st.just(""), hostile_text())),
                    status={"code": draw(st.sampled_from(["200", "204", "400", "500"])),
                            "message": draw(st.sampled_from(["OK", "Bad", ""]))},
                    payload=draw(st.one_of(
                        st.fixed_dictionaries({
                            "permissionScope": st.just("alexa::alerts:reminders:skill:readwrite"),
                            "status": st.sampled_from(["ACCEPTED", "DENIED", "NOT_ANSWERED", "??"])}),
                        st.dictionaries(st.text(max_size=6), json_values(), max_size=3))))
    elif request_type == "System.ExceptionEncountered":
        body.update(error={"type": draw(st.sampled_from(["INVALID_RESPONSE", "DEVICE_COMMUNICATION_ERROR",
                                                         "INTERNAL_SERVICE_ERROR", "FUTURE_ERROR"])),
                           "message": draw(hostile_text())},
                    cause={"requestId": "amzn1.echo-api.request.0000"})
    elif request_type.startswith("AlexaSkillEvent."):
        body.update(eventCreationTime="2026-11-23T23:09:58Z", eventPublishingTime="2026-11-23T23:09:59Z",
                    body=draw(st.one_of(
                        st.just({"userInformationPersistenceStatus": "NOT_PERSISTED"}),
                        st.just({"acceptedPermissions": [
                            {"scope": "alexa::alerts:reminders:skill:readwrite"}]}),
                        st.just({"acceptedPermissions": []}),
                        st.dictionaries(st.text(max_size=6), json_values(), max_size=3))))
    elif request_type == "Alexa.Presentation.APL.UserEvent":
        body.update(token=draw(st.one_of(st.just("cramp"), hostile_text())),
                    arguments=draw(st.lists(st.one_of(st.sampled_from(["next", "gone", "stop", "calf"]),
                                                      wrong_values()), max_size=3)),
                    source={"type": "TouchWrapper", "handler": "Press", "id": "button"},
                    components={})
    elif request_type == "SessionEndedRequest":  # FUTURE_*: values Alexa may add, unknown to ask-sdk
        body["reason"] = draw(st.sampled_from(["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR",
                                               "FUTURE_REASON"]))
        if body["reason"] == "ERROR":
            body["error"] = {"type": draw(st.sampled_from(["INVALID_RESPONSE", "INTERNAL_SERVICE_ERROR",
                                                           "ENDPOINT_TIMEOUT", "FUTURE_ERROR"])),
                             "message": draw(hostile_text())}
    return body


OTHER_REQUEST_TYPES = (
    "LaunchRequest", "SessionEndedRequest", "CanFulfillIntentRequest", "Connections.Response",
    "System.ExceptionEncountered", "AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillPermissionAccepted", "AlexaSkillEvent.SkillPermissionChanged",
    "AlexaSkillEvent.SkillAccountLinked", "Alexa.Presentation.APL.UserEvent",
    "Display.ElementSelected", "AudioPlayer.PlaybackStarted", "PlaybackController.PlayCommandIssued",
    "Messaging.MessageReceived", "Reminders.ReminderCreated", "Dialog.API.Invoked",
)


@cache
@st.composite
def other_request_envelopes(draw) -> dict:
    """Every request type Alexa can send a custom skill (and a few it cannot), plausibly filled."""
    request_type = draw(st.one_of(st.sampled_from(OTHER_REQUEST_TYPES),
                                  st.sampled_from(["", "Foo.Bar", "IntentRequest2"]), hostile_text()))
    envelope = _with_api_endpoint(copy.deepcopy(FIXTURES["launch"]))
    request = {k: envelope["request"][k] for k in ("requestId", "locale", "timestamp")}
    request["type"] = request_type
    request.update(draw(_other_request(request_type)))
    envelope["request"] = request
    if request_type.startswith("AlexaSkillEvent.") and draw(st.booleans()):
        envelope.pop("session")  # skill events come without a session
    return envelope


@cache
def base_envelopes(hostile_slots: bool = True) -> st.SearchStrategy[dict]:
    return st.one_of(fixture_envelopes(), intent_envelopes(hostile_slots), unknown_intent_envelopes(),
                     other_request_envelopes())


@st.composite
def with_session(draw, envelopes: st.SearchStrategy[dict], user_ids: st.SearchStrategy[str] | None = None,
                 attributes: st.SearchStrategy | None = None) -> dict:
    """Give an envelope a user, and (when it has a session) possibly-corrupted session attributes."""
    envelope = copy.deepcopy(draw(envelopes))
    if user_ids is not None:
        uid = draw(user_ids)
        for holder in (envelope.get("session"), (envelope.get("context") or {}).get("System")):
            if isinstance(holder, dict) and isinstance(holder.get("user"), dict):
                holder["user"]["userId"] = uid
    session = envelope.get("session")
    if isinstance(session, dict) and draw(st.integers(0, 2)) > 0:
        session["new"] = False
        session["attributes"] = copy.deepcopy(
            draw(attributes if attributes is not None else session_attributes()))
    return envelope


# --- structural damage ---------------------------------------------------------------------------
def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and list indexes) into a JSON document, parents before children."""
    out: list[tuple] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return out
    for key, value in items:
        out.append((*prefix, key))
        out.extend(paths(value, (*prefix, key)))
    return out


def _parent(document: object, path: tuple) -> object:
    node = document
    for key in path[:-1]:
        node = node[key]
    return node


@st.composite
def mutated(draw, envelopes: st.SearchStrategy[dict], max_mutations: int = 4) -> object:
    """An envelope with up to ``max_mutations`` random wounds, biased towards request and session."""
    envelope = copy.deepcopy(draw(envelopes))  # drawn values may be shared objects: never mutate them
    if draw(st.integers(0, 49)) == 0:  # very rarely, the event is not even an object
        return draw(st.one_of(st.none(), st.just([]), st.just("{}"), json_values()))
    for _ in range(draw(st.integers(0, max_mutations))):
        every = paths(envelope)
        focused = [p for p in every if p[0] in ("request", "session")]
        if not every:
            break
        path = draw(st.sampled_from(focused if focused and draw(st.booleans()) else every))
        parent = _parent(envelope, path)
        action = draw(st.sampled_from(["delete", "replace", "replace", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = copy.deepcopy(draw(wrong_values()))
        else:
            target = parent[path[-1]]
            if isinstance(target, dict):
                target[draw(st.sampled_from(["type", "value", "id", "name", "unknownField",
                                             "attributes", "cramp"]))] = copy.deepcopy(draw(wrong_values()))
            elif isinstance(target, list):
                target.append(copy.deepcopy(draw(wrong_values())))
            else:
                parent[path[-1]] = copy.deepcopy(draw(wrong_values()))
    return envelope


def hostile_envelopes(user_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[object]:
    """The main fuzz input: a real envelope, a session, then structural damage."""
    return mutated(with_session(base_envelopes(), user_ids))


def request_type_of(event: object) -> str | None:
    request = event.get("request") if isinstance(event, dict) else None
    kind = request.get("type") if isinstance(request, dict) else None
    return kind if isinstance(kind, str) else None
