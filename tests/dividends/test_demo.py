"""The demo: 东安村's 2025 plan is carried out and demo-member reads their own statement."""

import pytest

from core import demo

pytestmark = pytest.mark.django_db


def test_demo_plan_is_executed_and_the_demo_member_reads_their_statement(client):
    demo.run()
    demo.run()  # a second run changes nothing
    from core.models import User
    from dividends.models import DistributionPlan, MemberAllocation

    plan = DistributionPlan.objects.get(cooperative__region_code="371323104201", year=2025)
    assert plan.state == "executed" and plan.policy.code == "217"
    user = User.objects.get(username="demo-member")
    mine = MemberAllocation.objects.get(plan=plan, member__user=user)
    # 217 on the entered 40,000.00: 20% fund 8,000.00, 10% reward 4,000.00, 28,000.00 by shares
    assert sum(a.share_dividend for a in plan.allocations.all()) == plan.distributable
    assert str(plan.distributable) == "28000.00"
    client.force_login(user)
    body = client.get("/dividends/mine/").content.decode()
    assert f"{mine.total:,.2f}" in body
    assert client.get(f"/dividends/statements/{mine.pk}/").status_code == 200
    other = plan.allocations.exclude(pk=mine.pk).first()
    assert client.get(f"/dividends/statements/{other.pk}/").status_code == 404
