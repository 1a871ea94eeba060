"""Dividends benchmark (not part of the test suite): a plan for a cooperative with 10,000 members
under the law's scheme (patronage refund by transaction amount and distribution by capital, both
split to the fen over every member). Preview < 0.5 s; execute (allocations are stored at drafting;
vouchers with a line per member, member-account entries, the payout list) < 2 s.

    TEST_DB_NAME=bench_lingban_dividends DATABASE_URL=postgres://… python tests/benchmarks/bench_dividends.py

It builds a throwaway database (the test database named by TEST_DB_NAME), loads the members, their
share entries and transactions with ``bulk_create``, then measures ``--runs`` times after a warm-up
as a request does (the unprivileged role under row-level security). Each execution runs inside a
transaction that is rolled back, so every run carries out the same filed plan; the checks deferred
to commit are run before the rollback and are part of the time. Prints median and
p95 in milliseconds, then drops the database (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

MEMBERS = 10_000


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up (caches, plans)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def build(rng: random.Random):
    """A cooperative in 东安村 with open 2026 books, MEMBERS members holding capital since 2024 and
    one 2025 transaction each (every third member none)."""
    from cooperatives.models import Cooperative
    from core.choices import RegionLevel, Role
    from core.models import Region, RoleAssignment, User
    from dividends.policies import ensure_policies
    from finance.models import PatronageTransaction
    from finance.services.books import books_open
    from members.models import Member
    from shares.models import ShareEntry

    ensure_policies()
    county = Region.objects.create(code="371323", level=RegionLevel.COUNTY, name="沂水县")
    township = Region.objects.create(code="371323104", level=RegionLevel.TOWNSHIP, name="许家湖镇", parent=county)
    village = Region.objects.create(code="371323104201", level=RegionLevel.VILLAGE, name="东安村", parent=township)
    user = User.objects.create_user(username="bench-accountant", password="x" * 12)
    RoleAssignment.objects.create(user=user, role=Role.VILLAGE_ACCOUNTANT, region=village)
    user = User.objects.get(pk=user.pk)
    coop = Cooperative.objects.create(name="基准合作社", village=village, region_code=village.code, status="operating")
    books_open(actor=user, cooperative=coop, year=2026)
    members = Member.objects.bulk_create(
        [
            Member(
                cooperative=coop,
                region_code=coop.region_code,
                number=n,
                kind="person",
                name=f"社员{n}",
                id_number=f"371323{n:012d}",
                village=village,
                joined_on=datetime.date(2020, 1, 1),
            )
            for n in range(1, MEMBERS + 1)
        ],
        batch_size=2000,
    )
    op = __import__("uuid").uuid4()
    ShareEntry.objects.bulk_create(
        [
            ShareEntry(
                cooperative=coop,
                region_code=coop.region_code,
                member=m,
                share_class="ordinary",
                entry_type="subscribe",
                amount=Decimal(rng.randint(1, 200) * 100),
                balance_after=Decimal(0),
                effective_on=datetime.date(2024, 1, 1),
                operation=op,
            )
            for m in members
        ],
        batch_size=2000,
    )
    PatronageTransaction.objects.bulk_create(
        [
            PatronageTransaction(
                cooperative=coop,
                region_code=coop.region_code,
                member=m,
                date=datetime.date(2025, 9, 1),
                direction="purchase",
                product="苹果",
                quantity=Decimal(rng.randint(100, 5000)),
                amount=Decimal(rng.randint(300, 15000)),
            )
            for m in members
            if m.number % 3
        ],
        batch_size=2000,
    )
    return coop, user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    t0 = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from core import rls
        from dividends.models import DistributionPlan, DistributionPolicy
        from dividends.services.execution import LINES_PER_VOUCHER, plan_execute
        from dividends.services.plans import plan_create, plan_input, plan_preview

        coop, user = build(random.Random(20251231))
        with connection.cursor() as cur:
            for table in ("shares_shareentry", "finance_patronagetransaction", "members_member"):
                cur.execute(f"VACUUM ANALYZE {table}")
        load_s = time.perf_counter() - t0
        policy = DistributionPolicy.objects.get(code="law")
        scope = rls.scope_for(user)

        def under_rls(fn):
            def run():
                rls.enter_request_scope(scope)
                try:
                    fn()
                finally:
                    rls.leave_request_scope()

            return run

        def data():
            return plan_input(cooperative=coop, year=2025, policy=policy, surplus=Decimal("1234567.89"))

        def preview():
            result = plan_preview(data())
            assert len(result.members) == MEMBERS

        plan = plan_create(actor=user, data=data())
        # the approval steps are not what is measured: the plan is put straight into the filed state
        DistributionPlan.objects.filter(pk=plan.pk).update(state="filed")

        def execute():
            with transaction.atomic():
                result = plan_execute(actor=user, plan=plan, on=datetime.date(2026, 3, 1))
                assert result.executed and result.plan.payouts.count() == MEMBERS
                # the checks deferred to commit (every posted voucher balances) run here, as they
                # would at the request's commit, before the rollback
                with connection.cursor() as cur:
                    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                transaction.set_rollback(True)

        def draft():
            with transaction.atomic():
                DistributionPlan.objects.filter(pk=plan.pk).update(state="superseded")
                plan_create(actor=user, data=data())
                transaction.set_rollback(True)

        rows = [
            (
                f"preview, {MEMBERS:,} members (law scheme: refund by amount + by capital)",
                *timed(under_rls(preview), args.runs),
                500,
            ),
            (
                f"execute: vouchers (a line per member, parts of {LINES_PER_VOUCHER:,}), member-account entries, "
                "payout list",
                *timed(under_rls(execute), args.runs),
                2000,
            ),
            ("draft: compute and store one allocation row per member", *timed(under_rls(draft), args.runs), None),
        ]
        print(
            f"\n{datetime.date.today()} · {platform.node()} · {os.cpu_count()} cores · {platform.python_version()} · "
            f"PostgreSQL {connection.pg_version // 10000} · load {load_s:.0f} s · {args.runs} runs\n"
        )
        print("| measurement | median (ms) | p95 (ms) | target (ms) |")
        print("|---|---:|---:|---:|")
        for label, median, p95, target in rows:
            print(f"| {label} | {median:.1f} | {p95:.1f} | {'< ' + str(target) if target else ''} |")
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
