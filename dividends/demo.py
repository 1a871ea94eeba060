"""Demo distribution: 东安村's cooperative distributes its 2025 surplus.

Its books start in Lingban on 1 January 2026, with 40,000.00 of undistributed surplus carried in
from 2025, so the 2025 plan takes that entered figure under the charter's policy (沂水县: "217"),
goes through the chair's check, 四议两公开 up to the assembly resolution and the township's filing,
and is carried out in February 2026. demo-member (周大山) then reads their statement.
Idempotent: once the cooperative has a 2025 plan nothing is written again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.demo import DemoContext

DONGAN = "371323104201"
YEAR = 2025
SURPLUS = Decimal("40000.00")
EXECUTED_ON = datetime.date(2026, 2, 10)


def seed(ctx: DemoContext) -> None:
    from cooperatives.services.major_matters import major_matter_record_step
    from core.models import ApprovalRequest
    from core.services.approvals import approval_approve
    from dividends.models import DistributionPlan
    from dividends.policies import ensure_policies
    from dividends.services.execution import plan_execute
    from dividends.services.plans import plan_check, plan_create, plan_file, plan_input, plan_submit
    from finance.models import CooperativeBooks

    ensure_policies()
    coop = ctx.cooperatives.get(DONGAN)
    if coop is None or not CooperativeBooks.objects.filter(cooperative=coop).exists():
        return
    if DistributionPlan.objects.filter(cooperative=coop, year=YEAR).exists():
        return
    accountant, chair, township = (ctx.users[u] for u in ("demo-accountant", "demo-chair", "demo-township"))
    plan = plan_create(
        actor=accountant,
        data=plan_input(cooperative=coop, year=YEAR, surplus=SURPLUS),
        note="2025年账务在启用本系统前记账，年度盈余按2026年初未分配盈余录入。",
    )
    plan_submit(actor=accountant, plan=plan)
    plan = plan_check(actor=chair, plan=plan)
    matter = plan.major_matter
    day = datetime.date(2026, 1, 28)
    major_matter_record_step(
        actor=accountant, matter=matter, step=1, held_on=day, minutes="村党支部提议2025年度盈余分配方案"
    )
    for step, expected, present, minutes in (
        (2, 7, 7, "两委会议商议，同意提交党员大会"),
        (3, 21, 19, "党员大会审议通过"),
        (4, 45, 41, "成员大会表决通过2025年度盈余分配方案"),
    ):
        major_matter_record_step(
            actor=accountant,
            matter=matter,
            step=step,
            held_on=day,
            minutes=minutes,
            expected_attendance=expected,
            present=present,
            votes_for=present - 1 if step == 4 else present,
            votes_against=1 if step == 4 else 0,
            votes_abstain=0,
        )
    major_matter_record_step(actor=accountant, matter=matter, step=5, held_on=day, outcome="村务公开栏张贴公示七天")
    plan_file(actor=accountant, plan=plan, comment="成员大会已通过，请予备案")
    approval_approve(
        actor=township,
        request=ApprovalRequest.objects.get(kind="distribution_plan", subject_id=plan.pk, state="submitted"),
        comment="准予备案",
    )
    plan.refresh_from_db()
    plan_execute(actor=accountant, plan=plan, on=EXECUTED_ON)
    ctx.note(f"carried out {plan} of {coop}")
