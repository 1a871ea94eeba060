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

    * the reserve (公积金份额, law Art. 42) by the charter's basis (by contribution unless it says
      otherwise): out of the part of 盈余公积 that belongs to no member yet (an opening balance taken
      over, a reserve booked by hand), which moves to the members' sub-ledgers by the same amounts;
    * property formed from state subsidies or donations equally per member (平均量化, Art. 44 (3)):
      out of the part of 专项基金 (that source) not yet quantified.

    So the member accounts and the books keep telling the same story (the tie-out checks it).
    Without books in Lingban there is nothing to take it out of, and the amount is only quantified.
    """
    from finance.selectors.roles import Roles
    from members.models import Member

    total = _positive_money(amount, "amount")
    members = list(Member.objects.filter(cooperative=cooperative).order_by("number"))
    members = [m for m in members if m.is_active_on(date)]
    if kind == MemberAccountEntryKind.RESERVE_SHARE:
        weights = _reserve_weights(cooperative, members, date)
    elif kind in (MemberAccountEntryKind.SUBSIDY_SHARE, MemberAccountEntryKind.DONATION_SHARE):
        weights = {m.pk: 1 for m in members}
    else:
        raise BusinessError(
            _("Only reserve, subsidy and donation shares are quantified."), code="invalid", field="kind"
        )
    if not any(weights.values()):
        raise BusinessError(_("No member to quantify the amount to."), code="no_members")
    roles = Roles.of(cooperative)
    if roles is not None:
        _check_unquantified(cooperative, roles, kind, total)
    shares = allocate(total, weights, order=[m.pk for m in members])
    by_id = {m.pk: m for m in members}
    voucher = None
    if roles is not None and kind == MemberAccountEntryKind.RESERVE_SHARE and roles.account("reserve").tracks_members:
        voucher = _reserve_to_members(actor, cooperative, roles, shares, date, summary)
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
                voucher=voucher,
                created_by=actor,
            )
            for member_id, share in shares.items()
            if share
        ]
    )
    for entry in entries[:1]:
        assert_in_scope(actor, entry, "add")
    return entries


def _reserve_weights(cooperative, members, date) -> dict:
    """The charter's basis for quantifying the reserve (law Art. 42; by contribution unless the
    charter in force says by transactions or equally)."""
    from cooperatives.choices import CharterState, ReserveBasis
    from cooperatives.models import Charter
    from finance.selectors.members import patronage_amounts
    from shares.selectors import capital_by_owner

    charter = Charter.objects.filter(cooperative=cooperative, state=CharterState.EFFECTIVE).first()
    basis = charter.reserve_basis if charter else ReserveBasis.CAPITAL
    if basis == ReserveBasis.EQUAL:
        return {m.pk: 1 for m in members}
    if basis == ReserveBasis.TRANSACTIONS:
        traded = patronage_amounts(cooperative, date.year)
        if any(traded.get(m.pk) for m in members):
            return {m.pk: traded.get(m.pk, ZERO) for m in members}
    capital = capital_by_owner(cooperative.pk, date)
    return {m.pk: capital.get(m.pk, ZERO) for m in members}


def _check_unquantified(cooperative, roles, kind: str, total: Decimal) -> None:
    """Refuse to quantify more than the books hold unquantified."""
    from django.db.models import Sum

    from finance.services.share_books import ledger_by_member

    if kind == MemberAccountEntryKind.RESERVE_SHARE:
        account = roles.account("reserve")
        if not account.tracks_members:
            return
        balances = ledger_by_member(cooperative.pk, [account.pk])
        free = -balances.get((account.pk, None), ZERO)
        what = _("reserve not yet quantified")
    else:
        role = "subsidy_fund" if kind == MemberAccountEntryKind.SUBSIDY_SHARE else "donation_fund"
        if not roles.has(role):
            return
        account = roles.accounts[roles.code(role)]
        ids = [a.pk for c, a in roles.accounts.items() if c.startswith(account.code)]
        fund = -sum(ledger_by_member(cooperative.pk, ids).values(), ZERO)
        done = (
            MemberAccountEntry.objects.filter(cooperative=cooperative, kind=kind).aggregate(t=Sum("amount"))["t"]
            or ZERO
        )
        free = fund - done
        what = _("%(account)s not yet quantified") % {"account": account}
    if total > free:
        raise BusinessError(
            _("Only %(free)s yuan of %(what)s is left to quantify; %(amount)s was entered.")
            % {"free": f"{max(free, ZERO):,.2f}", "what": what, "amount": f"{total:,.2f}"},
            code="more_than_unquantified",
            field="amount",
        )


def _reserve_to_members(actor, cooperative, roles, shares: dict, date, summary: str):
    """Move the quantified reserve from the undivided part of 盈余公积 to the members' sub-ledgers."""
    from finance.choices import VoucherKind
    from finance.services.vouchers import LineInput, MemberLines, create_posted_voucher_row, period_for

    account = roles.account("reserve")
    paid = [(m, a) for m, a in shares.items() if a]
    total = sum((a for _m, a in paid), ZERO)
    return create_posted_voucher_row(
        actor=actor,
        cooperative=cooperative,
        period=period_for(cooperative, date),
        date=date,
        summary=((summary or "").strip() or "公积金量化到成员")[:200],
        lines=[LineInput(account=account, debit=total)],
        member_lines=MemberLines(account, [m for m, _a in paid], [a for _m, a in paid]),
        kind=VoucherKind.SHARES,
    )
