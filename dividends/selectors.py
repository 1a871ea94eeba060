"""Reads of the dividends app: the inputs of a plan (holdings, transactions, the books' surplus),
and the figures pages show."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum

from core.money import ZERO
from dividends.engine import Holder


def holders_on(cooperative, record_date: datetime.date, year: int, *, leaver_share: str = "year_end") -> list[Holder]:
    """Every member of ``year`` with capital on ``record_date``, quantified shares or transactions in
    the year: holdings by class from the share ledger, quantified shares from the member account,
    transactions of the year. Four grouped queries, whatever the number of members.

    * Collective shares are the village collective's whoever holds them (DOMAIN.md §1.3): those a
      person holds on its behalf count for the collective member, shown apart.
    * A member who leaves at the end of the year takes part in it (law Art. 28): a withdrawal that
      takes effect at the year end counts from the next day. Former members (left before the year)
      get nothing.
    * ``leaver_share`` "days" (the charter's rule): capital weighs by the days it was held in the year.
    """
    from finance.choices import MemberAccountEntryKind as K
    from finance.models import MemberAccountEntry, PatronageTransaction
    from members.models import Member
    from members.selectors import collective_member_id
    from shares.models import ShareEntry

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = (last - first).days + 1
    collective = collective_member_id(cooperative.pk)
    holders: dict[int, Holder] = {
        pk: Holder(member_id=pk, number=number, name=name, days=days)
        for pk, number, name in Member.objects.filter(cooperative=cooperative, joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .values_list("pk", "number", "name")
    }
    by_days = leaver_share == "days"
    # the refund of a withdrawal effective at the year end is made after the year's distribution
    year_end_refund = Q(entry_type="withdraw", effective_on__gte=last)
    held = (
        ShareEntry.objects.filter(cooperative=cooperative, effective_on__lte=max(record_date, last))
        .values("member_id", "share_class")
        .annotate(
            total=Sum("amount", filter=Q(effective_on__lte=record_date) & ~year_end_refund, default=ZERO),
            **(
                {
                    "weighted": Sum(
                        ExpressionWrapper(
                            F("amount") * _days_held(first, last),
                            output_field=DecimalField(max_digits=24, decimal_places=2),
                        ),
                        filter=~year_end_refund,
                        default=ZERO,
                    )
                }
                if by_days
                else {}
            ),
        )
        .order_by()
    )
    for row in held:
        member_id, share_class, total = row["member_id"], row["share_class"], row["total"]
        owner_id = collective if share_class == "collective" and collective else member_id
        holder = holders.get(owner_id)
        if holder is None or share_class not in ("ordinary", "collective", "poverty"):
            continue
        setattr(holder, share_class, getattr(holder, share_class) + total)
        if share_class == "collective" and owner_id != member_id:
            holder.held_for_collective += total
        if by_days:
            holder.capital_days = (holder.capital_days or ZERO) + row["weighted"]
    for member_id, kind, total in (
        MemberAccountEntry.objects.filter(
            cooperative=cooperative,
            date__lte=record_date,
            kind__in=[K.RESERVE_SHARE, K.SUBSIDY_SHARE, K.DONATION_SHARE],
        )
        .values("member_id", "kind")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "kind", "total")
        .order_by()
    ):
        if member_id in holders and total:
            holders[member_id].quantified += total
            if kind == K.RESERVE_SHARE:
                holders[member_id].reserve += total
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
    if by_days:
        for holder in holders.values():
            if holder.capital_days is None:
                holder.capital_days = ZERO
    return [
        h
        for h in sorted(holders.values(), key=lambda h: h.number)
        if h.capital > 0 or h.capital_weight > 0 or h.quantified > 0 or h.amount > 0 or h.volume > 0
    ]


def _days_held(first: datetime.date, last: datetime.date):
    """Days of the year from an entry's effective date to the year end (the whole year for an entry
    before it, none after it), as an SQL expression."""
    from django.db.models import Case, DateField, Func, IntegerField, Value, When

    span = (last - first).days + 1
    # date − date is a number of days in PostgreSQL
    until_year_end = Func(
        Value(last, output_field=DateField()),
        F("effective_on"),
        template="(%(expressions)s + 1)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )
    return Case(
        When(effective_on__lt=first, then=Value(span)),
        When(effective_on__gt=last, then=Value(0)),
        default=until_year_end,
        output_field=IntegerField(),
    )


def books_surplus(cooperative, year: int) -> dict:
    """The year's surplus (本年盈余) before the plan's own entries, and the loss carried in.

    ``status``: "closed" (the year is closed), "ready" (its twelve months are closed: the surplus is
    final and the plan's entries go into December, before the year closes), "open", or "none" (no
    books of that year in Lingban). The surplus is the year's profit and loss — income less
    expenses, closing transfers and the distribution's own entries (its rewards) left out — so a
    plan drafted again after its rewards were booked sees the same figure. The loss carried in is a
    debit opening balance of undistributed surplus (332 未分配盈余).
    """
    from finance.choices import PROFIT_AND_LOSS, FiscalYearStatus, PeriodStatus, VoucherKind
    from finance.models import CooperativeBooks, FiscalYear, OpeningBalance, VoucherLine

    books = CooperativeBooks.objects.select_related("chart").filter(cooperative=cooperative).first()
    fiscal_year = FiscalYear.objects.filter(cooperative=cooperative, year=year).first() if books else None
    if fiscal_year is None:
        return {"status": "none", "surplus": None, "prior_loss": ZERO}
    if fiscal_year.status == FiscalYearStatus.CLOSED:
        status = "closed"
    elif not fiscal_year.periods.filter(status=PeriodStatus.OPEN).exists():
        status = "ready"
    else:
        return {"status": "open", "surplus": None, "prior_loss": ZERO}
    chart = books.chart
    moved = (
        VoucherLine.objects.filter(
            period__fiscal_year=fiscal_year,
            is_posted=True,
            is_closing=False,
            account__category__in=PROFIT_AND_LOSS,
        )
        .exclude(voucher__kind=VoucherKind.DISTRIBUTION)
        .aggregate(cr=Sum("credit"), dr=Sum("debit"))
    )
    surplus = (moved["cr"] or ZERO) - (moved["dr"] or ZERO)
    opening = (
        OpeningBalance.objects.filter(fiscal_year=fiscal_year, account__code=chart.undistributed_code).aggregate(
            t=Sum("amount")
        )["t"]
        or ZERO
    )
    return {"status": status, "surplus": surplus, "prior_loss": max(opening, ZERO), "fiscal_year": fiscal_year}


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


def payouts_comparison(scope) -> tuple[str, str, dict]:
    """The tie-out's comparison of the payout list with the books (``finance.selectors.tieout``):
    what each member has not been paid yet = what 应付盈余返还 and 应付剩余盈余 still owe them. Only
    where those accounts are kept for distributions (the cooperative chart)."""
    from finance.selectors.tieout import BOOKS_SQL

    coops = scope.dedicated_payables
    register = """
    SELECT pl.cooperative_id, p.member_id, p.amount
      FROM dividends_payout p JOIN dividends_distributionplan pl ON pl.id = p.plan_id
     WHERE p.status = 'unpaid' AND pl.cooperative_id = ANY(%(coops)s)
    """
    accounts = sorted(set(scope.ids("patronage_payable", coops)) | set(scope.ids("dividend_payable", coops)))
    return register, BOOKS_SQL.format(key="accounts"), {"accounts": accounts, "only": sorted(coops)}


# -- the home page's to-do list (core.todo): one query each ----------------------------------


def plans_in_state(user, states, roles, action: str = "view"):
    """Plans in one of ``states`` in the villages where ``user`` holds one of ``roles``, the longest waiting first.

    A plan submitted by the accountant waits for the chair's check as a plan (state "checking"), not
    as an approval request: the approval engine sees it only when the plan is filed with the township.
    """
    from core.todo import within
    from dividends.models import DistributionPlan

    return (
        DistributionPlan.objects.for_user(user, action)
        .filter(within(user, roles), state__in=list(states))
        .select_related("cooperative__village")
        .order_by("updated_at", "pk")
    )


def new_statements(user, since: datetime.date):
    """A member's statements of plans filed or carried out from ``since`` on, newest first."""
    from dividends.models import MemberAllocation
    from dividends.views import MEMBER_VISIBLE

    return (
        MemberAllocation.objects.for_user(user)
        .filter(member__user=user, plan__state__in=MEMBER_VISIBLE, plan__updated_at__date__gte=since)
        .select_related("plan__cooperative__village")
        .order_by("-plan__updated_at", "pk")
    )
