"""A table endpoint on loopback that really hangs: botocore gives up in time, the write waits in the
session, and a closing turn keeps its last word (moved here from test_fault_matrix.py and
test_durability.py, since each serves a real socket and waits on real timeouts)."""

import pytest

from testkit.conversation import Conversation
from testkit.durability import assert_clean, closing_turn_hangs
from testkit.fault_matrix import HangingEndpoint, fast_retries, opening_words, skill_on
from testkit.world import NIGHT

pytestmark = pytest.mark.server


@pytest.fixture
def credentials(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with fast_retries():
        yield


def test_a_hanging_table_is_given_up_on_and_the_write_waits_in_the_session(credentials):
    """Real botocore timeouts (bench/fault_matrix.py also hangs at connect, and times it all)."""
    with HangingEndpoint("read") as endpoint:
        handler, repository = skill_on(endpoint.url)
        talk = Conversation(handler=handler, clock=lambda: NIGHT)
        reply = talk.intent("CrampIntent", Muscle="calf", Side="left")
        assert opening_words() in reply.speech and not reply.ended
        assert talk.attributes["cramp"]["pending"][0]["op"] == "start"
        config = repository.connection().meta.config
        assert (config.connect_timeout, config.read_timeout) == (0.5, 0.6)
        assert config.retries["total_max_attempts"] == 2
        assert endpoint.accepted == 2, "one request should cost exactly two attempts"


@pytest.mark.slow
def test_a_closing_turn_keeps_its_last_word_against_a_table_that_really_hangs():
    row, cases = closing_turn_hangs()
    assert_clean(row)
    fast, slow, stuck = cases
    assert fast.in_turn and fast.handed_off == 0  # 0.3 s: slow, but written in the turn
    for case in (slow, stuck):  # past the read timeout: tried in its own window, then queued
        assert case.final_write_tried >= 1 and case.handed_off == 1
        assert case.latency_ms < 4000, f"the closing turn took {case.latency_ms:.0f} ms"


def test_a_table_client_made_before_moto_in_the_same_process_is_still_mocked_afterwards():
    """A test of a real endpoint (like those above) makes boto3's default session before moto is
    ever imported; a later test on moto in the same worker must still reach moto, not AWS (it once
    reached AWS itself: every later moto test of that worker failed on a name lookup)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import boto3\n"
        "boto3.client('dynamodb', region_name='us-east-1')  # the default session, before moto\n"
        "from testkit.world import TABLE, moto_table, plain_client\n"
        "with moto_table():\n"
        "    print(plain_client().list_tables()['TableNames'] == [TABLE])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": f"{root}:{root}/lambda"})
    assert result.returncode == 0 and result.stdout.strip() == "True", result.stderr[-1500:]
