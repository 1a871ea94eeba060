"""Opening a cooperative's books; accounts, projects, fiscal years and opening balances."""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from cooperatives.models import Cooperative
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.money import ZERO, money
from core.tenancy import assert_in_scope
from finance.charts import account_level, ensure_chart_templates, parent_code
from finance.choices import PROFIT_AND_LOSS, FiscalYearStatus, PeriodStatus
from finance.models import (
    Account,
    ChartTemplate,
    CooperativeBooks,
    FiscalYear,
    OpeningBalance,
    Period,
    Project,
    VoucherLine,
)

logger = logging.getLogger(__name__)


def pinyin_initials(name: str) -> str:
    """库存现金 → KCXJ; letters and digits are kept, punctuation dropped."""
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for part in initials for ch in part if ch.isalnum()).upper()[:64]


def chart_for(cooperative: Cooperative) -> ChartTemplate:
    """The chart a cooperative of this kind keeps: joint-stock economic cooperatives the village
    collective chart, every other kind the cooperative chart (ChartTemplate.kinds says which)."""
    chart = ChartTemplate.objects.filter(kinds__contains=[cooperative.kind]).first()
    if chart is None:  # a flushed database (transactional tests) lost the shipped rows
        ensure_chart_templates()
        chart = ChartTemplate.objects.filter(kinds__contains=[cooperative.kind]).first()
    if chart is None:
        raise BusinessError(_("No chart of accounts fits this kind of cooperative."), code="no_chart")
    return chart


def _periods(fiscal_year: FiscalYear) -> list[Period]:
    rows = []
    for month in range(1, 13):
        last = calendar.monthrange(fiscal_year.year, month)[1]
        rows.append(
            Period(
                cooperative_id=fiscal_year.cooperative_id,
                region_code=fiscal_year.region_code,
                fiscal_year=fiscal_year,
                number=month,
                start_date=datetime.date(fiscal_year.year, month, 1),
                end_date=datetime.date(fiscal_year.year, month, last),
            )
        )
    return Period.objects.bulk_create(rows)


def _create_year(cooperative: Cooperative, year: int, carried_from: FiscalYear | None = None) -> FiscalYear:
    fiscal_year = FiscalYear.objects.create(
        cooperative=cooperative, region_code=cooperative.region_code, year=year, carried_from=carried_from
    )
    _periods(fiscal_year)
    return fiscal_year


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise BusinessError(_("Give a year between 2000 and 2100."), code="invalid_year", field="year")


@transaction.atomic
def books_open(*, actor: User, cooperative: Cooperative, year: int) -> CooperativeBooks:
    """Open the books of ``cooperative``: copy its chart's accounts and open fiscal ``year``."""
    _check_year(year)
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if CooperativeBooks.objects.filter(cooperative=coop).exists():
        raise StateConflict(_("The books of this cooperative are already open."), code="books_open")
    chart = chart_for(coop)
    books = CooperativeBooks.objects.create(
        cooperative=coop, region_code=coop.region_code, chart=chart, opened_by=actor
    )
    templates = list(chart.accounts.order_by("order"))
    codes = {t.code for t in templates}
    accounts = Account.objects.bulk_create(
        [
            Account(
                cooperative=coop,
                region_code=coop.region_code,
                code=t.code,
                name=t.name,
                level=account_level(t.code),
                category=t.category,
                balance_side=t.balance_side,
                is_cash=t.is_cash,
                tracks_members=t.tracks_members,
                is_standard=True,
                is_optional=t.is_optional,
                is_leaf=not any(c != t.code and c.startswith(t.code) for c in codes),
                pinyin=pinyin_initials(t.name),
            )
            for t in templates
        ]
    )
    by_code = {a.code: a for a in accounts}
    children = [a for a in accounts if parent_code(a.code)]
    for account in children:
        account.parent = by_code[parent_code(account.code)]
    Account.objects.bulk_update(children, ["parent"])
    _create_year(coop, year)
    assert_in_scope(actor, books, "add")
    logger.info("finance.books.opened", extra={"cooperative_id": coop.pk, "chart": chart.code})
    return books


