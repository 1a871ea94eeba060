"""Rows of ``make bench`` (``tests/benchmarks/bench_scale.py``) for supervision, over the generated
scale: the county dashboard, the city ranking and the quarter's disclosures of every cooperative.

Dashboards and rankings read the snapshots the generator's ``supervision.snapshots`` step computed
(the year's third and fourth quarters); each row's floor is one hand-written SQL query fetching the
same snapshot rows, under the same user's row-level security.
"""

from __future__ import annotations

import statistics
import time
from multiprocessing import get_context

from core.scale import YEAR

QUARTER = 4  # the period dashboards and rankings show; its change is measured against the third
DISCLOSED = 3  # the generator wrote the fourth quarter's disclosures: the benchmark makes the third's
WORKERS = 2
DISCLOSURE_RUNS = 3  # each run generates a whole quarter: fewer runs than the page rows

SNAPSHOT_ROWS = (
    "SELECT * FROM supervision_statisticssnapshot WHERE year = %s AND quarter IN (%s, %s) AND region_code LIKE %s"
)


def run(bench, key: str) -> None:
    {"county_dashboard": county_dashboard, "city_ranking": city_ranking, "disclosures": disclosures}[key](bench)


def _user(prefix: str):
    from core.models import User

    return User.objects.filter(username__startswith=prefix).order_by("username").first()


def _cooperatives(prefix: str) -> int:
    from supervision.models import StatisticsSnapshot

    # unscoped: counts the rows the benchmark reads, for its label
    return StatisticsSnapshot.objects.filter(region_code__startswith=prefix, year=YEAR, quarter=QUARTER).count()


def county_dashboard(bench) -> None:
    """The dashboard page a county official opens (headline, charts, top ten, trend)."""
    from django.test import Client

    from tests.benchmarks.bench_scale import page, sql, under_rls

    official = _user("scale-county-")
    county = official.role_assignments.get().region
    client = Client()
    client.force_login(official)
    n = _cooperatives(county.prefix)
    bench.add(
        "county_dashboard",
        f"county dashboard page ({n:,} cooperatives)",
        100,
        page(client, f"/supervision/?period={YEAR}Q{QUARTER}"),
        under_rls(official, sql(SNAPSHOT_ROWS, [YEAR, QUARTER - 1, QUARTER, f"{county.prefix}%"])),
        "the county's snapshots of two quarters",
        grows="flat",  # one county, the same size at city scale
    )


def city_ranking(bench) -> None:
    """The ranking page's reads for the city: the counties ranked, and the cooperatives' count and
    first page of 50 with their change since the last quarter (the service the page calls,
    without the HTML)."""
    from supervision.services.rankings import rankings_for
    from tests.benchmarks.bench_scale import sql, under_rls

    official = _user("scale-city")
    city = official.role_assignments.get().region
    n = _cooperatives(city.prefix)
    bench.add(
        "city_ranking",
        f"city ranking of {n:,} cooperatives: counties, count and first page of 50 (ranking service)",
        300,
        under_rls(official, lambda: _first_page(rankings_for(official, city, YEAR, QUARTER))),
        under_rls(official, sql(SNAPSHOT_ROWS, [YEAR, QUARTER - 1, QUARTER, f"{city.prefix}%"])),
        "the city's snapshots of two quarters",
        grows="linear",
    )


def _first_page(board: dict) -> list:
    cooperatives = board["cooperatives"]
    cooperatives.count()
    return [*board["areas"], *cooperatives[:50]]


def _generate(args: tuple[list[int], int, int]) -> float:
    """One worker: the quarter-end subtask for each cooperative, in a transaction rolled back at the
    end so every run starts from the same database. Returns the seconds it took."""
    from django.db import connection, transaction

    from supervision.tasks_oversight import disclosure_generate

    ids, year, quarter = args
    start = time.perf_counter()
    with transaction.atomic():
        for cooperative_id in ids:
            disclosure_generate(cooperative_id, year, quarter)  # the task's body, as a worker runs it
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    connection.close()
    return elapsed


def disclosures(bench) -> None:
    """Every cooperative's disclosure of a quarter, made by the real task in two worker processes
    (the cooperatives dealt out in turn); the wall time until both are done."""
    from django.db import connections

    from supervision.services.disclosures import quarter_bounds
    from supervision.tasks_oversight import cooperatives_due
    from tests.benchmarks.bench_scale import sql, timed

    ids = list(cooperatives_due(YEAR, DISCLOSED))
    shares = [(ids[w::WORKERS], YEAR, DISCLOSED) for w in range(WORKERS)]
    samples = []
    for _ in range(DISCLOSURE_RUNS):
        connections.close_all()  # the forked workers open their own connections
        with get_context("fork").Pool(WORKERS) as pool:
            start = time.perf_counter()
            pool.map(_generate, shares)
            samples.append((time.perf_counter() - start) * 1000)
    start, end = quarter_bounds(YEAR, DISCLOSED)
    floor = timed(
        sql(
            "SELECT l.cooperative_id, v.date, v.number, l.summary, l.debit, l.credit FROM finance_voucherline l "
            "JOIN finance_voucher v ON v.id = l.voucher_id JOIN finance_account a ON a.id = l.account_id "
            "WHERE l.is_posted AND NOT l.is_closing AND a.is_cash AND v.date BETWEEN %s AND %s",
            [start, end],
        ),
        min(bench.runs, DISCLOSURE_RUNS),
    )[0]
    row = {
        "key": "disclosures",
        "label": f"quarterly disclosures, all {len(ids):,} cooperatives, {WORKERS} workers (measured)",
        "target": 360_000,
        "median": round(statistics.median(samples), 1),
        "p95": round(max(samples), 1),
        "floor": round(floor, 1),
        "floor_label": "the quarter's cash lines of every cooperative",
        "grows": "linear",
        "note": f"{DISCLOSURE_RUNS} runs, p95 is the slowest; each worker's transaction is rolled back",
    }
    bench.rows.append(row)
    print(
        f"{row['label']:<62} median {row['median']:8.1f}  p95 {row['p95']:8.1f} ms   floor {row['floor']:7.1f} "
        f"({row['floor_label']})",
        flush=True,
    )
