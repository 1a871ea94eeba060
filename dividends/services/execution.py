"""Carrying out a filed plan, exactly once: vouchers, member accounts, payout list, the collective's
income, the reserve converted into capital.

Vouchers (DOMAIN.md §3.3), dated on the posting day in an open month:

* reserve and funds: Dr 332 各项分配—提取盈余公积, Cr 322 盈余公积; rewards: Dr 332 各项分配—奖励,
  Cr 212 应付工资;
* patronage refund: Dr 332 各项分配—盈余返还, Cr 221 应付盈余返还 (one line per member);
* distribution by shares: Dr 332 各项分配—剩余盈余分配, Cr 222 应付剩余盈余 (one line per member);
* reserve converted into capital: Dr 322, Cr 301 股金 (per member), with the share-ledger conversion.

Losses made up need no entry: the loss already sits in 332 未分配盈余 against the surplus.
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
from dividends.choices import PlanState, StepKind, SurplusSource
from dividends.models import DistributionPlan, MemberAllocation, Payout
from dividends.services.plans import _lock, _may, resolution_of

logger = logging.getLogger(__name__)

RESERVE_KINDS = {StepKind.RESERVE, StepKind.DEV_FUND}
REWARD_KINDS = {StepKind.REWARDS, StepKind.MANAGER_REWARD}
REWARD_LEAF = ("05", "奖励及其他分配")  # a sub-account of 各项分配 the standard lets cooperatives add
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


def _accounts(plan: DistributionPlan, actor: User) -> dict:
    from finance.models import Account, CooperativeBooks
    from finance.services.books import account_create

    books = CooperativeBooks.objects.select_related("chart").filter(cooperative_id=plan.cooperative_id).first()
    if books is None:
        raise BusinessError(_("This cooperative keeps no books in Lingban yet: open them first."), code="no_books")
    alloc = books.chart.allocation_code
    accounts = {a.code: a for a in Account.objects.filter(cooperative_id=plan.cooperative_id)}
    leaf = alloc + REWARD_LEAF[0]
    if leaf not in accounts and alloc in accounts and any(s["kind"] in REWARD_KINDS for s in plan.steps):
        accounts[leaf] = account_create(actor=actor, parent=accounts[alloc], code=leaf, name=REWARD_LEAF[1])
    wanted = {
        "reserve_alloc": alloc + "01",
        "patronage_alloc": alloc + "02",
        "shares_alloc": alloc + "03",
        "reward_alloc": leaf,
        "reserve": "322",
        "wages": "212",
        "patronage": "221",
        "shares": "222",
        "capital": "301",
    }
    if not any(s["kind"] in REWARD_KINDS for s in plan.steps):
        del wanted["reward_alloc"]
    found = {}
    for key, code in wanted.items():
        if code not in accounts:
            raise BusinessError(
                _("Account %(code)s is missing from these books.") % {"code": code}, code="missing_account"
            )
        found[key] = accounts[code]
    return found


def _voucher(plan, actor, period, on, summary, lines, member_lines=None):
    """A voucher written already posted: each of its (possibly thousands of) lines is written once."""
    from finance.services.vouchers import create_posted_voucher_row

    return create_posted_voucher_row(
        actor=actor,
        cooperative=plan.cooperative,
        period=period,
        date=on,
        summary=summary,
        lines=lines,
        member_lines=member_lines,
    )


@transaction.atomic
def plan_execute(*, actor: User, plan: DistributionPlan, on: datetime.date | None = None) -> ExecuteResult:
    """Carry out a filed plan. A second call posts nothing and says so."""
    from finance.choices import FiscalYearStatus, IncomeSource
    from finance.models import FiscalYear
    from finance.services.collective import collective_income_record
    from finance.services.vouchers import LineInput, MemberLines, period_for
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
    year_books = FiscalYear.objects.filter(cooperative_id=plan.cooperative_id, year=plan.year).first()
    if plan.surplus_source == SurplusSource.ENTERED and year_books is not None:
        raise BusinessError(
            _("The books of %(year)s are kept in Lingban: close the year and draft the plan from the closed books.")
            % {"year": plan.year},
            code="books_not_closed",
        )
    if year_books is not None and year_books.status != FiscalYearStatus.CLOSED:
        raise BusinessError(_("Close the books of %(year)s first.") % {"year": plan.year}, code="books_not_closed")
    on = on or timezone.localdate()
    period = period_for(plan.cooperative, on, lock=True)
    accounts = _accounts(plan, actor)
    # in member-number order, as named tuples rather than 10,000 model objects
    allocations = list(
        plan.allocations.order_by("member__number").values_list(
            "member_id", "patronage_refund", "share_dividend", "capital_conversion", "total", "member__kind", named=True
        )
    )
    year = plan.year
    vouchers = []

    reserve = sum((Decimal(s["amount"]) for s in plan.steps if s["kind"] in RESERVE_KINDS), ZERO)
    rewards = sum((Decimal(s["amount"]) for s in plan.steps if s["kind"] in REWARD_KINDS), ZERO)
    if reserve or rewards:
        lines = []
        if reserve:
            lines += [
                LineInput(account=accounts["reserve_alloc"], debit=reserve),
                LineInput(account=accounts["reserve"], credit=reserve),
            ]
        if rewards:
            lines += [
                LineInput(account=accounts["reward_alloc"], debit=rewards),
                LineInput(account=accounts["wages"], credit=rewards),
            ]
        vouchers.append(_voucher(plan, actor, period, on, f"{year}年盈余分配：提取公积金、基金及奖励", lines))

    def member_lines(field_name: str, account) -> MemberLines:
        """A credit to ``account`` for each member with an amount in ``field_name``."""
        paid = [(row.member_id, getattr(row, field_name)) for row in allocations if getattr(row, field_name)]
        return MemberLines(account, [m for m, _a in paid], [a for _m, a in paid])

    def member_vouchers(field_name: str, alloc_key: str, payable_key: str, summary: str) -> dict:
        """Vouchers with one credit line per member, in parts of LINES_PER_VOUCHER members (分数编号:
        "（2/20）"); returns member id → the voucher of their line."""
        paid = member_lines(field_name, accounts[payable_key])
        step = LINES_PER_VOUCHER
        parts = [
            MemberLines(paid.account, paid.member_ids[i : i + step], paid.amounts[i : i + step])
            for i in range(0, len(paid.member_ids), step)
        ]
        by_member = {}
        for n, part in enumerate(parts, start=1):
            debit = LineInput(account=accounts[alloc_key], debit=sum(part.amounts, ZERO))
            text = summary if len(parts) == 1 else f"{summary}（{n}/{len(parts)}）"
            voucher = _voucher(plan, actor, period, on, text, [debit], part)
            vouchers.append(voucher)
            by_member.update(dict.fromkeys(part.member_ids, voucher))
        return by_member

    # a row trigger per member line still runs at commit (the deferred balance check)
    quiet_trigger_checks()
    refund_vouchers = member_vouchers("patronage_refund", "patronage_alloc", "patronage", f"{year}年盈余返还")
    share_vouchers = member_vouchers("share_dividend", "shares_alloc", "shares", f"{year}年剩余盈余按股分配")

    if plan.reserve_to_capital:
        from members.models import Member
        from shares.services.transfers import share_reserve_convert

        converted = member_lines("capital_conversion", accounts["capital"])
        lines = [LineInput(account=accounts["reserve"], debit=plan.reserve_to_capital)]
        vouchers.append(_voucher(plan, actor, period, on, f"{year}年公积金转为成员出资", lines, converted))
        resolution = resolution_of(plan)
        members = Member.objects.in_bulk(converted.member_ids)
        share_reserve_convert(
            actor=actor,
            cooperative=plan.cooperative,
            allocations={members[m]: amount for m, amount in zip(converted.member_ids, converted.amounts, strict=True)},
            effective_on=on,
            note=f"成员大会决议（{resolution.held_on if resolution else on}）：{plan}",
        )

    _member_rows_write(plan, actor, on, refund=refund_vouchers, shares=share_vouchers)
    # seed 002 §11: the collective's returns count as the village collective's operating income
    collective = next((a for a in allocations if a.member__kind == MemberKind.COLLECTIVE and a.total), None)
    if collective is not None:
        collective_income_record(
            actor=actor,
            village=plan.cooperative.village,
            received_on=on,
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
    plan.executed_on = on
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
    *, actor: User, payout: Payout, method: str, paid_on: datetime.date | None, signed_by: str, bank_account: str = ""
) -> Payout:
    """Record that a member was paid (cash or bank) and who signed for it."""
    from dividends.choices import PayoutMethod, PayoutStatus

    payout = Payout.objects.select_for_update().get(pk=payout.pk)
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
    payout.method = method
    payout.bank_account = bank_account
    payout.paid_on = paid_on
    payout.signed_by = signed_by.strip()[:50]
    payout.status = PayoutStatus.PAID
    payout.save(update_fields=["method", "bank_account", "paid_on", "signed_by", "status", "updated_at"])
    return payout


__all__ = ["ExecuteResult", "MemberAllocation", "payout_mark_paid", "plan_execute"]