@transaction.atomic
def fiscal_year_open(*, actor: User, cooperative: Cooperative, year: int) -> FiscalYear:
    """Open the year after the latest one (its opening balances arrive when that year closes)."""
    _check_year(year)
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if not CooperativeBooks.objects.filter(cooperative=coop).exists():
        raise StateConflict(_("Open the books of this cooperative first."), code="books_not_open")
    latest = FiscalYear.objects.filter(cooperative=coop).order_by("-year").first()
    if latest is not None and year != latest.year + 1:
        raise BusinessError(
            _("The next fiscal year to open is %(year)s.") % {"year": latest.year + 1},
            code="year_sequence",
            field="year",
        )
    fiscal_year = _create_year(coop, year)
    assert_in_scope(actor, fiscal_year, "add")
    return fiscal_year


def _check_code(parent: Account, code: str) -> None:
    if not (code.isdigit() and len(code) == len(parent.code) + 2 and code.startswith(parent.code)):
        raise BusinessError(
            _("A sub-account of %(parent)s has the code %(parent)s followed by two digits, e.g. %(example)s.")
            % {"parent": parent.code, "example": f"{parent.code}01"},
            code="invalid_code",
            field="code",
        )


@transaction.atomic
def account_create(*, actor: User, parent: Account, code: str, name: str, member=None) -> Account:
    """Add a sub-account under ``parent`` (e.g. 10201 中国农业银行 under 102, or 11401 per member).

    The parent must not carry entries of its own yet: postings go to leaves only, so once it has
    sub-accounts its balance is theirs.
    """
    parent = Account.objects.select_for_update().get(pk=parent.pk)
    code = (code or "").strip()
    name = (name or "").strip()
    _check_code(parent, code)
    if len(code) > 7:
        raise BusinessError(_("Accounts nest at most three levels deep."), code="too_deep", field="code")
    if not name:
        raise BusinessError(_("Give the account a name."), code="name_required", field="name")
    if member is not None and member.cooperative_id != parent.cooperative_id:
        raise BusinessError(_("The member belongs to another cooperative."), code="foreign_member", field="member")
    if parent.is_leaf and (
        VoucherLine.objects.filter(account=parent).exists() or OpeningBalance.objects.filter(account=parent).exists()
    ):
        raise StateConflict(
            _(
                "%(account)s already has entries, so it cannot get sub-accounts now. Add sub-accounts before "
                "posting to an account."
            )
            % {"account": parent},
            code="parent_has_entries",
            field="parent",
        )
    try:
        with transaction.atomic():
            account = Account.objects.create(
                cooperative_id=parent.cooperative_id,
                region_code=parent.region_code,
                code=code,
                name=name,
                parent=parent,
                level=account_level(code),
                category=parent.category,
                balance_side=parent.balance_side,
                is_cash=parent.is_cash,
                tracks_members=parent.tracks_members,
                member=member,
                pinyin=pinyin_initials(name),
            )
    except IntegrityError as exc:
        raise BusinessError(_("This code is already in use."), code="code_taken", field="code") from exc
    if parent.is_leaf:
        parent.is_leaf = False
        parent.save(update_fields=["is_leaf", "updated_at"])
    assert_in_scope(actor, account, "add")
    return account


