"""The demo: every cooperative ties out, 东安村's 2025 plan is carried out under 217 inside the law,
石泉村's 股份经济合作社 carries out 217 as the county wrote it, and demo-member reads their statement."""

from decimal import Decimal

import pytest

from core import demo

pytestmark = pytest.mark.django_db


def test_demo_ties_out_and_its_plans_follow_the_law_of_their_kind(client):
    demo.run()
    demo.run()  # a second run changes nothing
    from core.ledger_checks import run_all
    from core.models import User
    from dividends.models import DistributionPlan, MemberAllocation
    from finance.models import CooperativeBooks
    from members.models import Member

    # check_ledgers would exit 0: every ledger check, the tie-out and the statements included
    results = run_all()
    assert {name: r.drift for name, r in results.items() if r.drift} == {}
    assert results["finance.tie_out"].checked == CooperativeBooks.objects.count() == 7

    plan = DistributionPlan.objects.get(cooperative__region_code="371323104201", cooperative__kind="farmer", year=2025)
    assert plan.state == "executed" and plan.policy.code == "217-law" and plan.no_transactions
    # 217 inside the law on the entered 40,000.00: 20% fund 8,000.00, 10% reward 4,000.00 (a
    # prior year's expense), 28,000.00 by shares: nobody traded in 2025, so nothing to refund
    assert sum(a.share_dividend for a in plan.allocations.all()) == plan.distributable == Decimal("28000.00")
    # the collective shares 赵德明 holds for the collective are the collective's: none paid to him
    zhao = plan.allocations.get(member__name="赵德明")
    collective = plan.allocations.get(member__kind="collective")
    assert zhao.collective == 0 and collective.held_for_collective == Decimal("60000.00")

    joint = DistributionPlan.objects.get(cooperative__kind="joint_stock", year=2025)
    # 217 as written on 70,000.00: fund 14,000.00, reward 7,000.00, 49,000.00 to the nine members
    assert joint.state == "executed" and joint.policy.code == "217" and joint.distributable == Decimal("49000.00")
    assert joint.executed_on.isoformat() == "2025-12-31"

    user = User.objects.get(username="demo-member")
    mine = MemberAllocation.objects.get(plan=plan, member__user=user)
    client.force_login(user)
    body = client.get("/dividends/mine/").content.decode()
    assert f"{mine.total:,.2f}" in body
    assert client.get(f"/dividends/statements/{mine.pk}/").status_code == 200
    other = plan.allocations.exclude(pk=mine.pk).first()
    assert client.get(f"/dividends/statements/{other.pk}/").status_code == 404
    # 钱永福 waits for his refund (he takes part in 2025)
    leaver = Member.objects.get(cooperative=plan.cooperative, name="钱永福")
    assert leaver.withdrawals.get().state == "pending" and plan.allocations.filter(member=leaver).exists()
