"""What the skill's screens carry, named once for the tests and tools: the shipped names."""

from cramp_helper.episodes import RED_FLAG  # the outcome a red flag is logged with
from cramp_helper.flows.screens import BEDTIME_BUTTONS, RELIEF_BUTTONS  # each screen's buttons, in order

__all__ = ["BEDTIME_BUTTONS", "RED_FLAG", "RELIEF_BUTTONS"]
