import datetime
from decimal import Decimal

import pytest

from core.choices import Role
from tests.conftest import fresh
from tests.factories import CooperativeFactory, UserFactory
from tests.finance.conftest import acc, chair, seed004, township  # noqa: F401 - shared fixtures
from tests.finance.factories import open_books
from tests.members.factories import MemberFactory

JOINED = datetime.date(2026, 1, 10)


@pytest.fixture
def county(world):
    """County A as the dashboard tests use it (households: 东安村 386, 西岭村 412, 北岭村 530).

    * 东安村: an operating cooperative with 3 members (3 households); collective income 2025
      280,000.00; 2026 120,000.00 (1 March) + 200,000.00 (1 August) = 320,000.00.
    * 西岭村: no cooperative; collective income 2026 60,000.00 (1 May).
    * 北岭村: an operating cooperative with 2 members; collective income 2026 40,000.00 (1 February).
    """
    from finance.services.collective import collective_income_record

    world.c11 = CooperativeFactory(name="东安村富民合作社", village=world.v11, status="operating")
    world.c21 = CooperativeFactory(name="北岭村金穗合作社", village=world.v21, status="operating")
    for _ in range(3):
        MemberFactory(cooperative=world.c11, joined_on=JOINED)
    for _ in range(2):
        MemberFactory(cooperative=world.c21, joined_on=JOINED)
    for actor, village, coop, day, amount in (
        (world.acc_v11, world.v11, world.c11, datetime.date(2025, 6, 1), "280000.00"),
        (world.acc_v11, world.v11, world.c11, datetime.date(2026, 3, 1), "120000.00"),
        (world.acc_v11, world.v11, world.c11, datetime.date(2026, 8, 1), "200000.00"),
        (world.acc_v12, world.v12, None, datetime.date(2026, 5, 1), "60000.00"),
        (world.acc_v21, world.v21, world.c21, datetime.date(2026, 2, 1), "40000.00"),
    ):
        collective_income_record(
            actor=fresh(actor), village=village, cooperative=coop, received_on=day, amount=Decimal(amount)
        )
    return world


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
