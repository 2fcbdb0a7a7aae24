"""Every request type Alexa can send gets a valid answer or a clean no-op; requests for another
skill are turned away before any handler runs; the logs are structured and private."""

import json

import pytest

from cramp_helper.skill import make_handler
from testkit.conversation import Conversation, load_event
from testkit.world import World

SKILL = "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab"  # the fixtures' skill id
USER = "amzn1.ask.account.REQUESTTYPES"


def logs(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


# --- skill id verification ---------------------------------------------------------------------
def verified_world(skill_id=SKILL) -> World:
    world = World()
    world.handler = make_handler(world.services, api_client=world.api, skill_id=skill_id)
    return world


def test_a_request_for_this_skill_is_served(aws):
    world = verified_world()
    reply = world.conversation(USER).intent("CrampIntent", Muscle="calf")
    assert "pull your toes up" in reply.speech and len(world.episodes()) == 1


def test_a_request_for_another_skill_is_rejected_before_any_handler_runs(aws, capsys):
    world = verified_world("amzn1.ask.skill.the-real-one")
    event = Conversation(user_id=USER)._envelope("one_shot_calf")
    response = world.handler(event, None)
    assert response == {"version": "1.0", "response": {}}
    assert world.items() == [] and world.faults.attempts == {} and world.api.calls == []
    [line] = [entry for entry in logs(capsys) if entry["event"] == "request"]
    assert line["outcome"] == "rejected"


def test_the_skill_id_comes_from_the_environment(aws, monkeypatch):
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.from-env")
    world = World()
    world.handler = make_handler(world.services, api_client=world.api)
    assert world.handler(load_event("launch"), None)["response"] == {}
    monkeypatch.setenv("SKILL_ID", SKILL)
    world.handler = make_handler(world.services, api_client=world.api)
    assert "outputSpeech" in world.handler(load_event("launch"), None)["response"]


def test_without_a_configured_id_it_says_so_in_the_log(aws, monkeypatch, capsys):
    monkeypatch.delenv("SKILL_ID", raising=False)
    world = World()
    world.handler = make_handler(world.services, api_client=world.api)
    world.handler(load_event("launch"), None)
    world.handler(load_event("launch"), None)
    warnings = [e for e in logs(capsys) if e["event"] == "skill_id_not_verified"]
    assert len(warnings) == 1


# --- fail closed: in Lambda, no SKILL_ID means no service ----------------------------------------
@pytest.mark.parametrize("configured", [None, "", "   "])
def test_in_lambda_a_missing_or_blank_skill_id_rejects_every_request(aws, monkeypatch, capsys, configured):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "leg-cramp-helper")
    if configured is None:
        monkeypatch.delenv("SKILL_ID", raising=False)
    else:
        monkeypatch.setenv("SKILL_ID", configured)
    world = World()
    world.handler = make_handler(world.services, api_client=world.api)
    capsys.readouterr()
    for fixture in ("launch", "one_shot_calf", "session_ended", "skill_disabled", "launch"):
        assert world.handler(load_event(fixture), None) == {"version": "1.0", "response": {}}
        errors = [e for e in logs(capsys) if e["level"] == "ERROR"]
        assert [e["event"] for e in errors] == ["skill_id_missing"]  # one clear line, every time
        assert "SKILL_ID" in errors[0]["message"]
    assert world.items() == [] and world.faults.attempts == {} and world.api.calls == []


def test_in_lambda_a_configured_skill_id_serves(aws, monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "leg-cramp-helper")
    monkeypatch.setenv("SKILL_ID", SKILL)
    monkeypatch.setenv("CRAMP_KEY_SECRET", "a-test-secret-of-thirty-two-chars")  # stores nothing without
    world = World()
    world.handler = make_handler(world.services, api_client=world.api)
    reply = world.conversation(USER).intent("CrampIntent", Muscle="calf")
    assert "pull your toes up" in reply.speech and len(world.episodes()) == 1


