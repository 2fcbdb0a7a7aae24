"""Every request handler, in the order the dispatcher tries them (first match wins)."""

from __future__ import annotations

from .answers import NoHandler, YesHandler
from .bedtime import BedtimeHandler
from .errors import CatchAllExceptionHandler
from .general import FallbackHandler, HelpHandler, LaunchHandler, StopHandler
from .history import HistoryHandler
from .info import InfoHandler
from .platform_events import AplUserEventHandler, CanFulfillHandler, SkillEventHandler, SystemExceptionHandler
from .privacy import DeleteHistoryHandler, SkillDisabledHandler
from .relief import CrampHandler, GoneHandler, NavigationHandler, PauseHandler, StillCrampingHandler
from .reminders import PermissionResponseHandler, SetReminderHandler, StopReminderHandler
from .safety import RedFlagHandler
from .session import SessionEndedHandler
from .unhandled import UnknownIntentHandler, UnknownRequestHandler
from .voice_prefs import VoicePreferenceHandler

REQUEST_HANDLERS = [
    CanFulfillHandler(),  # first: it must answer before anything with side effects could run
    LaunchHandler(),
    RedFlagHandler(),  # safety first: a red flag is never mistaken for anything else
    CrampHandler(),
    GoneHandler(),
    StillCrampingHandler(),
    NavigationHandler(),
    PauseHandler(),
    YesHandler(),
    NoHandler(),
    BedtimeHandler(),
    VoicePreferenceHandler(),
    SetReminderHandler(),
    StopReminderHandler(),
    PermissionResponseHandler(),
    InfoHandler(),
    HistoryHandler(),
    DeleteHistoryHandler(),
    SkillDisabledHandler(),
    HelpHandler(),
    StopHandler(),
    FallbackHandler(),
    SessionEndedHandler(),
    SkillEventHandler(),
    SystemExceptionHandler(),
    AplUserEventHandler(),
    UnknownIntentHandler(),  # must stay last but one
    UnknownRequestHandler(),  # must stay last
]

EXCEPTION_HANDLERS = [CatchAllExceptionHandler()]


def handled_intents() -> set[str]:
    """Every intent name some handler claims; checked against the interaction model."""
    return {name for handler in REQUEST_HANDLERS for name in getattr(handler, "intents", ())}
