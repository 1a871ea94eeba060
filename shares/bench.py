"""The contribution row of ``make bench`` (``tests/benchmarks/bench_scale.py``).

A village accountant confirms a cash contribution of 3,000.00 for one member of the generated
cooperative in their village: the draft, the subscription entry, the holding, the certificate and
the voucher the share books post (Dr 101 库存现金 / Cr 301 股金 of that member), as one request
does it, under row-level security. Each run is rolled back after the checks PostgreSQL defers to
commit (every posted voucher balances, foreign keys) have run, so every run books the same
contribution into the same month. The floor is the draft alone: entering the contribution without
confirming it, so nothing reaches the register or the books.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.scale import YEAR

ON = datetime.date(YEAR, 6, 15)


def run(bench, key: str) -> None:
    from django.db import connection, transaction

    from core.models import User
    from members.models import Member
    from shares.services.contributions import contribution_confirm, contribution_create
    from tests.benchmarks.bench_scale import under_rls

    assert key == "share_contribution", key

    accountant = User.objects.filter(username__startswith="scale-accountant-").order_by("username").first()
    village = accountant.role_assignments.get().region
    # unscoped: picks the benchmark's subject, a member active on the day
    member = (
        Member.objects.filter(cooperative__village=village, joined_on__lte=ON, left_on__isnull=True, kind="person")
        .select_related("cooperative")
        .order_by("number")
        .first()
    )
    data = {"kind": "cash", "amount": Decimal("3000.00"), "contributed_on": ON}

    def draft():
        with transaction.atomic():
            contribution_create(actor=accountant, member=member, **data)
            transaction.set_rollback(True)

    def confirm():
        with transaction.atomic():
            contribution = contribution_create(actor=accountant, member=member, **data)
            result = contribution_confirm(actor=accountant, contribution=contribution)
            assert result.entries and result.vouchers, "the contribution was not booked"
            with connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what the request's commit would check
            transaction.set_rollback(True)

    bench.add(
        "share_contribution",
        "cash contribution confirmed with its voucher (accountant)",
        50,
        under_rls(accountant, confirm),
        under_rls(accountant, draft),
        "the draft alone, nothing booked",
    )
