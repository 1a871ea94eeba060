"""Taking over the books of an existing cooperative: the register against 301, 322 and 311.

A cooperative that kept its books before Lingban comes with a share register (members' capital,
entered or imported with its old dates) and opening balances from its old books, which rarely say
the same: land rights contributed but never booked, capital kept as one figure rather than per
member, a reserve never quantified. The tie-out shows every difference; these services book them,
each with the accountant's reason (``TakeoverAdjustment``):

* ``capital_takeover``: 股金 per member becomes what the register says on the day the books start,
  and the difference goes to the account the accountant names (e.g. 无形资产 for land rights that
  were never booked, 资本公积, 未分配盈余);
* ``reserve_takeover``: the reserve that belongs to no member is quantified to the members by the
  charter's basis (law Art. 42).

While the first year's opening balances may still change (no month closed, not carried forward),
the opening balances are rewritten; afterwards an adjusting entry is posted in the first open month.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import ZERO, allocate
from core.tenancy import assert_in_scope
from finance.choices import FiscalYearStatus, MemberAccountEntryKind, PeriodStatus, VoucherKind
from finance.models import FiscalYear, MemberAccountEntry, OpeningBalance, Period, ShareBooking, TakeoverAdjustment
from finance.selectors.roles import Roles


@dataclass
class CapitalGap:
    """What the register and the opening 股金 say, per member, on the day the books start."""

    start: datetime.date
    register: dict[int, Decimal]  # owner → capital before the books start
    books: dict[int | None, Decimal]  # member (None: no member) → opening 股金, credit positive

    @property
    def differences(self) -> dict[int | None, Decimal]:
        keys = set(self.register) | set(self.books)
        diff = {k: self.register.get(k, ZERO) - self.books.get(k, ZERO) for k in keys}
        return {k: v for k, v in diff.items() if v}

    @property
    def total(self) -> Decimal:
        return sum(self.differences.values(), ZERO)


def _first_year(cooperative: Cooperative) -> FiscalYear:
    first = FiscalYear.objects.filter(cooperative=cooperative).order_by("year").first()
    if first is None:
        raise StateConflict(_("Open the books of this cooperative first."), code="books_not_open")
    return first


def _opening_editable(fiscal_year: FiscalYear) -> bool:
    return (
        fiscal_year.carried_from_id is None
        and fiscal_year.status == FiscalYearStatus.OPEN
        and not fiscal_year.periods.filter(status=PeriodStatus.CLOSED).exists()
    )


def capital_gap(cooperative: Cooperative) -> CapitalGap | None:
    """The register's capital before the books start, against the opening 股金 (None without books)."""
    from shares.selectors import capital_by_owner

    roles = Roles.of(cooperative)
    if roles is None or not FiscalYear.objects.filter(cooperative=cooperative).exists():
        return None
    first = _first_year(cooperative)
    start = datetime.date(first.year, 1, 1)
    # the register on the eve of the books, less what was booked since (a refund of a withdrawal
    # that took effect before the books started, paid after): the part only the opening balances hold
    booked = set(ShareBooking.objects.filter(cooperative=cooperative).values_list("operation", flat=True))
    register = {
        k: v
        for k, v in capital_by_owner(
            cooperative.pk, start - datetime.timedelta(days=1), exclude_operations=booked
        ).items()
        if v
    }
    capital = roles.account("capital")
    books: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    for member_id, amount in OpeningBalance.objects.filter(fiscal_year=first, account=capital).values_list(
        "member_id", "amount"
    ):
        books[member_id] -= amount
    return CapitalGap(start, register, {k: v for k, v in books.items() if v})


