import pytest

from tests.driver import Conversation


@pytest.fixture
def alexa():
    return Conversation()


from datetime import UTC, datetime  # noqa: E402

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from cramp_helper.config import TableConfig  # noqa: E402
from cramp_helper.services import Services  # noqa: E402
from cramp_helper.skill import make_handler  # noqa: E402
from cramp_helper.storage import EpisodeRepository  # noqa: E402
from tests.fakes import Clock, RecordingApiClient, time_zone_route  # noqa: E402
from tools.faults import FaultInjector  # noqa: E402
from tools.local_dynamodb import create_table  # noqa: E402

TABLE = "cramps-test"
# 08:02 UTC on Monday 23 November 2026 is 3:02 a.m. in New York.
NIGHT = datetime(2026, 11, 23, 8, 2, 11, tzinfo=UTC)


@pytest.fixture
def aws(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        create_table(boto3.client("dynamodb", region_name="us-east-1"), TABLE)
        yield


class World:
    """The skill wired to a moto table, a fake Alexa API and a settable clock."""

    def __init__(self, zone="America/New_York", now=NIGHT, api_routes=None):
        self.clock = Clock(now)
        self.repository = EpisodeRepository(TableConfig(name=TABLE, region="us-east-1"),
                                            clock=lambda: self.clock().timestamp())
        self.client = self.repository.connection()
        self.faults = FaultInjector(self.client)
        routes = time_zone_route(zone) if zone else {}
        routes.update(api_routes or {})
        self.api = RecordingApiClient(routes)
        self.services = Services(repository=self.repository, now=self.clock)
        self.handler = make_handler(self.services, api_client=self.api)

    def conversation(self, user_id=None) -> Conversation:
        return Conversation(handler=self.handler, clock=self.clock, user_id=user_id)

    def items(self) -> list[dict]:
        from cramp_helper.storage import decode_item
        from tools.local_dynamodb import all_items

        reader = boto3.client("dynamodb", region_name="us-east-1")  # not hooked, not counted
        return [decode_item(i) for i in all_items(reader, TABLE)]

    def episodes(self) -> list[dict]:
        # Oldest first: the sort key is a hash of the request id, so order by the start time.
        return sorted((i for i in self.items() if i["sk"].startswith("EP#")),
                      key=lambda i: (str(i.get("started_at", "")), i["sk"]))


@pytest.fixture
def world(aws):
    return World()


@pytest.fixture(scope="module")
def table_world():
    """One World (skill + moto table + fake Alexa API) for the whole module, as a warm container."""
    with pytest.MonkeyPatch.context() as env:
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.setenv(key, "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        with mock_aws():
            create_table(boto3.client("dynamodb", region_name="us-east-1"), TABLE)
            yield World()


# --- the `table:` expectation of tests/conversations/*.yaml -------------------------------------
from tools.conversation_files import register_expectation  # noqa: E402

CURRENT_WORLD: dict = {"world": None}  # the World the conversation file is playing against


def _check_table(turn, expected: dict):
    """`table: {episodes: N, last: {outcome: RELIEVED, muscle: CALF, side: null}}` for this user."""
    from cramp_helper.storage import user_key

    world = CURRENT_WORLD["world"]
    if world is None:
        return "a table expectation needs the conversation to run against a table"
    user = turn.request["context"]["System"]["user"]["userId"]
    mine = [i for i in world.episodes() if i["pk"] == user_key(user)]
    problems = []
    if "episodes" in expected and len(mine) != expected["episodes"]:
        problems.append(f"table holds {len(mine)} episodes, not {expected['episodes']}")
    for key, value in (expected.get("last") or {}).items():
        actual = mine[-1].get(key) if mine else None
        if actual != value:
            problems.append(f"last episode {key} is {actual!r}, not {value!r}")
    unknown = set(expected) - {"episodes", "last"}
    if unknown:
        problems.append(f"unknown table expectation keys {sorted(unknown)}")
    return problems


register_expectation("table", _check_table)
