"""Carrying out a filed plan, exactly once: vouchers, member accounts, payout list, the collective's
income, the reserve converted into capital.

Where the entries go (DOMAIN.md §2.6.1; the year's close waits for its plan): the plan of a year the
books keep is carried out once its twelve months are closed and before the year is: its entries are
dated 31 December of that year (kind "distribution", the only entries a closed December still
takes besides the year's close), so the year's 02表, 03表 and member accounts show the year's own
distribution, and closing the year then clears 各项分配 into 未分配盈余. The plan of a year kept before
Lingban, or of a year already closed, is booked on the day it is carried out, in an open month: it
distributes undistributed surplus carried in.

Entries, from the chart's roles (``finance.selectors.roles``; DOMAIN.md §3.3):

* rewards for management and contributions (seed 002, 217's 10%) are an expense of the year: Dr 管理
  费用 / Cr 应付工资, transferred to 本年盈余 with the year's other expenses; for a year kept before
  Lingban or already closed they reduce 未分配盈余 instead (Dr 未分配盈余 / Cr 应付工资);
* reserve and funds: Dr 各项分配—提取盈余公积 / Cr 盈余公积, member by member where the chart keeps
  reserve shares (each member's part, by the charter's basis, also goes into their member account);
* patronage refund: Dr 各项分配—盈余返还 / Cr 应付盈余返还 (one line per member);
* distribution by shares: Dr 各项分配—剩余盈余分配 / Cr 应付剩余盈余 (one line per member);
* reserve converted into capital: the share ledger's conversion, which posts Dr 盈余公积 / Cr 股金 per
  member and takes it off each member's reserve share.

Losses made up need no entry: the loss already sits in 未分配盈余 against the surplus. On the
village collective chart the payables are 内部往来 per member and both member pools go to 各项分配—
向成员分配. Dividends of collective shares go to the village collective, whoever holds them.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import ZERO
from core.tenancy import assert_in_scope
from dividends.choices import RESERVE_KINDS, REWARD_KINDS, PlanState, SurplusSource
from dividends.models import DistributionPlan, MemberAllocation, Payout
from dividends.services.plans import _lock, _may, law_enforce_stored, resolution_of

logger = logging.getLogger(__name__)

# Member lines go into vouchers of at most this many members each, numbered as parts of one entry.
# Finance checks a voucher's balance once per voucher, so the size costs nothing in the database;
# the limit keeps each part a page that opens (the voucher page lists every line) while a
# cooperative of 10,000 members needs 5 + 4 parts rather than 25 + 17 (each part is a voucher
# written under the month's lock).
LINES_PER_VOUCHER = 2000


@dataclass
class ExecuteResult:
    plan: DistributionPlan
    executed: bool
    vouchers: list = field(default_factory=list)
    message: str = ""


def _roles(plan: DistributionPlan):
    from finance.selectors.roles import Roles

    roles = Roles.of(plan.cooperative)
    if roles is None:
        raise BusinessError(_("This cooperative keeps no books in Lingban yet: open them first."), code="no_books")
    return roles


def booking_day(plan: DistributionPlan, on: datetime.date | None) -> tuple[datetime.date, bool]:
    """The day the plan's entries are dated, and whether they belong to the plan's own year."""
    from finance.choices import FiscalYearStatus, PeriodStatus
    from finance.models import FiscalYear

    year_books = FiscalYear.objects.filter(cooperative_id=plan.cooperative_id, year=plan.year).first()
    if plan.surplus_source == SurplusSource.ENTERED and year_books is not None:
        raise BusinessError(
            _("The books of %(year)s are kept in Lingban: close its months and draft the plan from the books.")
            % {"year": plan.year},
            code="books_not_closed",
        )
    if year_books is not None and year_books.status == FiscalYearStatus.OPEN:
        if year_books.periods.filter(status=PeriodStatus.OPEN).exists():
            raise BusinessError(
                _("Close the twelve months of %(year)s first: the plan's entries go into its December.")
                % {"year": plan.year},
                code="books_not_closed",
            )
        return datetime.date(plan.year, 12, 31), True
    return on or timezone.localdate(), False


def _voucher(plan, actor, day, summary, lines, member_lines=None, kind=None):
    """A voucher written already posted: each of its (possibly thousands of) lines is written once."""
    from finance.choices import VoucherKind
    from finance.services.vouchers import create_posted_voucher_row, period_for

    return create_posted_voucher_row(
        actor=actor,
        cooperative=plan.cooperative,
        period=period_for(plan.cooperative, day),
        date=day,
        summary=summary,
        lines=lines,
        member_lines=member_lines,
        kind=kind or VoucherKind.DISTRIBUTION,
    )


@transaction.atomic
def plan_execute(*, actor: User, plan: DistributionPlan, on: datetime.date | None = None) -> ExecuteResult:
    """Carry out a filed plan. A second call posts nothing and says so."""
    from finance.choices import IncomeSource, MemberAccountEntryKind, VoucherKind
    from finance.models import MemberAccountEntry
    from finance.services.collective import collective_income_record
    from finance.services.vouchers import LineInput, MemberLines
    from members.choices import MemberKind
    from members.services import quiet_trigger_checks

    _may(actor, plan, "execute")
    plan = _lock(plan)
    if plan.state == PlanState.EXECUTED:
        return ExecuteResult(
            plan,
            False,
            message=_("This plan was carried out on %(date)s; nothing was posted again.") % {"date": plan.executed_on},
        )
    if plan.state != PlanState.FILED:
        raise StateConflict(
            _("Only a plan filed with the township is carried out; this one is “%(state)s”.")
            % {"state": plan.get_state_display()},
            code="not_filed",
        )
    law_enforce_stored(plan)
    day, in_year = booking_day(plan, on)
    roles = _roles(plan)
    chart = roles.chart
    # in member-number order, as named tuples rather than 10,000 model objects
    allocations = list(
        plan.allocations.order_by("member__number").values_list(
            "member_id",
            "patronage_refund",
            "share_dividend",
            "capital_conversion",
            "reserve_share",
            "total",
            "member__kind",
            named=True,
        )
    )
    year = plan.year
    vouchers = []

    rewards = sum((Decimal(s["amount"]) for s in plan.steps if s["kind"] in REWARD_KINDS), ZERO)
    if rewards:
        wages = roles.account("wages_payable")
        if in_year:
            # seed 002 §7: rewards are 列支 — an expense of the year, transferred to 本年盈余 like the rest
            expense = roles.account("admin_expense")
            surplus = roles.leaf(chart.surplus_code)
            vouchers.append(
                _voucher(
                    plan,
                    actor,
                    day,
                    f"{year}年盈余分配方案：计提管理人员及贡献奖励",
                    [LineInput(account=expense, debit=rewards), LineInput(account=wages, credit=rewards)],
                )
            )
            vouchers.append(
                _voucher(
                    plan,
                    actor,
                    day,
                    f"结转{year}年计提的管理人员及贡献奖励",
                    [LineInput(account=surplus, debit=rewards), LineInput(account=expense, credit=rewards)],
                    kind=VoucherKind.PERIOD_CLOSE,
                )
            )
        else:
            undistributed = roles.leaf(chart.undistributed_code)
            vouchers.append(
                _voucher(
                    plan,
                    actor,
                    day,
                    f"{year}年盈余分配方案：管理人员及贡献奖励（以前年度）",
                    [LineInput(account=undistributed, debit=rewards), LineInput(account=wages, credit=rewards)],
                )
            )

    reserve = sum((Decimal(s["amount"]) for s in plan.steps if s["kind"] in RESERVE_KINDS), ZERO)
    quantified = []
    if reserve:
        reserve_account = roles.account("reserve")
        debit = LineInput(account=roles.account("alloc_reserve"), debit=reserve)
        text = f"{year}年盈余分配：提取公积金"
        if reserve_account.tracks_members and plan.reserve_basis:
            quantified = [(a.member_id, a.reserve_share) for a in allocations if a.reserve_share]
            if sum((amount for _m, amount in quantified), ZERO) != reserve:
                raise StateConflict(_("The plan's reserve shares do not add up to its reserve."), code="unbalanced")
            parts = MemberLines(reserve_account, [m for m, _a in quantified], [a for _m, a in quantified])
            vouchers.append(_voucher(plan, actor, day, text + "（量化到成员）", [debit], parts))
        else:
            vouchers.append(
                _voucher(plan, actor, day, text, [debit, LineInput(account=reserve_account, credit=reserve)])
            )
    if quantified:
        from core.bulk import insert_columns

        insert_columns(
            MemberAccountEntry,
            {"member_id": [m for m, _a in quantified], "amount": [a for _m, a in quantified]},
            {
                "cooperative_id": plan.cooperative_id,
                "region_code": plan.region_code,
                "year": day.year,
                "date": day,
                "kind": MemberAccountEntryKind.RESERVE_SHARE.value,
                "summary": f"{year}年提取公积金量化",
                "voucher_id": vouchers[-1].pk,
                "created_by_id": actor.pk,
            },
        )

    def member_lines(field_name: str, account) -> MemberLines:
        """A credit to ``account`` for each member with an amount in ``field_name``."""
        paid = [(row.member_id, getattr(row, field_name)) for row in allocations if getattr(row, field_name)]
        return MemberLines(account, [m for m, _a in paid], [a for _m, a in paid])

    def member_vouchers(field_name: str, alloc_role: str, payable_role: str, summary: str) -> dict:
        """Vouchers with one credit line per member, in parts of LINES_PER_VOUCHER members (分数编号:
        "（2/20）"); returns member id → the voucher of their line."""
        paid = member_lines(field_name, roles.account(payable_role))
        step = LINES_PER_VOUCHER
        parts = [
            MemberLines(paid.account, paid.member_ids[i : i + step], paid.amounts[i : i + step])
            for i in range(0, len(paid.member_ids), step)
        ]
        by_member = {}
        for n, part in enumerate(parts, start=1):
            debit = LineInput(account=roles.account(alloc_role), debit=sum(part.amounts, ZERO))
            text = summary if len(parts) == 1 else f"{summary}（{n}/{len(parts)}）"
            voucher = _voucher(plan, actor, day, text, [debit], part)
            vouchers.append(voucher)
            by_member.update(dict.fromkeys(part.member_ids, voucher))
        return by_member

    # a row trigger per member line still runs at commit (the deferred balance check)
    quiet_trigger_checks()
    refund_vouchers = member_vouchers("patronage_refund", "alloc_patronage", "patronage_payable", f"{year}年盈余返还")
    share_vouchers = member_vouchers(
        "share_dividend", "alloc_dividend", "dividend_payable", f"{year}年剩余盈余按股分配"
    )

    if plan.reserve_to_capital:
        from members.models import Member
        from shares.bookkeeping import Booking
        from shares.services.transfers import share_reserve_convert

        converted = [(row.member_id, row.capital_conversion) for row in allocations if row.capital_conversion]
        resolution = resolution_of(plan)
        members = Member.objects.in_bulk([m for m, _a in converted])
        result = share_reserve_convert(
            actor=actor,
            cooperative=plan.cooperative,
            allocations={members[m]: amount for m, amount in converted},
            effective_on=day,
            note=f"成员大会决议（{resolution.held_on if resolution else day}）：{plan}",
            booking=Booking(
                date=day, source="reserve", kind=VoucherKind.DISTRIBUTION, summary=f"{year}年公积金转为成员出资"
            ),
        )
        vouchers.extend(result.vouchers)

    _member_rows_write(plan, actor, day, refund=refund_vouchers, shares=share_vouchers)
    # seed 002 §11: the collective's returns count as the village collective's operating income
    collective = next((a for a in allocations if a.member__kind == MemberKind.COLLECTIVE and a.total), None)
    if collective is not None:
        collective_income_record(
            actor=actor,
            village=plan.cooperative.village,
            received_on=day,
            amount=collective.total,
            source=IncomeSource.DIVIDEND,
            cooperative=plan.cooperative,
            voucher=share_vouchers.get(collective.member_id) or refund_vouchers.get(collective.member_id),
            note=str(plan)[:200],
            year=year,
        )
    plan.state = PlanState.EXECUTED
    plan.executed_by = actor
    plan.executed_at = timezone.now()
    plan.executed_on = day
    plan.voucher_ids = [v.pk for v in vouchers]
    plan.save(update_fields=["state", "executed_by", "executed_at", "executed_on", "voucher_ids", "updated_at"])
    assert_in_scope(actor, plan, "execute")
    logger.info("dividends.plan.executed", extra={"plan_id": plan.pk, "vouchers": plan.voucher_ids})
    return ExecuteResult(
        plan,
        True,
        vouchers,
        _("Carried out: %(n)s vouchers posted, %(m)s payouts listed.")
        % {"n": len(vouchers), "m": sum(1 for a in allocations if a.total)},
    )


def _member_rows_write(plan: DistributionPlan, actor: User, on: datetime.date, *, refund: dict, shares: dict) -> None:
    """The member accounts (成员账户) and the payout list, each one ``INSERT … SELECT``.

    A member-account entry is made from each member line just posted (its amount is the line's
    credit, so the member accounts equal the vouchers by construction), a payout from each
    allocation with an amount. No model object is built per member: at 10,000 members that
    Python work cost more than the inserts themselves. Same transaction as the vouchers.
    """
    from django.db import connection

    from dividends.choices import PayoutMethod, PayoutStatus
    from finance.choices import MemberAccountEntryKind

    now = timezone.now()
    refund_ids = sorted({v.pk for v in refund.values()})
    share_ids = sorted({v.pk for v in shares.values()})
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO finance_memberaccountentry
                (created_at, updated_at, region_code, cooperative_id, member_id, year, date, kind, amount,
                 summary, voucher_id, created_by_id)
            SELECT %(now)s, %(now)s, l.region_code, l.cooperative_id, l.member_id, %(year)s, %(date)s,
                   CASE WHEN l.voucher_id = ANY(%(refund)s) THEN %(refund_kind)s ELSE %(share_kind)s END,
                   l.credit, %(summary)s, l.voucher_id, %(actor)s
              FROM finance_voucherline l
             WHERE l.voucher_id = ANY(%(vouchers)s) AND l.member_id IS NOT NULL
             ORDER BY l.voucher_id, l.line_no
            """,
            {
                "now": now,
                "year": on.year,
                "date": on,
                "refund": refund_ids,
                "vouchers": refund_ids + share_ids,
                "refund_kind": MemberAccountEntryKind.PATRONAGE_REFUND.value,
                "share_kind": MemberAccountEntryKind.SURPLUS_DISTRIBUTION.value,
                "summary": str(plan)[:200],
                "actor": actor.pk,
            },
        )
        cursor.execute(
            """
            INSERT INTO dividends_payout
                (created_at, updated_at, region_code, plan_id, allocation_id, member_id, amount, method,
                 bank_account, status, paid_on, signed_by)
            SELECT %(now)s, %(now)s, %(region)s, a.plan_id, a.id, a.member_id, a.total, %(method)s,
                   '', %(status)s, NULL, ''
              FROM dividends_memberallocation a
             WHERE a.plan_id = %(plan)s AND a.total > 0
             ORDER BY a.id
            """,
            {
                "now": now,
                "region": plan.region_code,
                "plan": plan.pk,
                "method": PayoutMethod.CASH.value,
                "status": PayoutStatus.UNPAID.value,
            },
        )


