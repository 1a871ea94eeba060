"""Scale step: a draft distribution plan of the generated year for every cooperative with a surplus.

The year's books are left open by the finance step, so a plan cannot take its surplus from closed
books: each plan carries it as an entered figure (``SurplusSource.ENTERED``), the books' own result
— operating income (501) less the expenses (521, 523) of the year, as the finance step wrote them.
The policy is the one the county's profile names (no charter is generated), and the figures come
from the distribution engine itself (``dividends.engine.compute``): holdings by class from the
share step's structure, each member's purchases of the year from the finance step, so every pool
is split to the fen and the allocations add up to it exactly. Nothing is read back from the
database, so ``--digest`` covers the plans too. Cooperatives whose year closed at a loss or nil get
no plan (the engine refuses them, as the service would).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.money import ZERO
from core.scale import ScaleContext, county_profile_code, money, register_step

SHARE_RATIO = Decimal("0.00000001")
KILO_PLACES = Decimal("0.0001")


def holders(v, structure, purchases) -> list:
    """The engine's holders of cooperative ``v`` (member index k has id ``member_first + k``)."""
    from dividends.engine import Holder

    own, on_behalf, collective = structure
    bought, kilos = purchases
    m0 = v.ids["member_first"]
    # the collective shares its secretary holds on its behalf are the collective's (DOMAIN.md §1.3)
    result = [
        Holder(
            member_id=m0,
            number=1,
            collective=Decimal(collective + on_behalf),
            held_for_collective=Decimal(on_behalf),
            amount=money(bought[0]),
        )
    ]
    for k in range(1, v.persons + 1):
        result.append(
            Holder(
                member_id=m0 + k,
                number=k + 1,
                ordinary=Decimal(own[k]),
                amount=money(bought[k]),
                volume=Decimal(kilos[k]),
            )
        )
    return result


def _policies(ctx: ScaleContext) -> dict[str, tuple[int, list, dict]]:
    """County code → (policy id, steps, caps) of the policy its profile names by default for farmer
    cooperatives, with the county's cap on the reserve."""
    from core.policies import TEMPLATES
    from dividends.choices import RESERVE_KINDS
    from dividends.models import DistributionPolicy
    from dividends.policies import ensure_policies

    if not DistributionPolicy.objects.filter(code="217-law").exists():
        ensure_policies()
    by_code = {p.code: (p.pk, p.steps) for p in DistributionPolicy.objects.all()}
    chosen = {}
    for i, (county_code, _) in enumerate(ctx.plan.counties):
        fields = TEMPLATES[county_profile_code(i)][2]
        cap = fields.get("reserve_cap")
        caps = dict.fromkeys(RESERVE_KINDS, cap) if cap is not None else {}
        chosen[county_code] = (*by_code[fields["default_distribution_policy"]], caps)
    return chosen


@register_step("dividends.plans", after=("shares.ledger", "finance.books"))
def plans_step(ctx: ScaleContext) -> None:
    from dividends.choices import PlanState, SurplusSource
    from dividends.engine import compute
    from dividends.models import DistributionPlan

    structures, books = ctx.data.get("shares.structure"), ctx.data.get("finance.year")
    if not structures or not books:
        return  # the share or finance step did not run: nothing to distribute
    policies = _policies(ctx)
    record_date = datetime.date(ctx.year, 12, 31)
    computed = []
    for v in ctx.plan.villages:
        income, expenses, bought, kilos = books[v.index]
        if income <= expenses:
            continue
        policy_id, steps, caps = policies[v.county_code]
        # as the service drafts it: no charter, so the reserve is quantified by contribution
        computation = compute(
            surplus=money(income - expenses),
            steps=steps,
            holders=holders(v, structures[v.index], (bought, kilos)),
            caps=caps,
            reserve_basis="capital",
            conversion_by_reserve=True,
        )
        computed.append((v, policy_id, steps, computation))
    first = ctx.reserve_ids(DistributionPlan, len(computed))
    plans = [
        (
            first + i,
            v.code,
            v.ids["cooperative"],
            ctx.year,
            1,
            policy_id,
            steps,
            PlanState.DRAFT,
            SurplusSource.ENTERED,
            c.surplus,
            c.prior_loss,
            c.distributable,
            c.undistributed,
            record_date,
            [s.as_dict() for s in c.steps],
            len(c.members),
            c.no_transactions,
            "year_end",
            "capital",
        )
        for i, (v, policy_id, steps, c) in enumerate(computed)
    ]
    ctx.copy(
        DistributionPlan,
        [
            "id",
            "region_code",
            "cooperative_id",
            "year",
            "version",
            "policy_id",
            "policy_steps",
            "state",
            "surplus_source",
            "surplus",
            "prior_loss",
            "distributable",
            "undistributed",
            "record_date",
            "steps",
            "member_count",
            "no_transactions",
            "leaver_share",
            "reserve_basis",
        ],
        plans,
    )
    _allocations(ctx, [(first + i, v, c) for i, (v, _policy, _steps, c) in enumerate(computed)])
    ctx.data["dividends.plans"] = {v.index: first + i for i, (v, *_rest) in enumerate(computed)}


def _allocations(ctx: ScaleContext, plans: list) -> None:
    """One allocation per member and plan, the figures ``plan_create`` would store."""
    from dividends.models import MemberAllocation

    first = ctx.reserve_ids(MemberAllocation, sum(len(c.members) for _id, _v, c in plans))
    fields = [
        "id",
        "region_code",
        "plan_id",
        "member_id",
        "ordinary",
        "collective",
        "poverty",
        "share_weight",
        "share_ratio",
        "patronage_basis",
        "patronage_refund",
        "share_dividend",
        "capital_conversion",
        "reserve_share",
        "held_for_collective",
        "total",
    ]
    rows = []
    for plan_id, v, c in plans:
        weight = c.share_weight_total
        for m in c.members:
            h = m.holder
            rows.append(
                (
                    first,
                    v.code,
                    plan_id,
                    h.member_id,
                    h.ordinary,
                    h.collective,
                    h.poverty,
                    m.share_weight,
                    (m.share_weight / weight).quantize(SHARE_RATIO) if weight else ZERO,
                    m.patronage_basis.quantize(KILO_PLACES),
                    m.patronage_refund,
                    m.share_dividend,
                    m.capital_conversion,
                    m.reserve_share,
                    h.held_for_collective,
                    m.total,
                )
            )
            first += 1
        if len(rows) >= ctx.BATCH:
            ctx.copy(MemberAllocation, fields, rows)
            rows = []
    ctx.copy(MemberAllocation, fields, rows)