@transaction.atomic
def account_update(*, actor: User, account: Account, name: str | None = None, is_active: bool | None = None) -> Account:
    """Rename a sub-account or take an account out of use (standard names stay as the standard has them)."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    fields = []
    if name is not None and name.strip() != account.name:
        if account.is_standard:
            raise BusinessError(
                _("Standard accounts keep the name the standard gives them."), code="standard_name", field="name"
            )
        account.name = name.strip()
        account.pinyin = pinyin_initials(account.name)
        fields += ["name", "pinyin"]
    if is_active is not None and is_active != account.is_active:
        account.is_active = is_active
        fields.append("is_active")
    if fields:
        account.save(update_fields=[*fields, "updated_at"])
    assert_in_scope(actor, account, "change")
    return account


@transaction.atomic
def project_create(*, actor: User, cooperative: Cooperative, code: str, name: str, note: str = "") -> Project:
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise BusinessError(
            _("Give the project a code and a name."), code="required", field="code" if not code else "name"
        )
    if Project.objects.filter(cooperative=cooperative, code=code).exists():
        raise BusinessError(_("This code is already in use."), code="code_taken", field="code")
    project = Project.objects.create(
        cooperative=cooperative, region_code=cooperative.region_code, code=code, name=name, note=note
    )
    assert_in_scope(actor, project, "add")
    return project


@transaction.atomic
def project_update(
    *, actor: User, project: Project, name: str | None = None, is_active: bool | None = None, note: str | None = None
) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if name is not None:
        if not name.strip():
            raise BusinessError(_("Give the project a name."), code="required", field="name")
        project.name = name.strip()
    if is_active is not None:
        project.is_active = is_active
    if note is not None:
        project.note = note
    project.save()
    assert_in_scope(actor, project, "change")
    return project


@dataclass
class OpeningRow:
    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    member: object | None = None
    project: Project | None = None


@transaction.atomic
def opening_balances_set(*, actor: User, fiscal_year: FiscalYear, rows: list[OpeningRow]) -> list[OpeningBalance]:
    """Replace the opening balances of a cooperative's first fiscal year. They must balance to the
    fen (Σ debit = Σ credit); profit-and-loss accounts open at nil. A year whose balances were
    carried forward, or that has a closed month, keeps them (correct with a voucher)."""
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if fiscal_year.carried_from_id:
        raise StateConflict(
            _("These opening balances were carried forward from %(year)s; correct them with a voucher.")
            % {"year": fiscal_year.year - 1},
            code="opening_carried",
        )
    if fiscal_year.periods.filter(status=PeriodStatus.CLOSED).exists() or fiscal_year.status != FiscalYearStatus.OPEN:
        raise StateConflict(
            _("A month of this year is closed; its opening balances can no longer change."), code="opening_locked"
        )
    merged: dict[tuple, Decimal] = {}
    total_debit = total_credit = ZERO
    for i, row in enumerate(rows, start=1):
        debit, credit = money(row.debit or 0), money(row.credit or 0)
        if not debit and not credit:
            continue
        if debit < 0 or credit < 0 or (debit and credit):
            raise BusinessError(
                _("Row %(row)s: give either a debit or a credit balance, not both, and not below zero.") % {"row": i},
                code="invalid_amount",
            )
        account = row.account
        if account.cooperative_id != fiscal_year.cooperative_id:
            raise BusinessError(
                _("Row %(row)s: the account belongs to another cooperative.") % {"row": i}, code="foreign_account"
            )
        if not account.is_leaf:
            raise BusinessError(
                _("Row %(row)s: %(account)s has sub-accounts; give the balances of its sub-accounts.")
                % {"row": i, "account": account},
                code="not_leaf",
            )
        if account.category in PROFIT_AND_LOSS:
            raise BusinessError(
                _("Row %(row)s: %(account)s is a profit-and-loss account and opens at nil.")
                % {"row": i, "account": account},
                code="pl_opening",
            )
        for obj, label in ((row.member, _("member")), (row.project, _("project"))):
            if obj is not None and obj.cooperative_id != fiscal_year.cooperative_id:
                raise BusinessError(
                    _("Row %(row)s: the %(what)s belongs to another cooperative.") % {"row": i, "what": label},
                    code="foreign_dimension",
                )
        key = (account.pk, getattr(row.member, "pk", None), getattr(row.project, "pk", None))
        merged[key] = merged.get(key, ZERO) + debit - credit
        total_debit += debit
        total_credit += credit
    if total_debit != total_credit:
        raise BusinessError(
            _("The opening balances do not balance: debit %(debit)s, credit %(credit)s, difference %(diff)s.")
            % {
                "debit": f"{total_debit:,.2f}",
                "credit": f"{total_credit:,.2f}",
                "diff": f"{total_debit - total_credit:,.2f}",
            },
            code="unbalanced",
        )
    OpeningBalance.objects.filter(fiscal_year=fiscal_year).delete()
    created = OpeningBalance.objects.bulk_create(
        [
            OpeningBalance(
                cooperative_id=fiscal_year.cooperative_id,
                region_code=fiscal_year.region_code,
                fiscal_year=fiscal_year,
                account_id=account_id,
                member_id=member_id,
                project_id=project_id,
                amount=amount,
            )
            for (account_id, member_id, project_id), amount in merged.items()
            if amount
        ]
    )
    assert_in_scope(actor, fiscal_year, "change")
    return created
