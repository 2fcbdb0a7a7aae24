"""The per-request object: everything a request needs, read once, in plain Python.

``Context.of(handler_input)`` builds it once per request (and caches it on the request). Every
module below the handlers takes a ``Context``, never ask-sdk's HandlerInput: the request's intent
and slots, whose data this is (the recognised person, else the account), the locale's content,
the session state, the person's store, the clock, the device's time zone (looked up lazily, once
per session) the voice this answer is spoken in and the device's clock (both set once, by the turn), and
what the turn found before the action ran (a cramp resumed from an earlier session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import content as content_module
from .content import Content
from .logs import log_event
from .services import services_of
from .slots import MATCH, SlotReading, read_slot
from .state import SessionState

if TYPE_CHECKING:
    from .interpreter import Heard
    from .services import Services
    from .storage import Store

_KEY = "context"


@dataclass
class Context:
    request_type: str | None
    intent: str | None
    request_id: str | None
    session_new: bool
    has_session: bool
    content: Content
    state: SessionState
    services: Services  # the table and the clock; ``store`` is built from them on first use
    account: str | None  # the account's id (a voice profile's data also registers under it)
    now: datetime  # the service clock (aware, UTC)
    request_time: datetime  # when Alexa says the request was made (aware, UTC)
    owner: str | None  # the person's (or the account's) Alexa id; never logged, never stored raw
    raw_intent: Any = None  # ask-sdk's Intent, read only through slot() / slot_value()
    raw_request: Any = None
    response_builder: Any = None
    service_client_factory: Any = None
    device_id: str | None = None
    permissions: Any = None
    voice: dict | None = None  # prosody for this answer, set once by the turn (voice.decide)
    local_time: datetime | None = None  # the device's wall clock, as the turn looked it up
    resumed: bool = False  # this turn picked up a cramp whose session had closed (turn.py)
    supported_interfaces: Any = None
    # What the person meant, for an IntentRequest: the intent read with every word Alexa handed
    # over (interpreter.heard; set by the handler). The words themselves are never kept or logged.
    heard: Heard | None = None
    screen: bool | None = field(default=None, repr=False)  # ``apl``, worked out once
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The person's data by meaning, made on first use: a request that never touches the
        table (Help, stop, most questions) never imports the storage layer."""
        if self._store is None:
            from .storage.store import Store

            self._store = Store(self.services.repository, self.owner, self.account)
            self._store.honour(self.state.purge_at)  # a deletion of this session still queued
        return self._store

    @property
    def apl(self) -> bool:
        """The device shows APL screens at the runtime version our documents need."""
        if self.screen is None:
            interfaces = self.supported_interfaces
            if interfaces is None or getattr(interfaces, "alexa_presentation_apl", None) is None:
                self.screen = False  # screenless: apl.py is never imported
            else:
                from .apl import supports_apl

                self.screen = supports_apl(interfaces)
        return self.screen

    @classmethod
    def of(cls, handler_input) -> Context:
        attrs = handler_input.attributes_manager.request_attributes
        if _KEY not in attrs:
            attrs[_KEY] = cls._build(handler_input)
        return attrs[_KEY]

    @classmethod
    def _build(cls, handler_input) -> Context:
        envelope = handler_input.request_envelope
        request = envelope.request
        services = services_of(handler_input)
        locale = getattr(request, "locale", None)
        content = content_module.load(locale if isinstance(locale, str) else None)
        session = envelope.session
        session_attrs = getattr(session, "attributes", None) if session is not None else None
        state = SessionState.load(session_attrs, muscles=content.position_ids(), sides=content.side_ids())
        system = getattr(envelope.context, "system", None)
        owner = owner_id(envelope)
        intent = getattr(request, "intent", None)
        request_type = getattr(request, "object_type", None)
        now = services.now()
        return cls(
            request_type=request_type,
            intent=getattr(intent, "name", None) if request_type == "IntentRequest" else None,
            request_id=_short(getattr(request, "request_id", None)),
            session_new=bool(getattr(session, "new", False)),
            has_session=session is not None,
            content=content,
            state=state,
            services=services,
            account=account_id(envelope),
            now=now,
            request_time=_request_time(request, now),
            owner=owner,
            raw_intent=intent,
            raw_request=request,
            response_builder=handler_input.response_builder,
            service_client_factory=handler_input.service_client_factory,
            device_id=getattr(getattr(system, "device", None), "device_id", None),
            permissions=getattr(getattr(system, "user", None), "permissions", None),
            supported_interfaces=getattr(getattr(system, "device", None), "supported_interfaces", None),
        )

    # --- slots --------------------------------------------------------------------------
    def slot(self, name: str) -> SlotReading:
        """A custom slot as entity resolution reports it: its id, or that it did not match."""
        return read_slot(self.raw_intent, name)

    def named(self, name: str) -> SlotReading:
        """A body part, side or person as Alexa resolved it, else as the interpreter read the words
        ("my wadenkrampf" unresolved is the calf; "my wife" said in another slot is the partner)."""
        reading = self.slot(name)
        found = self.heard.slot(name) if reading.status != MATCH and self.heard is not None else None
        return SlotReading(MATCH, found) if found else reading

    def slot_value(self, name: str) -> str | None:
        """A built-in slot's value as Alexa sends it (AMAZON.TIME "21:30", AMAZON.NUMBER "12")."""
        slots = getattr(self.raw_intent, "slots", None) or {}
        slot = slots.get(name) if isinstance(slots, dict) else None
        value = getattr(slot, "value", None)
        return value.strip()[:40] if isinstance(value, str) and value.strip() else None


