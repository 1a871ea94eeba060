"""Moving shares between members (transfer, gift) and converting the reserve into members' capital."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.exceptions import BusinessError
from core.models import User
from core.money import money
from members.choices import MemberKind
from members.models import Member
from members.services import lock_cooperative
from shares.bookkeeping import Booking
from shares.choices import EntryType, ShareClass
from shares.services.ledger import Line, PostResult, post_lines

logger = logging.getLogger(__name__)


def _positive(amount) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("amounts must not be floats")
    value = Decimal(str(amount))
    if value <= 0:
        raise BusinessError(_("The amount must be more than zero."), code="amount_not_positive", field="amount")
    if value != money(value):
        raise BusinessError(_("Amounts are in yuan with at most two decimal places."), code="too_many_places")
    return value


def _pair(source: Member, target: Member) -> None:
    if source.pk == target.pk:
        raise BusinessError(_("A member cannot transfer shares to themself."), code="same_member", field="target")
    if source.cooperative_id != target.cooperative_id:
        raise BusinessError(
            _("Shares move only between members of the same cooperative."), code="foreign_member", field="target"
        )


@transaction.atomic
def share_transfer(
    *,
    actor: User,
    source: Member,
    target: Member,
    share_class: str,
    amount: Decimal,
    effective_on: datetime.date | None = None,
    note: str = "",
) -> PostResult:
    """Transfer shares of one class from ``source`` to ``target`` (转让): both legs in one transaction
    under one transfer id (the operation id), refused if it breaks a rule the county enforces."""
    _pair(source, target)
    amount = _positive(amount)
    if share_class not in ShareClass.values:
        raise BusinessError(_("Choose a share class."), code="invalid_class", field="share_class")
    lines = [
        Line(member=source, share_class=share_class, amount=-amount, counterparty=target, note=note),
        Line(member=target, share_class=share_class, amount=amount, counterparty=source, note=note),
    ]
    result = post_lines(
        actor=actor,
        cooperative=source.cooperative,
        entry_type=EntryType.TRANSFER,
        lines=lines,
        effective_on=effective_on,
    )
    logger.info("shares.transfer", extra={"operation": str(result.operation), "amount": str(amount)})
    return result


@transaction.atomic
def share_gift(
    *,
    actor: User,
    source: Member,
    target: Member,
    share_class: str,
    amount: Decimal,
    target_class: str | None = None,
    effective_on: datetime.date | None = None,
    note: str = "",
) -> PostResult:
    """Give shares to a poor or vulnerable member (股权赠与, seed 002 §3).

    The receiver must be poverty-registered or in a vulnerable group. Shares keep their class unless
    ``target_class`` says otherwise; collective shares given to a household become
    poverty-alleviation shares, since a household cannot hold the collective's class.
    """
    _pair(source, target)
    amount = _positive(amount)
    target = Member.objects.get(pk=target.pk)
    if not (target.is_person and (target.is_poverty_registered or target.vulnerability)):
        raise BusinessError(
            _("Shares are given to poverty-registered or vulnerable households; %(name)s is neither.")
            % {"name": target.name},
            code="gift_target_not_vulnerable",
            field="target",
        )
    if target_class is None:
        target_class = ShareClass.POVERTY if share_class == ShareClass.COLLECTIVE else share_class
    lines = [
        Line(member=source, share_class=share_class, amount=-amount, counterparty=target, note=note),
        Line(member=target, share_class=target_class, amount=amount, counterparty=source, note=note),
    ]
    return post_lines(
        actor=actor, cooperative=source.cooperative, entry_type=EntryType.GIFT, lines=lines, effective_on=effective_on
    )


@transaction.atomic
def share_reserve_convert(
    *,
    actor: User,
    cooperative: Cooperative,
    allocations: dict[Member, Decimal],
    effective_on: datetime.date | None = None,
    note: str = "",
    booking: Booking | None = None,
) -> PostResult:
    """Convert reserve (公积金) quantified to members into their capital (law Arts. 42, 44(4)):
    ordinary shares for each member, in one operation. The assembly resolution goes in ``note``.

    The books post Dr 盈余公积 / Cr 股金 member by member and take the amount off each member's
    reserve share in their member account, so the money is counted once: as capital from now on."""
    return _convert(
        actor=actor,
        cooperative=cooperative,
        allocations=allocations,
        effective_on=effective_on,
        note=note,
        entry_type=EntryType.CONVERSION,
        booking=booking or Booking(source="reserve"),
    )


@transaction.atomic
def share_surplus_capitalise(
    *,
    actor: User,
    cooperative: Cooperative,
    allocations: dict[Member, Decimal],
    effective_on: datetime.date | None = None,
    note: str = "",
    booking: Booking | None = None,
) -> PostResult:
    """Convert part of the year's distributable surplus into members' capital (law Art. 44 ¶4, with
    the member assembly's approval): Dr 各项分配—转为成员出资 / Cr 股金 member by member."""
    return _convert(
        actor=actor,
        cooperative=cooperative,
        allocations=allocations,
        effective_on=effective_on,
        note=note,
        entry_type=EntryType.CAPITALISE,
        booking=booking or Booking(source="surplus"),
    )


def _convert(*, actor, cooperative, allocations, effective_on, note, entry_type, booking) -> PostResult:
    if not (note or "").strip():
        raise BusinessError(
            _("Name the member assembly resolution that approved the conversion."),
            code="resolution_required",
            field="note",
        )
    lock_cooperative(cooperative)
    lines = [
        Line(
            member=member,
            # the collective's reserve share stays the collective's
            share_class=ShareClass.COLLECTIVE if member.kind == MemberKind.COLLECTIVE else ShareClass.ORDINARY,
            amount=_positive(amount),
            note=note.strip(),
        )
        for member, amount in sorted(allocations.items(), key=lambda kv: kv[0].number)
    ]
    return post_lines(
        actor=actor,
        cooperative=cooperative,
        entry_type=entry_type,
        lines=lines,
        effective_on=effective_on,
        booking=booking,
    )
