"""Request envelopes as Alexa sends them, built with ask-sdk-model classes, and a local session.

Nothing here calls the skill: every function returns the request as a plain dict (serialised by
ask-sdk-core's DefaultSerializer, with Alexa's "...Z" timestamps), ready for
``lambda_handler(request, None)``.

``LocalSession`` plays Alexa's part between turns. It keeps the session id, the ``new`` flag and
the session attributes the skill returned, with stable fake user, device and skill ids; a response
with ``shouldEndSession`` not false, or any SessionEndedRequest, closes the session and the next
request starts a new one. Typical use::

    session = LocalSession()
    request = session.request_for(resolver.resolve("tell leg cramp helper my left calf"))
    session.receive(request, lambda_handler(request, None))

Slots carry entity resolution the way Alexa reports it for custom types: authority
``amzn1.er-authority.echo-sdk.<skill id>.<SlotType>``, ER_SUCCESS_MATCH with ``values[0].value``
{name, id}, or ER_SUCCESS_NO_MATCH with no values. Built-in (AMAZON.*) types carry none. Every
slot the intent declares is present; empty ones have no value.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Callable, Mapping

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Application,
    Context,
    Device,
    DialogState,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    RequestEnvelope,
    Session,
    SessionEndedError,
    SessionEndedErrorType,
    SessionEndedReason,
    SessionEndedRequest,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.permissions import Permissions
from ask_sdk_model.simple_slot_value import SimpleSlotValue
from ask_sdk_model.slu.entityresolution import Resolution as ErResolution
from ask_sdk_model.slu.entityresolution import Resolutions, Status, StatusCode, Value, ValueWrapper

from testkit.clock import alexa_timestamp, utc_now
from testkit.resolver import END, LAUNCH, MATCH, NO_MATCH, Resolution, SlotMatch

SKILL_ID = "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab"
USER_ID = "amzn1.ask.account.LOCALTESTUSER0000000000000000"
DEVICE_ID = "amzn1.ask.device.LOCALTESTDEVICE000000000000000"
API_ENDPOINT = "https://api.amazonalexa.com"
API_ACCESS_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.local.token"
USER_INITIATED = "USER_INITIATED"

_SERIALIZER = DefaultSerializer()


def authority(skill_id: str, slot_type: str) -> str:
    return f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}"


def entity_resolution(skill_id: str, match: SlotMatch) -> Resolutions | None:
    """Alexa's entity resolution for one filled slot; None for built-in types."""
    if match.status not in (MATCH, NO_MATCH):
        return None
    if match.status == MATCH:
        status = Status(code=StatusCode.ER_SUCCESS_MATCH)
        values = [ValueWrapper(value=Value(name=match.name or match.words, id=match.id))]
    else:
        status, values = Status(code=StatusCode.ER_SUCCESS_NO_MATCH), None
    return Resolutions(resolutions_per_authority=[
        ErResolution(authority=authority(skill_id, match.slot_type), status=status, values=values)])


def build_slot(name: str, match: SlotMatch | None, skill_id: str = SKILL_ID) -> Slot:
    """A slot as Alexa sends it: empty (no value), or the words with their resolution."""
    if match is None:
        return Slot(name=name, confirmation_status=SlotConfirmationStatus.NONE)
    resolutions = entity_resolution(skill_id, match)
    return Slot(name=name, value=match.spoken, confirmation_status=SlotConfirmationStatus.NONE,
                resolutions=resolutions,
                slot_value=SimpleSlotValue(value=match.spoken, resolutions=resolutions))


def build_slots(declared: Mapping[str, str], filled: Mapping[str, SlotMatch],
                skill_id: str = SKILL_ID) -> dict[str, Slot]:
    """Every declared slot (empty when not filled), plus any filled slot not declared."""
    names = list(declared) + [name for name in filled if name not in declared]
    return {name: build_slot(name, filled.get(name), skill_id) for name in names}


def session_ended_error(error: Mapping | SessionEndedError | None) -> SessionEndedError | None:
    """Accepts {"type": "INVALID_RESPONSE", "message": "..."} or the model class."""
    if error is None or isinstance(error, SessionEndedError):
        return error
    return SessionEndedError(object_type=SessionEndedErrorType(error["type"]),
                             message=error.get("message"))


def serialise(envelope: RequestEnvelope) -> dict:
    """The envelope as the JSON dict Alexa would post, timestamps in Alexa's form."""
    data = _SERIALIZER.serialize(envelope)
    request = data["request"]
    if isinstance(envelope.request.timestamp, dt.datetime):
        request["timestamp"] = alexa_timestamp(envelope.request.timestamp)
    return data


APL_MAX_VERSION = "2024.2"  # what a current Echo Show reports


