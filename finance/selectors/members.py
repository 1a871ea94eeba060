"""Member accounts (成员账户): contributions, quantified shares and transactions per member and year."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from core.money import ZERO
from finance.choices import MemberAccountEntryKind, TradeDirection
from finance.models import MemberAccountEntry, PatronageTransaction

POVERTY = "poverty"  # shares.choices.ShareClass.POVERTY: 来源于到户类扶贫项目资产的出资额


def contributions_by_member(cooperative, as_of: datetime.date) -> dict[int, Decimal]:
    """Each member's paid-in capital on ``as_of``, from the share ledger (one grouped aggregate)."""
    from shares.models import ShareEntry  # shares is a lower layer: read lazily

    rows = (
        ShareEntry.objects.filter(cooperative=cooperative, effective_on__lte=as_of)
        .values("member_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["member_id"]: r["total"] or ZERO for r in rows}


def patronage_amounts(cooperative, year: int, *, direction: str | None = None) -> dict[int, Decimal]:
    """Transaction amount per member for ``year`` — the basis of the patronage refund (law Art. 44):
    one ``GROUP BY member`` aggregate. ``direction`` narrows to purchases or sales."""
    qs = PatronageTransaction.objects.filter(cooperative=cooperative, date__year=year)
    if direction:
        qs = qs.filter(direction=direction)
    rows = qs.values("member_id").annotate(total=Sum("amount")).order_by()
    return {r["member_id"]: r["total"] for r in rows}


def patronage_volumes(cooperative, year: int) -> dict[int, dict[str, dict[str, Decimal]]]:
    """Quantity and amount per member and product for ``year`` (交易量 and 交易额 by product)."""
    rows = (
        PatronageTransaction.objects.filter(cooperative=cooperative, date__year=year)
        .values("member_id", "product")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    )
    result: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(dict)
    for r in rows:
        result[r["member_id"]][r["product"]] = {"quantity": r["quantity"], "amount": r["amount"]}
    return dict(result)


ENTRY_COLUMNS = [
    MemberAccountEntryKind.RESERVE_SHARE,
    MemberAccountEntryKind.SUBSIDY_SHARE,
    MemberAccountEntryKind.DONATION_SHARE,
    MemberAccountEntryKind.PATRONAGE_REFUND,
    MemberAccountEntryKind.SURPLUS_DISTRIBUTION,
]
# amounts that accumulate year to year (the rest are per year: transactions, refunds, distributions)
CUMULATIVE = {"poverty", "other", *ENTRY_COLUMNS[:3]}


def member_account(member, year: int) -> dict:
    """The member account for ``year`` in the layout of DOMAIN.md §3.5: opening row (from earlier
    years), dated rows, closing row. Totals are SQL aggregates; dated rows are the entries themselves."""
    from shares.models import ShareEntry

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    poverty = Q(share_class=POVERTY)
    before = ShareEntry.objects.filter(member=member, effective_on__lt=start).aggregate(
        poverty=Sum("amount", filter=poverty), other=Sum("amount", filter=~poverty)
    )
    within = ShareEntry.objects.filter(member=member, effective_on__gte=start, effective_on__lte=end)
    during = within.aggregate(poverty=Sum("amount", filter=poverty), other=Sum("amount", filter=~poverty))
    entries_before = (
        MemberAccountEntry.objects.filter(member=member, date__lt=start)
        .values("kind")
        .annotate(t=Sum("amount"))
        .order_by()
    )
    entries_during = (
        MemberAccountEntry.objects.filter(member=member, year=year).values("kind").annotate(t=Sum("amount")).order_by()
    )
    opening = {"poverty": before["poverty"] or ZERO, "other": before["other"] or ZERO}
    for kind in ENTRY_COLUMNS[:3]:
        opening[kind] = ZERO
    for r in entries_before:
        if r["kind"] in CUMULATIVE:
            opening[r["kind"]] = r["t"]
    year_totals = {"poverty": during["poverty"] or ZERO, "other": during["other"] or ZERO}
    for kind in ENTRY_COLUMNS:
        year_totals[kind] = ZERO
    for r in entries_during:
        year_totals[r["kind"]] = r["t"]
    volumes = patronage_volumes_for(member, year)
    products = sorted(volumes)
    rows = []
    for entry in within.order_by("effective_on", "pk"):
        column = "poverty" if entry.share_class == POVERTY else "other"
        rows.append(
            {"date": entry.effective_on, "summary": entry.get_entry_type_display(), "values": {column: entry.amount}}
        )
    for entry in MemberAccountEntry.objects.filter(member=member, year=year).order_by("date", "pk"):
        rows.append(
            {
                "date": entry.date,
                "summary": entry.summary or entry.get_kind_display(),
                "values": {entry.kind: entry.amount},
            }
        )
    for tx in PatronageTransaction.objects.filter(member=member, date__year=year).order_by("date", "pk"):
        rows.append(
            {
                "date": tx.date,
                "summary": f"{tx.get_direction_display()} {tx.product}",
                "values": {f"qty:{tx.product}": tx.quantity, f"amt:{tx.product}": tx.amount},
            }
        )
    rows.sort(key=lambda r: r["date"])
    closing = {
        k: opening.get(k, ZERO) + year_totals.get(k, ZERO) if k in CUMULATIVE else year_totals.get(k, ZERO)
        for k in ["poverty", "other", *ENTRY_COLUMNS]
    }
    for product in products:
        closing[f"qty:{product}"] = volumes[product]["quantity"]
        closing[f"amt:{product}"] = volumes[product]["amount"]
    return {
        "member": member,
        "year": year,
        "products": products,
        "opening": opening,
        "rows": rows,
        "closing": closing,
        "transaction_amount": sum((v["amount"] for v in volumes.values()), ZERO),
    }


def patronage_volumes_for(member, year: int) -> dict[str, dict[str, Decimal]]:
    rows = (
        PatronageTransaction.objects.filter(member=member, date__year=year)
        .values("product")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by("product")
    )
    return {r["product"]: {"quantity": r["quantity"], "amount": r["amount"]} for r in rows}


def member_account_columns(products: list[str]) -> list[tuple[str, str]]:
    """(key, label) of the member account's columns, in the standard's order."""
    columns = [
        ("poverty", "来源于到户类扶贫项目资产的出资额"),
        ("other", "其他来源的出资额"),
        (MemberAccountEntryKind.RESERVE_SHARE, "公积金份额"),
        (MemberAccountEntryKind.SUBSIDY_SHARE, "接受国家财政直接补助形成财产量化份额"),
        (MemberAccountEntryKind.DONATION_SHARE, "接受他人捐赠形成财产量化份额"),
    ]
    columns += [(f"qty:{p}", f"交易量·{p}") for p in products]
    columns += [(f"amt:{p}", f"交易额·{p}") for p in products]
    columns += [
        (MemberAccountEntryKind.PATRONAGE_REFUND, "盈余返还金额"),
        (MemberAccountEntryKind.SURPLUS_DISTRIBUTION, "剩余盈余分配金额"),
    ]
    return columns


__all__ = [
    "TradeDirection",
    "contributions_by_member",
    "member_account",
    "member_account_columns",
    "patronage_amounts",
    "patronage_volumes",
]
