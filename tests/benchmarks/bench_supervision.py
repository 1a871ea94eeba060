"""Supervision benchmark (not part of the test suite): the county dashboard over 1,000 cooperatives
and the city-wide ranking of 7,229 cooperatives, read from statistics snapshots.

    TEST_DB_NAME=bench_lingban_supervision DATABASE_URL=postgres://… python tests/benchmarks/bench_supervision.py

It builds a throwaway database, creates regions, cooperatives and their snapshots for two quarters
directly with ``bulk_create`` (history triggers ignored while loading), measures ``--runs`` times
after a warm-up under row-level security, prints median and p95 in milliseconds, then drops the
database (``--keep`` keeps it).
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

CITY_COOPERATIVES = 7_229
COUNTY_COOPERATIVES = 1_000
COUNTIES = 8  # the first with 1,000 cooperatives, the other seven share the remaining 6,229
TOWNSHIPS_PER_COUNTY = 10


def build(rng: random.Random):
    import pgtrigger

    from cooperatives.models import Cooperative
    from core.choices import RegionLevel, Role
    from core.models import Region, RoleAssignment, User
    from supervision.models import StatisticsSnapshot, VillageSnapshot

    ignored = ["core.Region:insert_insert", "cooperatives.Cooperative:insert_insert"]
    with pgtrigger.ignore(*ignored):
        city = Region.objects.create(code="371300", level=RegionLevel.PREFECTURE, name="临沂市")
        counts = [COUNTY_COOPERATIVES] + [
            (CITY_COOPERATIVES - COUNTY_COOPERATIVES) // (COUNTIES - 1)
            + (1 if i < (CITY_COOPERATIVES - COUNTY_COOPERATIVES) % (COUNTIES - 1) else 0)
            for i in range(COUNTIES - 1)
        ]
        first_county = None
        for c, n in enumerate(counts):
            county = Region.objects.create(
                code=f"3713{23 + c:02d}", level=RegionLevel.COUNTY, name=f"县{c}", parent=city
            )
            first_county = first_county or county
            townships = [
                Region.objects.create(
                    code=f"{county.code}{101 + t}", level=RegionLevel.TOWNSHIP, name=f"镇{c}-{t}", parent=county
                )
                for t in range(TOWNSHIPS_PER_COUNTY)
            ]
            villages = Region.objects.bulk_create(
                [
                    Region(
                        code=f"{townships[i % TOWNSHIPS_PER_COUNTY].code}{200 + i // TOWNSHIPS_PER_COUNTY:03d}",
                        prefix=f"{townships[i % TOWNSHIPS_PER_COUNTY].code}{200 + i // TOWNSHIPS_PER_COUNTY:03d}",
                        level=RegionLevel.VILLAGE,
                        name=f"村{c}-{i}",
                        parent=townships[i % TOWNSHIPS_PER_COUNTY],
                        households=rng.randint(150, 900),
                    )
                    for i in range(n)
                ]
            )
            coops = Cooperative.objects.bulk_create(
                [
                    Cooperative(
                        name=f"合作社{c}-{i}",
                        village=v,
                        region_code=v.code,
                        legal_representative="赵",
                        chair_name="赵",
                        status="operating",
                    )
                    for i, v in enumerate(villages)
                ]
            )
            for quarter in (2, 3):
                end = datetime.date(2026, 3 * quarter, 30)
                StatisticsSnapshot.objects.bulk_create(
                    [
                        StatisticsSnapshot(
                            cooperative=coop,
                            region_code=coop.region_code,
                            year=2026,
                            quarter=quarter,
                            period_end=end,
                            is_branch_led=True,
                            members=(m := rng.randint(20, 300)),
                            member_households=m,
                            village_households=v.households,
                            share_total=Decimal(rng.randint(100_000, 2_000_000)),
                            share_collective=Decimal(rng.randint(10_000, 400_000)),
                            collective_income=Decimal(rng.randint(0, 800_000)),
                            model_points=rng.choice([0, 2, 5, 10, 20, 40]),
                            innovation_points=rng.choice([0, 5, 10, 15, 20]),
                        )
                        for coop, v in zip(coops, villages, strict=True)
                    ],
                    batch_size=2000,
                )
                VillageSnapshot.objects.bulk_create(
                    [
                        VillageSnapshot(
                            village=v,
                            region_code=v.code,
                            year=2026,
                            quarter=quarter,
                            period_end=end,
                            households=v.households,
                            cooperatives=1,
                            member_households=rng.randint(20, 300),
                            collective_income=(inc := Decimal(rng.randint(0, 800_000))),
                            tier=("weak" if inc < 50000 else "from_100k"),
                        )
                        for v in villages
                    ],
                    batch_size=2000,
                )
    county_user = User.objects.create(username="bench-county")
    RoleAssignment.objects.create(user=county_user, role=Role.COUNTY_OFFICIAL, region=first_county)
    city_user = User.objects.create(username="bench-city")
    RoleAssignment.objects.create(user=city_user, role=Role.COUNTY_OFFICIAL, region=city)
    return first_county, city, User.objects.get(pk=county_user.pk), User.objects.get(pk=city_user.pk)


def main() -> None:
    with bench_database(__doc__) as args:
        from django.db import connection
        from django.test import Client

        from supervision.services.dashboards import TOP_COOPERATIVES, dashboard
        from supervision.services.rankings import cooperative_ranking

        county, city, county_user, city_user = build(random.Random(20260930))
        with connection.cursor() as cur:
            for table in ("supervision_statisticssnapshot", "supervision_villagesnapshot", "core_region"):
                cur.execute(f"VACUUM ANALYZE {table}")
        load_s = time.perf_counter() - args.started

        def county_dashboard():
            board = dashboard(county_user, county, 2026, 3)
            assert board["coop"]["cooperatives"] == COUNTY_COOPERATIVES
            assert len(board["coop_ranking"]) == TOP_COOPERATIVES

        def city_ranking():
            # what the ranking page reads: the count, then one page of 50 out of all 7,229 ranked
            ranking = cooperative_ranking(city_user, city.prefix, 2026, 3)
            assert ranking.count() == CITY_COOPERATIVES
            assert len(ranking[:50]) == 50

        def city_ranking_whole():
            assert len(list(cooperative_ranking(city_user, city.prefix, 2026, 3))) == CITY_COOPERATIVES

        client = Client()
        client.force_login(county_user)
        city_client = Client()
        city_client.force_login(city_user)

        def county_page():
            assert client.get("/supervision/", {"period": "2026Q3"}).status_code == 200

        def city_ranking_page():
            assert city_client.get("/supervision/rankings/", {"period": "2026Q3"}).status_code == 200

        dashboard_label = f"county dashboard, service ({COUNTY_COOPERATIVES:,} cooperatives)"
        ranking_label = f"city-wide ranking with change ({CITY_COOPERATIVES:,} cooperatives, 2 quarters), first page"
        rows = [
            (dashboard_label, *timed(under_rls(county_user, county_dashboard), args.runs), 100),
            ("county dashboard page, HTTP (same data, with template)", *timed(county_page, args.runs), None),
            (ranking_label, *timed(under_rls(city_user, city_ranking), args.runs), 300),
            ("city-wide ranking, every row (xlsx)", *timed(under_rls(city_user, city_ranking_whole), args.runs), None),
            ("city ranking page, HTTP (areas + first page, with template)", *timed(city_ranking_page, args.runs), None),
        ]
        print_rows(rows, runs=args.runs, load_s=load_s)


if __name__ == "__main__":
    main()
