"""Disclosure, audit and alert objects for the isolation matrix (tests/test_isolation_matrix.py),
all in 东安村, with the matrix's marker text where a page shows it."""

from __future__ import annotations

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import fresh
from tests.factories import CooperativeFactory

_serial = itertools.count(1)


def make_factories(marker: str) -> dict:
    def cooperative(world):
        return CooperativeFactory(name=f"{marker}监督社{next(_serial)}", village=world.v11, status="operating")

    def disclosure(world):
        from supervision.services.disclosures import disclosure_generate, disclosure_update

        d, _ = disclosure_generate(cooperative=cooperative(world), year=2026, quarter=1)
        return disclosure_update(
            actor=fresh(world.acc_v11), disclosure=d, plan_summary=marker, operations_summary=f"{marker}经营"
        )

    def audit(world):
        from supervision.services.audits import audit_create

        return audit_create(
            actor=fresh(world.twp_t1), cooperative=cooperative(world), kind="annual", year=2026, scope=marker
        )

    def finding(world):
        from supervision.services.audits import finding_add

        return finding_add(
            actor=fresh(world.twp_t1),
            audit=audit(world),
            title=f"{marker}问题",
            rectification_deadline=datetime.date(2026, 12, 31),
        )

    def evidence(world):
        from supervision.services.audits import evidence_add

        return evidence_add(
            actor=fresh(world.acc_v11),
            finding=finding(world),
            file=SimpleUploadedFile(f"{marker}.pdf", b"%PDF-1.4 " + marker.encode()),
            note=marker,
        )

    def spot_check(world):
        from supervision.services.audits import spot_check_draw

        cooperative(world)
        return spot_check_draw(actor=fresh(world.county_a_off), county=world.county_a, year=2026, size=1, seed=1)

    def alert(world):
        from supervision.services.alerts import alerts_evaluate

        return alerts_evaluate(cooperative=cooperative(world), today=datetime.date(2026, 11, 24), rules=["no_audit"])[0]

    return {
        "supervision.disclosure": disclosure,
        "supervision.audit": audit,
        "supervision.auditfinding": finding,
        "supervision.rectificationevidence": evidence,
        "supervision.spotcheckdraw": spot_check,
        "supervision.alert": alert,
    }
