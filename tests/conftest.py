import pytest

from tests.driver import Conversation


@pytest.fixture
def alexa():
    return Conversation()
