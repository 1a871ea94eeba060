import pytest

from tests.conftest import fresh
from tests.factories import CooperativeFactory
from tests.finance.factories import open_books


@pytest.fixture
def acc(world):
    return fresh(world.acc_v11)


@pytest.fixture
def coop(world):
    return CooperativeFactory(name="东安村富民果品种植专业合作社", village=world.v11)


@pytest.fixture
def books(coop, acc):
    """东安村's cooperative with its books open for 2026 (coop chart)."""
    return open_books(acc, coop, 2026)
