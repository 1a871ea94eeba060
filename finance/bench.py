"""The county tie-out row of ``make bench`` (``tests/benchmarks/bench_scale.py``).

A county official's tie-out of every cooperative of the county (``finance.selectors.tieout``): the
share register against 股金 per member, reserve and fund shares, the distributions booked and the
payouts still owed, each comparison one grouped statement over all the county's cooperatives, as
``check_ledgers`` and the statistics refresh run it, under row-level security. The floor is the
largest single piece of that work as hand-written SQL: the register summed per cooperative and
member, and the posted lines of 301 股金 summed the same way.
"""

from __future__ import annotations

FLOOR_SQL = """
SELECT cooperative_id, member_id, SUM(amount) FROM shares_shareentry GROUP BY 1, 2
UNION ALL
SELECT l.cooperative_id, l.member_id, SUM(l.credit - l.debit)
  FROM finance_voucherline l JOIN finance_account a ON a.id = l.account_id
 WHERE l.is_posted AND a.code = '301' GROUP BY 1, 2
"""


def run(bench, key: str) -> None:
    from cooperatives.models import Cooperative
    from core.models import User
    from finance.selectors.tieout import tie_out
    from members.models import Member
    from tests.benchmarks.bench_scale import sql, under_rls

    assert key == "county_tie_out", key
    official = User.objects.filter(username__startswith="scale-county-").order_by("username").first()
    county = official.role_assignments.get().region
    # unscoped: counts what the benchmark reads, for its label
    ids = list(Cooperative.objects.filter(region_code__startswith=county.prefix).values_list("pk", flat=True))
    members = Member.objects.filter(cooperative_id__in=ids).count()

    def county_tie_out():
        results = tie_out(ids)
        assert len(results) == len(ids), (len(results), len(ids))
        assert all(r.ok for r in results.values()), "a generated cooperative does not tie out"

    bench.add(
        "county_tie_out",
        f"tie-out of a county ({len(ids):,} cooperatives, {members:,} members)",
        5000,
        under_rls(official, county_tie_out),
        under_rls(official, sql(FLOOR_SQL)),
        "register and 股金 summed per member",
    )
