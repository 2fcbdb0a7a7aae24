"""The pseudonym secret in Lambda: read from AWS Secrets Manager (moto) once per container, on
first use, never during SnapStart's init; refused under 32 bytes, as a missing one is, and the
skill still guides a cramp without it. The console and local runs keep their local key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest

from cramp_helper import config
from cramp_helper.config import MIN_SECRET_BYTES, pseudonym_key
from tests.conftest import TABLE, World

ROOT = Path(__file__).resolve().parents[2]
SKILL_ID = "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab"
SECRET = "Zq8" * 22  # 66 bytes, like the 64 letters and digits template.yaml generates


@pytest.fixture
def in_lambda(aws, monkeypatch):
    """Lambda's environment, moto's Secrets Manager, and a fresh container (nothing read yet)."""
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "leg-cramp-helper")
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    monkeypatch.delenv("CRAMP_KEY_SECRET", raising=False)
    monkeypatch.delenv("CRAMP_KEY_ID", raising=False)
    config.forget_pseudonym_key()
    yield
    config.forget_pseudonym_key()


def _store(value: str, monkeypatch) -> str:
    arn = boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=f"pseudonym-{uuid.uuid4().hex[:8]}", SecretString=value)["ARN"]
    monkeypatch.setenv("CRAMP_KEY_SECRET_ARN", arn)
    return arn


def _count_reads() -> list[str]:
    """Every GetSecretValue any client of boto3's default session makes (a botocore hook)."""
    reads: list[str] = []
    boto3.setup_default_session()

    def seen(model, params, **_):
        if model.name == "GetSecretValue":
            reads.append(params["SecretId"])

    boto3.DEFAULT_SESSION.events.register("before-parameter-build", seen)
    return reads


