import pytest

from testkit.conversation import Conversation


@pytest.fixture(autouse=True)
def episode_log_on(monkeypatch):
    """Tests run today's logging behaviour (EPISODE_LOG=on) unless they say otherwise: the
    consent tests (tests/functional/test_consent.py, conversation files with ``log_mode``) set
    ``ask`` or ``off`` themselves. The deployed default is ``ask`` (config.episode_log_mode)."""
    monkeypatch.setenv("EPISODE_LOG", "on")


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
