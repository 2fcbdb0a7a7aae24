"""Every request handler, in the order the dispatcher tries them (first match wins).

Handlers are a few lines each: they name what they handle and pass the request to the turn
(turn.answer) or, for requests nobody speaks, log and return a no-op. They never call one another.
"""

from __future__ import annotations

from ..dialogue import INTENTS
from .conversation import AplUserEventHandler, LaunchHandler, SpokenHandler, UnknownIntentHandler
from .errors import CatchAllExceptionHandler
from .platform_events import (
    CanFulfillHandler,
    PermissionResponseHandler,
    SessionEndedHandler,
    SkillDisabledHandler,
    SkillEventHandler,
    SystemExceptionHandler,
)
from .unhandled import UnknownRequestHandler

REQUEST_HANDLERS = [
    CanFulfillHandler(),  # first: it must answer before anything with side effects could run
    LaunchHandler(),
    SpokenHandler(),
    UnknownIntentHandler(),
    AplUserEventHandler(),
    SessionEndedHandler(),
    PermissionResponseHandler(),
    SkillDisabledHandler(),
    SkillEventHandler(),
    SystemExceptionHandler(),
    UnknownRequestHandler(),  # must stay last
]

EXCEPTION_HANDLERS = [CatchAllExceptionHandler()]


def handled_intents() -> set[str]:
    """Every intent name the skill understands; checked against the interaction model."""
    return set(INTENTS)
