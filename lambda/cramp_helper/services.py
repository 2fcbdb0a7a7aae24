"""What the handlers use from outside the skill: the episode table and a clock. Injectable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor

from .storage import EpisodeRepository


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    repository: EpisodeRepository = field(default_factory=EpisodeRepository.from_environment)
    now: Callable[[], datetime] = utc_now


_KEY = "services"


def services_of(handler_input) -> Services:
    return handler_input.attributes_manager.request_attributes[_KEY]


class ProvideServices(AbstractRequestInterceptor):
    """A request interceptor that hands every request the skill's services."""

    def __init__(self, services: Services):
        self.services = services

    def process(self, handler_input) -> None:
        handler_input.attributes_manager.request_attributes[_KEY] = self.services
