"""Closing a month and a year (DOMAIN.md §3.3 "Period end" and "Year end").

Closing a month first books its depreciation (the asset register), then transfers every
profit-and-loss balance to the current-year surplus account (331
本年盈余; 321 本年收益 on the village collective chart) with an automatic voucher: income accounts
into its credit, expense accounts into its debit. Closing the year moves that surplus to
undistributed surplus (332 盈余分配—未分配盈余), clears the allocations sub-account into it, and
carries every balance forward as the next year's opening balances.

A closed month reopens (反结账) only by the township's decision on the accountant's reasoned request
(the approval engine's ``period_reopen`` kind), only the last closed month of an open year, so the
months after it are all open and nothing they report was built on the month that changes. Its
transfer voucher stays; closing it again transfers only what was posted since, and the month's
numbering runs on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import ZERO
from core.tenancy import assert_in_scope
from finance.choices import (
    PROFIT_AND_LOSS,
    UNPOSTED,
    AccountCategory,
    FiscalYearStatus,
    PeriodStatus,
    VoucherKind,
    VoucherStatus,
)
from finance.models import Account, CooperativeBooks, FiscalYear, OpeningBalance, Period, Voucher, VoucherLine
from finance.services.assets import depreciation_due, depreciation_post
from finance.services.books import _create_year
from finance.services.vouchers import LineInput, create_posted_voucher_row

logger = logging.getLogger(__name__)
SHOWN_UNPOSTED = 20

# What must be done before a year closes, from the apps above finance (the slot pattern): the
# distribution plan of the year is carried out into the year before it closes. Each check is
# called with the fiscal year and raises StateConflict saying what to do.
_year_close_checks: list = []


def register_year_close_check(check) -> None:
    if check not in _year_close_checks:
        _year_close_checks.append(check)


def _side(account: Account, balance: Decimal, **dims) -> LineInput:
    """The line that brings ``balance`` (debit positive) of ``account`` to nil."""
    if balance > 0:
        return LineInput(account=account, credit=balance, **dims)
    return LineInput(account=account, debit=-balance, **dims)


def _balances(fiscal_year: FiscalYear, up_to: int, accounts) -> list[dict]:
    """Posted balances per account, member and project at the end of month ``up_to`` (one aggregate)."""
    return list(
        VoucherLine.objects.filter(
            cooperative_id=fiscal_year.cooperative_id,
            period__fiscal_year=fiscal_year,
            period__number__lte=up_to,
            is_posted=True,
            account__in=accounts,
        )
        .values("account_id", "member_id", "project_id")
        .annotate(balance=Sum(F("debit") - F("credit")))
        .exclude(balance=0)
        .order_by("account_id", "member_id", "project_id")
    )


def _dims(row: dict, members: dict, projects: dict) -> dict:
    return {"member": members.get(row["member_id"]), "project": projects.get(row["project_id"])}


def _dimension_objects(rows: list[dict]):
    from finance.models import Project
    from members.models import Member

    members = Member.objects.in_bulk({r["member_id"] for r in rows if r["member_id"]})
    projects = Project.objects.in_bulk({r["project_id"] for r in rows if r["project_id"]})
    return members, projects


def _account(cooperative_id: int, code: str) -> Account:
    account = Account.objects.filter(cooperative_id=cooperative_id, code=code).first()
    if account is None:
        raise BusinessError(_("Account %(code)s is missing from these books.") % {"code": code}, code="missing_account")
    return account


def _refuse_unposted(period: Period) -> None:
    unposted = list(
        Voucher.objects.filter(period=period, status__in=UNPOSTED).order_by("date", "pk")[: SHOWN_UNPOSTED + 1]
    )
    if not unposted:
        return
    listed = "; ".join(
        f"{v.date:%m-%d} {v.summary}（{v.get_status_display()}，#{v.pk}）" for v in unposted[:SHOWN_UNPOSTED]
    )
    more = len(unposted) > SHOWN_UNPOSTED
    raise StateConflict(
        _(
            "%(period)s cannot close: these vouchers are not posted: %(list)s%(more)s. "
            "Post, approve or delete them first."
        )
        % {"period": period.label, "list": listed, "more": " …" if more else ""},
        code="unposted_vouchers",
        params={"vouchers": [v.pk for v in unposted[:SHOWN_UNPOSTED]]},
    )


@transaction.atomic
def period_close(*, actor: User, period: Period) -> Period:
    """Close a month: every voucher posted, profit and loss transferred to the surplus account."""
    period = Period.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=period.pk)
    fiscal_year = period.fiscal_year
    assert_in_scope(actor, period, "close")
    if period.status == PeriodStatus.CLOSED:
        raise StateConflict(_("%(period)s is already closed.") % {"period": period.label}, code="already_closed")
    earlier = fiscal_year.periods.filter(number__lt=period.number, status=PeriodStatus.OPEN).order_by("number").first()
    if earlier is not None:
        raise StateConflict(
            _("Close the months in order: %(period)s is still open.") % {"period": earlier.label}, code="close_in_order"
        )
    previous = FiscalYear.objects.filter(cooperative_id=fiscal_year.cooperative_id, year=fiscal_year.year - 1).first()
    if previous is not None and previous.status != FiscalYearStatus.CLOSED:
        raise StateConflict(
            _("Close fiscal year %(year)s first: its closing balances open this year.") % {"year": previous.year},
            code="previous_year_open",
        )
    _refuse_unposted(period)
    # the month's depreciation first, so that the transfer below carries it (asset register)
    depreciation_post(actor=actor, period=period)

    books = CooperativeBooks.objects.select_related("chart").get(cooperative_id=fiscal_year.cooperative_id)
    pl_accounts = Account.objects.filter(cooperative_id=fiscal_year.cooperative_id, category__in=PROFIT_AND_LOSS)
    rows = _balances(fiscal_year, period.number, pl_accounts)
    if rows:
        accounts = Account.objects.in_bulk({r["account_id"] for r in rows})
        members, projects = _dimension_objects(rows)
        surplus = _account(fiscal_year.cooperative_id, books.chart.surplus_code)
        lines: list[LineInput] = []
        income = expense = ZERO
        for row in rows:
            account = accounts[row["account_id"]]
            lines.append(_side(account, row["balance"], **_dims(row, members, projects)))
            if account.category == AccountCategory.INCOME:
                income += row["balance"]
            else:
                expense += row["balance"]
        # income accounts (credit balances) go to the credit of 331, expense accounts to its debit
        if income:
            lines.append(
                LineInput(account=surplus, debit=income) if income > 0 else LineInput(account=surplus, credit=-income)
            )
        if expense:
            lines.append(
                LineInput(account=surplus, debit=expense)
                if expense > 0
                else LineInput(account=surplus, credit=-expense)
            )
        # 结转本月损益 — bookkeeping text of record, kept in the standard's language
        create_posted_voucher_row(
            actor=actor,
            cooperative=fiscal_year.cooperative,
            period=period,
            date=period.end_date,
            summary=f"结转{period.label}损益",
            lines=lines,
            kind=VoucherKind.PERIOD_CLOSE,
        )
    period.refresh_from_db()
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = actor
    period.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    logger.info("finance.period.closed", extra={"period_id": period.pk})
    return period


def closing_balances(fiscal_year: FiscalYear) -> dict[tuple, Decimal]:
    """Every balance at the year's end per (account, member, project): opening + posted lines."""
    totals: dict[tuple, Decimal] = {}
    for row in (
        OpeningBalance.objects.filter(fiscal_year=fiscal_year)
        .values("account_id", "member_id", "project_id")
        .annotate(balance=Sum("amount"))
        .order_by()
    ):
        key = (row["account_id"], row["member_id"], row["project_id"])
        totals[key] = totals.get(key, ZERO) + row["balance"]
    for row in (
        VoucherLine.objects.filter(period__fiscal_year=fiscal_year, is_posted=True)
        .values("account_id", "member_id", "project_id")
        .annotate(balance=Sum(F("debit") - F("credit")))
        .order_by()
    ):
        key = (row["account_id"], row["member_id"], row["project_id"])
        totals[key] = totals.get(key, ZERO) + row["balance"]
    return {k: v for k, v in totals.items() if v}


