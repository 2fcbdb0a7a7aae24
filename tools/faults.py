"""Fault injection for DynamoDB through botocore event hooks, never by editing the skill's code.

``FaultInjector(client).fail("PutItem", "Throttling", times=2)`` makes the next two PutItem
calls fail as DynamoDB would (after the client's own retries), without touching the table.
``LostResponse`` is the nasty one: the write reaches the table, then the answer times out.
Used by the tests and by bench/fault_matrix.py.
"""

from __future__ import annotations

import time

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

# fault -> (HTTP status, DynamoDB error code)
ERRORS = {
    "Throttling": (400, "ThrottlingException"),
    "ProvisionedThroughputExceeded": (400, "ProvisionedThroughputExceededException"),
    "AccessDenied": (400, "AccessDeniedException"),
    "ResourceNotFound": (400, "ResourceNotFoundException"),
    "InternalServerError": (500, "InternalServerError"),
}
FAULTS = (*ERRORS, "Timeout", "Slow", "LostResponse")
SLOW_SECONDS = 0.3


def _error(fault: str) -> tuple[AWSResponse, dict]:
    status, code = ERRORS[fault]
    http = AWSResponse("https://dynamodb.fault", status, {"x-amzn-RequestId": "fault"}, None)
    parsed = {"Error": {"Code": code, "Message": "injected by tools/faults.py"},
              "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": "fault"}}
    return http, parsed


class FaultInjector:
    def __init__(self, client):
        self.client = client
        self.plans: dict[str, list] = {}  # operation -> [fault, calls left to fail]
        self.attempts: dict[str, int] = {}
        self.injected: dict[str, int] = {}
        events = client.meta.events
        events.register_first("before-call.dynamodb", self._before_call)
        events.register_last("before-send.dynamodb", self._after_table)

    def fail(self, operation: str, fault: str, times: int = 1) -> FaultInjector:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault}")
        self.plans[operation] = [fault, times]
        return self

    def clear(self) -> None:
        self.plans.clear()

    def _take(self, operation: str, kinds: tuple[str, ...]) -> str | None:
        plan = self.plans.get(operation)
        if not plan or plan[1] <= 0 or (plan[0] in kinds) is False:
            return None
        plan[1] -= 1
        self.injected[operation] = self.injected.get(operation, 0) + 1
        return plan[0]

    def _before_call(self, model, **_):
        operation = model.name
        self.attempts[operation] = self.attempts.get(operation, 0) + 1
        fault = self._take(operation, (*ERRORS, "Timeout", "Slow"))
        if fault is None:
            return None
        if fault == "Slow":
            time.sleep(SLOW_SECONDS)
            return None
        if fault == "Timeout":
            raise ReadTimeoutError(endpoint_url="https://dynamodb.fault")
        return _error(fault)

    def _after_table(self, request, **_):
        # Runs after moto's own before-send handler has applied the request.
        target = request.headers.get("X-Amz-Target", b"")
        operation = (target.decode() if isinstance(target, bytes) else str(target)).split(".")[-1]
        if self._take(operation, ("LostResponse",)):
            raise ReadTimeoutError(endpoint_url=request.url)
        return None