def owner_id(envelope) -> str | None:
    """Whose data this is: the recognised voice profile when Alexa names one, else the account.

    ask-sdk turns a userId of the wrong type into its str() ("[]", "5"): only an Alexa id counts.
    """
    system = getattr(envelope.context, "system", None)
    person = getattr(getattr(system, "person", None), "person_id", None)
    if _alexa_id(person):
        return person
    return account_id(envelope)


def account_id(envelope) -> str | None:
    """The account's Alexa user id (a recognised person's data is registered under it)."""
    system = getattr(envelope.context, "system", None)
    for holder in (envelope.session, system):
        uid = getattr(getattr(holder, "user", None), "user_id", None)
        if _alexa_id(uid):
            return uid
    return None


def _alexa_id(value: object) -> bool:
    return isinstance(value, str) and value.startswith("amzn1.") and len(value) <= 512


def _short(value: object) -> str | None:
    return value if isinstance(value, str) and len(value) < 200 else None


MAX_CLOCK_SKEW = timedelta(minutes=5)


def _request_time(request, now: datetime) -> datetime:
    """When the request was made: Alexa's timestamp, trusted only near the function's clock
    (``now``, Services.now, so tests that move time move both). More than MAX_CLOCK_SKEW away
    (a forged or broken stamp: 2099 would outlive every deletion, a deletion dated 2099 would
    block every later write) it is replaced by the function's clock, with a WARNING; a stamp a
    little ahead is brought back to the clock, so nothing is ever stored dated in the future."""
    stamp = getattr(request, "timestamp", None)
    return trusted_time(stamp, now, "timestamp")


def trusted_time(stamp: object, now: datetime, field_name: str) -> datetime:
    """``stamp`` (a datetime from the envelope) within MAX_CLOCK_SKEW of ``now``, never after it;
    otherwise ``now``, logged as the WARNING request_time_replaced (the skew in whole seconds)."""
    if not isinstance(stamp, datetime):
        return now
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    if abs(stamp - now) > MAX_CLOCK_SKEW:
        log_event("request_time_replaced", level="WARNING", field=field_name,
                  skew_s=max(-10**9, min(10**9, round((stamp - now).total_seconds()))))
        return now
    return min(stamp, now)


def save_state(handler_input) -> None:
    """Write the request's state back to the session attributes (see turn.persist)."""
    ctx = handler_input.attributes_manager.request_attributes.get(_KEY)
    if ctx is not None and handler_input.request_envelope.session is not None:
        ctx.state.save(handler_input.attributes_manager.session_attributes)