@transaction.atomic
def fiscal_year_close(*, actor: User, fiscal_year: FiscalYear) -> FiscalYear:
    """Close the year after December: 331 → 332 未分配盈余, 各项分配 cleared into it, balances carried
    forward to the next year's opening (the next year is opened if needed)."""
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    assert_in_scope(actor, fiscal_year, "close")
    if fiscal_year.status == FiscalYearStatus.CLOSED:
        raise StateConflict(
            _("Fiscal year %(year)s is already closed.") % {"year": fiscal_year.year}, code="already_closed"
        )
    still_open = list(fiscal_year.periods.filter(status=PeriodStatus.OPEN).order_by("number"))
    if still_open:
        raise StateConflict(
            _("Close every month first; still open: %(months)s.") % {"months": "、".join(p.label for p in still_open)},
            code="months_open",
        )
    previous = FiscalYear.objects.filter(cooperative_id=fiscal_year.cooperative_id, year=fiscal_year.year - 1).first()
    if previous is not None and previous.status != FiscalYearStatus.CLOSED:
        raise StateConflict(_("Close fiscal year %(year)s first.") % {"year": previous.year}, code="previous_year_open")
    for check in _year_close_checks:
        check(fiscal_year)
    december = Period.objects.select_for_update().get(fiscal_year=fiscal_year, number=12)
    coop_id = fiscal_year.cooperative_id
    chart = CooperativeBooks.objects.select_related("chart").get(cooperative_id=coop_id).chart
    surplus = _account(coop_id, chart.surplus_code)
    undistributed = _account(coop_id, chart.undistributed_code)
    allocations = Account.objects.filter(cooperative_id=coop_id, code__startswith=chart.allocation_code, is_leaf=True)
    surplus_rows = _balances(fiscal_year, 12, [surplus])
    allocation_rows = _balances(fiscal_year, 12, allocations)
    lines: list[LineInput] = []
    # Dr 331, Cr 332 未分配盈余 (a loss the other way round)
    for row in surplus_rows:
        lines.append(_side(surplus, row["balance"]))
        lines.append(
            LineInput(account=undistributed, credit=-row["balance"])
            if row["balance"] < 0
            else LineInput(account=undistributed, debit=row["balance"])
        )
    # Dr 332 未分配盈余, Cr 332 各项分配 (各项分配 is nil at year end)
    if allocation_rows:
        accounts = Account.objects.in_bulk({r["account_id"] for r in allocation_rows})
        members, projects = _dimension_objects(allocation_rows)
        cleared = ZERO
        for row in allocation_rows:
            lines.append(_side(accounts[row["account_id"]], row["balance"], **_dims(row, members, projects)))
            cleared += row["balance"]
        lines.append(
            LineInput(account=undistributed, debit=cleared)
            if cleared > 0
            else LineInput(account=undistributed, credit=-cleared)
        )
    if lines:
        create_posted_voucher_row(
            actor=actor,
            cooperative=fiscal_year.cooperative,
            period=december,
            date=december.end_date,
            summary=f"结转{fiscal_year.year}年本年盈余及盈余分配",
            lines=lines,
            kind=VoucherKind.YEAR_CLOSE,
        )
    fiscal_year.status = FiscalYearStatus.CLOSED
    fiscal_year.closed_at = timezone.now()
    fiscal_year.closed_by = actor
    fiscal_year.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    _carry_forward(fiscal_year)
    logger.info("finance.year.closed", extra={"fiscal_year_id": fiscal_year.pk})
    return fiscal_year


