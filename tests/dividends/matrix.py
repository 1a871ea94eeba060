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
        from core.models import ApprovalRequest
        from core.services.approvals import approval_approve
        from dividends.models import DistributionPolicy
        from dividends.policies import ensure_policies
        from dividends.services.execution import plan_execute
        from dividends.services.plans import plan_check, plan_create, plan_file, plan_input, plan_submit
        from shares.choices import EntryType
        from shares.services.ledger import Line, post_lines
        from tests.dividends.test_flow import assembly

        acc = fresh(world.acc_v11)
        member = finance["members.member"](world)
        coop = member.cooperative
        from django.db import transaction

        with transaction.atomic():
            post_lines(
                actor=acc,
                cooperative=coop,
                entry_type=EntryType.SUBSCRIBE,
                lines=[Line(member=member, share_class="ordinary", amount=Decimal("1000.00"))],
                effective_on=datetime.date(2025, 1, 1),
                refuse_on_compliance=False,
            )
        ensure_policies()
        data = plan_input(
            cooperative=coop, year=2025, policy=DistributionPolicy.objects.get(code="217"), surplus=Decimal("800.00")
        )
        p = plan_create(actor=acc, data=data, note=f"{marker}方案")
        plan_submit(actor=acc, plan=p)
        p = plan_check(actor=fresh(world.chair_v11), plan=p)
        assembly(acc, p)
        plan_file(actor=acc, plan=p)
        approval_approve(
            actor=fresh(world.twp_t1), request=ApprovalRequest.objects.get(kind="distribution_plan", subject_id=p.pk)
        )
        p.refresh_from_db()
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