@transaction.atomic
def capital_takeover(*, actor: User, cooperative: Cooperative, offset_code: str, reason: str) -> TakeoverAdjustment:
    """Make the opening 股金 say what the register says, per member, booking the difference to
    ``offset_code`` with ``reason`` (see the module)."""
    from finance.services.books import OpeningRow, opening_balances_set

    reason = (reason or "").strip()
    if not reason:
        raise BusinessError(_("Say why the books and the register differ."), code="reason_required", field="reason")
    cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    gap = capital_gap(cooperative)
    if gap is None:
        raise StateConflict(_("Open the books of this cooperative first."), code="books_not_open")
    differences = gap.differences
    if not differences:
        raise StateConflict(_("The register and 股金 already agree."), code="nothing_to_adjust")
    roles = Roles.of(cooperative)
    capital = roles.account("capital")
    offset = roles.leaf(offset_code)
    if offset.pk == capital.pk or offset.tracks_members:
        raise BusinessError(
            _("Book the difference to an account that is not kept per member."), code="wrong_account", field="offset"
        )
    first = _first_year(cooperative)
    voucher = None
    if _opening_editable(first):
        rows = [
            OpeningRow(
                account=o.account,
                debit=o.amount if o.amount > 0 else ZERO,
                credit=-o.amount if o.amount < 0 else ZERO,
                member=o.member,
                project=o.project,
            )
            for o in OpeningBalance.objects.filter(fiscal_year=first)
            .exclude(account=capital)
            .select_related("account", "member", "project")
        ]
        from members.models import Member

        members = Member.objects.in_bulk(list(gap.register))
        rows += [
            OpeningRow(account=capital, credit=amount, member=members[m])
            for m, amount in sorted(gap.register.items())
            if amount
        ]
        total = gap.total  # more capital in the register than on the books: a debit to the offset
        rows.append(OpeningRow(account=offset, debit=max(total, ZERO), credit=max(-total, ZERO)))
        opening_balances_set(actor=actor, fiscal_year=first, rows=rows)
    else:
        voucher = _adjusting_entry(actor, cooperative, capital, offset, differences, reason)
    adjustment = TakeoverAdjustment.objects.create(
        cooperative=cooperative,
        region_code=cooperative.region_code,
        subject=TakeoverAdjustment.Subject.CAPITAL,
        amount=gap.total,
        offset_account=offset,
        reason=reason,
        voucher=voucher,
        created_by=actor,
    )
    assert_in_scope(actor, adjustment, "add")
    return adjustment


def _adjusting_entry(actor, cooperative, capital, offset, differences: dict, reason: str):
    """An entry in the first open month that moves each member's 股金 by their difference."""
    from finance.services.vouchers import LineInput, MemberLines, create_posted_voucher_row

    period = (
        Period.objects.filter(cooperative=cooperative, status=PeriodStatus.OPEN, fiscal_year__status="open")
        .order_by("start_date")
        .first()
    )
    if period is None:
        raise StateConflict(_("No month of these books is open for the adjusting entry."), code="no_open_period")
    credits = [(m, d) for m, d in sorted(differences.items(), key=lambda kv: kv[0] or 0) if d > 0 and m]
    debits = [(m, -d) for m, d in sorted(differences.items(), key=lambda kv: kv[0] or 0) if d < 0 and m]
    parts = []
    if credits:
        parts.append(MemberLines(capital, [m for m, _a in credits], [a for _m, a in credits], "credit"))
    if debits:
        parts.append(MemberLines(capital, [m for m, _a in debits], [a for _m, a in debits], "debit"))
    lines = []
    unassigned = differences.get(None, ZERO)  # a part of 股金 that named no member
    if unassigned:
        lines.append(
            LineInput(account=capital, **({"credit": unassigned} if unassigned > 0 else {"debit": -unassigned}))
        )
    total = sum(differences.values(), ZERO)
    lines.insert(0, LineInput(account=offset, **({"debit": total} if total > 0 else {"credit": -total})))
    return create_posted_voucher_row(
        actor=actor,
        cooperative=cooperative,
        period=period,
        date=period.start_date,
        summary=f"股金与股份登记簿核对调整：{reason}"[:200],
        lines=lines,
        member_lines=parts,
        kind=VoucherKind.SHARES,
    )