def _carry_forward(fiscal_year: FiscalYear) -> FiscalYear:
    coop = fiscal_year.cooperative
    following = FiscalYear.objects.select_for_update().filter(cooperative=coop, year=fiscal_year.year + 1).first()
    if following is None:
        following = _create_year(coop, fiscal_year.year + 1, carried_from=fiscal_year)
    else:
        following.carried_from = fiscal_year
        following.save(update_fields=["carried_from", "updated_at"])
    pl_ids = set(Account.objects.filter(cooperative=coop, category__in=PROFIT_AND_LOSS).values_list("pk", flat=True))
    balances = closing_balances(fiscal_year)
    stray = [key for key in balances if key[0] in pl_ids]
    if stray:  # every month closed, so profit and loss is nil; anything else is a bug to stop on
        raise StateConflict(_("Profit-and-loss accounts still carry balances."), code="pl_not_closed")
    OpeningBalance.objects.filter(fiscal_year=following).delete()
    OpeningBalance.objects.bulk_create(
        [
            OpeningBalance(
                cooperative=coop,
                region_code=coop.region_code,
                fiscal_year=following,
                account_id=account_id,
                member_id=member_id,
                project_id=project_id,
                amount=amount,
            )
            for (account_id, member_id, project_id), amount in sorted(balances.items(), key=lambda kv: str(kv[0]))
        ]
    )
    return following


