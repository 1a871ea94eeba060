"""Jurisdiction scoping: each user sees exactly its own rows through for_user, pages and API."""

import pytest
from guardian.shortcuts import assign_perm

from core.choices import Role
from core.models import Region
from core.tenancy import Jurisdiction, assert_in_scope
from tests.conftest import fresh
from tests.factories import DocumentFactory, UserFactory
from tests.testapp.models import Document


@pytest.fixture
def docs(world):
    return {
        "v11": DocumentFactory(title="东安村文件", region_code=world.v11.code),
        "v12": DocumentFactory(title="西岭村文件", region_code=world.v12.code),
        "v21": DocumentFactory(title="北岭村文件", region_code=world.v21.code),
        "v31": DocumentFactory(title="杨庄村文件", region_code=world.v31.code),
    }


def _titles(user, action="view"):
    return sorted(Document.objects.for_user(fresh(user), action).values_list("title", flat=True))


def test_each_user_sees_exactly_its_own_rows(world, docs):
    assert _titles(world.acc_v11) == ["东安村文件"]
    assert _titles(world.acc_v12) == ["西岭村文件"]
    assert _titles(world.twp_t1) == ["东安村文件", "西岭村文件"]
    assert _titles(world.twp_t2) == ["北岭村文件"]
    assert _titles(world.county_a_off) == ["东安村文件", "北岭村文件", "西岭村文件"]
    assert _titles(world.county_b_off) == ["杨庄村文件"]


def test_no_role_and_anonymous_see_nothing(world, docs):
    from django.contrib.auth.models import AnonymousUser

    assert _titles(world.nobody) == []
    assert list(Document.objects.for_user(AnonymousUser())) == []
    assert list(Document.objects.for_user(None)) == []


def test_member_without_member_filter_sees_nothing(world, docs):
    # the test model defines no member filter: a plain member reaches none of its rows
    assert _titles(world.member_v11) == []


def test_superuser_sees_everything(world, docs):
    admin = UserFactory(username="root", is_superuser=True)
    assert len(_titles(admin)) == 4


def test_write_actions_follow_the_model_policy(world, docs):
    # officials may view but not change village documents (default policy: accountants write)
    assert _titles(world.twp_t1, "change") == []
    assert _titles(world.acc_v11, "change") == ["东安村文件"]
    assert _titles(world.acc_v11, "approve") == []  # unknown action: fail closed


def test_inactive_user_sees_nothing(world, docs):
    user = fresh(world.acc_v11)
    user.is_active = False
    assert list(Document.objects.for_user(user)) == []


def test_guardian_object_grant_adds_one_foreign_row(world, docs):
    # an accountant of V12 entrusted with one document of V11's books
    assign_perm("view_document", world.acc_v12, docs["v11"])
    assert _titles(world.acc_v12) == ["东安村文件", "西岭村文件"]
    assert _titles(world.acc_v12, "change") == ["西岭村文件"]


def test_region_switcher_only_narrows(world, docs):
    user = UserFactory(
        username="two_hats", roles=[(Role.VILLAGE_ACCOUNTANT, world.v11), (Role.VILLAGE_ACCOUNTANT, world.v21)]
    )
    user = fresh(user)
    assert _titles(user) == ["东安村文件", "北岭村文件"]
    v21_grant = next(g for g in user.all_grants if g.region_id == world.v21.pk)
    user.active_assignment_id = v21_grant.assignment_id
    assert sorted(Document.objects.for_user(user).values_list("title", flat=True)) == ["北岭村文件"]
    # an assignment id that is not the user's own changes nothing
    user.active_assignment_id = 999999
    assert len(Document.objects.for_user(user)) == 2


def test_regions_are_scoped_by_prefix(world):
    codes = set(Region.objects.for_user(fresh(world.twp_t1)).values_list("code", flat=True))
    assert codes == {"371323104", "371323104201", "371323104202"}
    county_codes = set(Region.objects.for_user(fresh(world.county_a_off)).values_list("code", flat=True))
    assert "371324101201" not in county_codes and "371323105201" in county_codes


def test_assert_in_scope_refuses_a_row_written_into_another_village(world):
    from django.http import Http404

    foreign = DocumentFactory(region_code=world.v31.code)
    with pytest.raises(Http404):
        assert_in_scope(fresh(world.acc_v11), foreign, "change")


def test_minimal_prefixes_drop_covered_ones():
    from core.tenancy import Grant

    j = Jurisdiction(
        [
            Grant(1, Role.COUNTY_OFFICIAL, "371323", 1, "", "county"),
            Grant(2, Role.TOWNSHIP_OFFICIAL, "371323104", 2, "", "township"),
            Grant(3, Role.VILLAGE_ACCOUNTANT, "371324101201", 3, "", "village"),
        ]
    )
    assert j.prefixes() == ["371323", "371324101201"]
    assert j.prefixes([Role.TOWNSHIP_OFFICIAL]) == ["371323104"]
    assert j.covers("371323105201") and not j.covers("371324101202")
