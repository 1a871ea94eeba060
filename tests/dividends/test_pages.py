"""Pages and API of surplus distribution: they open, stay within a bounded number of queries
whatever the number of members, and keep foreign plans out (404) and forbidden roles away (403)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dividends.models import DistributionPolicy
from dividends.services.plans import plan_create, plan_input
from tests.conftest import fresh
from tests.dividends.factories import cooperative, hold, worked_members
from tests.members.factories import MemberFactory

D = Decimal
pytestmark = pytest.mark.django_db


def _plan(world, extra_members=0):
    coop = cooperative(world)
    acc = fresh(world.acc_v11)
    members = worked_members(world, coop, acc)
    if extra_members:
        more = [MemberFactory(cooperative=coop, number=100 + i) for i in range(extra_members)]
        hold(acc, coop, [(m, "ordinary", "100.00") for m in more])
    policy = DistributionPolicy.objects.get(code="217")
    return plan_create(
        actor=acc, data=plan_input(cooperative=coop, year=2025, policy=policy, surplus=D("9999.99"))
    ), members


@pytest.mark.parametrize("extra", [0, 30])
def test_plan_pages_run_a_bounded_number_of_queries(world, client, django_assert_max_num_queries, extra):
    plan, _members = _plan(world, extra)
    client.force_login(world.acc_v11)
    for path in (f"/dividends/plans/{plan.pk}/", f"/dividends/plans/{plan.pk}/notice/", "/dividends/"):
        with django_assert_max_num_queries(25):
            assert client.get(path).status_code == 200
    statement = plan.allocations.first()
    with django_assert_max_num_queries(20):
        assert client.get(f"/dividends/statements/{statement.pk}/").status_code == 200


def test_foreign_plans_are_404_and_members_are_kept_off_staff_pages(world, client):
    plan, _ = _plan(world)
    for user in (world.acc_v12, world.twp_t2, world.county_b_off):
        client.force_login(user)
        assert client.get(f"/dividends/plans/{plan.pk}/").status_code == 404
        assert client.get(f"/api/v1/dividends/plans/{plan.pk}/").status_code == 404
    client.force_login(world.member_v11)
    assert client.get("/dividends/").status_code == 403
    assert client.get(f"/dividends/cooperatives/{plan.cooperative_id}/plans/new/").status_code == 403
    client.force_login(world.twp_t1)
    assert client.get(f"/dividends/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/dividends/cooperatives/{plan.cooperative_id}/plans/new/").status_code == 403


def test_draft_form_and_what_if_comparison(world, client):
    coop = cooperative(world)
    worked_members(world, coop)
    client.force_login(world.acc_v11)
    response = client.get(
        f"/dividends/cooperatives/{coop.pk}/compare/",
        {
            "year": 2025,
            "policy_a": DistributionPolicy.objects.get(code="217").pk,
            "policy_b": DistributionPolicy.objects.get(code="reserve-cap-15").pk,
            "surplus": "10000.00",
        },
    )
    body = response.content.decode()
    # 217: 70% of 10,000 = 7,000.00 by shares; cap-15: 10,000 − 500 − 1,425 = 8,075.00
    assert response.status_code == 200 and "7,000.00" in body and "8,075.00" in body
    # every member's amount under each policy: like the API's comparison, only for who drafts plans
    for reviewer in (world.chair_v11, world.twp_t1, world.county_a_off):
        client.force_login(reviewer)
        assert client.get(f"/dividends/cooperatives/{coop.pk}/compare/", {"year": 2025}).status_code == 403
    client.force_login(world.acc_v11)
    response = client.post(
        f"/dividends/cooperatives/{coop.pk}/plans/new/",
        {
            "year": 2025,
            "policy": DistributionPolicy.objects.get(code="reserve-cap-15").pk,
            "surplus": "10000.00",
            "reserve_pct": "15.01",
        },
    )
    assert response.status_code == 200 and "15.01%" in response.content.decode()
    response = client.post(
        f"/dividends/cooperatives/{coop.pk}/plans/new/",
        {"year": 2025, "policy": DistributionPolicy.objects.get(code="reserve-cap-15").pk, "surplus": "10000.00"},
    )
    assert response.status_code == 302


def test_api_preview_and_create(world, api_client):
    coop = cooperative(world)
    worked_members(world, coop)
    api_client.force_authenticate(fresh(world.acc_v11))
    payload = {"cooperative": coop.pk, "year": 2025, "policy": "217", "surplus": "10000.00"}
    preview = api_client.post("/api/v1/dividends/plans/preview/", payload, format="json")
    assert preview.status_code == 200, preview.content
    assert sum(D(m["total"]) for m in preview.json()["members"]) == D("7000.00")
    created = api_client.post("/api/v1/dividends/plans/", payload, format="json")
    assert created.status_code == 201 and created.json()["distributable"] == "7000.00"
    refused = api_client.post("/api/v1/dividends/plans/preview/", {**payload, "surplus": "0"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "no_surplus"