@dataclass(frozen=True)
class ClosePreview:
    """What closing ``period`` will do, for the confirmation page: the income and expenses of the
    year to date still on the profit-and-loss accounts and the surplus they leave."""

    period: Period
    income: Decimal
    expenses: Decimal
    unposted: int
    depreciation: Decimal = ZERO

    @property
    def surplus(self) -> Decimal:
        return self.income - self.expenses


def period_close_preview(period: Period) -> ClosePreview:
    pl_accounts = Account.objects.filter(cooperative_id=period.cooperative_id, category__in=PROFIT_AND_LOSS)
    categories = dict(pl_accounts.values_list("pk", "category"))
    income = expenses = ZERO
    for row in _balances(period.fiscal_year, period.number, pl_accounts):
        if categories[row["account_id"]] == AccountCategory.INCOME:
            income -= row["balance"]  # income accounts hold credit balances
        else:
            expenses += row["balance"]
    due = depreciation_due(period)
    depreciation = sum((amount for _asset, amount in due), ZERO)
    # booked first at the close: what goes to an expense account is transferred with the rest
    expenses += sum((amount for a, amount in due if a.expense_account.category == AccountCategory.EXPENSE), ZERO)
    return ClosePreview(
        period=period, income=income, expenses=expenses, unposted=unposted_count(period), depreciation=depreciation
    )


def _reopen_check(period: Period) -> None:
    if period.status != PeriodStatus.CLOSED:
        raise StateConflict(_("%(period)s is open.") % {"period": period.label}, code="not_closed")
    fiscal_year = period.fiscal_year
    if fiscal_year.status != FiscalYearStatus.OPEN:
        raise StateConflict(
            _("Fiscal year %(year)s is closed: its months stay closed.") % {"year": fiscal_year.year},
            code="year_closed",
        )
    later = fiscal_year.periods.filter(number__gt=period.number, status=PeriodStatus.CLOSED).order_by("-number").first()
    if later is not None:
        raise StateConflict(
            _("Only the last closed month reopens: %(later)s was closed after %(period)s.")
            % {"later": later.label, "period": period.label},
            code="reopen_not_last",
        )


def period_may_reopen(period: Period) -> bool:
    try:
        _reopen_check(period)
    except StateConflict:
        return False
    return True


@transaction.atomic
def period_reopen_request(*, actor: User, period: Period, reason: str):
    """Ask the township to reopen a closed month; ``reason`` goes on the request's record."""
    from core.services.approvals import approval_request_create, approval_submit
    from finance.approvals import PeriodReopenApproval

    reason = (reason or "").strip()
    if not reason:
        raise BusinessError(_("Give the reason for reopening the month."), code="reason_required", field="reason")
    period = Period.objects.select_related("fiscal_year").get(pk=period.pk)
    assert_in_scope(actor, period, "close")
    _reopen_check(period)
    request = approval_request_create(
        actor=actor,
        subject=period,
        kind=PeriodReopenApproval.kind,
        title=_("Reopen %(period)s") % {"period": period.label},
        region_code=period.region_code,
    )
    return approval_submit(actor=actor, request=request, comment=reason)


@transaction.atomic
def period_reopen(*, actor: User, period: Period) -> Period:
    """Reopen a closed month (the township approved the request)."""
    period = Period.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=period.pk)
    _reopen_check(period)
    period.status = PeriodStatus.OPEN
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    logger.info("finance.period.reopened", extra={"period_id": period.pk, "actor_id": actor.pk})
    return period


def unposted_count(period: Period) -> int:
    return Voucher.objects.filter(period=period, status__in=[VoucherStatus.DRAFT, VoucherStatus.PENDING]).count()


__all__ = [
    "closing_balances",
    "fiscal_year_close",
    "period_close",
    "period_close_preview",
    "period_may_reopen",
    "period_reopen",
    "period_reopen_request",
    "unposted_count",
]