def _errors(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


def _user() -> str:
    return f"amzn1.ask.account.SECRET{uuid.uuid4().hex[:10].upper()}"


def test_the_secret_is_read_once_per_container_and_cached(in_lambda, monkeypatch):
    arn = _store(SECRET, monkeypatch)
    reads = _count_reads()
    keys = [pseudonym_key() for _ in range(5)]
    assert reads == [arn]
    assert {k.secret for k in keys} == {SECRET.encode()} and keys[0].key_id == "k1"
    boto3.client("secretsmanager", region_name="us-east-1").delete_secret(
        SecretId=arn, ForceDeleteWithoutRecovery=True)
    assert pseudonym_key().secret == SECRET.encode()  # the container keeps what it read
    assert reads == [arn]
    config.forget_pseudonym_key()  # a new container reads again (and here finds nothing)
    assert pseudonym_key() is None and reads == [arn, arn]


def test_a_cramp_is_stored_under_the_key_made_with_the_managed_secret(in_lambda, monkeypatch):
    _store(SECRET, monkeypatch)
    reads = _count_reads()
    world = World()
    user = _user()
    for _ in range(2):
        reply = world.conversation(user).intent("CrampIntent", Muscle="calf")
        assert "pull your toes up" in reply.speech
    digest = hmac.new(SECRET.encode(), f"account:{user}".encode(), hashlib.sha256).hexdigest()  # its kind
    assert {item["pk"] for item in world.items()} == {f"USER#k1#{digest}"}
    assert len(reads) == 1  # two sessions, one read


@pytest.mark.parametrize("length", [1, MIN_SECRET_BYTES - 1])
def test_in_lambda_a_short_secret_is_refused_and_the_cramp_still_guided(in_lambda, monkeypatch, capsys,
                                                                         length):
    _store("k" * length, monkeypatch)
    assert pseudonym_key() is None
    world = World()
    reply = world.conversation(_user()).intent("CrampIntent", Muscle="calf")
    assert "pull your toes up" in reply.speech
    assert world.items() == []
    logged = _errors(capsys)
    assert any(e["event"] == "key_secret_refused" and str(MIN_SECRET_BYTES) in e["reason"] for e in logged)
    assert any(e["event"] == "key_secret_missing" and e["level"] == "ERROR" for e in logged)
    assert not any("k" * length in json.dumps(e) for e in logged if length > 1)


def test_a_secret_of_exactly_32_bytes_is_accepted(in_lambda, monkeypatch):
    _store("k" * MIN_SECRET_BYTES, monkeypatch)
    assert pseudonym_key().secret == b"k" * MIN_SECRET_BYTES


def test_in_lambda_a_short_environment_secret_is_refused_too(in_lambda, monkeypatch):
    monkeypatch.delenv("CRAMP_KEY_SECRET_ARN", raising=False)
    monkeypatch.setenv("CRAMP_KEY_SECRET", "x")
    assert pseudonym_key() is None
    monkeypatch.setenv("CRAMP_KEY_SECRET", "x" * MIN_SECRET_BYTES)
    assert pseudonym_key().secret == b"x" * MIN_SECRET_BYTES


def test_an_unreadable_secret_guides_without_storage_and_is_not_retried_at_once(in_lambda, monkeypatch,
                                                                                capsys):
    monkeypatch.setenv("CRAMP_KEY_SECRET_ARN",
                       "arn:aws:secretsmanager:us-east-1:123456789012:secret:never-made-AbCdEf")
    reads = _count_reads()
    world = World()
    for _ in range(3):
        reply = world.conversation(_user()).intent("CrampIntent", Muscle="calf")
        assert "pull your toes up" in reply.speech
    assert world.items() == []
    assert len(reads) == 1  # one failed read; the next requests do not wait on it again
    refused = [e for e in _errors(capsys) if e["event"] == "key_secret_refused"]
    assert refused and refused[0]["error"] == "ResourceNotFoundException"
    monkeypatch.setattr(config, "SECRET_RETRY_S", 0.0)  # the retry window has passed
    assert pseudonym_key() is None and len(reads) == 2


def test_outside_lambda_the_local_key_is_kept(monkeypatch):
    """The console sets CRAMP_KEY_SECRET (its own random key); a run without one uses the dev key."""
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.delenv("CRAMP_KEY_SECRET_ARN", raising=False)
    monkeypatch.setenv("CRAMP_KEY_SECRET", "local-" * 8)
    monkeypatch.setenv("CRAMP_KEY_ID", "local")
    assert pseudonym_key() == config.PseudonymKey("local", ("local-" * 8).encode())
    monkeypatch.delenv("CRAMP_KEY_SECRET")
    assert pseudonym_key().key_id == config.DEV_KEY_ID


SNAPSTART = r"""
import json, sys
hooks = []
stub = type(sys)("snapshot_restore_py")
stub.register_after_restore = hooks.append
stub.register_before_snapshot = lambda hook: None
sys.modules["snapshot_restore_py"] = stub
import lambda_function                      # SnapStart's init: imports, and the primed request
from cramp_helper import config
at_init = {"key": config.pseudonym_key() is not None,
           "read": bool(config._STORED._values or config._STORED._failed_at)}
for hook in hooks:                          # the runtime restores an environment from the snapshot
    hook()
after = config.pseudonym_key()
print(json.dumps({"hooks": len(hooks), "key_at_init": at_init["key"], "read_at_init": at_init["read"],
                  "key_after_restore": after is not None}))
"""


def test_snapstart_init_never_reads_the_secret_only_after_restore(tmp_path):
    """A fresh process as Lambda runs SnapStart's init (lambda_function.py primes a request), with
    the runtime's snapshot_restore_py stood in for. The secret store is unreachable, so a read
    shows as a failure: at init there is none; after the restore hook, the first use reads."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMP_", "AWS_", "PYTHON"))}
    env.update({"AWS_LAMBDA_FUNCTION_NAME": "leg-cramp-helper",
                "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start", "SKILL_ID": SKILL_ID,
                "CRAMP_TABLE_NAME": TABLE, "AWS_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # refused at once
                "CRAMP_KEY_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:k-AbCdEf",
                "PYTHONPATH": f"{ROOT / 'lambda'}"})
    done = subprocess.run([sys.executable, "-c", SNAPSTART], capture_output=True, text=True, timeout=120,
                          env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["hooks"] == 1
    assert not out["read_at_init"] and not out["key_at_init"]
    # After restore the first use reads it (here it fails: the endpoint refuses, so no key).
    assert not out["key_after_restore"]
    assert '"key_secret_refused"' in done.stderr and "EndpointConnectionError" in done.stderr


def test_in_lambda_the_previous_key_has_its_own_secret_read_once(in_lambda, monkeypatch, capsys):
    """Key rotation (docs/data-model.md, "Rotation"): CRAMP_PREVIOUS_KEY_ID and its own secret's
    ARN. An old history under it is found with that secret, not the current one."""
    from cramp_helper.storage.keys import old_keys, user_key

    _store(SECRET, monkeypatch)
    monkeypatch.setenv("CRAMP_KEY_ID", "k2")
    old = "Old" * 22
    old_arn = boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=f"previous-{uuid.uuid4().hex[:8]}", SecretString=old)["ARN"]
    monkeypatch.setenv("CRAMP_PREVIOUS_KEY_ID", "k1")
    monkeypatch.setenv("CRAMP_PREVIOUS_KEY_SECRET_ARN", old_arn)
    reads = _count_reads()
    assert config.key_ids_in_use() == {"k2", "k1"}
    for _ in range(3):
        assert config.previous_pseudonym_key() == config.PseudonymKey("k1", old.encode())
    assert reads.count(old_arn) == 1
    user = _user()
    plain = hmac.new(old.encode(), user.encode(), hashlib.sha256).hexdigest()  # before issue 21
    assert f"USER#k1#{plain}" in old_keys(user, "account", pseudonym_key())
    assert user_key(user).startswith("USER#k2#")

    monkeypatch.setenv("CRAMP_PREVIOUS_KEY_ID", "k2")  # the current id again: no previous key
    assert config.previous_pseudonym_key() is None and config.key_ids_in_use() == {"k2"}

    monkeypatch.setenv("CRAMP_PREVIOUS_KEY_ID", "k1")
    short = boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=f"short-{uuid.uuid4().hex[:8]}", SecretString="x" * (MIN_SECRET_BYTES - 1))["ARN"]
    monkeypatch.setenv("CRAMP_PREVIOUS_KEY_SECRET_ARN", short)
    assert config.previous_pseudonym_key() is None  # refused, like a short current one
    assert config.previous_key_id() == "k1"  # still in use: deletion must not claim it is done
    assert any(e["event"] == "key_secret_refused" for e in _errors(capsys))