class LocalSession:
    """Alexa's side of a conversation with one user on one device (see the module docstring)."""

    def __init__(self, locale: str = "en-US", *, user_id: str = USER_ID,
                 device_id: str = DEVICE_ID, skill_id: str = SKILL_ID,
                 clock: Callable[[], dt.datetime] = utc_now,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4()), screen: bool = False):
        self.locale = locale
        self.screen = screen  # an Echo Show: the device reports an APL runtime
        self.user_id = user_id
        self.device_id = device_id
        self.skill_id = skill_id
        self.clock = clock
        self._new_id = new_id
        self.consent_token: str | None = None  # set: the user has granted the reminders permission
        self.session_id = ""
        self.new = True
        self.attributes: dict = {}
        self.restart()

    # --- session lifecycle -------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        """True once the skill has answered in this session and not ended it."""
        return not self.new

    def restart(self) -> None:
        """Forget the session: the next request starts a new one."""
        self.session_id = f"amzn1.echo-api.session.{self._new_id()}"
        self.new = True
        self.attributes = {}

    def receive(self, request: Mapping, response: Mapping) -> None:
        """Take in the skill's response to ``request``: keep its attributes, or end the session."""
        request_type = (request.get("request") or {}).get("type")
        body = (response or {}).get("response") or {}
        if request_type == "SessionEndedRequest" or body.get("shouldEndSession") is not False:
            self.restart()
            return
        self.attributes = dict((response or {}).get("sessionAttributes") or {})
        self.new = False

    # --- requests ----------------------------------------------------------------------------
    def launch_request(self) -> dict:
        """"open <invocation name>": always a new session."""
        if self.is_open:
            self.restart()
        return self._envelope(LaunchRequest(request_id=self._request_id(), timestamp=self.clock(),
                                            locale=self.locale))

    def intent_request(self, intent: str, slots: Mapping[str, SlotMatch] | None = None,
                       slot_types: Mapping[str, str] | None = None) -> dict:
        """An IntentRequest; ``slot_types`` lists every declared slot, ``slots`` the filled ones."""
        request = IntentRequest(
            request_id=self._request_id(), timestamp=self.clock(), locale=self.locale,
            dialog_state=DialogState.COMPLETED,
            intent=Intent(name=intent, confirmation_status=IntentConfirmationStatus.NONE,
                          slots=build_slots(slot_types or {}, slots or {}, self.skill_id)))
        return self._envelope(request)

    def session_ended_request(self, reason: str = USER_INITIATED,
                              error: Mapping | SessionEndedError | None = None) -> dict:
        """Alexa closing the session (silence, "exit", an error): the skill cannot speak back."""
        request = SessionEndedRequest(
            request_id=self._request_id(), timestamp=self.clock(), locale=self.locale,
            reason=SessionEndedReason(reason), error=session_ended_error(error))
        return self._envelope(request)

    def request_for(self, resolution: Resolution) -> dict:
        """The request a resolution stands for; a one-shot or a launch starts a new session."""
        if resolution.kind == END:
            return self.session_ended_request()
        if resolution.kind == LAUNCH:
            return self.launch_request()
        if resolution.intent is None:
            raise ValueError(f"{resolution.text!r} resolved to no intent and the model has no "
                             "AMAZON.FallbackIntent")
        if resolution.new_session and self.is_open:
            self.restart()
        return self.intent_request(resolution.intent, resolution.slots, resolution.slot_types)

    def envelope_for(self, request: Mapping) -> dict:
        """Any request given as a plain dict (a Connections.Response, an APL UserEvent, a
        hand-made IntentRequest), in this session: a fresh requestId, this locale, and the
        clock's timestamp (the request's own when the clock gives None)."""
        envelope = self._envelope(LaunchRequest(request_id="", locale=self.locale))
        body = copy.deepcopy(dict(request))
        body["requestId"] = self._request_id()
        body["locale"] = self.locale
        now = self.clock()
        if now is not None:
            body["timestamp"] = alexa_timestamp(now)
        envelope["request"] = body
        return envelope

    # --- assembly ----------------------------------------------------------------------------
    def _request_id(self) -> str:
        return f"amzn1.echo-api.request.{self._new_id()}"

    def _interfaces(self) -> SupportedInterfaces:
        if not self.screen:
            return SupportedInterfaces()
        from ask_sdk_model.interfaces.alexa.presentation.apl import AlexaPresentationAplInterface, Runtime

        return SupportedInterfaces(alexa_presentation_apl=AlexaPresentationAplInterface(
            runtime=Runtime(max_version=APL_MAX_VERSION)))

    def _envelope(self, request) -> dict:
        application = Application(application_id=self.skill_id)
        permissions = Permissions(consent_token=self.consent_token) if self.consent_token else None
        user = User(user_id=self.user_id, permissions=permissions)
        session = Session(new=self.new, session_id=self.session_id, user=user,
                          attributes=dict(self.attributes), application=application)
        system = SystemState(
            application=application, user=user,
            device=Device(device_id=self.device_id, supported_interfaces=self._interfaces()),
            api_endpoint=API_ENDPOINT, api_access_token=API_ACCESS_TOKEN)
        envelope = RequestEnvelope(version="1.0", session=session, context=Context(system=system),
                                   request=request)
        return serialise(envelope)


def session_ended_request(reason: str = USER_INITIATED,
                          error: Mapping | SessionEndedError | None = None,
                          session: LocalSession | None = None) -> dict:
    """A SessionEndedRequest for ``session`` (a fresh one by default)."""
    return (session or LocalSession()).session_ended_request(reason, error)
