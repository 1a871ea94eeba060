"""Supervision objects for the isolation matrix (tests/test_isolation_matrix.py), all in 东安村
(bulletins: county A), with the matrix's marker text where a page would show it."""

from __future__ import annotations

import datetime
import itertools

from tests.conftest import fresh
from tests.factories import CooperativeFactory
from tests.supervision.factories import StatisticsSnapshotFactory, VillageSnapshotFactory

_serial = itertools.count(1)


def make_factories(marker: str) -> dict:
    def snapshot(world):
        coop = CooperativeFactory(name=f"{marker}统计合作社{next(_serial)}", village=world.v11, status="operating")
        village_snapshot(world)
        return StatisticsSnapshotFactory(cooperative=coop, collective_income=100000)

    def village_snapshot(world):
        from supervision.models import VillageSnapshot

        return VillageSnapshot.objects.filter(village=world.v11).first() or VillageSnapshotFactory(village=world.v11)

    def pairing(world):
        from supervision.services.pairings import pairing_create

        return pairing_create(
            actor=fresh(world.twp_t1),
            kind="enterprise",
            village=world.v11,
            helper=f"{marker}果业公司",
            started_on=datetime.date(2026, 2, 1),
        )

    def visit(world):
        from supervision.services.pairings import pairing_visit_record

        return pairing_visit_record(
            actor=fresh(world.twp_t1),
            pairing=pairing(world),
            visited_on=datetime.date(2026, 5, 1),
            visitor=f"{marker}来访",
            content=f"{marker}帮扶",
        )

    def bulletin(world):
        from supervision.services.bulletins import bulletin_generate

        snapshot(world)
        return bulletin_generate(county=world.county_a, kind="monthly", today=datetime.date(2026, 9, 15))

    return {
        "supervision.statisticssnapshot": snapshot,
        "supervision.villagesnapshot": village_snapshot,
        "supervision.pairing": pairing,
        "supervision.pairingvisit": visit,
        "supervision.bulletin": bulletin,
    }
