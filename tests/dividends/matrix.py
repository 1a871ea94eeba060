"""Dividends objects for the isolation matrix (tests/test_isolation_matrix.py), all in 东安村.

One plan per test, carried out (so it has allocations and payouts), on the finance matrix's
cooperative whose name carries the marker; kept on the ``world`` namespace.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.conftest import fresh
from tests.finance.matrix import make_factories as finance_factories


def make_factories(marker: str) -> dict:
    finance = finance_factories(marker)

    def plan(world):
        found = getattr(world, "dividends_plan", None)
        if found is not None:
            return found
        from dividends.models import DistributionPolicy
        from dividends.policies import ensure_policies
        from dividends.services.execution import plan_execute
        from dividends.services.plans import plan_create, plan_input
        from tests.dividends.factories import file_plan, hold

        acc = fresh(world.acc_v11)
        member = finance["members.member"](world)
        coop = member.cooperative
        hold(acc, coop, [(member, "ordinary", "1000.00")])
        ensure_policies()
        data = plan_input(
            cooperative=coop, year=2025, policy=DistributionPolicy.objects.get(code="217"), surplus=Decimal("800.00")
        )
        p = file_plan(world, plan_create(actor=acc, data=data, note=f"{marker}方案"))
        plan_execute(actor=acc, plan=p, on=datetime.date(2026, 1, 20))
        p.refresh_from_db()
        world.dividends_plan = p
        return p

    def allocation(world):
        return plan(world).allocations.first()

    def payout(world):
        return plan(world).payouts.first()

    return {
        "dividends.distributionplan": plan,
        "dividends.memberallocation": allocation,
        "dividends.payout": payout,
    }