@transaction.atomic
def reserve_takeover(*, actor: User, cooperative: Cooperative, reason: str) -> TakeoverAdjustment:
    """Quantify the reserve that belongs to no member to the members, by the charter's basis."""
    from finance.services.members import _reserve_weights, shares_quantify
    from finance.services.share_books import ledger_by_member
    from members.models import Member

    reason = (reason or "").strip()
    if not reason:
        raise BusinessError(_("Say why the reserve is quantified now."), code="reason_required", field="reason")
    cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    roles = Roles.of(cooperative)
    if roles is None:
        raise StateConflict(_("Open the books of this cooperative first."), code="books_not_open")
    reserve = roles.account("reserve")
    if not reserve.tracks_members:
        raise StateConflict(_("These books keep no reserve shares."), code="not_quantified")
    first = _first_year(cooperative)
    voucher = None
    if _opening_editable(first):
        row = OpeningBalance.objects.filter(fiscal_year=first, account=reserve, member__isnull=True).first()
        if row is None or row.amount >= 0:
            raise StateConflict(_("All of the reserve belongs to members already."), code="nothing_to_adjust")
        amount = -row.amount
        start = datetime.date(first.year, 1, 1)
        day = start - datetime.timedelta(days=1)
        members = [m for m in Member.objects.filter(cooperative=cooperative).order_by("number") if m.is_active_on(day)]
        shares = allocate(amount, _reserve_weights(cooperative, members, day), order=[m.pk for m in members])
        existing = {
            o.member_id: o
            for o in OpeningBalance.objects.filter(fiscal_year=first, account=reserve, member__isnull=False)
        }
        row.delete()
        for member_id, share in shares.items():
            if not share:
                continue
            if member_id in existing:
                existing[member_id].amount -= share
                existing[member_id].save(update_fields=["amount", "updated_at"])
            else:
                OpeningBalance.objects.create(
                    cooperative=cooperative,
                    region_code=cooperative.region_code,
                    fiscal_year=first,
                    account=reserve,
                    member_id=member_id,
                    amount=-share,
                )
        MemberAccountEntry.objects.bulk_create(
            [
                MemberAccountEntry(
                    cooperative=cooperative,
                    region_code=cooperative.region_code,
                    member_id=member_id,
                    year=day.year,
                    date=day,
                    kind=MemberAccountEntryKind.RESERVE_SHARE,
                    amount=share,
                    summary=f"建账时公积金量化：{reason}"[:200],
                    created_by=actor,
                )
                for member_id, share in shares.items()
                if share
            ]
        )
    else:
        balances = ledger_by_member(cooperative.pk, [reserve.pk])
        amount = -balances.get((reserve.pk, None), ZERO)
        if amount <= 0:
            raise StateConflict(_("All of the reserve belongs to members already."), code="nothing_to_adjust")
        period = Period.objects.filter(cooperative=cooperative, status=PeriodStatus.OPEN).order_by("start_date").first()
        if period is None:
            raise StateConflict(_("No month of these books is open for the adjusting entry."), code="no_open_period")
        entries = shares_quantify(
            actor=actor,
            cooperative=cooperative,
            kind=MemberAccountEntryKind.RESERVE_SHARE,
            amount=amount,
            date=period.start_date,
            summary=f"公积金量化到成员：{reason}",
        )
        voucher = entries[0].voucher if entries else None
    adjustment = TakeoverAdjustment.objects.create(
        cooperative=cooperative,
        region_code=cooperative.region_code,
        subject=TakeoverAdjustment.Subject.RESERVE,
        amount=amount,
        offset_account=reserve,
        reason=reason,
        voucher=voucher,
        created_by=actor,
    )
    assert_in_scope(actor, adjustment, "add")
    return adjustment
