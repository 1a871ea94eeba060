"""Reads of the dividends app: the inputs of a plan (holdings, transactions, the books' surplus),
and the figures pages show."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from core.money import ZERO
from dividends.engine import Holder


def holders_on(cooperative, record_date: datetime.date, year: int) -> list[Holder]:
    """Every member with capital on ``record_date`` or transactions in ``year``: holdings by class
    from the share ledger, quantified shares from the member account, transactions of the year.
    Four grouped queries, whatever the number of members."""
    from finance.choices import MemberAccountEntryKind as K
    from finance.models import MemberAccountEntry, PatronageTransaction
    from members.models import Member
    from shares.models import ShareEntry

    holders: dict[int, Holder] = {
        pk: Holder(member_id=pk, number=number, name=name)
        for pk, number, name in Member.objects.filter(cooperative=cooperative).values_list("pk", "number", "name")
    }
    # rows as tuples, not dicts: each query returns a row per member
    for member_id, share_class, total in (
        ShareEntry.objects.filter(cooperative=cooperative, effective_on__lte=record_date)
        .values("member_id", "share_class")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "share_class", "total")
        .order_by()
    ):
        holder = holders.get(member_id)
        if holder is not None and share_class in ("ordinary", "collective", "poverty"):
            setattr(holder, share_class, total or ZERO)
    for member_id, total in (
        MemberAccountEntry.objects.filter(
            cooperative=cooperative,
            date__lte=record_date,
            kind__in=[K.RESERVE_SHARE, K.SUBSIDY_SHARE, K.DONATION_SHARE],
        )
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "total")
        .order_by()
    ):
        if member_id in holders:
            holders[member_id].quantified = total or ZERO
    for member_id, amount, volume in (
        PatronageTransaction.objects.filter(cooperative=cooperative, date__year=year)
        .values("member_id")
        .annotate(amount=Sum("amount"), volume=Sum("quantity"))
        .values_list("member_id", "amount", "volume")
        .order_by()
    ):
        if member_id in holders:
            holders[member_id].amount = amount or ZERO
            holders[member_id].volume = volume or ZERO
    return [
        h
        for h in sorted(holders.values(), key=lambda h: h.number)
        if h.capital > 0 or h.quantified > 0 or h.amount > 0 or h.volume > 0
    ]


def books_surplus(cooperative, year: int) -> dict:
    """The year's surplus (本年盈余) and the loss carried in, from the books of ``year``.

    ``status`` is "closed", "open" or "none" (no books of that year in Lingban). The surplus is what
    the month-end transfers credited to the surplus account (331) over the year; the loss carried in
    is a debit opening balance of undistributed surplus (332 未分配盈余)."""
    from finance.choices import FiscalYearStatus, VoucherKind
    from finance.models import CooperativeBooks, FiscalYear, OpeningBalance, VoucherLine

    books = CooperativeBooks.objects.select_related("chart").filter(cooperative=cooperative).first()
    fiscal_year = FiscalYear.objects.filter(cooperative=cooperative, year=year).first() if books else None
    if fiscal_year is None:
        return {"status": "none", "surplus": None, "prior_loss": ZERO}
    if fiscal_year.status != FiscalYearStatus.CLOSED:
        return {"status": "open", "surplus": None, "prior_loss": ZERO}
    chart = books.chart
    moved = VoucherLine.objects.filter(
        period__fiscal_year=fiscal_year,
        is_posted=True,
        account__code=chart.surplus_code,
        voucher__kind=VoucherKind.PERIOD_CLOSE,
    ).aggregate(cr=Sum("credit"), dr=Sum("debit"))
    surplus = (moved["cr"] or ZERO) - (moved["dr"] or ZERO)
    opening = (
        OpeningBalance.objects.filter(fiscal_year=fiscal_year, account__code=chart.undistributed_code).aggregate(
            t=Sum("amount")
        )["t"]
        or ZERO
    )
    return {"status": "closed", "surplus": surplus, "prior_loss": max(opening, ZERO)}


def plan_totals(plan) -> dict[str, Decimal]:
    """Sums of a plan's member allocations (one aggregate), to show they add up to the pools."""
    return plan.allocations.aggregate(
        patronage=Sum("patronage_refund", default=ZERO),
        shares=Sum("share_dividend", default=ZERO),
        total=Sum("total", default=ZERO),
        conversion=Sum("capital_conversion", default=ZERO),
        capital=Sum("share_weight", default=ZERO),
        paid=Sum("payout__amount", filter=Q(payout__status="paid"), default=ZERO),
    )


def step_rows(plan) -> list[dict]:
    """The stored step amounts with their labels, for pages and the notice."""
    from dividends.choices import RateMode, StepKind

    rows = []
    for s in plan.steps:
        rows.append(
            {
                **s,
                "label": StepKind(s["kind"]).label,
                "mode_label": RateMode(s["mode"]).label,
                "rate_pct": None if s["rate"] is None else Decimal(s["rate"]) * 100,
                "amount": Decimal(s["amount"]),
                "base": Decimal(s["base"]),
            }
        )
    return rows