@transaction.atomic
def payout_mark_paid(
    *,
    actor: User,
    payout: Payout,
    method: str,
    paid_on: datetime.date | None,
    signed_by: str,
    bank_account: str = "",
    paid_from: str = "",
) -> Payout:
    """Record that a member was paid (cash or bank) and who signed for it, and post the payment in the
    same transaction: Dr 应付盈余返还 and 应付剩余盈余 of the member (内部往来 on the collective chart) /
    Cr the cash or bank account it was paid from (``paid_from``: a sub-account code; the chart's cash
    or bank account by default), dated the day it was paid, which must lie in an open month."""
    from dividends.choices import PayoutMethod, PayoutStatus

    payout = Payout.objects.select_for_update().select_related("allocation", "plan__cooperative").get(pk=payout.pk)
    assert_in_scope(actor, payout, "change")
    if payout.status == PayoutStatus.PAID:
        raise StateConflict(_("This payout is already recorded as paid."), code="already_paid")
    if method not in PayoutMethod.values:
        raise BusinessError(_("Choose cash or bank."), code="invalid", field="method")
    bank_account = (bank_account or "").strip()
    if method == PayoutMethod.BANK and not bank_account:
        raise BusinessError(_("Give the bank account paid into."), code="bank_account_required", field="bank_account")
    if paid_on is None:
        raise BusinessError(_("Give the date."), code="required", field="paid_on")
    if not (signed_by or "").strip():
        raise BusinessError(_("Give the name of who signed for it."), code="signature_required", field="signed_by")
    payout.voucher = _payout_voucher(actor, payout, method, paid_on, (paid_from or "").strip())
    payout.method = method
    payout.bank_account = bank_account
    payout.paid_on = paid_on
    payout.signed_by = signed_by.strip()[:50]
    payout.status = PayoutStatus.PAID
    payout.save(update_fields=["method", "bank_account", "paid_on", "signed_by", "status", "voucher", "updated_at"])
    return payout


