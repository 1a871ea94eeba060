"""Member accounts: members' transactions with the cooperative and quantified shares (law Arts. 43–44)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import ZERO, allocate, money
from core.tenancy import assert_in_scope
from finance.choices import FiscalYearStatus, MemberAccountEntryKind, TradeDirection
from finance.models import FiscalYear, MemberAccountEntry, PatronageTransaction, Voucher

QUANTITY_PLACES = Decimal("0.001")


def _positive_money(value, field: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise BusinessError(_("Give an amount in yuan."), code="invalid_amount", field=field) from exc
    if not amount.is_finite() or amount != money(amount) or amount <= 0 or amount >= Decimal("1e15"):
        raise BusinessError(_("Give an amount above zero, to the fen."), code="invalid_amount", field=field)
    return money(amount)


def _quantity(value) -> Decimal:
    try:
        quantity = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise BusinessError(_("Give the quantity as a number."), code="invalid_quantity", field="quantity") from exc
    if (
        not quantity.is_finite()
        or quantity < 0
        or quantity != quantity.quantize(QUANTITY_PLACES)
        or quantity >= Decimal("1e11")
    ):
        raise BusinessError(
            _("The quantity is zero or more, with at most three decimals."), code="invalid_quantity", field="quantity"
        )
    return quantity


def _year_open(cooperative_id: int, day: datetime.date) -> None:
    closed = FiscalYear.objects.filter(
        cooperative_id=cooperative_id, year=day.year, status=FiscalYearStatus.CLOSED
    ).exists()
    if closed:
        raise StateConflict(
            _("Fiscal year %(year)s is closed; its member transactions no longer change.") % {"year": day.year},
            code="year_closed",
            field="date",
        )


def _clean_transaction(cooperative_id: int, data: dict) -> dict:
    if data.get("date") is None:
        raise BusinessError(_("Give the date."), code="required", field="date")
    _year_open(cooperative_id, data["date"])
    product = (data.get("product") or "").strip()
    if not product:
        raise BusinessError(_("Name the product or service."), code="required", field="product")
    direction = data.get("direction") or TradeDirection.PURCHASE
    if direction not in TradeDirection.values:
        raise BusinessError(_("Choose the direction."), code="invalid", field="direction")
    voucher = data.get("voucher")
    if voucher is not None and voucher.cooperative_id != cooperative_id:
        raise BusinessError(_("Choose a voucher of this cooperative."), code="foreign_voucher", field="voucher")
    return {
        "date": data["date"],
        "direction": direction,
        "product": product[:60],
        "unit": (data.get("unit") or "公斤").strip()[:12],
        "quantity": _quantity(data.get("quantity", 0)),
        "amount": _positive_money(data.get("amount"), "amount"),
        "voucher": voucher,
        "note": (data.get("note") or "").strip()[:200],
    }


@transaction.atomic
def patronage_create(*, actor: User, member, **data) -> PatronageTransaction:
    """Record a member's transaction with the cooperative (交易量（额）, law Art. 43)."""
    cleaned = _clean_transaction(member.cooperative_id, data)
    row = PatronageTransaction.objects.create(
        cooperative_id=member.cooperative_id, region_code=member.region_code, member=member, created_by=actor, **cleaned
    )
    assert_in_scope(actor, row, "add")
    return row


@transaction.atomic
def patronage_update(*, actor: User, record: PatronageTransaction, **data) -> PatronageTransaction:
    record = PatronageTransaction.objects.select_for_update().get(pk=record.pk)
    _year_open(record.cooperative_id, record.date)
    merged = {
        f: getattr(record, f) for f in ("date", "direction", "product", "unit", "quantity", "amount", "voucher", "note")
    } | data
    cleaned = _clean_transaction(record.cooperative_id, merged)
    member = data.get("member") or record.member
    if member.cooperative_id != record.cooperative_id:
        raise BusinessError(_("The member belongs to another cooperative."), code="foreign_member", field="member")
    record.member = member
    for field, value in cleaned.items():
        setattr(record, field, value)
    record.save()
    assert_in_scope(actor, record, "change")
    return record


@transaction.atomic
def patronage_delete(*, actor: User, record: PatronageTransaction) -> None:
    record = PatronageTransaction.objects.select_for_update().get(pk=record.pk)
    assert_in_scope(actor, record, "delete")
    _year_open(record.cooperative_id, record.date)
    record.delete()


@transaction.atomic
def member_account_entry_create(
    *,
    actor: User,
    member,
    kind: str,
    amount,
    date: datetime.date,
    summary: str = "",
    voucher: Voucher | None = None,
) -> MemberAccountEntry:
    """Write one dated amount into a member's account (quantified shares; refunds and distributions
    paid, which the dividends app writes when a plan is executed)."""
    if kind not in MemberAccountEntryKind.values:
        raise BusinessError(_("Unknown kind of member-account entry."), code="invalid", field="kind")
    try:
        value = money(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise BusinessError(_("Give an amount in yuan."), code="invalid_amount", field="amount") from exc
    if voucher is not None and voucher.cooperative_id != member.cooperative_id:
        raise BusinessError(_("Choose a voucher of this cooperative."), code="foreign_voucher", field="voucher")
    entry = MemberAccountEntry.objects.create(
        cooperative_id=member.cooperative_id,
        region_code=member.region_code,
        member=member,
        year=date.year,
        date=date,
        kind=kind,
        amount=value,
        summary=(summary or "").strip()[:200],
        voucher=voucher,
        created_by=actor,
    )
    assert_in_scope(actor, entry, "add")
    return entry


@transaction.atomic
def shares_quantify(
    *,
    actor: User,
    cooperative: Cooperative,
    kind: str,
    amount,
    date: datetime.date,
    summary: str = "",
) -> list[MemberAccountEntry]:
    """Quantify an amount into the members' accounts, exact to the fen (largest remainder):

    * the reserve (公积金份额, law Art. 42) in proportion to each member's contribution;
    * property formed from state subsidies or donations equally per member (平均量化, Art. 44 (3)).
    """
    from finance.selectors.members import contributions_by_member
    from members.models import Member

    total = _positive_money(amount, "amount")
    members = list(Member.objects.filter(cooperative=cooperative).order_by("number"))
    members = [m for m in members if m.is_active_on(date)]
    if kind == MemberAccountEntryKind.RESERVE_SHARE:
        weights = contributions_by_member(cooperative, date)
        weights = {m.pk: weights.get(m.pk, ZERO) for m in members}
    elif kind in (MemberAccountEntryKind.SUBSIDY_SHARE, MemberAccountEntryKind.DONATION_SHARE):
        weights = {m.pk: 1 for m in members}
    else:
        raise BusinessError(
            _("Only reserve, subsidy and donation shares are quantified."), code="invalid", field="kind"
        )
    if not any(weights.values()):
        raise BusinessError(_("No member to quantify the amount to."), code="no_members")
    shares = allocate(total, weights, order=[m.pk for m in members])
    by_id = {m.pk: m for m in members}
    entries = MemberAccountEntry.objects.bulk_create(
        [
            MemberAccountEntry(
                cooperative=cooperative,
                region_code=cooperative.region_code,
                member=by_id[member_id],
                year=date.year,
                date=date,
                kind=kind,
                amount=share,
                summary=(summary or "").strip()[:200],
                created_by=actor,
            )
            for member_id, share in shares.items()
            if share
        ]
    )
    for entry in entries[:1]:
        assert_in_scope(actor, entry, "add")
    return entries
