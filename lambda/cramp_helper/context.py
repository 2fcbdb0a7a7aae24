"""Per-request context: the locale's content and the session state, read once per request."""

from __future__ import annotations

from . import content as content_module
from .content import Content
from .state import SessionState

_CONTENT = "content"
_STATE = "state"


def content_of(handler_input) -> Content:
    attrs = handler_input.attributes_manager.request_attributes
    if _CONTENT not in attrs:
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        attrs[_CONTENT] = content_module.load(locale if isinstance(locale, str) else None)
    return attrs[_CONTENT]


def state_of(handler_input) -> SessionState:
    attrs = handler_input.attributes_manager.request_attributes
    if _STATE not in attrs:
        content = content_of(handler_input)
        session = handler_input.request_envelope.session
        session_attrs = getattr(session, "attributes", None) if session is not None else None
        attrs[_STATE] = SessionState.load(
            session_attrs, muscles=content.position_ids(), sides=content.side_ids())
    return attrs[_STATE]


def save_state(handler_input) -> None:
    """Write the request's state back to the session attributes (see episodes.persist)."""
    state = handler_input.attributes_manager.request_attributes.get(_STATE)
    if state is not None and handler_input.request_envelope.session is not None:
        state.save(handler_input.attributes_manager.session_attributes)
