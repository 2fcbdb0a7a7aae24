import pytest

from testkit.conversation import Conversation


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
