"""Configuration from the environment, and what a cold start pays for."""

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from ask_sdk_model.services import ApiClientRequest

from cramp_helper.alexa_api import ApiCallFailed, TimedApiClient
from cramp_helper.config import TableConfig

ROOT = Path(__file__).resolve().parents[2]


def test_alexa_hosted_variable_names_are_accepted(monkeypatch):
    for name in ("CRAMP_TABLE_NAME", "CRAMP_TABLE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DYNAMODB_PERSISTENCE_TABLE_NAME", "hosted-table")
    monkeypatch.setenv("DYNAMODB_PERSISTENCE_REGION", "eu-west-1")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:9")
    config = TableConfig.from_environment()
    assert (config.name, config.region, config.endpoint_url) == (
        "hosted-table", "eu-west-1", "http://127.0.0.1:9")
    monkeypatch.setenv("CRAMP_TABLE_NAME", "ours")
    assert TableConfig.from_environment().name == "ours"


PROBE = """
import json, sys
sys.path.insert(0, "lambda")
from lambda_function import lambda_handler
event = json.load(open("tests/events/launch.json"))
event["request"] = {"type": "IntentRequest", "requestId": "r1", "timestamp": "2026-11-23T08:00:00Z",
                    "locale": "en-US", "intent": {"name": "AMAZON.HelpIntent", "slots": {}}}
out = lambda_handler(event, None)
print(json.dumps({"boto3": "boto3" in sys.modules, "requests": "requests" in sys.modules,
                  "spoke": "timed stretches" in out["response"]["outputSpeech"]["ssml"]}))
"""


def test_a_request_that_never_touches_the_table_never_imports_boto3():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                            env={"CRAMP_TABLE_NAME": "cramps", "AWS_REGION": "us-east-1",
                                 "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "boto3": False, "requests": False, "spoke": True}


@pytest.fixture
def silent_server():
    """A loopback server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.server
def test_an_alexa_api_that_hangs_is_given_up_on_within_about_a_second(silent_server):
    client = TimedApiClient()
    request = ApiClientRequest(url=f"https://127.0.0.1:{silent_server}/v2/devices/d/settings/"
                                   "System.timeZone", method="GET", headers=[])
    started = time.monotonic()
    with pytest.raises(ApiCallFailed):
        client.invoke(request)
    assert time.monotonic() - started < 1.5


def test_an_alexa_api_whose_name_takes_seconds_to_find_is_given_up_on_within_about_a_second(monkeypatch):
    """Finding the address (DNS) is outside urllib3's timeouts: a resolver that hangs must not hold
    the answer (a stalled look-up before an urgent answer would delay the number to call)."""
    import socket

    release = threading.Event()

    def stalled(*args, **kwargs):
        release.wait(5)
        raise socket.gaierror("no answer")

    monkeypatch.setattr(socket, "getaddrinfo", stalled)
    request = ApiClientRequest(url="https://api.amazonalexa.com/v2/devices/d/settings/System.timeZone",
                               method="GET", headers=[])
    started = time.monotonic()
    try:
        with pytest.raises(ApiCallFailed):
            TimedApiClient().invoke(request)
        assert time.monotonic() - started < 1.5
    finally:
        release.set()


def test_the_api_client_refuses_plain_http():
    with pytest.raises(ApiCallFailed):
        TimedApiClient().invoke(ApiClientRequest(url="http://api.amazonalexa.com/x", method="GET"))


def test_runtime_requirements_are_all_pinned_and_leave_boto3_to_the_runtime():
    text = (ROOT / "lambda" / "requirements.txt").read_text()
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    pins = [line for line in lines if line]
    assert pins and all("==" in pin for pin in pins)
    names = {pin.split("==")[0].lower() for pin in pins}
    assert {"ask-sdk-core", "ask-sdk-model", "requests", "tzdata"} <= names
    assert not names & {"boto3", "botocore"}


SNAP_PROBE = """
import json, sys
sys.path.insert(0, "lambda")
import lambda_function, boto3
print(json.dumps({"boto3": "boto3" in sys.modules, "session": boto3.DEFAULT_SESSION is not None,
                  "deserialized": "ask_sdk_model.intent_request" in sys.modules}))
"""


def test_under_snapstart_init_pays_the_imports_but_opens_nothing():
    env = {"CRAMP_TABLE_NAME": "cramps", "AWS_REGION": "us-east-1", "PATH": "/usr/bin:/bin",
           "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start", "SKILL_ID": "amzn1.ask.skill.x"}
    result = subprocess.run([sys.executable, "-c", SNAP_PROBE], cwd=ROOT, capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "boto3": True, "session": False, "deserialized": True}
    assert '"intent": "AMAZON.HelpIntent"' in result.stderr  # the priming request was served


FAIL_CLOSED_PROBE = """
import json, sys
sys.path.insert(0, "lambda")
from lambda_function import lambda_handler
event = json.load(open("tests/events/one_shot_calf.json"))
event["context"]["System"]["apiEndpoint"] = "https://127.0.0.1:9"  # no network: refused at once
print(json.dumps(lambda_handler(event, None)))
"""
FIXTURE_SKILL = "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab"


@pytest.mark.parametrize(("skill_id", "served"), [(None, False), ("  ", False), (FIXTURE_SKILL, True)])
def test_the_shipped_entry_point_in_lambda_fails_closed_without_a_skill_id(skill_id, served):
    env = {"PATH": "/usr/bin:/bin", "AWS_LAMBDA_FUNCTION_NAME": "leg-cramp-helper"}
    if skill_id is not None:
        env["SKILL_ID"] = skill_id
    result = subprocess.run([sys.executable, "-c", FAIL_CLOSED_PROBE], cwd=ROOT, capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout.strip().splitlines()[-1])
    errors = [json.loads(line) for line in result.stderr.splitlines()
              if line.startswith("{") and '"ERROR"' in line]
    if served:
        assert "pull your toes up" in body["response"]["outputSpeech"]["ssml"] and errors == []
    else:
        assert body == {"version": "1.0", "response": {}}
        assert [e["event"] for e in errors] == ["skill_id_missing"]
