"""template.yaml: cfn-lint passes, and the template matches what the code actually does.

Nothing here trusts a hand-written list: the table keys come from tools/local_dynamodb.create_table,
the TTL attribute from what the repository writes, the skill's IAM actions from the operations
lambda/cramp_helper/storage/ calls, the drain's from what the drain calls when it runs, the
alias from skill.json's endpoint.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.package import function_resource, load_template, target_of

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
STORAGE = ROOT / "lambda" / "cramp_helper" / "storage"
CONFIG = ROOT / "lambda" / "cramp_helper" / "config.py"
ALEXA_TIMEOUT_S = 8


@pytest.fixture(scope="module")
def template() -> dict:
    return load_template(TEMPLATE)


@pytest.fixture(scope="module")
def function(template) -> dict:
    return function_resource(template)[1]["Properties"]


def _of_type(template: dict, kind: str) -> dict[str, dict]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def _table(template: dict) -> tuple[str, dict]:
    tables = _of_type(template, "AWS::DynamoDB::Table")
    assert len(tables) == 1, f"expected one table, found {sorted(tables)}"
    return next(iter(tables.items()))


def cfn_lint() -> str:
    beside = Path(sys.executable).parent / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    if not found:
        pytest.skip("cfn-lint is not installed (it is in requirements-dev.txt)")
    return found


def test_cfn_lint_passes():
    result = subprocess.run([cfn_lint(), str(TEMPLATE)], capture_output=True, text=True, timeout=180,
                            env={**os.environ, "AWS_DEFAULT_REGION": "us-east-1"})
    assert result.returncode == 0, f"cfn-lint found problems:\n{result.stdout}{result.stderr}"


def test_the_loader_keeps_cloudformation_tags(template):
    env = template["Resources"]["CrampHelperFunction"]["Properties"]["Environment"]["Variables"]
    assert env["CRAMP_TABLE_NAME"] == {"Ref": "EpisodeTable"}
    assert template["Resources"]["CrampHelperRole"]["Properties"]["Policies"][1]["PolicyDocument"][
        "Statement"][0]["Resource"] == {"Fn::GetAtt": ["EpisodeTable", "Arn"]}
    assert template["Resources"]["CrampHelperLogGroup"]["Properties"]["LogGroupName"] == {
        "Fn::Sub": "/aws/lambda/${FunctionName}"}


# --- the function -------------------------------------------------------------------------------
def test_function_runs_the_shipped_handler_on_python_3_13(template, function):
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
    assert function["Runtime"] == "python3.13"
    assert function["Handler"] == "lambda_function.lambda_handler"
    assert function["CodeUri"] == "lambda/"
    module, attribute = function["Handler"].split(".")
    source = (ROOT / function["CodeUri"] / f"{module}.py").read_text(encoding="utf-8")
    assert re.search(rf"\b{attribute}\b", source), "the handler module must expose the handler"


def test_timeout_is_under_what_alexa_waits(function):
    assert isinstance(function["Timeout"], int)
    assert 3 < function["Timeout"] < ALEXA_TIMEOUT_S


def test_memory_and_architecture_are_set_on_purpose(function):
    assert function["Architectures"] in (["arm64"], ["x86_64"])
    assert 512 <= function["MemorySize"] <= 1769  # beyond 1769 MB single-threaded Python gains nothing


def test_snapstart_on_published_versions_behind_an_alias(function):
    assert function["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert function["AutoPublishAlias"] == "live"


def test_skill_json_endpoint_is_the_alias(function, template):
    """skill.json's endpoints name the template's function and alias (not $LATEST, not a version)."""
    manifest = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))["manifest"]
    default_name = template["Parameters"]["FunctionName"]["Default"]
    for uri in (manifest["apis"]["custom"]["endpoint"]["uri"], manifest["events"]["endpoint"]["uri"]):
        match = re.fullmatch(r"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:([\w-]+):([\w-]+)", uri)
        assert match, f"{uri} is not a Lambda alias ARN"
        assert match.groups() == (default_name, function["AutoPublishAlias"])


def test_only_the_skill_may_invoke_it(template, function):
    events = function["Events"]
    assert list(events) == ["AlexaSkillEvent"]
    assert events["AlexaSkillEvent"] == {"Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}
    skill_id = template["Parameters"]["SkillId"]
    assert skill_id["Type"] == "String" and "Default" not in skill_id
    assert re.fullmatch(skill_id["AllowedPattern"], "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab")
    assert not re.fullmatch(skill_id["AllowedPattern"], "")


def test_environment_names_the_table_region_queue_key_and_skill(function, template):
    table_name = _table(template)[0]
    assert function["Environment"]["Variables"] == {
        "EPISODE_LOG": {"Ref": "EpisodeLog"},
        "CRAMP_TABLE_NAME": {"Ref": table_name},
        "CRAMP_TABLE_REGION": {"Ref": "AWS::Region"},
        "CRAMP_QUEUE_URL": {"Ref": "WriteQueue"},
        "CRAMP_KEY_SECRET_ARN": {"Ref": "PseudonymKeySecret"},
        "CRAMP_KEY_ID": {"Ref": "PseudonymKeyId"},
        "CRAMP_PREVIOUS_KEY_ID": {"Fn::If": ["HasPreviousKey", {"Ref": "PreviousKeyId"}, ""]},
        "CRAMP_PREVIOUS_KEY_SECRET_ARN": {"Fn::If": ["HasPreviousKey", {"Ref": "PreviousKeySecretArn"}, ""]},
        "SKILL_ID": {"Ref": "SkillId"},
    }


def test_the_log_mode_is_a_parameter_the_function_reads_as_episode_log(template, function):
    """issue 19: EpisodeLog (ask, on, off; ask by default) reaches the code as EPISODE_LOG."""
    parameter = template["Parameters"]["EpisodeLog"]
    assert parameter["AllowedValues"] == ["ask", "on", "off"] and parameter["Default"] == "ask"
    assert function["Environment"]["Variables"]["EPISODE_LOG"] == {"Ref": "EpisodeLog"}
    from tools.privacy_pages import MODES

    assert tuple(parameter["AllowedValues"]) == MODES  # the modes the store build and pages know


def test_the_stack_deploys_only_in_the_region_the_privacy_pages_name(template):
    """An EU deployment sets DataRegion=eu-west-1 and deploys there; the pages say Ireland."""
    from tools.privacy_pages import load_config

    region = template["Parameters"]["DataRegion"]
    assert region["Default"] == "us-east-1" and "eu-west-1" in region["AllowedValues"]
    assert set(region["AllowedValues"]) <= set(load_config(environ={})["regions"])  # every one is named
    [rule] = template["Rules"].values()
    [assertion] = rule["Assertions"]
    assert assertion["Assert"] == {"Fn::Equals": [{"Ref": "DataRegion"}, {"Ref": "AWS::Region"}]}


def test_the_pseudonym_secret_is_generated_in_secrets_manager_and_outlives_the_stack(template, function):
    """No person, parameter or file holds the secret: the stack makes it, the function gets its ARN."""
    secret = template["Resources"]["PseudonymKeySecret"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["DeletionPolicy"] == secret["UpdateReplacePolicy"] == "Retain"
    generated = secret["Properties"]["GenerateSecretString"]
    from cramp_helper.config import MIN_SECRET_BYTES

    assert generated["PasswordLength"] >= 2 * MIN_SECRET_BYTES and "SecretString" not in secret["Properties"]
    assert not any(p.get("NoEcho") for p in template["Parameters"].values())  # no secret passed in
    assert "CRAMP_KEY_SECRET" not in function["Environment"]["Variables"]  # never the value itself
    key_id = template["Parameters"]["PseudonymKeyId"]
    assert re.fullmatch(key_id["AllowedPattern"], key_id["Default"])
    assert not re.fullmatch(key_id["AllowedPattern"], "has#hash")


def test_the_skill_may_read_that_one_secret_and_the_drain_none(template):
    statement, previous = _service_statements(template, "CrampHelperRole", "secretsmanager")
    assert _as_list(statement["Action"]) == ["secretsmanager:GetSecretValue"]
    assert statement["Resource"] == {"Ref": "PseudonymKeySecret"}
    # during a rotation, the previous key's own secret, only when one is given
    assert _as_list(previous["Action"]) == ["secretsmanager:GetSecretValue"]
    assert previous["Resource"] == {"Ref": "PreviousKeySecretArn"}
    assert previous["_condition"] == "HasPreviousKey"
    assert "KmsKeyId" not in template["Resources"]["PseudonymKeySecret"]["Properties"]  # aws/secretsmanager
    assert not _service_statements(template, "CrampHelperRole", "kms")  # so no kms:Decrypt is needed
    assert not _service_statements(template, "DrainRole", "secretsmanager")
    code = re.sub(r'""".*?"""', "", CONFIG.read_text(encoding="utf-8"), flags=re.S)
    assert re.findall(r"client\.([a-z_]+)\(", code) == ["get_secret_value"]


def test_the_code_reads_those_variable_names(function, monkeypatch):
    from cramp_helper.config import TableConfig, pseudonym_key

    env = {"CRAMP_TABLE_NAME": "t-from-stack", "CRAMP_TABLE_REGION": "eu-west-1",
           "CRAMP_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/1/q", "CRAMP_KEY_ID": "k7"}
    assert set(env) | {"CRAMP_KEY_SECRET_ARN"} <= set(function["Environment"]["Variables"])
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("CRAMP_KEY_SECRET", "s" * 32)  # what the console sets; tests/unit reads the ARN
    config = TableConfig.from_environment()
    assert (config.name, config.region) == ("t-from-stack", "eu-west-1")
    assert config.queue_url == env["CRAMP_QUEUE_URL"]
    key = pseudonym_key()
    assert key.key_id == "k7" and key.secret == b"s" * 32 and "sss" not in repr(key)


def test_package_tool_builds_for_the_template_target(template):
    assert target_of(template) == (template["Resources"]["CrampHelperFunction"]["Properties"]
                                   ["Architectures"][0], "3.13")


# --- the table ----------------------------------------------------------------------------------
class RecordingClient:
    """Stands in for boto3's DynamoDB client and remembers every call."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def __getattr__(self, operation):
        def call(**kwargs):
            self.calls.append((operation, kwargs))
            return {}
        return call


