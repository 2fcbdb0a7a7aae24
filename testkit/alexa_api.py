"""A stand-in for Alexa's own APIs (device settings, reminders), through ask-sdk's ApiClient.

The tests use it to record every call the skill makes; the local console uses it to answer the
device time-zone lookup, since there is no Alexa service on a laptop.
"""

from __future__ import annotations

import json

from ask_sdk_model.services import ApiClient, ApiClientResponse


class RecordingApiClient(ApiClient):
    """Answers Alexa API calls from a routing table and records every call made. No network.

    ``routes`` maps (METHOD, path suffix) to (status, body) or to an exception to raise.
    """

    def __init__(self, routes: dict | None = None):
        self.routes = dict(routes or {})
        self.calls: list[dict] = []

    def invoke(self, request):
        body = request.body
        self.calls.append({"method": request.method, "url": request.url,
                           "headers": dict(request.headers or []),
                           "body": json.loads(body) if isinstance(body, str) and body else body})
        for (method, suffix), answer in self.routes.items():
            if request.method == method and request.url.split("?")[0].endswith(suffix):
                if isinstance(answer, Exception):
                    raise answer
                status, payload = answer
                text = payload if isinstance(payload, str) else json.dumps(payload)
                return ApiClientResponse(headers=[("Content-Type", "application/json")],
                                         status_code=status, body=text)
        return ApiClientResponse(headers=[], status_code=404, body=json.dumps({"message": "no route"}))

    def urls(self) -> list[str]:
        return [call["url"] for call in self.calls]


def time_zone_route(zone: str = "America/New_York"):
    return {("GET", "/settings/System.timeZone"): (200, json.dumps(zone))}
