"""template.yaml: cfn-lint passes, and the template matches what the code actually does.

Nothing here trusts a hand-written list: the table keys come from tools/local_dynamodb.create_table,
the TTL attribute from what the repository writes, the IAM actions from the operations
lambda/cramp_helper/repository.py calls, the alias from skill.json's endpoint.
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

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
REPOSITORY = ROOT / "lambda" / "cramp_helper" / "repository.py"
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


def test_environment_names_the_table_region_and_skill(function, template):
    table_name = _table(template)[0]
    assert function["Environment"]["Variables"] == {
        "CRAMP_TABLE_NAME": {"Ref": table_name},
        "CRAMP_TABLE_REGION": {"Ref": "AWS::Region"},
        "SKILL_ID": {"Ref": "SkillId"},
    }


def test_the_code_reads_those_variable_names(function):
    from cramp_helper.config import TableConfig

    env = {"CRAMP_TABLE_NAME": "t-from-stack", "CRAMP_TABLE_REGION": "eu-west-1"}
    assert set(env) <= set(function["Environment"]["Variables"])
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        config = TableConfig.from_environment()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert (config.name, config.region) == ("t-from-stack", "eu-west-1")


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
    from cramp_helper.repository import RETENTION_DAYS, EpisodeRepository

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
def operations_the_repository_calls() -> set[str]:
    """`_call("put_item", ...)` in repository.py -> {"PutItem", ...}."""
    source = REPOSITORY.read_text(encoding="utf-8")
    snake = set(re.findall(r'_call\(\s*"([a-z_]+)"', source))
    assert snake, "found no _call(...) in repository.py"
    return {"".join(part.capitalize() for part in name.split("_")) for name in snake}


def _statements(template: dict) -> list[dict]:
    role = _of_type(template, "AWS::IAM::Role")
    assert len(role) == 1
    statements = []
    for policy in next(iter(role.values()))["Properties"]["Policies"]:
        statements.extend(policy["PolicyDocument"]["Statement"])
    return statements


def test_every_table_call_goes_through_the_repository_call_helper():
    """So deriving the actions from `_call("...")` sees every operation: no direct client calls in
    repository.py, and no other module of the Lambda touches boto3 or the client."""
    source = REPOSITORY.read_text(encoding="utf-8")
    direct = re.findall(r"(?:client|connection\(\))\.([a-z_]+)\(", source)
    assert direct == [], f"direct client calls bypass _call: {direct}"
    for path in (ROOT / "lambda").rglob("*.py"):
        if path != REPOSITORY and "__pycache__" not in path.parts:
            code = re.sub(r'""".*?"""', "", path.read_text(encoding="utf-8"), flags=re.S)
            assert not re.search(r"\bimport boto3|\bfrom boto|\.connection\(\)", code), path


def test_dynamodb_actions_are_exactly_what_the_code_calls_on_the_table_only(template):
    table_name = _table(template)[0]
    dynamo = [s for s in _statements(template)
              if any(str(a).startswith("dynamodb:") for a in _as_list(s["Action"]))]
    assert len(dynamo) == 1
    statement = dynamo[0]
    assert statement["Effect"] == "Allow"
    expected = {f"dynamodb:{op}" for op in operations_the_repository_calls()}
    assert set(_as_list(statement["Action"])) == expected
    assert statement["Resource"] == {"Fn::GetAtt": [table_name, "Arn"]}
    assert "Condition" not in statement and "NotAction" not in statement


def test_no_wildcards_and_logs_only_to_its_own_group(template):
    function = template["Resources"]["CrampHelperFunction"]["Properties"]
    assert "Policies" not in function  # no SAM policy templates or managed policies on top
    assert function["Role"] == {"Fn::GetAtt": ["CrampHelperRole", "Arn"]}
    role = template["Resources"]["CrampHelperRole"]["Properties"]
    assert "ManagedPolicyArns" not in role
    for statement in _statements(template):
        for action in _as_list(statement["Action"]):
            assert "*" not in action, f"wildcard action {action}"
        assert "*" not in json.dumps(statement["Resource"]), f"wildcard resource in {statement}"
    logs = [s for s in _statements(template) if any(a.startswith("logs:") for a in _as_list(s["Action"]))]
    assert len(logs) == 1
    assert set(logs[0]["Action"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert logs[0]["Resource"] == {"Fn::GetAtt": ["CrampHelperLogGroup", "Arn"]}
    assert function["LoggingConfig"]["LogGroup"] == {"Ref": "CrampHelperLogGroup"}
    assert template["Resources"]["CrampHelperLogGroup"]["Properties"]["RetentionInDays"] == {
        "Ref": "LogRetentionDays"}


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
    out = transform(fragment, {"SkillId": "amzn1.ask.skill.x", "FunctionName": "leg-cramp-helper",
                               "LogRetentionDays": 30}, NoManagedPolicies())
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


def test_samconfig_deploys_with_iam_capability_and_asks_for_the_skill_id():
    import tomllib

    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    deploy = config["default"]["deploy"]["parameters"]
    assert deploy["capabilities"] == "CAPABILITY_IAM"  # the template makes an unnamed role
    assert deploy["resolve_s3"] is True
    assert "SkillId" not in str(deploy.get("parameter_overrides", ""))  # asked by --guided, never a default
