import pytest

from tests.conftest import fresh
from tests.factories import CooperativeFactory
from tests.finance.factories import open_books


@pytest.fixture
def acc(world):
    return fresh(world.acc_v11)


@pytest.fixture
def chair(world):
    return fresh(world.chair_v11)


@pytest.fixture
def township(world):
    return fresh(world.twp_t1)


@pytest.fixture
def coop(world):
    return CooperativeFactory(name="东安村富民果品种植专业合作社", village=world.v11)


@pytest.fixture
def books(coop, acc):
    """东安村's cooperative with its books open for 2026 (cooperative chart)."""
    return open_books(acc, coop, 2026)


@pytest.fixture
def seed004(world):
    """County A applies the seed-004 profile (expenditure threshold 10,000.00)."""
    from core.models import CountyPolicy, PolicyProfile
    from core.policies import SEED_004, ensure_templates

    ensure_templates()
    return CountyPolicy.objects.create(county=world.county_a, profile=PolicyProfile.objects.get(code=SEED_004))
