"""Benchmark: import a 10,000-row roster workbook (members, households, contributions) three times.

Not part of the test suite (the file name does not start with ``test_``). Run it against a migrated
database; every run is rolled back, so the database is left as it was:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lingban_members \
        .venv/bin/python tests/benchmarks/bench_member_import.py [rows] [runs]

It prints each run and the median and 95th percentile (nearest rank) of the runs. The target is
under 10 seconds for 10,000 rows, checking included.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


class _Rollback(Exception):
    pass


def main(rows: int = 10_000, runs: int = 3) -> None:
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.db import transaction

    from cooperatives.models import Cooperative
    from core.choices import RegionLevel, Role
    from core.models import Region, RoleAssignment, User
    from core.policies import ensure_templates
    from shares.choices import ImportState
    from shares.models import ImportBatch
    from shares.services.imports import import_run
    from tests.shares.workbooks import person_rows, workbook

    upload = workbook(person_rows(rows), "bench.xlsx")
    timings = []
    for run in range(runs):
        try:
            with transaction.atomic():
                ensure_templates()
                county, _ = Region.objects.get_or_create(
                    code="379901", defaults={"level": RegionLevel.COUNTY, "name": "基准县"}
                )
                township, _ = Region.objects.get_or_create(
                    code="379901101", defaults={"level": RegionLevel.TOWNSHIP, "name": "基准镇", "parent": county}
                )
                village, _ = Region.objects.get_or_create(
                    code="379901101201",
                    defaults={"level": RegionLevel.VILLAGE, "name": "基准村", "parent": township, "households": 20000},
                )
                actor, _ = User.objects.get_or_create(username="bench-accountant")
                RoleAssignment.objects.get_or_create(user=actor, role=Role.VILLAGE_ACCOUNTANT, region=village)
                actor = User.objects.get(pk=actor.pk)
                coop = Cooperative.objects.create(
                    name=f"基准合作社{run}",
                    village=village,
                    region_code=village.padded_code,
                    legal_representative="基准",
                    chair_name="基准",
                )
                upload.seek(0)
                batch = ImportBatch(
                    cooperative=coop, region_code=coop.region_code, original_name="bench.xlsx", created_by=actor
                )
                batch.file.save("bench.xlsx", upload, save=False)
                batch.save()
                started = time.perf_counter()
                batch = import_run(actor=actor, batch=batch)
                elapsed = time.perf_counter() - started
                assert batch.state == ImportState.DONE, batch.errors[:5] or batch.message
                assert batch.created_members == rows
                batch.file.delete(save=False)
                timings.append(elapsed)
                print(f"run {run + 1}: {rows} rows in {elapsed:.2f} s ({rows / elapsed:.0f} rows/s)")
                raise _Rollback
        except _Rollback:
            pass
    ordered = sorted(timings)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    print(f"median {statistics.median(ordered):.2f} s, p95 {p95:.2f} s over {len(ordered)} runs of {rows} rows")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
