"""Demo disclosures, an audit with a finding and a few alerts for 东安村's cooperative.

Last quarter's disclosure (and the first quarter's, which carries the demo vouchers) are published
by demo-supervisor, the current quarter's is a draft for demo-supervisor to publish, and demo-member
reads the published ones. Seeds once: a second run finds last quarter's disclosure and stops.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

DONGAN = "371323104201"

OPERATIONS = {
    1: "一季度完成果园冬季修剪和施肥，销售库存苹果，收入与支出逐笔列示如下。",
    3: "三季度组织社员采摘早熟品种，与沂水果业公司签订收购合同，按合同分批交货。",
    4: "四季度（截至目前）红富士采收入库，冷库运行正常。",
}
PLANS = {
    1: "全年计划新增矮化密植果园30亩，成员大会已通过。",
    3: "四季度完成红富士采收和入库，筹备年终盈余分配方案。",
    4: "年底前完成盈余分配方案，报成员大会审议。",
}


def seed(ctx) -> None:
    from supervision.models import Disclosure
    from supervision.services import alerts as alert_services
    from supervision.services import audits as audit_services
    from supervision.services import disclosures as svc

    coop = ctx.cooperatives.get(DONGAN)
    if coop is None:
        return
    today = timezone.localdate()
    last = svc.previous_quarter(today)
    current = svc.quarter_of(today)
    if Disclosure.objects.filter(cooperative=coop, year=last[0], quarter=last[1]).exists():
        return
    accountant, supervisor, township = (ctx.users[u] for u in ("demo-accountant", "demo-supervisor", "demo-township"))

    for year, quarter in sorted({(today.year, 1), last, current}):
        disclosure, _ = svc.disclosure_generate(cooperative=coop, year=year, quarter=quarter)
        if not disclosure.is_published:
            disclosure = svc.disclosure_update(
                actor=accountant,
                disclosure=disclosure,
                plan_summary=PLANS.get(quarter, PLANS[3]),
                operations_summary=OPERATIONS.get(quarter, OPERATIONS[3]),
            )
            if (year, quarter) != current:
                svc.disclosure_publish(actor=supervisor, disclosure=disclosure)
        ctx.note(f"disclosure {disclosure}")

    audit = audit_services.audit_create(
        actor=township,
        cooperative=coop,
        kind="annual",
        year=today.year,
        scope=audit_services.ANNUAL_SCOPE,
        started_on=today - datetime.timedelta(days=10),
    )
    audit_services.finding_add(
        actor=township,
        audit=audit,
        title="部分支出凭证缺少经手人签字",
        description="抽查凭证12份，其中3份报销单缺少经手人和证明人签字。",
        severity="medium",
        rectification_deadline=today + datetime.timedelta(days=30),
    )
    ctx.note(f"audit {audit}")

    for cooperative in ctx.cooperatives.values():
        alert_services.alerts_evaluate(cooperative=cooperative, today=today)
    ctx.note("risk alerts evaluated")
