import pytest

from core.choices import Role
from tests.factories import CooperativeFactory, UserFactory
from tests.finance.conftest import acc, chair, seed004, township  # noqa: F401 - shared fixtures
from tests.finance.factories import open_books


@pytest.fixture
def supervisor(world):
    """The supervisory board of 东安村's cooperative (demo-supervisor's role)."""
    return UserFactory(username="sup_v11", roles=[(Role.SUPERVISOR, world.v11)])


@pytest.fixture
def coop(world):
    """An operating cooperative in 东安村."""
    return CooperativeFactory(name="东安村富民果品种植专业合作社", village=world.v11, status="operating")


@pytest.fixture
def books(coop, acc):  # noqa: F811
    return open_books(acc, coop, 2026)
