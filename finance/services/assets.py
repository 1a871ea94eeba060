"""The asset register and its monthly depreciation (``finance.models.assets``).

``asset_register`` enters a card. ``depreciation_post`` books a month's depreciation as one voucher
of the cooperative (Dr the expense or cost account each card names / Cr 累计折旧 or 生产性生物资产
累计折旧) and records each card's part; closing a month calls it first, so the month's profit and
loss transfer includes the depreciation. A month is depreciated once: a card's part of a month is
unique, and the month's lock (taken by the voucher writer) serialises two closings.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.exceptions import BusinessError
from core.models import User
from core.money import ZERO
from core.tenancy import assert_in_scope
from finance.choices import AccountCategory, AssetKind, AssetStatus, VoucherKind
from finance.models import Account, DepreciationEntry, FixedAsset, Period, Project, Voucher

logger = logging.getLogger(__name__)

CHARGEABLE = (AccountCategory.EXPENSE, AccountCategory.COST)
ACCUMULATED_ROLE = {AssetKind.FIXED: "fixed_depreciation", AssetKind.BIOLOGICAL: "biological_depreciation"}
ASSET_ROLE = {AssetKind.FIXED: "fixed_assets", AssetKind.BIOLOGICAL: "biological"}


def first_of_next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class AssetInput:
    number: str
    name: str
    kind: str
    category: str
    source: str
    acquired_on: datetime.date
    original_value: Decimal
    useful_life_months: int
    residual_rate: Decimal = Decimal("5.00")
    expense_account: Account | None = None
    depreciation_from: datetime.date | None = None
    project: Project | None = None
    opening_depreciation: Decimal = ZERO
    opening_months: int = 0
    location: str = ""
    custodian: str = ""
    acquisition_voucher: Voucher | None = None
    note: str = ""


def _roles(cooperative: Cooperative):
    from finance.selectors.roles import Roles

    roles = Roles.of(cooperative)
    if roles is None:
        raise BusinessError(_("This cooperative keeps no books in Lingban yet: open them first."), code="no_books")
    return roles


@transaction.atomic
def asset_register(*, actor: User, cooperative: Cooperative, data: AssetInput) -> FixedAsset:
    """Enter an asset card. Its acquisition is booked by its own voucher (a purchase, a member's
    contribution, a subsidy received in kind), which the card may name."""
    roles = _roles(cooperative)
    expense = data.expense_account or roles.account("admin_expense")
    if expense.cooperative_id != cooperative.pk or expense.category not in CHARGEABLE or not expense.is_leaf:
        raise BusinessError(
            _("Charge depreciation to an expense or cost account of these books that takes postings."),
            code="wrong_account",
            field="expense_account",
        )
    if data.project is not None and data.project.cooperative_id != cooperative.pk:
        raise BusinessError(_("Choose a project of this cooperative."), code="wrong_project", field="project")
    if data.opening_months > data.useful_life_months:
        raise BusinessError(
            _("The months already depreciated exceed the useful life."), code="opening_months", field="opening_months"
        )
    start = data.depreciation_from or first_of_next_month(data.acquired_on)
    if start.day != 1 or start <= data.acquired_on:
        raise BusinessError(
            _("Depreciation starts on the first day of a month after the asset was acquired."),
            code="depreciation_from",
            field="depreciation_from",
        )
    if FixedAsset.objects.filter(cooperative=cooperative, number=data.number.strip()).exists():
        raise BusinessError(
            _("Card number %(number)s is taken.") % {"number": data.number}, code="number_taken", field="number"
        )
    asset = FixedAsset(
        cooperative=cooperative,
        region_code=cooperative.region_code,
        number=data.number.strip(),
        name=data.name.strip(),
        kind=data.kind,
        category=data.category,
        source=data.source,
        project=data.project,
        acquired_on=data.acquired_on,
        depreciation_from=start,
        original_value=data.original_value,
        useful_life_months=data.useful_life_months,
        residual_rate=data.residual_rate,
        opening_depreciation=data.opening_depreciation,
        opening_months=data.opening_months,
        expense_account=expense,
        location=data.location.strip(),
        custodian=data.custodian.strip(),
        acquisition_voucher=data.acquisition_voucher,
        note=data.note,
        created_by=actor,
    )
    if asset.opening_depreciation > asset.depreciable:
        raise BusinessError(
            _("The depreciation before the books exceeds what the asset can lose (%(amount)s).")
            % {"amount": f"{asset.depreciable:,.2f}"},
            code="opening_depreciation",
            field="opening_depreciation",
        )
    asset_check_accounts(roles, asset.kind)
    asset.full_clean(exclude=["cooperative", "expense_account", "project", "acquisition_voucher", "created_by"])
    asset.save()
    assert_in_scope(actor, asset, "add")
    logger.info("finance.asset.registered", extra={"asset_id": asset.pk})
    return asset


def asset_check_accounts(roles, kind: str) -> None:
    """The books keep the register's two accounts (refused with their names otherwise)."""
    roles.account(ASSET_ROLE[kind])
    roles.account(ACCUMULATED_ROLE[kind])


