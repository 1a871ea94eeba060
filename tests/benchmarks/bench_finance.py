"""Finance benchmark (not part of the test suite): trial balance + balance sheet over 100,000
voucher lines, and the voucher list page over 100,000 vouchers, each beside its floor — the
same work as one hand-written SQL query.

    TEST_DB_NAME=bench_lingban_finance DATABASE_URL=postgres://… python tests/benchmarks/bench_finance.py

It builds a throwaway database (the test database named by TEST_DB_NAME), fills it with
``bulk_create`` (history triggers ignored while loading), measures ``--runs`` times after a warm-up
and prints median and p95 in milliseconds, then drops the database (``--keep`` keeps it).
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.harness import bench_database, print_rows, timed, under_rls

VOUCHERS_PER_COOP = 50_000  # × 2 lines = 100,000 lines in the measured cooperative
BATCH = 5_000


def build(village_code: str, name: str, rng: random.Random):
    """A cooperative with open 2026 books and VOUCHERS_PER_COOP posted two-line vouchers."""
    import pgtrigger

    from cooperatives.models import Cooperative
    from core.choices import RegionLevel, Role
    from core.models import Region, RoleAssignment, User
    from finance.models import Account, Period, Voucher, VoucherLine
    from finance.services.books import books_open

    county, _ = Region.objects.get_or_create(code="371323", defaults={"level": RegionLevel.COUNTY, "name": "沂水县"})
    township, _ = Region.objects.get_or_create(
        code="371323104", defaults={"level": RegionLevel.TOWNSHIP, "name": "许家湖镇", "parent": county}
    )
    village, _ = Region.objects.get_or_create(
        code=village_code, defaults={"level": RegionLevel.VILLAGE, "name": "东安村", "parent": township}
    )
    user, created = User.objects.get_or_create(username="bench-accountant")
    if created:
        user.set_password("bench-password-1")
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.VILLAGE_ACCOUNTANT, region=village)
    coop = Cooperative.objects.create(
        name=name, village=village, region_code=village.code, legal_representative="赵", chair_name="赵"
    )
    user = User.objects.get(pk=user.pk)
    books_open(actor=user, cooperative=coop, year=2026)
    leaves = list(Account.objects.filter(cooperative=coop, is_leaf=True).exclude(code__startswith="181"))
    periods = list(Period.objects.filter(cooperative=coop).order_by("number"))
    counters = {p.pk: 0 for p in periods}
    now = datetime.datetime.now(datetime.UTC)
    ignored = [f"finance.{m}:{op}" for m in ("Voucher", "VoucherLine") for op in ("insert_insert",)]
    with pgtrigger.ignore(*ignored):
        for start in range(0, VOUCHERS_PER_COOP, BATCH):
            vouchers = []
            for _ in range(min(BATCH, VOUCHERS_PER_COOP - start)):
                period = periods[rng.randrange(12)]
                counters[period.pk] += 1
                amount = Decimal(rng.randrange(100, 10_000_000)) / 100
                vouchers.append(
                    Voucher(
                        cooperative=coop,
                        region_code=coop.region_code,
                        period=period,
                        date=period.start_date + datetime.timedelta(days=rng.randrange(28)),
                        number=counters[period.pk],
                        status="posted",
                        posted_at=now,
                        summary=f"凭证{start}",
                        total_debit=amount,
                    )
                )
            Voucher.objects.bulk_create(vouchers, batch_size=BATCH)
            lines = []
            for v in vouchers:
                debit, credit = rng.sample(leaves, 2)
                common = {"voucher": v, "cooperative": coop, "region_code": coop.region_code, "period_id": v.period_id}
                lines.append(VoucherLine(line_no=1, account=debit, debit=v.total_debit, is_posted=True, **common))
                lines.append(VoucherLine(line_no=2, account=credit, credit=v.total_debit, is_posted=True, **common))
            VoucherLine.objects.bulk_create(lines, batch_size=BATCH)
    Period.objects.bulk_update(
        [Period(pk=pk, last_voucher_number=n) for pk, n in counters.items()], ["last_voucher_number"]
    )
    return coop, user


def main() -> None:
    with bench_database(__doc__) as args:
        from django.db import connection
        from django.test import Client

        from finance.models import VoucherLine
        from finance.selectors.ledgers import resolve_range, trial_balance
        from finance.selectors.statements import statement

        rng = random.Random(20260101)
        coop, user = build("371323104201", "基准合作社甲", rng)
        build("371323104201", "基准合作社乙", rng)  # the same village: the accountant lists 100,000 vouchers
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE finance_voucher")
            cur.execute("VACUUM ANALYZE finance_voucherline")
        lines = VoucherLine.objects.filter(cooperative=coop).count()
        load_s = time.perf_counter() - args.started
        rows = []

        client = Client()
        client.force_login(user)
        ledger_range = resolve_range(coop, year=2026, period_from=1, period_to=12)

        def tb_and_bs():
            trial_balance(ledger_range, level=3)
            statement(coop, "balance_sheet", ledger_range)

        period_ids = [p.pk for p in ledger_range.periods]

        def tb_floor():
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT account_id, SUM(debit) FILTER (WHERE period_id = ANY(%s)), "
                    "SUM(credit) FILTER (WHERE period_id = ANY(%s)) FROM finance_voucherline "
                    "WHERE cooperative_id = %s AND is_posted AND period_id = ANY(%s) GROUP BY account_id",
                    [period_ids, period_ids, coop.pk, period_ids],
                )
                cur.fetchall()

        rows.append(
            (f"trial balance + balance sheet ({lines:,} lines)", *timed(under_rls(user, tb_and_bs), args.runs), 200)
        )
        rows.append(("  floor: one GROUP BY account_id query", *timed(under_rls(user, tb_floor), args.runs), None))

        def tb_page():
            assert (
                client.get(f"/finance/cooperatives/{coop.pk}/trial-balance/?year=2026&period_to=12").status_code == 200
            )

        def bs_page():
            assert (
                client.get(f"/finance/cooperatives/{coop.pk}/balance-sheet/?year=2026&period_to=12").status_code == 200
            )

        def voucher_list():
            response = client.get("/finance/vouchers/")
            assert response.status_code == 200

        def list_floor():
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM finance_voucher WHERE region_code LIKE %s LIMIT 5001) s",
                    ["371323104201%"],
                )
                cur.fetchall()
                cur.execute(
                    "SELECT * FROM finance_voucher WHERE region_code LIKE %s ORDER BY date DESC, id DESC LIMIT 25",
                    ["371323104201%"],
                )
                cur.fetchall()

        from finance.models import Voucher

        total = Voucher.objects.filter(region_code__startswith="371323104201").count()
        rows.append((f"voucher list page, HTTP ({total:,} vouchers)", *timed(voucher_list, args.runs), 150))
        rows.append(
            (
                "  floor: capped count + first page, hand-written SQL",
                *timed(under_rls(user, list_floor), args.runs),
                None,
            )
        )
        rows.append(("trial balance page, HTTP (all accounts, 12 months)", *timed(tb_page, args.runs), None))
        rows.append(("balance sheet page, HTTP", *timed(bs_page, args.runs), None))

        print_rows(rows, runs=args.runs, load_s=load_s)


if __name__ == "__main__":
    main()
