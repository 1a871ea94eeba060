"""Federations (联合社): three or more member cooperatives (law Art. 56, seed 002 §22), removal
never below three, members listed both ways, scoping, API, list query counts."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cooperatives.models import Cooperative, FederationMembership
from cooperatives.services.federations import (
    MemberEntry,
    federation_create,
    federation_member_add,
    federation_member_remove,
)
from cooperatives.services.registry import cooperative_create, cooperative_update
from core.exceptions import BusinessError, StateConflict
from tests.conftest import COOPERATIVE_PAGE_MAX_QUERIES, fresh
from tests.factories import CooperativeFactory, FederationMembershipFactory, RegionFactory

JOINED = date(2024, 3, 1)


def _fed_data(**overrides):
    data = {
        "name": "许家湖镇党委领导果品联合社",
        "kind": "township_federation",
        "legal_representative": "李秀英",
        "chair_name": "赵德明",
        "registered_capital": Decimal("300000.00"),
        "main_industry": "fruit",
    }
    data.update(overrides)
    return data


def _create(world, members, **overrides):
    return federation_create(
        actor=fresh(world.twp_t1),
        village=world.t1,
        members=[MemberEntry(c, Decimal("100000.00")) for c in members],
        joined_on=JOINED,
        **_fed_data(**overrides),
    )


def test_federation_with_two_members_is_refused_and_writes_nothing(gov):
    before = Cooperative.objects.count()
    with pytest.raises(BusinessError) as exc:
        _create(gov, [gov.coop11, gov.coop12])
    assert exc.value.code == "federation_too_few_members"
    assert "3" in exc.value.message and "2" in exc.value.message
    assert Cooperative.objects.count() == before
    assert FederationMembership.objects.count() == 0


def test_a_repeated_member_counts_once(gov):
    # 东安, 西岭, 东安 again: two distinct cooperatives, refused
    with pytest.raises(BusinessError) as exc:
        _create(gov, [gov.coop11, gov.coop12, gov.coop11])
    assert exc.value.code == "federation_too_few_members"


def test_federation_with_three_members_is_registered(gov):
    fed = _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    assert fed.kind == "township_federation" and fed.region_code == "371323104000"
    rows = FederationMembership.objects.filter(federation=fed).order_by("member__name")
    assert rows.count() == 3
    assert {r.member_region_code for r in rows} == {"371323104201", "371323104202", "371323104203"}
    # 3 × 100,000.00 contributed
    assert sum(r.contribution for r in rows) == Decimal("300000.00")


def test_member_must_be_visible_and_not_a_federation(gov):
    # 北岭村 is in 院东头镇: the 许家湖镇 official may not enrol it
    with pytest.raises(BusinessError) as exc:
        _create(gov, [gov.coop11, gov.coop12, gov.coop21])
    assert exc.value.code == "member_out_of_jurisdiction"
    fed = _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    with pytest.raises(BusinessError) as exc:
        _create(gov, [gov.coop11, gov.coop12, fed], name="另一个联合社")
    assert exc.value.code == "member_is_federation"


def test_removal_below_three_is_refused_and_a_fourth_member_may_leave(gov):
    extra_village = RegionFactory(code="371323104204", level="village", parent=gov.t1)
    coop14 = CooperativeFactory(name="北坡村合作社", village=extra_village)
    fed = _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    actor = fresh(gov.twp_t1)
    membership = FederationMembership.objects.get(federation=fed, member=gov.coop13)
    # 3 members − 1 = 2 < 3: refused, nothing changes
    with pytest.raises(BusinessError) as exc:
        federation_member_remove(actor=actor, membership=membership, left_on=date(2024, 12, 31))
    assert exc.value.code == "federation_too_few_members"
    membership.refresh_from_db()
    assert membership.left_on is None
    # a fourth member joins; then one of four may leave (4 − 1 = 3)
    federation_member_add(actor=actor, federation=fed, member=coop14, joined_on=date(2024, 6, 1))
    federation_member_remove(actor=actor, membership=membership, left_on=date(2024, 12, 31))
    assert FederationMembership.objects.filter(federation=fed, left_on__isnull=True).count() == 3
    # the next leaver would bring it to 2
    other = FederationMembership.objects.get(federation=fed, member=gov.coop12)
    with pytest.raises(BusinessError):
        federation_member_remove(actor=actor, membership=other, left_on=date(2024, 12, 31))
    # and a member that left cannot leave twice
    with pytest.raises(StateConflict):
        federation_member_remove(actor=actor, membership=membership, left_on=date(2024, 12, 31))


def test_an_active_member_cannot_join_twice(gov):
    fed = _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    with pytest.raises(StateConflict):
        federation_member_add(actor=fresh(gov.twp_t1), federation=fed, member=gov.coop11, joined_on=JOINED)


def test_plain_registration_refuses_a_federation_kind_and_edits_cannot_switch_kind(gov):
    with pytest.raises(BusinessError) as exc:
        cooperative_create(actor=fresh(gov.twp_t1), village=gov.t1, **_fed_data())
    assert exc.value.code == "federation_needs_members"
    with pytest.raises(BusinessError) as exc:
        cooperative_update(actor=fresh(gov.acc_v11), cooperative=gov.coop11, kind="federation")
    assert exc.value.code == "kind_change"


def test_a_village_accountant_cannot_change_a_township_federation(gov):
    fed = _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    extra_village = RegionFactory(code="371323104204", level="village", parent=gov.t1)
    coop14 = CooperativeFactory(village=extra_village)
    with pytest.raises(Exception) as exc:
        federation_member_add(actor=fresh(gov.acc_v11), federation=fed, member=coop14, joined_on=JOINED)
    assert exc.typename in ("Http404", "BusinessError")
    assert not FederationMembership.objects.filter(member=coop14).exists()


def test_members_are_listed_both_ways(client, gov):
    fed = _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    client.force_login(gov.twp_t1)
    page = client.get(f"/cooperatives/{fed.pk}/").content.decode()
    assert "东安村果品合作社" in page and "西岭村土地合作社" in page and "南坪村劳务合作社" in page
    # the member's own accountant sees, on the member's page, the federation it belongs to
    client.force_login(gov.acc_v11)
    page = client.get(f"/cooperatives/{gov.coop11.pk}/").content.decode()
    assert "许家湖镇党委领导果品联合社" in page
    # but not the other members' rows, nor the federation page itself (it is the township's)
    assert client.get(f"/cooperatives/{fed.pk}/").status_code == 404


def test_federation_form_refuses_two_members_and_accepts_three(client, gov):
    client.force_login(gov.twp_t1)
    data = {
        "name": "许家湖镇果品联合社",
        "kind": "township_federation",
        "village": gov.t1.pk,
        "legal_representative": "李秀英",
        "chair_name": "赵德明",
        "registered_capital": "300000.00",
        "main_industry": "fruit",
        "status": "operating",
        "joined_on": "2024-03-01",
        "members-TOTAL_FORMS": "5",
        "members-INITIAL_FORMS": "0",
        "members-0-cooperative": gov.coop11.pk,
        "members-0-contribution": "100000.00",
        "members-1-cooperative": gov.coop12.pk,
        "members-1-contribution": "100000.00",
    }
    response = client.post("/cooperatives/federations/new/", data)
    assert response.status_code == 200
    assert "至少" in response.content.decode() or "at least" in response.content.decode()
    assert not Cooperative.objects.filter(name="许家湖镇果品联合社").exists()
    data |= {"members-2-cooperative": gov.coop13.pk, "members-2-contribution": "50000.00"}
    response = client.post("/cooperatives/federations/new/", data)
    fed = Cooperative.objects.get(name="许家湖镇果品联合社")
    assert response.status_code == 302 and response["Location"] == fed.get_absolute_url()
    assert fed.memberships.count() == 3


def test_remove_page_refuses_below_three(client, gov):
    fed = _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    membership = fed.memberships.first()
    client.force_login(gov.twp_t1)
    response = client.post(f"/cooperatives/federations/memberships/{membership.pk}/remove/", {"left_on": "2024-12-31"})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.left_on is None
    # another township's official does not even find it
    client.force_login(gov.twp_t2)
    assert client.get(f"/cooperatives/federations/memberships/{membership.pk}/remove/").status_code == 404


def test_api_creates_with_three_and_refuses_two(api_client, gov):
    api_client.force_authenticate(gov.twp_t1)
    body = {
        **{k: str(v) for k, v in _fed_data().items()},
        "village": gov.t1.pk,
        "joined_on": "2024-03-01",
        "members": [
            {"cooperative": gov.coop11.pk, "contribution": "100000.00"},
            {"cooperative": gov.coop12.pk, "contribution": "100000.00"},
        ],
    }
    response = api_client.post("/api/v1/federations/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "federation_too_few_members", response.json()
    body["members"].append({"cooperative": gov.coop13.pk, "contribution": "0.00"})
    response = api_client.post("/api/v1/federations/", body, format="json")
    assert response.status_code == 201, response.json()
    fed_id = response.json()["id"]
    assert len(response.json()["members"]) == 3
    membership = FederationMembership.objects.filter(federation_id=fed_id).first()
    response = api_client.post(
        f"/api/v1/federation-memberships/{membership.pk}/remove/", {"left_on": "2024-12-31"}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "federation_too_few_members"
    # foreign: the other township's official gets 404
    api_client.force_authenticate(gov.twp_t2)
    assert api_client.get(f"/api/v1/federations/{fed_id}/").status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_federation_list_query_count_does_not_grow(client, gov, django_assert_max_num_queries, n):
    for _ in range(n):
        fed = CooperativeFactory(kind="township_federation", village=gov.t1)
        for member in (gov.coop11, gov.coop12, gov.coop13):
            FederationMembershipFactory(federation=fed, member=member)
    client.force_login(gov.county_a_off)
    with django_assert_max_num_queries(12):
        response = client.get("/cooperatives/federations/")
    assert response.status_code == 200


def test_federation_list_exports_xlsx(client, gov):
    _create(gov, [gov.coop11, gov.coop12, gov.coop13])
    client.force_login(gov.twp_t1)
    response = client.get("/cooperatives/federations/", {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    # one federation, 3 members, 3 × 100,000.00 contributed
    assert [(r[0], r[5], r[6]) for r in rows[1:]] == [("许家湖镇党委领导果品联合社", 3, 300000)]
    # searching by a member's name finds it, and the count stays 3 (no join multiplying the rows)
    response = client.get("/cooperatives/federations/", {"format": "xlsx", "q": "西岭村"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[5]) for r in rows[1:]] == [("许家湖镇党委领导果品联合社", 3)]


@pytest.mark.parametrize("n", [3, 30])
def test_federation_page_query_count_does_not_grow_with_members(client, gov, django_assert_max_num_queries, n):
    fed = CooperativeFactory(kind="township_federation", village=gov.t1)
    for _ in range(n):
        FederationMembershipFactory(federation=fed)  # each member a new cooperative of 许家湖镇
    client.force_login(gov.twp_t1)
    with django_assert_max_num_queries(COOPERATIVE_PAGE_MAX_QUERIES):
        page = client.get(f"/cooperatives/{fed.pk}/")
    assert page.status_code == 200 and page.content.decode().count("/remove/") == n
