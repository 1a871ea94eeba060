"""Books: the range a report covers, trial balance, general ledger, subsidiary ledgers and journals.

Every figure is a SQL aggregate over posted voucher lines (``SUM … FILTER (WHERE …) GROUP BY
account``) plus the year's opening balances; Python only rolls leaf totals up to their parents
(tens of accounts, never the lines).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import BusinessError
from core.money import ZERO
from finance.choices import FiscalYearStatus, PeriodStatus, VoucherStatus
from finance.models import Account, CooperativeBooks, FiscalYear, OpeningBalance, Period, Voucher, VoucherLine


@dataclass
class LedgerRange:
    """A fiscal year and a run of its months, ``period_from``..``period_to`` (1–12)."""

    fiscal_year: FiscalYear
    periods: list[Period]
    period_from: int
    period_to: int

    @property
    def cooperative_id(self) -> int:
        return self.fiscal_year.cooperative_id

    def ids(self, first: int, last: int) -> list[int]:
        return [p.pk for p in self.periods if first <= p.number <= last]

    @property
    def range_ids(self) -> list[int]:
        return self.ids(self.period_from, self.period_to)

    @property
    def before_ids(self) -> list[int]:
        return self.ids(1, self.period_from - 1)

    @property
    def upto_ids(self) -> list[int]:
        return self.ids(1, self.period_to)

    @property
    def start_date(self) -> datetime.date:
        return self.periods[self.period_from - 1].start_date

    @property
    def end_date(self) -> datetime.date:
        return self.periods[self.period_to - 1].end_date

    @property
    def label(self) -> str:
        year = self.fiscal_year.year
        if self.period_from == self.period_to:
            return f"{year}年{self.period_to}月"
        return f"{year}年{self.period_from}—{self.period_to}月"

    def as_dict(self) -> dict:
        return {"year": self.fiscal_year.year, "period_from": self.period_from, "period_to": self.period_to}


def books_of(cooperative) -> CooperativeBooks | None:
    return CooperativeBooks.objects.select_related("chart").filter(cooperative=cooperative).first()


def _int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BusinessError(_("%(name)s must be a whole number.") % {"name": name}, code="invalid_range") from exc


def resolve_range(cooperative, *, year=None, period_from=None, period_to=None) -> LedgerRange:
    """The range asked for, with defaults: the year containing today (else the latest), months 1
    to the later of the first open month and the last month with a posted voucher (the whole year
    once every month is closed): in December the December vouchers show even while earlier months
    are still open."""
    year, period_from, period_to = _int(year, "year"), _int(period_from, "from"), _int(period_to, "to")
    years = FiscalYear.objects.filter(cooperative=cooperative)
    if year is not None:
        fiscal_year = years.filter(year=year).first()
        if fiscal_year is None:
            raise BusinessError(_("This cooperative has no fiscal year %(year)s.") % {"year": year}, code="no_year")
    else:
        fiscal_year = years.filter(year=timezone.localdate().year).first() or years.order_by("-year").first()
        if fiscal_year is None:
            raise BusinessError(_("The books of this cooperative are not open yet."), code="books_not_open")
    posted = Voucher.objects.filter(period=OuterRef("pk"), status=VoucherStatus.POSTED)
    periods = list(
        Period.objects.filter(fiscal_year=fiscal_year).annotate(has_postings=Exists(posted)).order_by("number")
    )
    if period_to is None:
        first_open = next((p.number for p in periods if p.status == PeriodStatus.OPEN), None)
        last_posted = max((p.number for p in periods if p.has_postings), default=0)
        period_to = 12 if first_open is None else max(first_open, last_posted)
    if period_from is None:
        period_from = 1
    if not (1 <= period_from <= period_to <= 12):
        raise BusinessError(_("Choose months from 1 to 12, the first not after the last."), code="invalid_range")
    return LedgerRange(fiscal_year, periods, period_from, period_to)


@dataclass
class BalanceRow:
    account: Account
    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def opening_dr(self) -> Decimal:
        return self.opening if self.opening > 0 else ZERO

    @property
    def opening_cr(self) -> Decimal:
        return -self.opening if self.opening < 0 else ZERO

    @property
    def closing_dr(self) -> Decimal:
        return self.closing if self.closing > 0 else ZERO

    @property
    def closing_cr(self) -> Decimal:
        return -self.closing if self.closing < 0 else ZERO

    @property
    def is_empty(self) -> bool:
        return not (self.opening or self.debit or self.credit)

    def as_dict(self) -> dict:
        return {
            "code": self.account.code,
            "name": self.account.name,
            "level": self.account.level,
            "opening_debit": self.opening_dr,
            "opening_credit": self.opening_cr,
            "debit": self.debit,
            "credit": self.credit,
            "closing_debit": self.closing_dr,
            "closing_credit": self.closing_cr,
        }


@dataclass
class TrialBalance:
    range: LedgerRange
    rows: list[BalanceRow]
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def is_balanced(self) -> bool:
        t = self.totals
        return (
            t["opening_debit"] == t["opening_credit"]
            and t["debit"] == t["credit"]
            and t["closing_debit"] == t["closing_credit"]
        )


def _ancestors(code: str) -> list[str]:
    return [code[:n] for n in range(3, len(code) + 1, 2)]


def account_rows(rng: LedgerRange) -> dict[str, BalanceRow]:
    """Opening, movement in the range and closing for every account (leaves and their parents):
    one aggregate over the lines, one over the opening balances."""
    accounts = list(Account.objects.filter(cooperative_id=rng.cooperative_id).order_by("code"))
    rows = {a.code: BalanceRow(a) for a in accounts}
    by_id = {a.pk: a.code for a in accounts}
    for item in (
        OpeningBalance.objects.filter(fiscal_year=rng.fiscal_year)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        for code in _ancestors(by_id[item["account_id"]]):
            rows[code].opening += item["total"]
    before, within = rng.before_ids, rng.range_ids
    aggregates = {
        "d": Sum("debit", filter=Q(period_id__in=within)),
        "c": Sum("credit", filter=Q(period_id__in=within)),
    }
    if before:
        aggregates["bd"] = Sum("debit", filter=Q(period_id__in=before))
        aggregates["bc"] = Sum("credit", filter=Q(period_id__in=before))
    lines = (
        VoucherLine.objects.filter(cooperative_id=rng.cooperative_id, is_posted=True, period_id__in=rng.upto_ids)
        .values("account_id")
        .annotate(**aggregates)
        .order_by()
    )
    for item in lines:
        for code in _ancestors(by_id[item["account_id"]]):
            row = rows[code]
            row.opening += (item.get("bd") or ZERO) - (item.get("bc") or ZERO)
            row.debit += item["d"] or ZERO
            row.credit += item["c"] or ZERO
    return rows


def trial_balance(rng: LedgerRange, *, level: int = 1, include_empty: bool = False) -> TrialBalance:
    """科目余额表: opening, period debit and credit, closing, per account down to ``level``; the
    totals (over level-1 accounts) balance: Σ debit = Σ credit in each pair of columns."""
    rows = account_rows(rng)
    shown = [r for r in rows.values() if r.account.level <= level and (include_empty or not r.is_empty)]
    top = [r for r in rows.values() if r.account.level == 1]
    totals = {
        "opening_debit": sum((r.opening_dr for r in top), ZERO),
        "opening_credit": sum((r.opening_cr for r in top), ZERO),
        "debit": sum((r.debit for r in top), ZERO),
        "credit": sum((r.credit for r in top), ZERO),
        "closing_debit": sum((r.closing_dr for r in top), ZERO),
        "closing_credit": sum((r.closing_cr for r in top), ZERO),
    }
    return TrialBalance(rng, shown, totals)


def subtree_ids(cooperative_id: int, code: str) -> list[int]:
    return list(
        Account.objects.filter(cooperative_id=cooperative_id, code__startswith=code).values_list("pk", flat=True)
    )


def general_ledger(rng: LedgerRange, account: Account) -> dict:
    """总账 of one account: the year's opening, then per month debit, credit and balance, with the
    year-to-date totals (one aggregate grouped by month)."""
    ids = subtree_ids(rng.cooperative_id, account.code)
    opening = (
        OpeningBalance.objects.filter(fiscal_year=rng.fiscal_year, account_id__in=ids).aggregate(t=Sum("amount"))["t"]
        or ZERO
    )
    sums = {
        item["period_id"]: item
        for item in VoucherLine.objects.filter(
            cooperative_id=rng.cooperative_id, is_posted=True, account_id__in=ids, period_id__in=rng.upto_ids
        )
        .values("period_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    }
    months = []
    balance = opening
    year_debit = year_credit = ZERO
    for period in rng.periods[: rng.period_to]:
        item = sums.get(period.pk, {})
        debit, credit = item.get("d") or ZERO, item.get("c") or ZERO
        balance += debit - credit
        year_debit += debit
        year_credit += credit
        months.append(
            {
                "period": period,
                "debit": debit,
                "credit": credit,
                "balance": balance,
                "year_debit": year_debit,
                "year_credit": year_credit,
            }
        )
    return {"account": account, "opening": opening, "months": months, "closing": balance}


def ledger_lines(rng: LedgerRange, account: Account, *, member=None, project=None):
    """明细账 (and the cash and bank journals): the opening balance before the range and the
    range's posted lines with their running balance (a SQL window sum)."""
    ids = subtree_ids(rng.cooperative_id, account.code)
    dims = {}
    if member is not None:
        dims["member"] = member
    if project is not None:
        dims["project"] = project
    opening = (
        OpeningBalance.objects.filter(fiscal_year=rng.fiscal_year, account_id__in=ids, **dims).aggregate(
            t=Sum("amount")
        )["t"]
        or ZERO
    )
    if rng.before_ids:
        before = VoucherLine.objects.filter(
            cooperative_id=rng.cooperative_id, is_posted=True, account_id__in=ids, period_id__in=rng.before_ids, **dims
        ).aggregate(t=Sum(F("debit") - F("credit")))["t"]
        opening += before or ZERO
    order = [F("voucher__date").asc(), F("voucher__number").asc(), F("line_no").asc(), F("pk").asc()]
    lines = (
        VoucherLine.objects.filter(
            cooperative_id=rng.cooperative_id, is_posted=True, account_id__in=ids, period_id__in=rng.range_ids, **dims
        )
        .select_related("voucher", "account", "member", "project", "period")
        .annotate(running=Window(Sum(F("debit") - F("credit")), order_by=order))
        .order_by(*order)
    )
    totals = VoucherLine.objects.filter(
        cooperative_id=rng.cooperative_id, is_posted=True, account_id__in=ids, period_id__in=rng.range_ids, **dims
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    debit, credit = totals["d"] or ZERO, totals["c"] or ZERO
    return {
        "account": account,
        "opening": opening,
        "lines": lines,
        "debit": debit,
        "credit": credit,
        "closing": opening + debit - credit,
    }


def direction(balance: Decimal) -> str:
    """借 / 贷 / 平, as ledgers print the side of a balance."""
    if balance > 0:
        return "借"
    if balance < 0:
        return "贷"
    return "平"


def cash_and_bank(cooperative, books: CooperativeBooks | None = None) -> dict | None:
    """Today's cash and bank balances (for the cooperative page): opening of the current year plus
    its posted lines — one aggregate over lines, one over opening balances."""
    books = books or books_of(cooperative)
    if books is None:
        return None
    today = timezone.localdate()
    years = FiscalYear.objects.filter(cooperative=cooperative)
    fiscal_year = years.filter(year=today.year).first() or years.order_by("-year").first()
    if fiscal_year is None:
        return None
    cash, bank = books.chart.cash_code, books.chart.bank_code
    opening = OpeningBalance.objects.filter(fiscal_year=fiscal_year).aggregate(
        cash=Sum("amount", filter=Q(account__code__startswith=cash)),
        bank=Sum("amount", filter=Q(account__code__startswith=bank)),
    )
    moved = VoucherLine.objects.filter(
        cooperative=cooperative, is_posted=True, period__fiscal_year=fiscal_year
    ).aggregate(
        cash=Sum(F("debit") - F("credit"), filter=Q(account__code__startswith=cash)),
        bank=Sum(F("debit") - F("credit"), filter=Q(account__code__startswith=bank)),
    )
    open_period = Period.objects.filter(fiscal_year=fiscal_year, status=PeriodStatus.OPEN).order_by("number").first()
    return {
        "fiscal_year": fiscal_year,
        "current_period": open_period,
        "year_closed": fiscal_year.status == FiscalYearStatus.CLOSED,
        "cash": (opening["cash"] or ZERO) + (moved["cash"] or ZERO),
        "bank": (opening["bank"] or ZERO) + (moved["bank"] or ZERO),
    }
