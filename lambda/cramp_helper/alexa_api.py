"""Calls to Alexa's own services (device settings, reminders) with a hard timeout.

ask-sdk's DefaultApiClient calls ``requests`` with no timeout, so a slow Alexa API could hold a
cramp response until Alexa gives up. This client bounds every call. It uses urllib3 (which boto3
loads anyway, and which requests itself is built on), imported only when a call is made: importing
requests would cost a cold start 50-100 ms more.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

CONNECT_TIMEOUT_S = 0.4
READ_TIMEOUT_S = 0.6  # with the connect timeout, about 1 s at most per call
# A look-up made before an urgent answer (the country's emergency number) waits at most this long.
QUICK_CONNECT_S, QUICK_READ_S = 0.15, 0.25
_quick: ContextVar[bool] = ContextVar("quick_api_calls", default=False)
NAME_LOOKUP_S = 0.1  # over the two timeouts, the most a call may spend finding the address


@cache
def _calls():
    """The threads calls run on: one pool, made on the first call."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="alexa-api")


@contextmanager
def quick_calls():
    """Calls made inside are bounded by the short QUICK_* timeouts (an urgent answer's look-up)."""
    token = _quick.set(True)
    try:
        yield
    finally:
        _quick.reset(token)


class ApiCallFailed(Exception):
    pass


class TimedApiClient:
    """ask-sdk's ApiClient by shape (``invoke(request) -> ApiClientResponse``): not a subclass, so
    building the skill does not import ask_sdk_model's service messages (urllib.parse, ipaddress)
    for the requests that never call an Alexa API."""

    def __init__(self, connect_timeout: float = CONNECT_TIMEOUT_S, read_timeout: float = READ_TIMEOUT_S):
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._pool = None

    def _http(self):
        if self._pool is None:
            import urllib3  # deferred: most requests never call an Alexa API

            self._pool = urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=self.connect_timeout, read=self.read_timeout),
                retries=False)
        return self._pool

    def invoke(self, request):
        if not str(request.url or "").startswith("https://"):
            raise ApiCallFailed("Alexa APIs are called over HTTPS only")
        headers = dict(request.headers or [])
        body = request.body
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)
        connect, read = self.connect_timeout, self.read_timeout
        if _quick.get():
            connect, read = min(connect, QUICK_CONNECT_S), min(read, QUICK_READ_S)
        import urllib3

        timeout = urllib3.Timeout(connect=connect, read=read)
        call = _calls().submit(self._http().request, request.method, request.url, headers=headers,
                               body=body, timeout=timeout)
        try:
            # urllib3's timeouts start once the address is known: finding it (DNS) has none, so
            # the whole call is bounded here too. A call given up on finishes on its own thread.
            response = call.result(timeout=connect + read + NAME_LOOKUP_S)
        except Exception as exc:  # noqa: BLE001 - urllib3's errors, the deadline, anything under them
            call.cancel()
            raise ApiCallFailed(type(exc).__name__) from exc
        from ask_sdk_model.services import ApiClientResponse

        return ApiClientResponse(headers=list(response.headers.items()),
                                 status_code=response.status,
                                 body=response.data.decode("utf-8", errors="replace"))


TIME_ZONE_PATH = "/v2/devices/{device}/settings/System.timeZone"


def device_time_zone(configuration, device_id: str) -> object:
    """The device's time zone setting (an IANA name), from the Settings API through
    ``configuration``'s api client: the request ask-sdk-model's UpsServiceClient sends, made
    without building that client and its response models on every session (a twentieth of a warm
    history answer). Raises ApiCallFailed for an answer other than 2xx, ValueError for a body
    that is not JSON; a 2xx with no body reads as None."""
    from urllib.parse import quote

    from ask_sdk_model.services import ApiClientRequest

    path = TIME_ZONE_PATH.format(device=quote(str(device_id), safe=""))
    request = ApiClientRequest(
        url=f"{configuration.api_endpoint}{path}", method="GET",
        headers=[("Content-type", "application/json"), ("User-Agent", _user_agent()),
                 ("Authorization", f"Bearer {configuration.authorization_value}")])
    response = configuration.api_client.invoke(request)
    status = response.status_code
    if not isinstance(status, int) or not 200 <= status < 300:
        raise ApiCallFailed(f"HTTP {status}")
    return json.loads(response.body) if response.body else None


@cache
def _user_agent() -> str:
    from ask_sdk_model.services.utils import user_agent_info

    return user_agent_info(sdk_version="1.0.0", custom_user_agent=None)


def preload() -> None:
    """Import the HTTP client for Alexa's APIs, opening nothing (for a SnapStart snapshot)."""
    import concurrent.futures.thread  # noqa: F401

    import urllib3  # noqa: F401
