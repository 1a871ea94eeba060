"""The share ledger's check for ``check_ledgers``: cached holdings recomputed from the ledger."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from core.ledger_checks import CheckResult
from core.money import ZERO
from shares.models import Holding, ShareEntry


def holdings_check(cooperative_id: int | None) -> CheckResult:
    """Every cached holding equals the sum of its ledger entries."""
    # unscoped: a system check over every tenant's ledger
    entries = ShareEntry.objects.all()
    holdings = Holding.objects.all()
    if cooperative_id:
        entries = entries.filter(cooperative_id=cooperative_id)
        holdings = holdings.filter(cooperative_id=cooperative_id)
    expected: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for row in entries.values("member_id", "share_class").annotate(total=Sum("amount")).order_by():
        expected[(row["member_id"], row["share_class"])] = row["total"]
    cached = {
        (h["member_id"], h["share_class"]): (h["pk"], h["cooperative_id"], h["amount"])
        for h in holdings.values("pk", "member_id", "share_class", "cooperative_id", "amount")
    }
    drift = []
    for key in sorted(set(expected) | set(cached)):
        want = expected.get(key, ZERO)
        pk, coop_id, have = cached.get(key, (None, None, None))
        if have is None:
            if want != 0:
                drift.append(f"member {key[0]} {key[1]}: ledger {want}, no cached holding")
        elif have != want:
            drift.append(
                f"holding {pk} (cooperative {coop_id}, member {key[0]} {key[1]}): cached {have}, ledger {want}"
            )
    checked = len(set(expected) | set(cached))
    return CheckResult(checked, f"{checked} holdings match the share ledger.", drift)
