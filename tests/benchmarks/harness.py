"""What every benchmark script shares: Django set up on a throwaway database, timing, the
row-level-security wrapper and the results table."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


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


@contextmanager
def bench_database(description: str):
    """Parse ``--runs``/``--keep``, set Django up and yield ``args`` inside a fresh test database."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    args.started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield args
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def under_rls(user, fn):
    """Run as a request does: the unprivileged role, the user's prefixes (row-level security)."""
    from core import rls

    scope = rls.scope_for(user)

    def run():
        rls.enter_request_scope(scope)
        try:
            fn()
        finally:
            rls.leave_request_scope()

    return run


def print_rows(rows, *, runs: int, load_s: float) -> None:
    from django.db import connection

    print(
        f"\n{datetime.date.today()} · {platform.node()} · {os.cpu_count()} cores · {platform.python_version()} · "
        f"PostgreSQL {connection.pg_version // 10000} · load {load_s:.0f} s · {runs} runs\n"
    )
    print("| measurement | median (ms) | p95 (ms) | target (ms) |")
    print("|---|---:|---:|---:|")
    for label, median, p95, target in rows:
        print(f"| {label} | {median:.1f} | {p95:.1f} | {'< ' + str(target) if target else ''} |")
