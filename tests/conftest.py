"""Shared fixtures: a small world of two counties, three townships, four villages, and officers
in and out of each, so every scoping test can ask "does X see Y?" both ways."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from core.choices import RegionLevel, Role
from tests.factories import RegionFactory, UserFactory


@pytest.fixture(autouse=True)
def _celery_join_flag_reset():
    """Celery's eager mode guards ``.get()`` with a process-wide flag that two threads running
    eager tasks at once can leave set (each restores the value it found). Threaded tests run eager
    tasks from several threads, so every test starts with the flag cleared, as a fresh worker does."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb, django_db_modify_db_settings
):
    """Each worker's database is a clone of one migrated template (``tests/database.py``);
    ``--reuse-db`` keeps pytest-django's way (the kept database is migrated in place)."""
    from django.test.utils import setup_databases, teardown_databases

    from tests.database import close_other_sessions, setup_from_template

    with django_db_blocker.unblock():
        if django_db_keepdb and not django_db_createdb:
            old_config = setup_databases(verbosity=0, interactive=False, keepdb=True)
        else:
            old_config = setup_from_template()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            close_other_sessions()
            teardown_databases(old_config, verbosity=0)


def _region(code, name, level, parent=None, households=0):
    return RegionFactory(code=code, name=name, level=level, parent=parent, households=households)


@pytest.fixture
def world(db):
    """County A (371323) with townships T1 (2 villages) and T2 (1 village); county B (371324)."""
    return make_world()


def make_world() -> SimpleNamespace:
    """The regions and officers of ``world``, for a fixture of a wider scope that opens its own
    database access (``tests/test_isolation_within_jurisdiction.py``)."""
    w = SimpleNamespace()
    w.prefecture = _region("371300", "临沂市", RegionLevel.PREFECTURE)
    w.county_a = _region("371323", "沂水县", RegionLevel.COUNTY, w.prefecture)
    w.county_b = _region("371324", "兰陵县", RegionLevel.COUNTY, w.prefecture)
    w.t1 = _region("371323104", "许家湖镇", RegionLevel.TOWNSHIP, w.county_a)
    w.t2 = _region("371323105", "院东头镇", RegionLevel.TOWNSHIP, w.county_a)
    w.t3 = _region("371324101", "向城镇", RegionLevel.TOWNSHIP, w.county_b)
    w.v11 = _region("371323104201", "东安村", RegionLevel.VILLAGE, w.t1, 386)
    w.v12 = _region("371323104202", "西岭村", RegionLevel.VILLAGE, w.t1, 412)
    w.v21 = _region("371323105201", "北岭村", RegionLevel.VILLAGE, w.t2, 530)
    w.v31 = _region("371324101201", "杨庄村", RegionLevel.VILLAGE, w.t3, 301)

    w.acc_v11 = UserFactory(username="acc_v11", roles=[(Role.VILLAGE_ACCOUNTANT, w.v11)])
    w.acc_v12 = UserFactory(username="acc_v12", roles=[(Role.VILLAGE_ACCOUNTANT, w.v12)])
    w.acc_v21 = UserFactory(username="acc_v21", roles=[(Role.VILLAGE_ACCOUNTANT, w.v21)])
    w.acc_v31 = UserFactory(username="acc_v31", roles=[(Role.VILLAGE_ACCOUNTANT, w.v31)])
    w.chair_v11 = UserFactory(username="chair_v11", roles=[(Role.COOP_CHAIR, w.v11)])
    w.member_v11 = UserFactory(username="member_v11", roles=[(Role.MEMBER, w.v11)])
    w.twp_t1 = UserFactory(username="twp_t1", roles=[(Role.TOWNSHIP_OFFICIAL, w.t1)])
    w.twp_t2 = UserFactory(username="twp_t2", roles=[(Role.TOWNSHIP_OFFICIAL, w.t2)])
    w.twp_t3 = UserFactory(username="twp_t3", roles=[(Role.TOWNSHIP_OFFICIAL, w.t3)])
    w.county_a_off = UserFactory(username="county_a", roles=[(Role.COUNTY_OFFICIAL, w.county_a)])
    w.county_b_off = UserFactory(username="county_b", roles=[(Role.COUNTY_OFFICIAL, w.county_b)])
    w.nobody = UserFactory(username="nobody")
    return w


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def login(client):
    """``login(user)`` logs the Django test client in and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def fresh(user):
    """The same user re-read from the database (drops cached jurisdiction)."""
    return type(user).objects.get(pk=user.pk)


# The cooperative page runs a fixed number of queries per section (each app adds its sections);
# tests assert the same bound for one row and for many, so growth with rows still fails.
COOPERATIVE_PAGE_MAX_QUERIES = 36
