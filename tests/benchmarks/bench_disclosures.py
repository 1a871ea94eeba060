"""Disclosure generation benchmark (not part of the test suite): the quarter-end job over many
cooperatives, one worker, measured in cooperatives per second (target: 20+).

    TEST_DB_NAME=bench_lingban_disclosures DATABASE_URL=postgres://… python tests/benchmarks/bench_disclosures.py

It builds a throwaway database (the test database named by TEST_DB_NAME): ``--coops`` cooperatives
with open 2026 books and ``--vouchers`` posted two-line vouchers each in the first quarter (one side
cash or bank, so every voucher is an itemised entry), and ten members with confirmed shares each.
The job runs as in production with eager Celery (the fan-out task and one subtask per cooperative
in this process); between runs the drafts are deleted. Prints the median over ``--runs``.
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


def _id_number(n: int) -> str:
    from core.validators import id_check_character

    first17 = f"371323{19600101 + n % 28:08d}{n % 1000:03d}"
    return first17 + id_check_character(first17)


def build(n_coops: int, n_vouchers: int, rng: random.Random) -> None:
    import pgtrigger

    from cooperatives.models import Cooperative
    from core.choices import RegionLevel, Role
    from core.models import Region, RoleAssignment, User
    from finance.models import Account, Period, Voucher, VoucherLine
    from finance.services.books import books_open
    from members.models import Member
    from shares.models import Holding

    county, _ = Region.objects.get_or_create(code="371323", defaults={"level": RegionLevel.COUNTY, "name": "沂水县"})
    township, _ = Region.objects.get_or_create(
        code="371323104", defaults={"level": RegionLevel.TOWNSHIP, "name": "许家湖镇", "parent": county}
    )
    user, _ = User.objects.get_or_create(username="bench-accountant")
    now = datetime.datetime.now(datetime.UTC)
    ignored = [f"{m}:insert_insert" for m in ("finance.Voucher", "finance.VoucherLine", "shares.Holding")]
    for i in range(n_coops):
        village, _ = Region.objects.get_or_create(
            code=f"371323104{200 + i % 800:03d}",
            defaults={"level": RegionLevel.VILLAGE, "name": f"村{i}", "parent": township, "households": 300},
        )
        RoleAssignment.objects.get_or_create(user=user, role=Role.VILLAGE_ACCOUNTANT, region=village)
        user = User.objects.get(pk=user.pk)
        coop = Cooperative.objects.create(
            name=f"基准社{i}",
            village=village,
            region_code=village.code,
            legal_representative="赵",
            chair_name="赵",
            status="operating",
        )
        books_open(actor=user, cooperative=coop, year=2026)
        cash = list(Account.objects.filter(cooperative=coop, is_leaf=True, is_cash=True))
        other = list(
            Account.objects.filter(cooperative=coop, is_leaf=True, is_cash=False).exclude(code__startswith="181")
        )
        periods = list(Period.objects.filter(cooperative=coop, number__lte=3).order_by("number"))
        counters = {p.pk: 0 for p in periods}
        vouchers = []
        for _ in range(n_vouchers):
            period = periods[rng.randrange(3)]
            counters[period.pk] += 1
            vouchers.append(
                Voucher(
                    cooperative=coop,
                    region_code=coop.region_code,
                    period=period,
                    date=period.start_date + datetime.timedelta(days=rng.randrange(28)),
                    number=counters[period.pk],
                    status="posted",
                    posted_at=now,
                    summary=f"收支{counters[period.pk]}",
                    total_debit=Decimal(rng.randrange(100, 2_000_000)) / 100,
                )
            )
        with pgtrigger.ignore(*ignored):
            Voucher.objects.bulk_create(vouchers)
            lines = []
            for v in vouchers:
                money, against = rng.choice(cash), rng.choice(other)
                debit, credit = (money, against) if rng.random() < 0.5 else (against, money)
                common = {"voucher": v, "cooperative": coop, "region_code": coop.region_code, "period_id": v.period_id}
                lines.append(VoucherLine(line_no=1, account=debit, debit=v.total_debit, is_posted=True, **common))
                lines.append(VoucherLine(line_no=2, account=credit, credit=v.total_debit, is_posted=True, **common))
            VoucherLine.objects.bulk_create(lines)
            for k in range(10):
                member = Member.objects.create(
                    cooperative=coop,
                    region_code=coop.region_code,
                    number=k + 1,
                    kind="person",
                    name=f"社员{k}",
                    id_number=_id_number(i * 10 + k),
                    joined_on=datetime.date(2020, 1, 1),
                )
                Holding.objects.create(
                    cooperative=coop,
                    member=member,
                    region_code=coop.region_code,
                    share_class="ordinary",
                    amount=Decimal(1000 * (k + 1)),
                )
        Period.objects.bulk_update(
            [Period(pk=pk, last_voucher_number=n) for pk, n in counters.items()], ["last_voucher_number"]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--coops", type=int, default=200)
    parser.add_argument("--vouchers", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database (skips building)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    t0 = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.reuse)
    try:
        from cooperatives.models import Cooperative
        from supervision.models import Disclosure
        from supervision.tasks_oversight import disclosures_quarter_end

        if not (args.reuse and Cooperative.objects.exists()):
            build(args.coops, args.vouchers, random.Random(20260331))
        args.coops = Cooperative.objects.count()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        load_s = time.perf_counter() - t0
        rates = []
        for _ in range(args.runs):
            Disclosure.objects.all().delete()
            start = time.perf_counter()
            sent = disclosures_quarter_end(2026, 1)
            elapsed = time.perf_counter() - start
            assert sent == args.coops and Disclosure.objects.count() == args.coops
            rates.append(args.coops / elapsed)
        sample = Disclosure.objects.order_by("pk").first()
        print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"load: {load_s:.1f} s; {args.coops} cooperatives, {args.vouchers} vouchers each in Q1")
        print(f"entries in one disclosure: {len(sample.content['entries'])}")
        print(f"runs (cooperatives/s): {', '.join(f'{r:.1f}' for r in rates)}")
        print(f"median: {statistics.median(rates):.1f} cooperatives/s per worker (target ≥ 20)")
    finally:
        if not (args.keep or args.reuse):
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