def test_outside_lambda_an_unset_skill_id_still_serves(aws, monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.delenv("SKILL_ID", raising=False)
    world = World()
    world.handler = make_handler(world.services, api_client=world.api)
    assert "pull your toes up" in world.conversation(USER).intent("CrampIntent", Muscle="calf").speech


# --- the error reply keeps the session ----------------------------------------------------------
def _queued_start(world) -> Conversation:
    """A cramp whose start write failed: the episode waits in the session's queue."""
    talk = world.conversation(USER)
    world.faults.fail("TransactWriteItems", "AccessDenied", times=5)
    assert "pull your toes up" in talk.intent("CrampIntent", Muscle="calf", Side="left").speech
    world.faults.clear()
    assert world.episodes() == [] and talk.attributes["cramp"]["pending"]
    return talk


def test_an_unreadable_envelope_keeps_the_session_and_its_queued_write(world):
    talk = _queued_start(world)
    queued = talk.attributes["cramp"]["pending"]
    envelope = talk._envelope("one_shot_calf", {"intent": {"name": "StillCrampingIntent", "slots": {}}})
    envelope["context"]["System"]["device"] = "not an object"  # a shape the SDK cannot read
    reply = talk.send(envelope)
    assert "something went wrong" in reply.speech and not reply.ended
    assert reply.envelope["sessionAttributes"]["cramp"]["pending"] == queued
    talk.intent("CrampGoneIntent")
    [episode] = world.episodes()
    assert episode["outcome"] == "RELIEVED" and episode["muscle"] == "CALF"


def test_a_failed_invoke_keeps_the_session_and_its_queued_write(world, monkeypatch):
    talk = _queued_start(world)
    queued = talk.attributes["cramp"]["pending"]

    class Broken:
        def invoke(self, **_):
            raise RuntimeError("ask-sdk failed")

    import cramp_helper.skill as skill_module

    monkeypatch.setattr(skill_module, "build_skill", lambda *_: Broken())
    broken = make_handler(world.services, api_client=world.api)
    envelope = talk._envelope("one_shot_calf", {"intent": {"name": "StillCrampingIntent", "slots": {}}})
    body = broken(envelope, None)
    assert body["sessionAttributes"]["cramp"]["pending"] == queued
    assert body["response"]["shouldEndSession"] is False
    talk.attributes = body["sessionAttributes"]
    talk.intent("CrampGoneIntent")
    assert [e["outcome"] for e in world.episodes()] == ["RELIEVED"]


def test_an_unreadable_request_that_cannot_be_spoken_to_stays_silent(world):
    for fixture in ("session_ended", "skill_disabled"):
        event = load_event(fixture)
        event["request"]["timestamp"] = {"not": "a time"}  # a shape the SDK cannot read
        event["context"] = ["junk"]
        assert world.handler(event, None) == {"version": "1.0", "response": {}}


# --- request types -----------------------------------------------------------------------------
@pytest.mark.parametrize("reason", ["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"])
def test_session_ended_for_every_reason_is_silent_and_logs_errors(world, capsys, reason):
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    error = {"type": "INVALID_RESPONSE", "message": "SSML was invalid"} if reason == "ERROR" else None
    reply = talk.session_ended(reason, error)
    assert reply.response == {} or "outputSpeech" not in reply.response
    assert "outcome" not in world.episodes()[0]  # kept open for twenty minutes (a bookmark)
    assert any("open_episode" in item for item in world.items())
    ended = [e for e in logs(capsys) if e["event"] == "session_ended"]
    assert ended[0]["reason"] == reason
    if reason == "ERROR":
        assert ended[0]["error_type"] == "INVALID_RESPONSE" and ended[0]["error_message"]


def test_system_exception_encountered_is_logged_and_silent(world, capsys):
    reply = world.conversation(USER).request({
        "type": "System.ExceptionEncountered",
        "error": {"type": "INVALID_RESPONSE", "message": "Invalid SSML"},
        "cause": {"requestId": "amzn1.echo-api.request.earlier"}})
    assert "outputSpeech" not in reply.response
    [entry] = [e for e in logs(capsys) if e["event"] == "alexa_reported_error"]
    assert entry["error_type"] == "INVALID_RESPONSE"


def can_fulfill(world, intent, slots, attributes=None):
    talk = world.conversation(USER)
    request = {"type": "CanFulfillIntentRequest", "intent": {"name": intent, "slots": slots}}
    envelope = talk._envelope("session_ended")
    envelope["request"] = {**{k: envelope["request"][k] for k in ("requestId", "timestamp", "locale")},
                           **request}
    envelope["session"]["attributes"] = attributes or {}
    return world.handler(envelope, None)


def slot(name, words, type_, value_id=None):
    status = "ER_SUCCESS_MATCH" if value_id else "ER_SUCCESS_NO_MATCH"
    resolution = {"authority": f"amzn1.er-authority.echo-sdk.{SKILL}.{type_}", "status": {"code": status}}
    if value_id:
        resolution["values"] = [{"value": {"name": words, "id": value_id}}]
    return {name: {"name": name, "value": words, "resolutions": {"resolutionsPerAuthority": [resolution]}}}


def test_can_fulfill_says_yes_maybe_or_no_per_intent_and_slot(world):
    yes = can_fulfill(world, "CrampIntent", {**slot("Muscle", "calf", "MuscleType", "CALF"),
                                             **slot("Side", "left", "SideType", "LEFT")})
    verdict = yes["response"]["canFulfillIntent"]
    assert verdict["canFulfill"] == "YES"
    assert verdict["slots"]["Muscle"] == {"canUnderstand": "YES", "canFulfill": "YES"}
    maybe = can_fulfill(world, "CrampIntent", slot("Muscle", "elbow", "MuscleType"))
    assert maybe["response"]["canFulfillIntent"]["canFulfill"] == "MAYBE"
    assert maybe["response"]["canFulfillIntent"]["slots"]["Muscle"]["canUnderstand"] == "MAYBE"
    for other in ("PlayMusicIntent", "AMAZON.HelpIntent"):
        assert can_fulfill(world, other, {})["response"]["canFulfillIntent"]["canFulfill"] == "NO"
    assert can_fulfill(world, "HistorySummaryIntent", {})["response"]["canFulfillIntent"][
        "canFulfill"] == "YES"


def test_can_fulfill_has_no_side_effects(world):
    queued = {"cramp": {"v": 1, "pending": [{"op": "put", "sk": "EP#2026-11-23T08:00:00Z#x",
                                             "item": {"started_at": "2026-11-23T08:00:00Z"}}]}}
    response = can_fulfill(world, "CrampIntent", slot("Muscle", "calf", "MuscleType", "CALF"), queued)
    assert "outputSpeech" not in response["response"] and "sessionAttributes" not in response
    assert world.items() == [] and world.faults.attempts == {} and world.api.calls == []


def test_connections_response_for_something_else_is_a_clean_no_op(world):
    reply = world.conversation(USER).request({"type": "Connections.Response", "name": "Buy",
                                              "status": {"code": "200"}, "payload": {}, "token": "x"})
    assert "outputSpeech" not in reply.response


@pytest.mark.parametrize("event_type", ["AlexaSkillEvent.SkillEnabled",
                                        "AlexaSkillEvent.SkillPermissionAccepted",
                                        "AlexaSkillEvent.SkillPermissionChanged"])
def test_skill_events_are_logged_and_silent(world, capsys, event_type):
    event = load_event("skill_disabled")
    event["request"]["type"] = event_type
    event["request"]["body"] = {"acceptedPermissions": [
        {"scope": "alexa::alerts:reminders:skill:readwrite"}]}
    response = world.handler(event, None)
    assert "outputSpeech" not in response.get("response", {})
    [entry] = [e for e in logs(capsys) if e["event"] == "skill_event"]
    assert entry["request_type"] == event_type


def test_an_apl_touch_mid_routine_carries_on(world):
    talk = world.conversation(USER)
    talk.intent("CrampIntent", Muscle="calf")
    reply = talk.request({"type": "Alexa.Presentation.APL.UserEvent", "token": "t",
                          "arguments": ["next"], "source": {"type": "TouchWrapper"}})
    assert reply.speech.endswith("Has it eased?") and not reply.ended


def test_a_request_type_from_the_future_is_a_clean_no_op(world):
    event = load_event("launch")
    event["request"]["type"] = "Alexa.Something.New"
    assert world.handler(event, None) == {"version": "1.0", "response": {}}


def test_the_manifest_declares_can_fulfill_and_the_skill_events():
    manifest = json.loads(open("skill.json").read())["manifest"]
    assert {"type": "CAN_FULFILL_INTENT_REQUEST"} in manifest["apis"]["custom"]["interfaces"]
    events = {s["eventName"] for s in manifest["events"]["subscriptions"]}
    assert events == {"SKILL_ENABLED", "SKILL_DISABLED", "SKILL_PERMISSION_ACCEPTED",
                      "SKILL_PERMISSION_CHANGED"}


# --- logging -----------------------------------------------------------------------------------
def test_a_whole_conversation_logs_structured_private_lines(world, capsys):
    talk = world.conversation(USER)
    world.faults.fail("TransactWriteItems", "Throttling")
    talk.intent("CrampIntent", Muscle="calf", Side="left")
    talk.intent("StillCrampingIntent")
    talk.intent("CrampGoneIntent")
    world.conversation(USER).intent("HistorySummaryIntent")
    lines = logs(capsys)
    requests = [e for e in lines if e["event"] == "request"]
    assert [r["intent"] for r in requests] == ["CrampIntent", "StillCrampingIntent", "CrampGoneIntent",
                                               "HistorySummaryIntent"]
    for record in requests:
        assert record["request_id"].startswith("amzn1.echo-api.request.")
        assert record["request_type"] == "IntentRequest" and record["latency_ms"] >= 0
    assert requests[2]["outcome"] == "RELIEVED"
    assert any(e["event"] == "table_write_failed" and e["request_id"] for e in lines)
    text = json.dumps(lines).lower()
    for secret in (USER.lower(), "amzn1.ask.device", "calf", "left", "still cramping", "it's gone"):
        assert secret not in text, secret
