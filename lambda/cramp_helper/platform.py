"""Calls to Alexa's own services (device settings, reminders) with a hard timeout.

ask-sdk's DefaultApiClient calls ``requests`` with no timeout, so a slow Alexa API could hold a
cramp response until Alexa gives up. This client bounds every call, and imports ``requests`` only
when a call is actually made.
"""

from __future__ import annotations

import json

from ask_sdk_model.services import ApiClient, ApiClientResponse

CONNECT_TIMEOUT_S = 0.4
READ_TIMEOUT_S = 0.6  # with the connect timeout, about 1 s at most per call


class ApiCallFailed(Exception):
    pass


class TimedApiClient(ApiClient):
    def __init__(self, connect_timeout: float = CONNECT_TIMEOUT_S, read_timeout: float = READ_TIMEOUT_S):
        self.timeout = (connect_timeout, read_timeout)

    def invoke(self, request):
        import requests  # deferred: most requests never call an Alexa API

        if not str(request.url or "").startswith("https://"):
            raise ApiCallFailed("Alexa APIs are called over HTTPS only")
        headers = dict(request.headers or [])
        body = request.body
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)
        try:
            response = requests.request(request.method, request.url, headers=headers, data=body,
                                        timeout=self.timeout)
        except requests.RequestException as exc:
            raise ApiCallFailed(type(exc).__name__) from exc
        return ApiClientResponse(headers=list(response.headers.items()),
                                 status_code=response.status_code, body=response.text)
