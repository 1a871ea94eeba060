"""The law follows the cooperative's kind, through the API: a farmer cooperative's "217" plan is
refused with Art. 44's shortfall, the same plan of a 股份经济合作社 is drafted, filed and carried
out on the village collective chart; a county cannot default farmer cooperatives to 217.

The worked example (``tests.dividends.factories.WORKED``): 100,000.00 of capital, the collective
30%, member 4 10%. In 2025 member 2 bought 3,000.00 and member 3 1,000.00 of inputs (farmer
cooperative only).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import ApprovalRequest
from finance.models import FiscalYear, VoucherLine
from finance.selectors.ledgers import resolve_range
from finance.selectors.statements import statement
from finance.selectors.tieout import cooperative_tie_out
from finance.services.closing import fiscal_year_close
from finance.services.members import patronage_create
from tests.conftest import fresh
from tests.dividends.factories import assembly, rules_off, worked_members
from tests.factories import CooperativeFactory
from tests.finance.factories import close_months, open_books, voucher

D = Decimal
pytestmark = pytest.mark.django_db


def _year_2025(world, kind: str):
    rules_off(world)
    coop = CooperativeFactory(name="东安村合作社", village=world.v11, status="operating", kind=kind)
    acc = fresh(world.acc_v11)
    open_books(acc, coop, 2025)
    members = worked_members(world, coop, acc)
    income = "501"  # 经营收入 on both charts
    voucher(acc, coop, datetime.date(2025, 6, 30), "销售收入", ("101", "50000.00", 0), (income, 0, "50000.00"))
    if kind == "farmer":
        for number, amount in ((2, "3000.00"), (3, "1000.00")):
            patronage_create(actor=acc, member=members[number], date=datetime.date(2025, 9, 1), product="化肥",
                             direction="sale", quantity=D("10"), amount=D(amount))  # fmt: skip
    close_months(acc, coop, 2025, *range(1, 13))
    return coop, members


def test_217_of_a_farmer_cooperative_is_refused_with_the_shortfall(world, api_client):
    coop, _members = _year_2025(world, "farmer")
    api_client.force_authenticate(fresh(world.acc_v11))
    payload = {"cooperative": coop.pk, "year": 2025, "policy": "217"}
    # 217 on 50,000.00: fund 10,000.00, reward 5,000.00, 35,000.00 distributable, nothing by
    # transactions; Art. 44 asks 60% × 35,000.00 = 21,000.00: 21,000.00 short
    preview = api_client.post("/api/v1/dividends/plans/preview/", payload, format="json").json()
    assert (preview["law_shortfall"], preview["no_transactions"]) == ("21000.00", False)
    assert "第四十四条" in preview["law_message"]
    refused = api_client.post("/api/v1/dividends/plans/", payload, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "law_patronage_refund"
    assert "21,000.00" in refused.json()["detail"]
    # inside the law: 60% × 35,000.00 = 21,000.00 by 3,000 : 1,000 → 15,750.00 and 5,250.00
    lawful = api_client.post("/api/v1/dividends/plans/", {**payload, "policy": "217-law"}, format="json")
    assert lawful.status_code == 201, lawful.content
    steps = {s["kind"]: s["amount"] for s in lawful.json()["steps"]}
    assert steps["patronage"] == "21000.00" and steps["shares"] == "14000.00"


def test_a_joint_stock_cooperative_carries_out_217_on_the_collective_chart(world, api_client):
    coop, members = _year_2025(world, "joint_stock")
    acc = fresh(world.acc_v11)
    api_client.force_authenticate(acc)
    # the same 217 plan: the cooperative law does not bind a collective economic organisation
    created = api_client.post(
        "/api/v1/dividends/plans/", {"cooperative": coop.pk, "year": 2025, "policy": "217"}, format="json"
    )
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert api_client.post(f"/api/v1/dividends/plans/{plan_id}/submit/").status_code == 200
    api_client.force_authenticate(fresh(world.chair_v11))
    assert api_client.post(f"/api/v1/dividends/plans/{plan_id}/check/").status_code == 200
    from dividends.models import DistributionPlan

    assembly(acc, DistributionPlan.objects.get(pk=plan_id))
    api_client.force_authenticate(acc)
    assert api_client.post(f"/api/v1/dividends/plans/{plan_id}/file/", {}, format="json").status_code == 200
    request = ApprovalRequest.objects.get(kind="distribution_plan", subject_id=plan_id)
    api_client.force_authenticate(fresh(world.twp_t1))
    assert (
        api_client.post(f"/api/v1/approvals/{request.pk}/approve/", {"comment": "准予备案"}, format="json").status_code
        == 200
    )
    api_client.force_authenticate(acc)
    executed = api_client.post(f"/api/v1/dividends/plans/{plan_id}/execute/", {}, format="json")
    assert executed.status_code == 200 and executed.json()["executed"], executed.content
    # into December 2025, on the village collective chart: reward Dr 513 / Cr 212 (transferred to
    # 321), the fund Dr 3220101 / Cr 311 公积公益金, 35,000.00 Dr 3220102 向成员分配 / Cr 113 per member
    # (member 4 10% → 3,500.00; the collective 30% → 10,500.00)
    plan = DistributionPlan.objects.get(pk=plan_id)
    lines = VoucherLine.objects.filter(voucher_id__in=plan.voucher_ids)
    assert {v.date for v in plan_vouchers(plan)} == {datetime.date(2025, 12, 31)}
    assert lines.get(account__code="513", debit__gt=0).debit == D("5000.00")
    assert lines.get(account__code="311").credit == D("10000.00")
    assert lines.get(account__code="113", member=members[4]).credit == D("3500.00")
    assert lines.get(account__code="113", member=members[1]).credit == D("10500.00")
    # 收益及收益分配表 of 2025: 净收益 45,000.00; 可分配收益 45,000.00; 提取公积公益金 10,000.00;
    # 向成员分配 35,000.00; 年末未分配收益 0.00
    income = statement(coop, "surplus", resolve_range(coop, year=2025, period_from=1, period_to=12))
    assert [income.value(n) for n in (13, 16, 17, 18, 20)] == [
        D("45000.00"),
        D("45000.00"),
        D("10000.00"),
        D("35000.00"),
        D("0.00"),
    ]
    fiscal_year_close(actor=acc, fiscal_year=FiscalYear.objects.get(cooperative=coop, year=2025))
    tie = cooperative_tie_out(coop)
    assert tie.ok, [d.describe() for d in tie.differences] + tie.notes


def plan_vouchers(plan):
    from finance.models import Voucher

    return Voucher.objects.filter(pk__in=plan.voucher_ids)


def test_a_county_cannot_default_farmer_cooperatives_to_a_scheme_the_law_refuses(world):
    from core.models import PolicyProfile
    from core.policies import ensure_templates
    from dividends.policies import ensure_policies

    ensure_templates()
    ensure_policies()
    profile = PolicyProfile.objects.get(code="seed-004")
    assert (profile.default_distribution_policy, profile.joint_stock_distribution_policy) == ("217-law", "217")
    profile.clean()  # the shipped defaults are lawful for their kinds
    own = PolicyProfile(code="county-own", name="本县方案", default_distribution_policy="217")
    with pytest.raises(ValidationError) as err:
        own.clean()
    assert "default_distribution_policy" in err.value.message_dict
    own.default_distribution_policy, own.joint_stock_distribution_policy = "law", "217"
    own.clean()  # 217 may still be the joint-stock cooperatives' default