def test_table_is_the_one_local_dynamodb_creates(template):
    from tools.local_dynamodb import create_table

    client = RecordingClient()
    create_table(client, "t")
    sent = dict(client.calls)
    table = _table(template)[1]["Properties"]
    assert table["AttributeDefinitions"] == sent["create_table"]["AttributeDefinitions"]
    assert table["KeySchema"] == sent["create_table"]["KeySchema"]
    assert table["BillingMode"] == sent["create_table"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {
        "AttributeName": sent["update_time_to_live"]["TimeToLiveSpecification"]["AttributeName"],
        "Enabled": True}
    assert "GlobalSecondaryIndexes" not in table and "LocalSecondaryIndexes" not in table


def test_ttl_attribute_is_the_one_the_repository_writes(template):
    import contextvars

    from cramp_helper.config import TableConfig
    from cramp_helper.storage import RETENTION_DAYS, EpisodeRepository

    client = RecordingClient()
    repository = EpisodeRepository(TableConfig(name="t", region="us-east-1"), client=client,
                                   clock=lambda: 1_800_000_000)

    def write_start_and_end():
        repository.put_new("USER#x", {"sk": "EP#2026-11-23T08:02:11Z#abc", "muscle": "CALF"})
        repository.update("USER#x", "EP#2026-11-23T08:02:11Z#abc", {"outcome": "RELIEVED"})

    contextvars.Context().run(write_start_and_end)  # outside any request: no per-request state
    ttl = _table(template)[1]["Properties"]["TimeToLiveSpecification"]["AttributeName"]
    assert ttl == "expires_at"
    (_, put), (_, update) = client.calls
    assert put["Item"][ttl] == {"N": str(1_800_000_000 + RETENTION_DAYS * 86400)}
    written = {put_name for put_name in update["ExpressionAttributeNames"].values()}
    assert ttl in written  # the end update refreshes the expiry too


def test_table_is_protected_recoverable_and_encrypted(template):
    name, table = _table(template)
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert "TableName" not in props  # a retained table must never block the next stack


# --- least privilege ----------------------------------------------------------------------------
# A TransactWriteItems is authorised action by action (there is no dynamodb:TransactWriteItems).
TRANSACT_PARTS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                  "ConditionCheck": "ConditionCheckItem"}


