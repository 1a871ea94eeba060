"""Fixtures of the governance tests: one cooperative per village of the world, a third village in T1."""

import pytest

from core.choices import RegionLevel, Role
from tests.factories import CooperativeFactory, RegionFactory, UserFactory


@pytest.fixture
def gov(world):
    """Cooperatives in every village (T1 gets a third village, 南坪村), the chair and supervisor of 东安村."""
    world.v13 = RegionFactory(code="371323104203", name="南坪村", level=RegionLevel.VILLAGE, parent=world.t1)
    world.coop11 = CooperativeFactory(name="东安村果品合作社", village=world.v11, status="operating")
    world.coop12 = CooperativeFactory(name="西岭村土地合作社", village=world.v12, status="operating")
    world.coop13 = CooperativeFactory(name="南坪村劳务合作社", village=world.v13, status="operating")
    world.coop21 = CooperativeFactory(name="北岭村粮食合作社", village=world.v21, status="operating")
    world.coop31 = CooperativeFactory(name="杨庄村合作社", village=world.v31, status="operating")
    world.supervisor_v11 = UserFactory(username="sup_v11", roles=[(Role.SUPERVISOR, world.v11)])
    world.chair_v12 = UserFactory(username="chair_v12", roles=[(Role.COOP_CHAIR, world.v12)])
    return world
