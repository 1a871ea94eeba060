"""Withdrawal and refund of shares (退股), Farmer Specialized Cooperatives Law Arts. 25 and 28.

* Art. 25: the member applies in writing at least three months before the end of the accounting
  year (an enterprise, institution or social organisation at least six months); the withdrawal takes
  effect at the end of that accounting year. Lingban's accounting year is the calendar year (the
  cooperative accounting system's year, 1 January – 31 December); a later application takes effect
  at the end of the following year.
* Art. 28: what is refunded is the contribution and the reserve share recorded in the member's
  account — the ordinary class here. Collective and poverty-alleviation shares (the collective's
  property and quantified state funds) are not refundable; they are transferred back instead.
* Withdrawing is the member's statutory right, so the share-structure rules warn about the
  structure it leaves but never refuse it.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import changes
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import ZERO, money
from core.tenancy import assert_in_scope
from members.choices import ORGANISATION_KINDS, LeaveReason
from members.models import Member
from members.services import lock_cooperative, member_leave
from shares.bookkeeping import Booking
from shares.choices import EntryType, ShareClass, WithdrawalState
from shares.models import Holding, ShareWithdrawal
from shares.services.ledger import Line, PostResult, post_lines

logger = logging.getLogger(__name__)

NOTICE_MONTHS_PERSON = 3
NOTICE_MONTHS_ORGANISATION = 6


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def withdrawal_effective_on(applied_on: datetime.date, member: Member) -> datetime.date:
    """The accounting-year end at which a withdrawal applied for on ``applied_on`` takes effect.

    A person applying by 30 September leaves at 31 December of that year (30 Sep + 3 months = 30 Dec);
    on 1 October it is 31 December of the next year. An organisation's cut-off is 30 June.
    """
    months = NOTICE_MONTHS_ORGANISATION if member.kind in ORGANISATION_KINDS else NOTICE_MONTHS_PERSON
    year_end = datetime.date(applied_on.year, 12, 31)
    if add_months(applied_on, months) <= year_end:
        return year_end
    return datetime.date(applied_on.year + 1, 12, 31)


def _pending(member: Member, share_class: str, exclude_pk=None) -> Decimal:
    qs = ShareWithdrawal.objects.filter(member=member, share_class=share_class, state=WithdrawalState.PENDING)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(t=Sum("amount"))["t"] or ZERO


def _held(member: Member, share_class: str) -> Decimal:
    return (
        Holding.objects.filter(member=member, share_class=share_class).values_list("amount", flat=True).first() or ZERO
    )


@transaction.atomic
def share_withdrawal_apply(
    *,
    actor: User,
    member: Member,
    amount: Decimal,
    applied_on: datetime.date | None = None,
    share_class: str = ShareClass.ORDINARY,
    leaves_cooperative: bool = False,
    reason: str = "",
) -> ShareWithdrawal:
    """Record a written application to withdraw ``amount`` yuan of shares (effective at a year end)."""
    lock_cooperative(member.cooperative)
    member = Member.objects.select_for_update().get(pk=member.pk)
    applied_on = applied_on or timezone.localdate()
    if isinstance(amount, float):
        raise TypeError("amounts must not be floats")
    amount = Decimal(str(amount))
    if amount <= 0 or amount != money(amount):
        raise BusinessError(
            _("Enter the amount in yuan, more than zero, at most two decimal places."),
            code="amount_not_positive",
            field="amount",
        )
    if member.left_on is not None:
        raise StateConflict(_("This member has already left."), code="already_left")
    if applied_on > timezone.localdate():
        raise BusinessError(_("The application date cannot be in the future."), code="date_in_future")
    if share_class != ShareClass.ORDINARY:
        raise BusinessError(
            _(
                "Only ordinary shares (the member's contribution and reserve share) are refunded (law Art. 28). "
                "Collective and poverty-alleviation shares are transferred instead."
            ),
            code="withdraw_class_not_refundable",
            field="share_class",
        )
    available = _held(member, share_class) - _pending(member, share_class)
    if amount > available:
        raise BusinessError(
            _("%(name)s can withdraw at most %(available)s yuan (held, less withdrawals already applied for).")
            % {"name": member.name, "available": available},
            code="withdraw_more_than_held",
            field="amount",
        )
    if leaves_cooperative and amount != available:
        raise BusinessError(
            _("A member who leaves withdraws all their ordinary shares: %(available)s yuan.")
            % {"available": available},
            code="leaving_withdraws_all",
            field="amount",
        )
    withdrawal = ShareWithdrawal.objects.create(
        cooperative=member.cooperative,
        region_code=member.region_code,
        member=member,
        share_class=share_class,
        amount=amount,
        applied_on=applied_on,
        effective_on=withdrawal_effective_on(applied_on, member),
        leaves_cooperative=leaves_cooperative,
        reason=reason,
        created_by=actor,
    )
    assert_in_scope(actor, withdrawal, "add")
    return withdrawal


@transaction.atomic
def share_withdrawal_execute(
    *,
    actor: User,
    withdrawal: ShareWithdrawal,
    on: datetime.date | None = None,
    refund_note: str = "",
    refund_account: str = "",
) -> PostResult:
    """Refund a withdrawal that has taken effect: the withdrawal entry is written at the effective date;
    a member who leaves has their membership ended on that date.

    The books get the refund on the day it is paid (``on``): Dr 股金 of the member, and for a member
    who leaves also their reserve share (law Art. 28), Cr ``refund_account`` (a cash or bank account,
    or 成员往来 when the refund is owed to the member; the chart's cash account by default)."""
    lock_cooperative(withdrawal.cooperative)
    withdrawal = ShareWithdrawal.objects.select_for_update().select_related("member").get(pk=withdrawal.pk)
    on = on or timezone.localdate()
    if withdrawal.state != WithdrawalState.PENDING:
        raise StateConflict(
            _("This withdrawal is %(state)s.") % {"state": withdrawal.get_state_display()}, code="not_pending"
        )
    if on < withdrawal.effective_on:
        raise StateConflict(
            _("The withdrawal takes effect at the accounting-year end, %(date)s; it cannot be refunded before.")
            % {"date": withdrawal.effective_on},
            code="withdrawal_not_due",
        )
    member = withdrawal.member
    result = post_lines(
        actor=actor,
        cooperative=withdrawal.cooperative,
        entry_type=EntryType.WITHDRAW,
        lines=[
            Line(
                member=member,
                share_class=withdrawal.share_class,
                amount=-withdrawal.amount,
                withdrawal=withdrawal,
                note=refund_note or withdrawal.reason,
            )
        ],
        effective_on=withdrawal.effective_on,
        refuse_on_compliance=False,
        booking=Booking(date=on, settlement=(refund_account or "").strip(), leaving=withdrawal.leaves_cooperative),
    )
    withdrawal.state = WithdrawalState.EXECUTED
    withdrawal.executed_at = timezone.now()
    withdrawal.executed_by = actor
    withdrawal.refund_note = refund_note
    withdrawal.refund_account = (refund_account or "").strip()
    withdrawal.save(
        update_fields=["state", "executed_at", "executed_by", "refund_note", "refund_account", "updated_at"]
    )
    if withdrawal.leaves_cooperative:
        member_leave(actor=actor, member=member, left_on=withdrawal.effective_on, reason=LeaveReason.WITHDRAWAL)
    assert_in_scope(actor, withdrawal, "change")
    changes.cooperative_changed(withdrawal.cooperative_id)
    logger.info("shares.withdrawal.executed", extra={"withdrawal_id": withdrawal.pk})
    return result


@transaction.atomic
def share_withdrawal_cancel(*, actor: User, withdrawal: ShareWithdrawal) -> ShareWithdrawal:
    """The member takes back the application before it is refunded."""
    lock_cooperative(withdrawal.cooperative)
    withdrawal = ShareWithdrawal.objects.select_for_update().get(pk=withdrawal.pk)
    if withdrawal.state != WithdrawalState.PENDING:
        raise StateConflict(
            _("This withdrawal is %(state)s.") % {"state": withdrawal.get_state_display()}, code="not_pending"
        )
    withdrawal.state = WithdrawalState.CANCELLED
    withdrawal.save(update_fields=["state", "updated_at"])
    assert_in_scope(actor, withdrawal, "change")
    return withdrawal


def leave_check(member: Member, left_on: datetime.date) -> None:
    """Registered with members.services: a member still holding shares cannot leave."""
    if Holding.objects.filter(member=member, amount__gt=0).exists():
        raise BusinessError(
            _(
                "%(name)s still holds shares. Refund them through a withdrawal or transfer them before the "
                "membership ends."
            )
            % {"name": member.name},
            code="member_still_holds_shares",
        )