def _iam_actions(operations: set[str]) -> set[str]:
    return {f"dynamodb:{op}" for op in operations}


def operations_the_repository_calls() -> set[str]:
    """`_call("put_item", ...)` in storage/ -> {"PutItem", ...}; a transaction counts as the
    actions of the parts the module builds ({"ConditionCheck": ...}, {"Put": ...})."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(STORAGE.glob("*.py")))
    snake = set(re.findall(r'_(?:call|retrying)\(\s*"([a-z_]+)"', source))
    assert snake, "found no _call(...) in storage/"
    operations = {"".join(part.capitalize() for part in name.split("_")) for name in snake}
    if "TransactWriteItems" in operations:
        operations.remove("TransactWriteItems")
        parts = set(re.findall(r'\{"(Put|Update|Delete|ConditionCheck)": \{', source))
        assert parts, "a transaction with no parts"
        operations |= {TRANSACT_PARTS[p] for p in parts}
    return operations


def operations_the_drain_calls() -> set[str]:
    """Run the drain over every kind of message against a client that records each call."""
    from cramp_helper import drain
    from cramp_helper.config import TableConfig
    from cramp_helper.storage import EpisodeRepository, Outbox, user_key

    class TableWithItems(RecordingClient):
        """Every partition holds one old episode (and the account one voice profile)."""

        def __getattr__(self, operation):
            call = super().__getattr__(operation)
            if operation != "query":
                return call

            def query(**kwargs):
                call(**kwargs)
                pk = kwargs["ExpressionAttributeValues"][":pk"]
                if ":m" in kwargs["ExpressionAttributeValues"]:
                    return {"Items": [{"pk": pk, "sk": {"S": "MEMBER#" + user_key("amzn1.ask.person.A")}}]}
                old = {"pk": pk, "sk": {"S": "EP#old"}, "started_at": {"S": "2026-01-01T00:00:00Z"}}
                return {"Items": [old]}
            return query

    client, queue = TableWithItems(), RecordingClient()
    repository = EpisodeRepository(TableConfig(name="t", region="us-east-1", queue_url="q"), client=client)
    repository._outbox = Outbox(repository.config, client=queue)
    person, account = user_key("amzn1.ask.person.A"), user_key("amzn1.ask.account.A")
    episode = {"started_at": "2026-11-23T08:02:11Z", "muscle": "CALF"}
    ops = [{"op": "start", "id": "a1", "item": episode, "end": {"outcome": "RELIEVED"}},
           {"op": "end", "id": "a2", "fields": {"outcome": "RELIEVED"}, "item": episode},
           {"op": "prevention", "id": "p1", "item": {"started_at": "2026-11-23T02:00:00Z"}},
           {"op": "bookmark", "snapshot": {"id": "a3", "started_at": "2026-11-23T08:02:11Z"}},
           {"op": "unbookmark", "id": "a3"}]
    messages = [{"v": 1, "kind": "writes", "pk": person, "account": account, "ops": ops},
                {"v": 1, "kind": "purge", "pk": account, "at": "2026-11-23T09:00:00Z",
                 "attributes": ["deleted_at", "disabled_at"], "keep": ["PROFILE"], "members": True}]
    result = drain.handler({"Records": [{"messageId": str(n), "body": json.dumps(m)}
                                        for n, m in enumerate(messages)]}, None, repository=repository)
    assert result == {"batchItemFailures": []}
    assert [name for name, _ in queue.calls] == ["send_message"]  # the voice profile's own purge
    operations = set()
    for name, kwargs in client.calls:
        if name == "transact_write_items":
            operations |= {TRANSACT_PARTS[part] for action in kwargs["TransactItems"] for part in action}
        else:
            operations.add("".join(part.capitalize() for part in name.split("_")))
    return operations


def _roles(template: dict) -> dict[str, dict]:
    return _of_type(template, "AWS::IAM::Role")


def _statements(template: dict, role: str | None = None) -> list[dict]:
    roles = _roles(template)
    assert set(roles) == {"CrampHelperRole", "DrainRole"}
    statements = []
    for name, resource in roles.items():
        if role is None or name == role:
            for policy in resource["Properties"]["Policies"]:
                for statement in policy["PolicyDocument"]["Statement"]:
                    if "Fn::If" in statement:  # granted only under a condition: its true branch
                        condition, statement, _ = statement["Fn::If"]
                        statement = {**statement, "_condition": condition}
                    statements.append(statement)
    return statements


def _service_statements(template: dict, role: str, service: str) -> list[dict]:
    return [s for s in _statements(template, role)
            if any(str(a).startswith(f"{service}:") for a in _as_list(s["Action"]))]


def test_every_table_call_goes_through_the_repository_call_helper():
    """So deriving the actions from `_call("...")` sees every operation: no direct client calls in
    storage/, and no other module of the Lambda touches boto3 or the client."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(STORAGE.glob("*.py")))
    direct = re.findall(r"(?:client|connection\(\))\.([a-z_]+)\(", source)
    assert direct == [], f"direct client calls bypass _call: {direct}"
    for path in (ROOT / "lambda").rglob("*.py"):
        if path.parent != STORAGE and path != CONFIG and "__pycache__" not in path.parts:
            code = re.sub(r'""".*?"""', "", path.read_text(encoding="utf-8"), flags=re.S)
            assert not re.search(r"\bimport boto3|\bfrom boto|\.connection\(\)", code), path
    config = CONFIG.read_text(encoding="utf-8")  # its one client reads the pseudonym secret
    assert re.findall(r"boto3\.client\(\s*\"([a-z]+)\"", config) == ["secretsmanager"]
    assert ".connection()" not in config


