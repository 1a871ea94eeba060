"""Demo contributions, ledger and certificates, written through the share services.

The ledger is append-only, so a cooperative is seeded once: when it already has contributions the
step leaves it alone (a second run changes nothing).

东安村 under the seed-004 profile (collective 20–40% warn, party-branch members ≥ 1% refuse, one
member ≤ 20% refuse, households ≥ 10% warn, the law's farmer and organisation rules refuse): the
collective holds 240,000 yuan of collective shares and the branch secretary 赵德明 60,000 more on its
behalf; villagers contribute land (800 yuan per mu) and cash; two poverty-registered households hold
poverty-alleviation shares from quantified fiscal funds; 钱永福 transfers 2,000 yuan to 周大山 and
the collective gives 3,000 yuan of shares to 马桂芳; 钱永福 has applied to leave at the end of
2025 and waits for his refund. Every rule passes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.demo import DemoContext

DONGAN = "371323104201"
CONTRIBUTED = datetime.date(2020, 3, 20)
APPRAISED = datetime.date(2020, 3, 10)
APPRAISER = "沂水县农村经营管理站"


def _plan(coop, members) -> list[tuple[object, dict]]:
    """(member, contribution data) for every founding contribution of ``coop``."""
    dongan = coop.region_code == DONGAN
    per_mu = Decimal("800.00") if dongan else Decimal("600.00")
    plan = []
    for i, m in enumerate(members):
        if m.kind == "collective":
            amount = Decimal("240000.00") if dongan else Decimal("100000.00")
            plan.append((m, {"kind": "collective_assets", "amount": amount, "description": "村集体资源资产折股"}))
            continue
        if dongan and m.name == "赵德明":
            plan.append(
                (
                    m,
                    {
                        "kind": "collective_assets",
                        "amount": Decimal("60000.00"),
                        "description": "党支部书记代表村集体持股",
                    },
                )
            )
            plan.append((m, {"kind": "cash", "amount": Decimal("20000.00")}))
            continue
        if m.is_poverty_registered:
            fund = Decimal("10000.00") if dongan else Decimal("5000.00")
            plan.append((m, {"kind": "fiscal_funds", "amount": fund, "description": "财政扶贫资金量化入股"}))
        area = Decimal(2 + (i * 7) % 5) + (Decimal("0.5") if i % 2 else Decimal(0)) if dongan else Decimal("3")
        plan.append(
            (
                m,
                {
                    "kind": "land",
                    "area_mu": area,
                    "value_per_mu": per_mu,
                    "location": f"{coop.village.name}{'东西南北'[i % 4]}洼",
                    "term_years": 10,
                },
            )
        )
        cash = Decimal(5000 + (i * 1300) % 10000) if dongan else Decimal("20000.00")
        plan.append((m, {"kind": "cash", "amount": cash}))
    return plan


def seed(ctx: DemoContext) -> None:
    from members.models import Member
    from shares.models import Contribution, Holding
    from shares.services import (
        certificates_issue,
        contributions_confirm,
        share_gift,
        share_transfer,
        share_withdrawal_apply,
    )
    from shares.services.contributions import contribution_clean

    actor = ctx.users["demo-admin"]
    for code, coop in ctx.cooperatives.items():
        if Contribution.objects.filter(cooperative=coop).exists():
            continue
        members = list(Member.objects.filter(cooperative=coop).order_by("number"))
        rows = []
        for member, data in _plan(coop, members):
            data = {"contributed_on": CONTRIBUTED, **data}
            if data["kind"] != "cash" and data["kind"] != "fiscal_funds":
                data.update(appraiser=APPRAISER, appraisal_date=APPRAISED)
            cleaned = contribution_clean(data, member=member)
            rows.append(
                Contribution(cooperative=coop, region_code=coop.region_code, member=member, created_by=actor, **cleaned)
            )
        Contribution.objects.bulk_create(rows)
        contributions_confirm(actor=actor, cooperative=coop, contributions=rows)
        ctx.note(f"confirmed {len(rows)} contributions of {coop}")
        if code == DONGAN:
            by_name = {m.name: m for m in members}
            share_transfer(
                actor=actor,
                source=by_name["钱永福"],
                target=by_name["周大山"],
                share_class="ordinary",
                amount=Decimal("2000.00"),
                effective_on=datetime.date(2023, 6, 1),
                note="成员间股份转让",
            )
            share_gift(
                actor=actor,
                source=members[0],
                target=by_name["马桂芳"],
                share_class="collective",
                amount=Decimal("3000.00"),
                effective_on=datetime.date(2023, 6, 1),
                note="股权赠与孤寡老人",
            )
            # 钱永福 applied in September 2025 to leave at the year end (law Art. 25): he takes part
            # in the 2025 distribution, and the accountant refunds his capital and reserve share
            # once the books of 2026 are open (the refund waits in the withdrawal list)
            leaver = by_name["钱永福"]
            share_withdrawal_apply(
                actor=actor,
                member=leaver,
                amount=Holding.objects.get(member=leaver, share_class="ordinary").amount,
                applied_on=datetime.date(2025, 9, 10),
                leaves_cooperative=True,
                reason="外出务工，申请退社",
            )
        certificates_issue(actor=actor, cooperative=coop, on=datetime.date(2024, 1, 5))
