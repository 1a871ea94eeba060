import datetime

import pytest

from core.choices import Role
from tests.conftest import fresh
from tests.factories import CooperativeFactory, UserFactory
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
def supervisor(world):
    """The supervisory board of 东安村's cooperative (demo-supervisor's role)."""
    return UserFactory(username="sup_v11", roles=[(Role.SUPERVISOR, world.v11)])


@pytest.fixture
def seed004(world):
    """County A applies seed 004 (expenditure threshold 10,000; single member ≤ 20%; 15 days to disclose)."""
    from core.models import CountyPolicy, PolicyProfile
    from core.policies import SEED_004, ensure_templates

    ensure_templates()
    return CountyPolicy.objects.create(county=world.county_a, profile=PolicyProfile.objects.get(code=SEED_004))


@pytest.fixture
def coop(world):
    return CooperativeFactory(name="东安村富民果品种植专业合作社", village=world.v11, status="operating")


@pytest.fixture
def books(coop, acc):
    return open_books(acc, coop, 2026)


Q1_END = datetime.date(2026, 3, 31)