def accumulated(assets) -> dict[int, tuple[Decimal, int]]:
    """Each asset's depreciation so far and the months it covers (before the books included)."""
    rows = DepreciationEntry.objects.filter(asset__in=assets).values("asset_id")
    booked = {
        r["asset_id"]: (r["total"], r["months"])
        for r in rows.annotate(total=Coalesce(Sum("amount"), ZERO), months=Count("pk")).order_by()
    }
    return {
        a.pk: (
            a.opening_depreciation + booked.get(a.pk, (ZERO, 0))[0],
            a.opening_months + booked.get(a.pk, (ZERO, 0))[1],
        )
        for a in assets
    }


def month_depreciation(asset: FixedAsset, done: Decimal, months: int) -> Decimal:
    """The asset's depreciation for its next month: the monthly amount, the rest in its last month,
    nothing once it is fully depreciated."""
    left = asset.depreciable - done
    if left <= 0:
        return ZERO
    if months + 1 >= asset.useful_life_months:
        return left
    return min(asset.monthly, left)


def depreciation_due(period: Period) -> list[tuple[FixedAsset, Decimal]]:
    """The cards depreciated in ``period`` and their amounts: in use (or disposed of during or after
    the month), depreciated from this month or earlier, not yet depreciated this month."""
    assets = list(
        FixedAsset.objects.filter(cooperative_id=period.cooperative_id, depreciation_from__lte=period.start_date)
        .filter(Q(status=AssetStatus.IN_USE) | Q(disposed_on__gte=period.start_date))
        .exclude(entries__period=period)
        .select_related("expense_account")
        .order_by("number")
    )
    so_far = accumulated(assets)
    due = [(a, month_depreciation(a, *so_far[a.pk])) for a in assets]
    return [(a, amount) for a, amount in due if amount > 0]


@transaction.atomic
def depreciation_post(*, actor: User, period: Period) -> Voucher | None:
    """Book ``period``'s depreciation as one voucher (None when nothing is due)."""
    from finance.services.vouchers import LineInput, create_posted_voucher_row

    period = Period.objects.select_related("cooperative").get(pk=period.pk)
    due = depreciation_due(period)
    if not due:
        return None
    roles = _roles(period.cooperative)
    charges: dict[tuple[int, int | None], Decimal] = {}
    credits: dict[str, Decimal] = {}
    accounts = {}
    for asset, amount in due:
        key = (asset.expense_account_id, asset.project_id)
        accounts[asset.expense_account_id] = asset.expense_account
        charges[key] = charges.get(key, ZERO) + amount
        credits[asset.kind] = credits.get(asset.kind, ZERO) + amount
    projects = Project.objects.in_bulk({p for _a, p in charges if p})
    lines = [
        LineInput(account=accounts[account_id], debit=amount, project=projects.get(project_id))
        for (account_id, project_id), amount in sorted(charges.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    ]
    for kind in (AssetKind.FIXED, AssetKind.BIOLOGICAL):
        if credits.get(kind):
            lines.append(LineInput(account=roles.account(ACCUMULATED_ROLE[kind]), credit=credits[kind]))
    voucher = create_posted_voucher_row(
        actor=actor,
        cooperative=period.cooperative,
        period=period,
        date=period.end_date,
        # 计提折旧 — bookkeeping text of record, kept in the standard's language
        summary=f"计提{period.label}折旧",
        lines=lines,
        kind=VoucherKind.DEPRECIATION,
    )
    DepreciationEntry.objects.bulk_create(
        [
            DepreciationEntry(asset=asset, period=period, amount=amount, voucher=voucher, region_code=asset.region_code)
            for asset, amount in due
        ]
    )
    logger.info("finance.depreciation.posted", extra={"period_id": period.pk, "assets": len(due)})
    return voucher


__all__ = [
    "AssetInput",
    "accumulated",
    "asset_register",
    "depreciation_due",
    "depreciation_post",
    "first_of_next_month",
    "month_depreciation",
]
