import json
import socket
from pathlib import Path

import pytest

from testkit.conversation import Conversation

DURATIONS = Path(__file__).with_name("durations.json")  # tools/test_durations.py writes it


def pytest_collection_modifyitems(config, items):
    """The longest modules first (tests/durations.json), so the two workers of ``make test``, which
    take one module at a time (--dist loadfile --no-loadscope-reorder), finish together instead of
    one waiting on a long module handed out last. The order within a module is kept."""
    try:
        seconds = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    rank = {}
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        rank.setdefault(module, (-float(seconds.get(module, 0.0)), len(rank)))
    items.sort(key=lambda item: rank[item.nodeid.split("::", 1)[0]])


def pytest_sessionstart(session):
    """xdist's controller, before its workers start (xdist starts them last): build once what
    each worker would otherwise build at the same moment on a fresh clone, the resolvers of the
    13 models (kept in build/resolvers) and the bytecode of the skill, moto and boto3 (kept
    beside them). On a clone that has them it loads them and goes on (about 2 s)."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if any(not str(arg).startswith("tests/unit") for arg in config.args):  # the unit tier has no moto
        import testkit.world  # noqa: F401  (the skill, moto and boto3)
    from tools.resolver import ROOT, Resolver

    for path in sorted((ROOT / "interaction_models").glob("*.json")):
        Resolver.from_locale(path.stem)


@pytest.fixture(autouse=True)
def episode_log_on(monkeypatch):
    """Tests run today's logging behaviour (EPISODE_LOG=on) unless they say otherwise: the
    consent tests (tests/functional/test_consent.py, conversation files with ``log_mode``) set
    ``ask`` or ``off`` themselves. The deployed default is ``ask`` (config.episode_log_mode)."""
    monkeypatch.setenv("EPISODE_LOG", "on")


# Alexa's API hosts: the default lambda_handler (no World) looks the device's time zone up there.
# No test reaches the internet: a name lookup fails at once, as it does with no network, instead of
# waiting on this machine's resolver (5 s, now and then, in a third of a module's tests).
ALEXA_API_HOSTS = (".amazonalexa.com", ".amazon.com")


@pytest.fixture(autouse=True)
def no_alexa_api_lookup(monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(ALEXA_API_HOSTS):
            raise socket.gaierror(socket.EAI_NONAME, "no network in the tests")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def alexa():
    return Conversation()


from testkit.world import NIGHT, TABLE, World, aws_env, moto_table  # noqa: E402,F401


@pytest.fixture
def aws():
    with moto_table():
        yield


@pytest.fixture
def world(aws):
    return World()


@pytest.fixture(scope="module")
def table_world():
    """One World (skill + moto table + fake Alexa API) for the whole module, as a warm container."""
    with moto_table():
        yield World()


# the `table:` expectation of tests/conversations/*.yaml (testkit.world.CURRENT_WORLD)
from testkit.world import register_table_expectation  # noqa: E402

register_table_expectation()
