"""Demo supervision data for 沂水县: the villages' collective income for 2025 and 2026, statistics
snapshots computed from the seeded books by the same service as the nightly run, the county's
ranking weights, and three assistance pairings with visits. Idempotent.

Collective income (yuan), 2025 → 2026, and what the dashboard shows for 2026:

| village | 2025 | 2026 | tier 2026 |
|---|---:|---:|---|
| 东安村 | 280,000 | 320,000 | 300,000–500,000, growth 14.3% → reward-eligible |
| 西岭村 | 90,000 | 120,000 | 100,000–200,000 |
| 南坪村 | 30,000 | 42,000 | weak (below 50,000) |
| 北岭村 | 480,000 | 520,000 | strong (≥500,000); growth 8.3% |
| 石泉村 | 150,000 | 210,000 | 200,000–300,000 |
| 杏山村 | 60,000 | 75,000 | 50,000–100,000 |

2026 income is received in two halves, on 20 March and 20 September, so the quarterly trend rises;
北岭村 and 石泉村 receive all of theirs on 20 September, so their cooperatives climb from 2026Q2 to
2026Q3 and the ranking shows position changes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.demo import DemoContext, upsert

INCOME = {
    "371323104201": ("280000.00", "320000.00"),
    "371323104202": ("90000.00", "120000.00"),
    "371323104203": ("30000.00", "42000.00"),
    "371323105201": ("480000.00", "520000.00"),
    "371323105202": ("150000.00", "210000.00"),
    "371323105203": ("60000.00", "75000.00"),
}
LATE_PAYERS = {"371323105201", "371323105202"}
NOTE = "演示：村集体分红"
WEIGHTS = {
    "scale": Decimal("0.30"),
    "income": Decimal("0.30"),
    "models": Decimal("0.20"),
    "innovation": Decimal("0.20"),
}


def _income(ctx: DemoContext, admin) -> None:
    from finance.models import CollectiveIncome
    from finance.services.collective import collective_income_record

    for code, (before, now) in INCOME.items():
        village = ctx.regions.get(code)
        if village is None or CollectiveIncome.objects.filter(village=village, note=NOTE).exists():
            continue
        coop = ctx.cooperatives.get(code)
        half = Decimal(0) if code in LATE_PAYERS else (Decimal(now) / 2).quantize(Decimal("0.01"))
        for received_on, amount in (
            (datetime.date(2025, 12, 20), Decimal(before)),
            (datetime.date(2026, 3, 20), half),
            (datetime.date(2026, 9, 20), Decimal(now) - half),
        ):
            if not amount:
                continue
            collective_income_record(
                actor=admin, village=village, cooperative=coop, received_on=received_on, amount=amount, note=NOTE
            )
        ctx.note(f"recorded collective income of {village.name}")


def _pairings(ctx: DemoContext, admin) -> None:
    from supervision.models import Pairing, PairingVisit

    dongan, nanping, beiling = (ctx.regions.get(c) for c in ("371323104201", "371323104203", "371323105201"))
    strong, weak = ctx.cooperatives.get("371323104201"), ctx.cooperatives.get("371323104203")
    if not (dongan and nanping and beiling and strong and weak):
        return
    rows = [
        ("county_leader", beiling, None, None, "县委常委、组织部部长 刘洪涛", "每季度到村一次，帮助谋划民宿项目。"),
        ("enterprise", nanping, weak, None, "沂水县沂蒙山果业有限公司", "订单收购南坪村苹果，保底价收购。"),
        (
            "strong_weak",
            nanping,
            weak,
            strong,
            strong.name,
            "东安村富民合作社带动南坪村合作社统一农资、统一销售（1+N）。",
        ),
    ]
    visits = {
        "county_leader": ("刘洪涛", "调研北岭村民宿项目选址", "确定利用闲置小学改建，列入县级项目库"),
        "strong_weak": ("赵德明", "为南坪村合作社讲解果园托管和统一销售", "南坪村 12 户果园纳入统一销售"),
    }
    for kind, village, coop, helper_coop, helper, goals in rows:
        pairing = upsert(
            Pairing,
            {"kind": kind, "village": village, "helper": helper},
            {
                "region_code": village.code,
                "cooperative": coop,
                "helper_cooperative": helper_coop,
                "started_on": datetime.date(2026, 2, 1),
                "goals": goals,
                "created_by": admin,
            },
            ctx,
        )
        if kind in visits:
            visitor, content, outcome = visits[kind]
            upsert(
                PairingVisit,
                {"pairing": pairing, "visited_on": datetime.date(2026, 5, 12)},
                {
                    "region_code": village.code,
                    "visitor": visitor,
                    "content": content,
                    "outcome": outcome,
                    "recorded_by": admin,
                },
                ctx,
            )


def seed(ctx: DemoContext) -> None:
    from core.models import Region
    from supervision import periods
    from supervision.services.rankings import county_weights_set, weights_for
    from supervision.services.statistics import snapshot_compute, village_snapshot_compute

    admin = ctx.users.get("demo-admin")
    county = Region.objects.filter(code="371323").first()
    if admin is None or county is None:
        return
    _income(ctx, admin)
    if weights_for(county.code) != WEIGHTS:
        county_weights_set(actor=admin, county=county, weights=WEIGHTS)
        ctx.note("set the county's ranking weights")
    _pairings(ctx, admin)
    wanted = {(y, q) for y in (2025, 2026) for q in range(0, 5)}
    wanted |= {periods.current_period(), (periods.current_period()[0], 0)}
    from finance.selectors.tieout import tie_out

    ties = tie_out([coop.pk for coop in ctx.cooperatives.values()])
    for year, quarter in sorted(wanted):
        for coop in ctx.cooperatives.values():
            snapshot_compute(cooperative=coop, year=year, quarter=quarter, tie=ties.get(coop.pk, False))
        for code in INCOME:
            village = ctx.regions.get(code)
            if village is not None:
                village_snapshot_compute(village=village, year=year, quarter=quarter)
    from supervision.demo_oversight import seed as seed_oversight

    seed_oversight(ctx)
