"""What the handlers use from outside the skill: the episode table and a clock. Injectable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor

if TYPE_CHECKING:
    from .storage import EpisodeRepository


def utc_now() -> datetime:
    return datetime.now(UTC)


class Services:
    """The table (``repository``, from the environment unless given: made on first use, so a
    request that never touches the table never imports the storage layer) and the clock."""

    def __init__(self, repository: EpisodeRepository | None = None, now: Callable[[], datetime] = utc_now):
        self._repository = repository
        self.now = now

    @property
    def repository(self) -> EpisodeRepository:
        if self._repository is None:
            from .storage.table import EpisodeRepository

            self._repository = EpisodeRepository.from_environment()
        return self._repository


_KEY = "services"


def services_of(handler_input) -> Services:
    return handler_input.attributes_manager.request_attributes[_KEY]


class ProvideServices(AbstractRequestInterceptor):
    """A request interceptor that hands every request the skill's services."""

    def __init__(self, services: Services):
        self.services = services

    def process(self, handler_input) -> None:
        handler_input.attributes_manager.request_attributes[_KEY] = self.services
