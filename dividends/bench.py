"""The distribution plan preview row of ``make bench`` (``tests/benchmarks/bench_scale.py``).

It previews the generated year's plan of the largest cooperative (10,000 members at ``county`` and
``city``: ``core.scale.Scale.largest``) under the law's scheme, the heaviest shipped one: the
patronage refund by transaction amount and the distribution by member account, both split to the
fen over every member. The work is the service's: ``plan_input`` (the books' status, the surplus
entered as the generated draft carries it) and ``plan_preview`` (the holders' four grouped queries
and the engine), as the county official over that cooperative, under row-level security. The floor
is one SQL query fetching the same member inputs.
"""

from __future__ import annotations

import datetime

from core.scale import YEAR

FLOOR_SQL = """
SELECT m.id, m.number, s.ordinary, s.collective, s.poverty, p.amount, p.quantity
FROM members_member m
LEFT JOIN (
    SELECT member_id,
           sum(amount) FILTER (WHERE share_class = 'ordinary') AS ordinary,
           sum(amount) FILTER (WHERE share_class = 'collective') AS collective,
           sum(amount) FILTER (WHERE share_class = 'poverty') AS poverty
    FROM shares_shareentry WHERE cooperative_id = %s AND effective_on <= %s GROUP BY member_id
) s ON s.member_id = m.id
LEFT JOIN (
    SELECT member_id, sum(amount) AS amount, sum(quantity) AS quantity
    FROM finance_patronagetransaction WHERE cooperative_id = %s AND date BETWEEN %s AND %s GROUP BY member_id
) p ON p.member_id = m.id
WHERE m.cooperative_id = %s
"""


def run(bench, key: str) -> None:
    from core.models import User
    from dividends.models import DistributionPlan, DistributionPolicy
    from dividends.policies import LAW
    from dividends.services.plans import plan_input, plan_preview
    from tests.benchmarks.bench_scale import sql, under_rls

    assert key == "plan_preview", key
    # unscoped: picks the benchmark's subject
    plan = DistributionPlan.objects.filter(year=YEAR).select_related("cooperative").order_by("-member_count").first()
    coop = plan.cooperative
    official = User.objects.get(username=f"scale-county-{coop.region_code[:6]}")
    law = DistributionPolicy.objects.get(code=LAW)

    def preview():
        data = plan_input(cooperative=coop, year=YEAR, policy=law, surplus=plan.surplus)
        computation = plan_preview(data)
        assert len(computation.members) == plan.member_count

    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    bench.add(
        "plan_preview",
        f"distribution plan preview, {plan.member_count:,} members (law's scheme)",
        500,
        under_rls(official, preview),
        under_rls(official, sql(FLOOR_SQL, [coop.pk, end, coop.pk, start, end, coop.pk])),
        "the members' shares and transactions",
    )