@pytest.mark.parametrize("role,operations", [
    ("CrampHelperRole", operations_the_repository_calls),
    ("DrainRole", operations_the_drain_calls),
])
def test_dynamodb_actions_are_exactly_what_the_code_calls_on_the_table_only(template, role, operations):
    table_name = _table(template)[0]
    dynamo = _service_statements(template, role, "dynamodb")
    assert len(dynamo) == 1
    statement = dynamo[0]
    assert statement["Effect"] == "Allow"
    assert set(_as_list(statement["Action"])) == _iam_actions(operations())
    assert statement["Resource"] == {"Fn::GetAtt": [table_name, "Arn"]}
    assert "Condition" not in statement and "NotAction" not in statement


def test_the_drain_never_reads_items_and_the_skill_never_scans():
    assert "GetItem" not in operations_the_drain_calls()
    assert operations_the_drain_calls() <= operations_the_repository_calls()
    assert not {"Scan", "DeleteItem", "DeleteTable"} & operations_the_repository_calls()


@pytest.mark.parametrize("role,actions", [
    ("CrampHelperRole", {"sqs:SendMessage"}),
    # The event source mapping receives and deletes; a purge carried on sends.
    ("DrainRole", {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:SendMessage"}),
])
def test_queue_actions_are_on_the_write_queue_only(template, role, actions):
    [statement] = _service_statements(template, role, "sqs")
    assert set(_as_list(statement["Action"])) == actions
    assert statement["Resource"] == {"Fn::GetAtt": ["WriteQueue", "Arn"]}


@pytest.mark.parametrize("function_name,role_name,group", [
    ("CrampHelperFunction", "CrampHelperRole", "CrampHelperLogGroup"),
    ("DrainFunction", "DrainRole", "DrainLogGroup"),
])
def test_no_wildcards_and_logs_only_to_its_own_group(template, function_name, role_name, group):
    function = template["Resources"][function_name]["Properties"]
    assert "Policies" not in function  # no SAM policy templates or managed policies on top
    assert function["Role"] == {"Fn::GetAtt": [role_name, "Arn"]}
    role = template["Resources"][role_name]["Properties"]
    assert "ManagedPolicyArns" not in role
    for statement in _statements(template, role_name):
        for action in _as_list(statement["Action"]):
            assert "*" not in action, f"wildcard action {action}"
        assert "*" not in json.dumps(statement["Resource"]), f"wildcard resource in {statement}"
    logs = _service_statements(template, role_name, "logs")
    assert len(logs) == 1
    assert set(logs[0]["Action"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert logs[0]["Resource"] == {"Fn::GetAtt": [group, "Arn"]}
    assert function["LoggingConfig"]["LogGroup"] == {"Ref": group}
    assert template["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


# --- the queue, its dead letters and the drain --------------------------------------------------
def test_the_write_queue_has_a_dead_letter_queue_and_an_alarm_on_its_depth(template):
    resources = template["Resources"]
    queue = resources["WriteQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["WriteDeadLetterQueue", "Arn"]}
    assert 1 < queue["RedrivePolicy"]["maxReceiveCount"] <= 10
    drain = resources["DrainFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * drain["Timeout"]  # AWS's advice for an event source
    for name in ("WriteQueue", "WriteDeadLetterQueue"):
        assert resources[name]["Properties"]["SqsManagedSseEnabled"] is True
    assert resources["WriteDeadLetterQueue"]["Properties"]["MessageRetentionPeriod"] == 1209600
    alarms = [r["Properties"] for r in _of_type(template, "AWS::CloudWatch::Alarm").values()
              if (r["Properties"].get("Dimensions") or [{}])[0].get("Value")
              == {"Fn::GetAtt": ["WriteDeadLetterQueue", "QueueName"]}]
    assert len(alarms) == 1
    alarm = alarms[0]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)


def test_the_previous_key_is_optional_and_both_of_its_parameters_are_needed(template):
    """Key rotation (docs/data-model.md, "Rotation"): empty by default (no rotation under way)."""
    key_id, arn = template["Parameters"]["PreviousKeyId"], template["Parameters"]["PreviousKeySecretArn"]
    assert key_id["Default"] == arn["Default"] == ""
    for value in ("", "k1"):
        assert re.fullmatch(key_id["AllowedPattern"], value)
    assert not re.fullmatch(key_id["AllowedPattern"], "has#hash")
    good = "arn:aws:secretsmanager:us-east-1:123456789012:secret:old-key-AbCdEf"
    for value in ("", good):
        assert re.fullmatch(arn["AllowedPattern"], value)
    assert not re.fullmatch(arn["AllowedPattern"], "the-secret-itself")  # never the value
    assert template["Conditions"]["HasPreviousKey"] == {"Fn::And": [
        {"Fn::Not": [{"Fn::Equals": [{"Ref": "PreviousKeyId"}, ""]}]},
        {"Fn::Not": [{"Fn::Equals": [{"Ref": "PreviousKeySecretArn"}, ""]}]}]}


def test_the_drain_is_fed_by_the_queue_and_reports_batch_item_failures(template):
    drain = template["Resources"]["DrainFunction"]["Properties"]
    [event] = drain["Events"].values()
    assert event["Type"] == "SQS"
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": ["WriteQueue", "Arn"]}
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    module, attribute = drain["Handler"].rsplit(".", 1)
    source = (ROOT / drain["CodeUri"] / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
    assert re.search(rf"^def {attribute}\(", source, re.M)
    assert drain["Environment"]["Variables"]["CRAMP_QUEUE_URL"] == {"Ref": "WriteQueue"}
    assert "CRAMP_KEY_SECRET" not in drain["Environment"]["Variables"]  # messages carry keys, not ids
    # ... under the key ids in use, which the drain checks (no secret needed)
    assert drain["Environment"]["Variables"]["CRAMP_KEY_ID"] == {"Ref": "PseudonymKeyId"}
    assert drain["Environment"]["Variables"]["CRAMP_PREVIOUS_KEY_ID"] == {
        "Fn::If": ["HasPreviousKey", {"Ref": "PreviousKeyId"}, ""]}
    assert drain["Timeout"] > 40  # storage.erase.PURGE_WINDOW_S, plus a margin


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# --- outputs, and what SAM makes of the template ------------------------------------------------
def test_outputs_give_the_alias_arn_and_the_table(template):
    outputs = template["Outputs"]
    assert outputs["FunctionAliasArn"]["Value"] == {"Ref": "CrampHelperFunction.Alias"}
    assert outputs["TableName"]["Value"] == {"Ref": _table(template)[0]}


def test_sam_puts_the_alexa_permission_on_the_alias(template, monkeypatch):
    """Translate the template as CloudFormation would (offline): the skill's invoke permission must
    be on the alias it calls, with the skill id as the event source token."""
    import copy

    from samtranslator.translator.transform import transform

    class NoManagedPolicies:
        def load(self):
            return {}

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    fragment = copy.deepcopy(template)
    fragment["Resources"]["CrampHelperFunction"]["Properties"]["CodeUri"] = "s3://bucket/code.zip"
    fragment["Resources"]["DrainFunction"]["Properties"]["CodeUri"] = "s3://bucket/code.zip"
    out = transform(fragment, {"SkillId": "amzn1.ask.skill.x", "FunctionName": "leg-cramp-helper",
                               "LogRetentionDays": 30, "PseudonymKeyId": "k1"}, NoManagedPolicies())
    resources = out["Resources"]
    alias = [n for n, r in resources.items() if r["Type"] == "AWS::Lambda::Alias"]
    assert len(alias) == 1 and resources[alias[0]]["Properties"]["Name"] == "live"
    permissions = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert permissions == [{"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": alias[0]},
                            "Principal": "alexa-appkit.amazon.com", "EventSourceToken": {"Ref": "SkillId"}}]
    version = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Version"]
    assert len(version) == 1
    assert resources["CrampHelperFunction"]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert out["Outputs"]["FunctionAliasArn"]["Value"] == {"Ref": alias[0]}
    [mapping] = [r["Properties"] for r in resources.values()
                 if r["Type"] == "AWS::Lambda::EventSourceMapping"]
    assert mapping["FunctionName"] == {"Ref": "DrainFunction"}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_samconfig_deploys_with_iam_capability_and_asks_for_the_skill_id():
    import tomllib

    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    deploy = config["default"]["deploy"]["parameters"]
    assert deploy["capabilities"] == "CAPABILITY_IAM"  # the template makes an unnamed role
    assert deploy["resolve_s3"] is True
    assert "SkillId" not in str(deploy.get("parameter_overrides", ""))  # asked by --guided, never a default
    for section in (v for v in config.values() if isinstance(v, dict)):  # the secret is never kept here
        for command in section.values():
            overrides = command.get("parameters", {}).get("parameter_overrides", "")
            assert "PseudonymKeySecret" not in str(overrides)


# --- alarms on every loss (issue 21, finding 9) ----------------------------------------------------
LOSS_EVENTS = {  # the log event -> the log group of the function that logs it
    "table_writes_lost": "CrampHelperLogGroup",
    "skill_disabled_delete_failed": "CrampHelperLogGroup",
    "key_secret_missing": "CrampHelperLogGroup",
    "drain_failed": "DrainLogGroup",
    "drain_message_unreadable": "DrainLogGroup",
    "drain_unknown_key": "DrainLogGroup",  # logged by the drain's key check (issue 21, finding 10)
    "purge_failed": "DrainLogGroup",
}


@pytest.mark.parametrize("event", sorted(LOSS_EVENTS))
def test_every_loss_has_a_metric_filter_and_an_alarm_that_one_line_fires(template, event):
    filters = {name: r["Properties"] for name, r in _of_type(template, "AWS::Logs::MetricFilter").items()
               if f'$.event = "{event}"' in r["Properties"]["FilterPattern"]}
    assert len(filters) == 1, f"no metric filter for {event}"
    [(name, metric_filter)] = filters.items()
    assert metric_filter["LogGroupName"] == {"Ref": LOSS_EVENTS[event]}
    [transform] = metric_filter["MetricTransformations"]
    alarms = [r["Properties"] for r in _of_type(template, "AWS::CloudWatch::Alarm").values()
              if r["Properties"].get("MetricName") == transform["MetricName"]
              and r["Properties"].get("Namespace") == transform["MetricNamespace"]]
    assert len(alarms) == 1, f"no alarm on {transform['MetricName']}"
    [alarm] = alarms
    assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        "Sum", 1, "GreaterThanOrEqualToThreshold")
    assert alarm["TreatMissingData"] == "notBreaching" and alarm["Period"] <= 300


@pytest.mark.parametrize("event", sorted(set(LOSS_EVENTS) - {"drain_unknown_key"}))
def test_every_alarmed_event_is_one_the_code_logs(event):
    """The filter watches a name the code really writes (drain_unknown_key arrives with the drain's
    key check, on another branch of issue 21)."""
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "lambda").rglob("*.py"))
    assert f'log_event("{event}"' in sources

