"""The one resolver: the shipped tools/resolver.py (words -> the intent and slots Alexa would send)."""

from tools.resolver import *  # noqa: F403
from tools.resolver import (  # noqa: F401  (the names the kit uses, spelled out for readers)
    END,
    LAUNCH,
    MATCH,
    NO_MATCH,
    Elicitation,
    Resolution,
    Resolver,
    SlotMatch,
    load_model,
)
