"""The Echo Show in tests: a conversation on a device with a screen, the screens it was sent, and
the names the screens carry (the shipped ones, named once for the tests and tools)."""

from __future__ import annotations

import copy

from cramp_helper.actions.on_screen import BEDTIME_BUTTONS, RELIEF_BUTTONS  # each screen's buttons, in order
from cramp_helper.episodes import RED_FLAG  # the outcome a red flag is logged with
from testkit.world import World

__all__ = ["APL", "BEDTIME_BUTTONS", "OLD_APL", "RED_FLAG", "RELIEF_BUTTONS", "ShowConversation",
           "screens_of"]

APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}}
OLD_APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "1.4"}}}


class ShowConversation:
    """A conversation whose device reports the given supportedInterfaces."""

    def __init__(self, world: World, interfaces: dict, user_id: str | None = None):
        self.talk = world.conversation(user_id)
        self.interfaces = interfaces
        original = self.talk._envelope

        def envelope(fixture, request=None):
            built = original(fixture, request)
            built["context"]["System"]["device"]["supportedInterfaces"] = copy.deepcopy(interfaces)
            return built

        self.talk._envelope = envelope

    def __getattr__(self, name):
        return getattr(self.talk, name)

    def touch(self, argument: str):
        return self.talk.request({"type": "Alexa.Presentation.APL.UserEvent", "token": "cramp-screen",
                                  "arguments": [argument], "source": {"type": "TouchWrapper"}})


def screens_of(reply) -> list[dict]:
    return [d for d in reply.response.get("directives") or []
            if d.get("type") == "Alexa.Presentation.APL.RenderDocument"]