def _payout_voucher(actor: User, payout: Payout, method: str, paid_on: datetime.date, paid_from: str):
    from finance.choices import VoucherKind
    from finance.services.vouchers import LineInput
    from members.models import Member

    plan = payout.plan
    roles = _roles(plan)
    allocation = payout.allocation
    if paid_from:
        account = roles.leaf(paid_from, under=tuple(filter(None, (roles.code("cash"), roles.code("bank"), "109"))))
    else:
        account = roles.account("bank" if method == "bank" else "cash")
    member = Member.objects.get(pk=payout.member_id)
    owed: dict[int, tuple] = {}
    for role, amount in (
        ("patronage_payable", allocation.patronage_refund),
        ("dividend_payable", allocation.share_dividend),
    ):
        if amount:
            payable = roles.account(role)
            previous = owed.get(payable.pk, (payable, ZERO))[1]
            owed[payable.pk] = (payable, previous + amount)
    lines = [LineInput(account=payable, debit=amount, member=member) for payable, amount in owed.values()]
    lines.append(LineInput(account=account, credit=payout.amount))
    # 发放2025年盈余：张三 — bookkeeping text of record
    return _voucher(plan, actor, paid_on, f"发放{plan.year}年盈余：{member.name}", lines, kind=VoucherKind.PAYOUT)


__all__ = ["ExecuteResult", "MemberAllocation", "payout_mark_paid", "plan_execute"]
