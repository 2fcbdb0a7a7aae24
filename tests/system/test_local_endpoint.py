"""The console's local endpoint (moto's server on loopback): the write queue, a kept secret, and the
environment put back (moved here from test_durability.py, since it serves a real socket)."""

import json

import boto3
import pytest

from testkit.world import REGION

pytestmark = pytest.mark.server


def test_the_local_endpoint_has_the_queue_a_kept_secret_and_restores_the_environment(tmp_path, monkeypatch):
    import os

    from tools.local_dynamodb import SKILL_VARIABLES, local_table

    for name in SKILL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "table.json"
    with local_table(data_file=data) as (endpoint, _):
        secret, queue = os.environ["CRAMP_KEY_SECRET"], os.environ["CRAMP_QUEUE_URL"]
        assert len(secret) >= 32 and os.environ["CRAMP_KEY_ID"] == "local"
        sqs = boto3.client("sqs", endpoint_url=os.environ["SQS_ENDPOINT_URL"], region_name=REGION)
        redrive = json.loads(sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["RedrivePolicy"])
                             ["Attributes"]["RedrivePolicy"])
        assert redrive["maxReceiveCount"] == 5
    assert (tmp_path / "table.key").read_text().strip() == secret
    assert oct((tmp_path / "table.key").stat().st_mode & 0o777) == "0o600"
    assert "CRAMP_KEY_SECRET" not in os.environ and "CRAMP_QUEUE_URL" not in os.environ
    with local_table(data_file=data):
        assert os.environ["CRAMP_KEY_SECRET"] == secret  # the same person finds the same history
