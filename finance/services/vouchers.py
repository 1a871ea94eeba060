"""Vouchers: enter, change, delete drafts; submit for expenditure approval; post; reverse.

Posting locks the month's period row (the voucher counter) and then the voucher, takes the next
number and marks the lines posted; every writer of a month (entry, posting, closing) takes the
period lock first, so numbers have no gaps and a month cannot close under a posting. Vouchers the
system writes and posts at once (reversals, closing transfers, a distribution plan's entries) are
inserted already posted, so each of their lines is written once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core import changes
from core.bulk import insert_columns
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest, User
from core.money import ZERO, money
from core.policies import policy_for
from core.tenancy import assert_in_scope
from finance.choices import (
    AFTER_CLOSE_KINDS,
    CLOSING_KINDS,
    SYSTEM_KINDS,
    UNPOSTED,
    FiscalYearStatus,
    VoucherKind,
    VoucherStatus,
)
from finance.models import Account, Period, Project, Voucher, VoucherAttachment, VoucherLine
from finance.models.vouchers import WHOLE_VOUCHERS
from finance.services.payees import PayeeInput, clean_payee, payee_window_total

logger = logging.getLogger(__name__)

EXPENDITURE = "expenditure"
EXPENDITURE_SMALL = "expenditure_small"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# file signatures: the content decides, not the name
SIGNATURES = {
    b"%PDF-": ("application/pdf", {".pdf"}),
    b"\xff\xd8\xff": ("image/jpeg", {".jpg", ".jpeg"}),
    b"\x89PNG\r\n\x1a\n": ("image/png", {".png"}),
}


@dataclass
class LineInput:
    """One line as entered: an account, exactly one of debit and credit, optional member and project."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    summary: str = ""
    member: object | None = None
    project: Project | None = None


@dataclass
class MemberLines:
    """Lines to one account, one for each member and all on one side, given as two columns: a
    plan's refund to 10,000 members is two lists rather than 10,000 objects. They follow the
    voucher's other lines, in the order given."""

    account: Account
    member_ids: list[int]
    amounts: list[Decimal]
    side: str = "credit"

    def __post_init__(self):
        if len(self.member_ids) != len(self.amounts) or self.side not in ("debit", "credit"):
            raise ValueError("MemberLines needs an amount for each member and a side, debit or credit")

    def as_one_line(self) -> LineInput:
        """The lines as a single line of their total: what they add to the voucher's balance."""
        return LineInput(account=self.account, **{self.side: sum(self.amounts, ZERO)})


# what a hand-entered voucher may hold: lines (a distribution's own vouchers are written in parts of
# 2,000 members by the system) and amounts, line or total, below numeric(18,2)'s limit with room
MAX_LINES = 1_000
MAX_AMOUNT = Decimal("1e15")


def _amount(value, row: int) -> Decimal:
    try:
        amount = Decimal(value if value not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise BusinessError(
            _("Line %(row)s: the amount is not a number.") % {"row": row}, code="invalid_amount"
        ) from exc
    if not amount.is_finite() or amount != money(amount):
        raise BusinessError(_("Line %(row)s: amounts are in yuan to the fen.") % {"row": row}, code="invalid_amount")
    if abs(amount) >= MAX_AMOUNT:
        raise BusinessError(_("Line %(row)s: the amount is too large.") % {"row": row}, code="invalid_amount")
    return money(amount)


def period_for(cooperative: Cooperative, date: datetime.date, *, lock: bool = False) -> Period:
    """The month of ``cooperative`` that ``date`` falls in (locked when asked)."""
    qs = Period.objects.select_related("fiscal_year").filter(
        cooperative=cooperative, start_date__lte=date, end_date__gte=date
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    period = qs.first()
    if period is None:
        raise BusinessError(
            _("No fiscal year of this cooperative covers %(date)s; open the year first.") % {"date": date},
            code="no_period",
            field="date",
        )
    return period


def _check_open(period: Period, *, kind: str = VoucherKind.MANUAL) -> None:
    if period.fiscal_year.status != FiscalYearStatus.OPEN:
        raise StateConflict(
            _("Fiscal year %(year)s is closed.") % {"year": period.fiscal_year.year}, code="year_closed", field="date"
        )
    if not period.is_open and kind not in AFTER_CLOSE_KINDS:
        raise StateConflict(
            _("%(period)s is closed; nothing more may be entered or posted in it.") % {"period": period.label},
            code="period_closed",
            field="date",
        )


def _registered_only(cooperative_id: int) -> dict[str, str]:
    """Accounts a journal voucher may not touch, code → why: the capital account follows the share
    register (every share event posts its own entry), the current-year surplus account takes only
    the period-end transfers (so the statements' 本年盈余 is the year's profit and loss)."""
    from finance.models import CooperativeBooks

    books = CooperativeBooks.objects.select_related("chart").filter(cooperative_id=cooperative_id).first()
    if books is None:
        return {}
    chart = books.chart
    refused = {
        chart.surplus_code: _(
            "%(account)s receives only the month-end transfers of profit and loss; book the income or expense "
            "itself instead."
        )
    }
    capital = (chart.roles or {}).get("capital")
    if capital:
        refused[capital] = _(
            "%(account)s follows the share register: record the contribution, transfer or withdrawal under "
            "Shares and its entry is posted with it."
        )
    return refused


def _clean_lines(cooperative_id: int, lines: list[LineInput], *, red_ink: bool = False) -> list[LineInput]:
    """Check every line and the balance; returns the lines with amounts as Decimal to the fen.

    A journal voucher names a member on every line of an account kept per member (114, 221, 222,
    301, 322 …: the member-by-member split of the statements and the tie-out depend on it), and
    does not touch the accounts other modules keep (``_registered_only``)."""
    if len(lines) > MAX_LINES:
        raise BusinessError(
            _("A voucher holds at most %(n)s lines; split it into several vouchers.") % {"n": f"{MAX_LINES:,}"},
            code="too_many_lines",
        )
    cleaned = []
    refused = None
    for row, line in enumerate(lines, start=1):
        debit, credit = _amount(line.debit, row), _amount(line.credit, row)
        if not debit and not credit:
            continue
        value = debit or credit
        if (debit and credit) or (value > 0) == red_ink:
            if red_ink:
                message = _("Line %(row)s: a red-ink line has one negative amount, debit or credit.")
            else:
                message = _("Line %(row)s: enter either a debit or a credit amount above zero, not both.")
            raise BusinessError(message % {"row": row}, code="one_side")
        account = line.account
        if account is None:
            raise BusinessError(_("Line %(row)s: choose an account.") % {"row": row}, code="account_required")
        if account.cooperative_id != cooperative_id:
            raise BusinessError(
                _("Line %(row)s: the account belongs to another cooperative.") % {"row": row}, code="foreign_account"
            )
        if not account.is_leaf:
            raise BusinessError(
                _("Line %(row)s: %(account)s has sub-accounts; post to one of them.")
                % {"row": row, "account": account},
                code="not_leaf",
            )
        if not account.is_active and not red_ink:
            raise BusinessError(
                _("Line %(row)s: %(account)s is not in use.") % {"row": row, "account": account},
                code="inactive_account",
            )
        if account.tracks_members and line.member is None:
            raise BusinessError(
                _("Line %(row)s: %(account)s is kept per member; choose the member.")
                % {"row": row, "account": account},
                code="member_required",
            )
        if refused is None:
            refused = _registered_only(cooperative_id)
        for code, why in refused.items():
            if account.code == code or account.code.startswith(code):
                raise BusinessError(
                    _("Line %(row)s: ") % {"row": row} + why % {"account": account}, code="account_kept_elsewhere"
                )
        for obj, what in ((line.member, _("member")), (line.project, _("project"))):
            if obj is not None and obj.cooperative_id != cooperative_id:
                raise BusinessError(
                    _("Line %(row)s: the %(what)s belongs to another cooperative.") % {"row": row, "what": what},
                    code="foreign_dimension",
                )
        cleaned.append(
            LineInput(
                account=account,
                debit=debit,
                credit=credit,
                summary=(line.summary or "").strip()[:200],
                member=line.member,
                project=line.project,
            )
        )
    if len(cleaned) < 2:
        raise BusinessError(_("A voucher needs at least two lines."), code="too_few_lines")
    total_debit = sum((line.debit for line in cleaned), ZERO)
    total_credit = sum((line.credit for line in cleaned), ZERO)
    if max(abs(total_debit), abs(total_credit)) >= MAX_AMOUNT:
        raise BusinessError(_("The voucher's total is too large."), code="invalid_amount")
    if total_debit != total_credit:
        raise BusinessError(
            _("Debits and credits differ: debit %(debit)s, credit %(credit)s, difference %(diff)s.")
            % {
                "debit": f"{total_debit:,.2f}",
                "credit": f"{total_credit:,.2f}",
                "diff": f"{total_debit - total_credit:,.2f}",
            },
            code="unbalanced",
        )
    return cleaned


def payment_amount(lines: list[LineInput]) -> Decimal:
    """Cash paid out: the credits to cash and bank accounts (101, 102, 109 and their sub-accounts).

    A voucher whose every line is a cash or bank account only moves money between them (cash
    deposited in the bank) and pays nothing out. Receipts in the same voucher do not offset a
    payment, so a payment cannot slip under the threshold by being booked together with a receipt.
    """
    if all(line.account.is_cash for line in lines):
        return ZERO
    paid = sum((line.credit for line in lines if line.account.is_cash), ZERO)
    return max(paid, ZERO)


@dataclass(frozen=True)
class Route:
    """Who approves a payment and why: ``kind`` is "expenditure" (the township) or
    "expenditure_small" (the chair); ``total`` the most paid to the payee within ``days`` days
    (this payment included); ``reason`` says it in words, for the request and the voucher."""

    kind: str
    amount: Decimal
    total: Decimal
    threshold: Decimal
    days: int
    reason: str

    @property
    def is_split(self) -> bool:
        """The payment goes to the township only because of the payee's other payments."""
        return self.kind == EXPENDITURE and self.amount < self.threshold


def approval_route(voucher: Voucher) -> Route | None:
    """Who approves ``voucher``, None when it pays nothing out (DOMAIN.md 1.4; seed 004: 10,000
    yuan). The township from the county's threshold up, the chair below it; the amount compared is
    what the payee is paid within the county's window (``payee_window_total``), so a payment split
    into parts below the threshold still goes to the township."""
    if voucher.kind != VoucherKind.MANUAL or voucher.payment_amount <= 0:
        return None
    profile = policy_for(voucher.region_code)
    threshold, days = profile.expenditure_approval_threshold, profile.payee_window_days
    amount = voucher.payment_amount
    total = payee_window_total(voucher, days) if voucher.has_payee else amount
    figures = {
        "amount": f"{amount:,.2f}",
        "total": f"{total:,.2f}",
        "threshold": f"{threshold:,.2f}",
        "days": days,
    }
    if amount >= threshold:
        kind = EXPENDITURE
        reason = _("Pays out %(amount)s yuan, at or above the threshold of %(threshold)s yuan: the township approves")
    elif total >= threshold:
        kind = EXPENDITURE
        reason = _(
            "Payments to the same payee within %(days)s days add up to %(total)s yuan, at or above the "
            "threshold of %(threshold)s yuan: the township approves"
        )
    elif total > amount:
        kind = EXPENDITURE_SMALL
        reason = _(
            "Payments to the same payee within %(days)s days add up to %(total)s yuan, below the threshold of "
            "%(threshold)s yuan: the cooperative chair approves"
        )
    else:
        kind = EXPENDITURE_SMALL
        reason = _(
            "Pays out %(amount)s yuan, below the threshold of %(threshold)s yuan: the cooperative chair approves"
        )
    return Route(kind=kind, amount=amount, total=total, threshold=threshold, days=days, reason=reason % figures)


def approval_kind_for(voucher: Voucher) -> str | None:
    """ "expenditure" (township) or "expenditure_small" (the chair), None when the voucher pays
    nothing out (``approval_route``)."""
    route = approval_route(voucher)
    return route.kind if route else None


def _member_parts(member_lines) -> list[MemberLines]:
    if member_lines is None:
        return []
    return [member_lines] if isinstance(member_lines, MemberLines) else list(member_lines)


def _write_lines(
    voucher: Voucher,
    lines: list[LineInput],
    *,
    is_closing: bool = False,
    member_lines: MemberLines | list[MemberLines] | None = None,
) -> None:
    """Insert the lines in one statement, numbered from 1 (``lines``, then ``member_lines``) and
    posted if the voucher is, so finance's statement-level triggers see them together.

    The lines travel as columns (``core.bulk.insert_columns``): a plan's voucher has 2,000 lines,
    and building and rendering a model object per line cost more than writing the rows.
    """
    accounts = [line.account.pk for line in lines]
    summaries = [line.summary or voucher.summary for line in lines]
    debits = [line.debit for line in lines]
    credits = [line.credit for line in lines]
    members = [line.member.pk if line.member is not None else None for line in lines]
    projects = [line.project.pk if line.project is not None else None for line in lines]
    for part in _member_parts(member_lines):
        count = len(part.member_ids)
        amounts, zeros = list(part.amounts), [ZERO] * count
        accounts += [part.account.pk] * count
        summaries += [voucher.summary] * count
        debits += amounts if part.side == "debit" else zeros
        credits += zeros if part.side == "debit" else amounts
        members += list(part.member_ids)
        projects += [None] * count
    whole = voucher.status == VoucherStatus.POSTED
    if whole:  # every line of a posted voucher in this one statement: its balance checked with it
        _whole_vouchers(True)
    # no ``finally``: after a failed insert the transaction is aborted and takes the setting with it
    # (a query to reset it would only hide the error); the statement checks cover it anyway
    _insert_lines(voucher, accounts, summaries, debits, credits, members, projects, is_closing)
    if whole:
        _whole_vouchers(False)


def _whole_vouchers(on: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [WHOLE_VOUCHERS, "on" if on else "off"])


def _insert_lines(voucher, accounts, summaries, debits, credits, members, projects, is_closing) -> None:
    insert_columns(
        VoucherLine,
        {
            "account_id": accounts,
            "summary": summaries,
            "debit": debits,
            "credit": credits,
            "member_id": members,
            "project_id": projects,
        },
        {
            "voucher_id": voucher.pk,
            "cooperative_id": voucher.cooperative_id,
            "region_code": voucher.region_code,
            "period_id": voucher.period_id,
            "is_closing": is_closing,
            "is_posted": voucher.status == VoucherStatus.POSTED,
        },
        position="line_no",
    )


def _clean_header(summary: str, attachment_count) -> tuple[str, int]:
    summary = (summary or "").strip()
    if not summary:
        raise BusinessError(_("Give the voucher a summary."), code="summary_required", field="summary")
    if len(summary) > 200:
        raise BusinessError(
            _("The summary is too long (200 characters at most)."), code="summary_long", field="summary"
        )
    try:
        count = int(attachment_count or 0)
    except (TypeError, ValueError) as exc:
        raise BusinessError(_("Give the number of attachments."), code="invalid", field="attachment_count") from exc
    if not 0 <= count <= 999:
        raise BusinessError(
            _("The number of attachments is between 0 and 999."), code="invalid", field="attachment_count"
        )
    return summary, count


def _insert_voucher(
    *,
    actor: User | None,
    cooperative: Cooperative,
    period: Period,
    date: datetime.date,
    summary: str,
    lines: list[LineInput],
    kind: str,
    attachment_count: int = 0,
    reverses: Voucher | None = None,
    member_lines: MemberLines | list[MemberLines] | None = None,
    payee: dict | None = None,
    **posting,
) -> Voucher:
    every = [*lines, *(part.as_one_line() for part in _member_parts(member_lines))]
    voucher = Voucher.objects.create(
        **(payee or {}),
        cooperative=cooperative,
        region_code=cooperative.region_code,
        period=period,
        date=date,
        kind=kind,
        summary=summary,
        attachment_count=attachment_count,
        total_debit=sum((line.debit for line in every), ZERO),
        payment_amount=payment_amount(every) if kind == VoucherKind.MANUAL else ZERO,
        reverses=reverses,
        created_by=actor,
        **posting,
    )
    _write_lines(voucher, lines, is_closing=kind in CLOSING_KINDS, member_lines=member_lines)
    return voucher


def create_voucher_row(
    *,
    actor: User | None,
    cooperative: Cooperative,
    period: Period,
    date: datetime.date,
    summary: str,
    lines: list[LineInput],
    kind: str = VoucherKind.MANUAL,
    attachment_count: int = 0,
    reverses: Voucher | None = None,
    payee: dict | None = None,
) -> Voucher:
    """Write a draft voucher and its lines (callers have checked and locked what they need;
    ``payee`` are the cleaned payee fields, ``payees.clean_payee``)."""
    return _insert_voucher(
        actor=actor,
        cooperative=cooperative,
        period=period,
        date=date,
        summary=summary,
        lines=lines,
        kind=kind,
        attachment_count=attachment_count,
        reverses=reverses,
        payee=payee,
    )


def create_posted_voucher_row(
    *,
    actor: User | None,
    cooperative: Cooperative,
    period: Period,
    date: datetime.date,
    summary: str,
    lines: list[LineInput],
    kind: str = VoucherKind.MANUAL,
    reverses: Voucher | None = None,
    member_lines: MemberLines | list[MemberLines] | None = None,
) -> Voucher:
    """Write a voucher that is posted as it is written: lock the month, take its next number, and
    insert the voucher and its lines already posted, so each line is written once (and each row
    trigger fires once) instead of inserted as a draft and updated. ``member_lines`` follow
    ``lines`` (a line per member, given as columns).

    The database guards are those of a posted draft: the closed-month and immutability triggers,
    the balance check at commit and the history. Internal: callers have checked the lines
    (``_clean_lines`` or their own construction) and decided that the actor may post.
    """
    period = _lock_month(period.pk)
    _check_open(period, kind=kind)
    parts = _member_parts(member_lines)
    every = [*lines, *(part.as_one_line() for part in parts)]
    total_debit = sum((line.debit for line in every), ZERO)
    count = len(lines) + sum(len(part.member_ids) for part in parts)
    if count < 2 or total_debit != sum((line.credit for line in every), ZERO):
        raise BusinessError(_("Debits and credits of this voucher differ; it cannot be posted."), code="unbalanced")
    voucher = _insert_voucher(
        actor=actor,
        cooperative=cooperative,
        period=period,
        date=date,
        summary=summary,
        lines=lines,
        kind=kind,
        reverses=reverses,
        member_lines=member_lines,
        number=_take_number(period),
        status=VoucherStatus.POSTED,
        posted_at=timezone.now(),
        posted_by=actor,
    )
    _posted(voucher)
    return voucher


@transaction.atomic
def voucher_create(
    *,
    actor: User,
    cooperative: Cooperative,
    date: datetime.date,
    summary: str,
    lines: list[LineInput],
    attachment_count: int = 0,
    payee: PayeeInput | None = None,
) -> Voucher:
    """Enter a draft voucher. Refused unless debits equal credits to the fen. ``payee`` is who a
    payment pays (required before a payment is submitted for approval)."""
    summary, attachment_count = _clean_header(summary, attachment_count)
    payee_fields = clean_payee(cooperative.pk, payee)
    period = period_for(cooperative, date, lock=True)
    _check_open(period)
    cleaned = _clean_lines(cooperative.pk, lines)
    voucher = create_voucher_row(
        actor=actor,
        cooperative=cooperative,
        period=period,
        date=date,
        summary=summary,
        lines=cleaned,
        attachment_count=attachment_count,
        payee=payee_fields,
    )
    assert_in_scope(actor, voucher, "add")
    return voucher


def _lock_periods(*periods: Period) -> None:
    ids = sorted({p.pk for p in periods})
    list(Period.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def voucher_update(
    *,
    actor: User,
    voucher: Voucher,
    date: datetime.date,
    summary: str,
    lines: list[LineInput],
    attachment_count: int = 0,
    payee: PayeeInput | None = None,
) -> Voucher:
    """Change a draft voucher (its lines and payee are replaced). Posted vouchers never change."""
    summary, attachment_count = _clean_header(summary, attachment_count)
    payee_fields = clean_payee(voucher.cooperative_id, payee)
    new_period = period_for(voucher.cooperative, date)
    _lock_periods(new_period, voucher.period)
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status != VoucherStatus.DRAFT or voucher.kind != VoucherKind.MANUAL:
        raise StateConflict(_("Only a draft voucher can be changed."), code="not_draft")
    new_period.refresh_from_db()
    _check_open(new_period)
    cleaned = _clean_lines(voucher.cooperative_id, lines)
    voucher.lines.all().delete()
    voucher.period = new_period
    voucher.date = date
    voucher.summary = summary
    voucher.attachment_count = attachment_count
    for field, value in payee_fields.items():
        setattr(voucher, field, value)
    voucher.total_debit = sum((line.debit for line in cleaned), ZERO)
    voucher.payment_amount = payment_amount(cleaned)
    voucher.save()
    _write_lines(voucher, cleaned)
    assert_in_scope(actor, voucher, "change")
    return voucher


def open_approval(voucher: Voucher) -> ApprovalRequest | None:
    from django.contrib.contenttypes.models import ContentType

    return (
        ApprovalRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(Voucher),
            subject_id=voucher.pk,
            kind__in=[EXPENDITURE, EXPENDITURE_SMALL],
        )
        .exclude(state__in=["approved", "rejected", "withdrawn"])
        .first()
    )


@transaction.atomic
def voucher_delete(*, actor: User, voucher: Voucher) -> None:
    """Delete a draft voucher (it never had a number, so no gap appears)."""
    from core.services.approvals import approval_withdraw

    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    assert_in_scope(actor, voucher, "delete")
    if voucher.status != VoucherStatus.DRAFT:
        raise StateConflict(_("Only a draft voucher can be deleted."), code="not_draft")
    request = open_approval(voucher)
    if request is not None:
        approval_withdraw(actor=actor, request=request, comment=_("The voucher was deleted."))
    for attachment in voucher.attachments.all():
        attachment.file.delete(save=False)
        attachment.delete()
    voucher.lines.all().delete()
    voucher.delete()


def _lock_month(period_id: int) -> Period:
    return Period.objects.select_for_update().select_related("fiscal_year").get(pk=period_id)


def _take_number(period: Period) -> int:
    """The month's next voucher number (``period`` is locked)."""
    period.last_voucher_number += 1
    period.save(update_fields=["last_voucher_number", "updated_at"])
    return period.last_voucher_number


def _posted(voucher: Voucher) -> None:
    changes.cooperative_changed(voucher.cooperative_id)
    logger.info("finance.voucher.posted", extra={"voucher_id": voucher.pk, "number": voucher.number})


def post_voucher_row(voucher: Voucher, *, actor: User | None) -> Voucher:
    """Post ``voucher``: lock the month, take its next number, mark the voucher and lines posted.

    Internal: callers decide whether the actor may post (the accountant, or an approval decision).
    """
    period = _lock_month(voucher.period_id)
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status == VoucherStatus.POSTED:
        raise StateConflict(_("This voucher is already posted."), code="already_posted")
    _check_open(period, kind=voucher.kind)
    totals = voucher.lines.aggregate(d=Sum("debit"), c=Sum("credit"), n=Count("pk"))
    if totals["n"] < 2 or totals["d"] != totals["c"]:
        raise BusinessError(_("Debits and credits of this voucher differ; it cannot be posted."), code="unbalanced")
    voucher.number = _take_number(period)
    voucher.status = VoucherStatus.POSTED
    voucher.posted_at = timezone.now()
    voucher.posted_by = actor
    voucher.save(update_fields=["number", "status", "posted_at", "posted_by", "updated_at"])
    VoucherLine.objects.filter(voucher=voucher).update(is_posted=True)
    _posted(voucher)
    return voucher


def _may(actor: User, voucher: Voucher, action: str) -> None:
    if not Voucher.objects.for_user(actor, action).filter(pk=voucher.pk).exists():
        raise NotPermitted(_("You may not do this with this voucher."))


@transaction.atomic
def voucher_post(*, actor: User, voucher: Voucher) -> Voucher:
    """Post a draft that pays nothing out. A payment needs approval first (``voucher_submit``):
    the chair below the county's threshold, the township from it up; the approval posts it."""
    _may(actor, voucher, "post")
    voucher.refresh_from_db()
    if voucher.status == VoucherStatus.PENDING:
        raise StateConflict(_("This voucher is waiting for approval; the decision posts it."), code="pending")
    route = approval_route(voucher)
    if route is not None and voucher.status != VoucherStatus.POSTED:
        if route.is_split:
            raise BusinessError(
                _("%(reason)s; submit it for approval.") % {"reason": route.reason}, code="approval_required"
            )
        if route.kind == EXPENDITURE:
            message = _(
                "This voucher pays out %(amount)s yuan, at or above the county's threshold of %(threshold)s: "
                "the township must approve it before it is posted. Submit it for approval."
            )
        else:
            message = _(
                "This voucher pays out %(amount)s yuan: the cooperative chair must approve it before it is "
                "posted. Submit it for approval."
            )
        raise BusinessError(
            message % {"amount": f"{route.amount:,.2f}", "threshold": f"{route.threshold:,.2f}"},
            code="approval_required",
        )
    voucher = post_voucher_row(voucher, actor=actor)
    assert_in_scope(actor, voucher, "post")
    return voucher


@transaction.atomic
def voucher_submit(*, actor: User, voucher: Voucher, comment: str = "") -> ApprovalRequest:
    """Send a payment voucher for approval: the township's inbox from the threshold up (this
    payment, or what its payee is paid within the county's window), else the chair's. The payee's
    logins never decide it (``ExpenditureApproval.beneficiaries``): a chair's own refund goes to the
    township."""
    from core.locks import advisory_xact_lock
    from core.services.approvals import approval_request_create, approval_submit, approval_withdraw

    _may(actor, voucher, "change")
    # one submission of the cooperative at a time: each sees the payments submitted before it
    advisory_xact_lock("finance.payment_submit", voucher.cooperative_id)
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status != VoucherStatus.DRAFT:
        raise StateConflict(_("Only a draft voucher can be submitted."), code="not_draft")
    route = approval_route(voucher)
    if route is None:
        raise BusinessError(
            _("This voucher pays nothing out and needs no approval: post it."), code="no_approval_needed"
        )
    if not voucher.has_payee:
        raise BusinessError(
            _(
                "This voucher pays out %(amount)s yuan: say who is paid (a member, or the name of the payee) "
                "before submitting it."
            )
            % {"amount": f"{voucher.payment_amount:,.2f}"},
            code="payee_required",
            field="payee_name",
        )
    kind = route.kind
    request = open_approval(voucher)
    if request is not None and (request.kind != kind or request.amount != voucher.payment_amount):
        approval_withdraw(actor=actor, request=request, comment=_("The voucher changed."))
        request = None
    if request is None:
        request = approval_request_create(
            actor=actor,
            subject=voucher,
            kind=kind,
            title=_("Payment: %(summary)s") % {"summary": voucher.summary},
            region_code=voucher.region_code,
            amount=voucher.payment_amount,
            reason=route.reason,
        )
    voucher.status = VoucherStatus.PENDING
    voucher.save(update_fields=["status", "updated_at"])
    request = approval_submit(actor=actor, request=request, comment=comment, reason=route.reason)
    assert_in_scope(actor, voucher, "change")
    return request


def voucher_approved(*, voucher: Voucher, actor: User) -> Voucher:
    """The approval's last stage approved: post the voucher (runs inside the decision's transaction)."""
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status != VoucherStatus.PENDING:
        raise StateConflict(_("This voucher is not waiting for approval."), code="not_pending")
    return post_voucher_row(voucher, actor=actor)


def voucher_back_to_draft(*, voucher: Voucher) -> Voucher:
    """Returned, refused or withdrawn: the voucher is a draft again (the accountant changes or deletes it)."""
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status == VoucherStatus.PENDING:
        voucher.status = VoucherStatus.DRAFT
        voucher.save(update_fields=["status", "updated_at"])
    return voucher


@transaction.atomic
def voucher_reverse(*, actor: User, voucher: Voucher, date: datetime.date | None = None, summary: str = "") -> Voucher:
    """Correct a posted voucher with a red-ink reversal (红字冲销), posted at once.

    The reversal repeats every line of the original — same account, member, project and column —
    with the amount negated, so each account's debit and credit totals net back as if the original
    had never been posted (a blue-ink reversal on the opposite side would inflate both). It links
    to the original; a voucher is reversed once, and reversals and closing transfers are not
    reversed (enter the voucher again instead; a closed month is not reopened).
    """
    _may(actor, voucher, "reverse")
    original = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if original.status != VoucherStatus.POSTED:
        raise StateConflict(_("Only a posted voucher is reversed; change or delete a draft."), code="not_posted")
    if original.kind in SYSTEM_KINDS:
        raise StateConflict(
            _(
                "This entry was written by the share register or a distribution plan: correct it there "
                "(reverse the share entry), and its reversal is posted with it."
            ),
            code="not_reversible",
        )
    if original.kind != VoucherKind.MANUAL:
        raise StateConflict(_("Reversals and closing transfers cannot be reversed."), code="not_reversible")
    if Voucher.objects.filter(reverses=original).exists():
        raise StateConflict(_("This voucher has already been reversed."), code="already_reversed")
    if date is None:
        date = timezone.localdate()
        candidates = [date, original.date]
        for candidate in candidates:
            found = Period.objects.filter(
                cooperative_id=original.cooperative_id,
                start_date__lte=candidate,
                end_date__gte=candidate,
                status="open",
                fiscal_year__status=FiscalYearStatus.OPEN,
            ).exists()
            if found:
                date = candidate
                break
    period = period_for(original.cooperative, date, lock=True)
    _check_open(period)
    lines = [
        LineInput(
            account=line.account,
            debit=-line.debit,
            credit=-line.credit,
            summary=line.summary,
            member=line.member,
            project=line.project,
        )
        for line in original.lines.select_related("account").order_by("line_no")
    ]
    # 冲销记-0007号凭证 — bookkeeping text of record, kept in the standard's language
    text = (summary or "").strip() or f"冲销{original.period.label}{original.display_number}号凭证：{original.summary}"
    reversal = create_posted_voucher_row(
        actor=actor,
        cooperative=original.cooperative,
        period=period,
        date=date,
        summary=text[:200],
        lines=lines,
        kind=VoucherKind.REVERSAL,
        reverses=original,
    )
    assert_in_scope(actor, reversal, "reverse")
    logger.info("finance.voucher.reversed", extra={"voucher_id": original.pk, "reversal_id": reversal.pk})
    return reversal


def _sniff(head: bytes, name: str) -> str:
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    for magic, (content_type, suffixes) in SIGNATURES.items():
        if head.startswith(magic) and suffix in suffixes:
            return content_type
    raise BusinessError(_("Attach a PDF, JPEG or PNG file."), code="file_type", field="file")


@transaction.atomic
def attachment_add(*, actor: User, voucher: Voucher, file) -> VoucherAttachment:
    """Attach a scanned receipt (PDF, JPEG or PNG, 10 MB at most) to an unposted voucher."""
    _may(actor, voucher, "change")
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status not in UNPOSTED:
        raise StateConflict(_("A posted voucher does not change, its attachments neither."), code="posted")
    if file is None:
        raise BusinessError(_("Choose a file."), code="required", field="file")
    if file.size > MAX_ATTACHMENT_BYTES:
        raise BusinessError(_("The file is larger than 10 MB."), code="file_too_large", field="file")
    head = file.read(16)
    file.seek(0)
    content_type = _sniff(head, file.name or "")
    attachment = VoucherAttachment(
        voucher=voucher,
        cooperative_id=voucher.cooperative_id,
        region_code=voucher.region_code,
        original_name=(file.name or "")[-200:],
        size=file.size,
        content_type=content_type,
        uploaded_by=actor,
    )
    attachment.file.save(file.name, file, save=False)
    attachment.save()
    assert_in_scope(actor, attachment, "add")
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: VoucherAttachment) -> None:
    _may(actor, attachment.voucher, "change")
    voucher = Voucher.objects.select_for_update().get(pk=attachment.voucher_id)
    if voucher.status not in UNPOSTED:
        raise StateConflict(_("A posted voucher does not change, its attachments neither."), code="posted")
    attachment.file.delete(save=False)
    attachment.delete()


def unposted_in(period: Period):
    return Voucher.objects.filter(period=period).filter(Q(status=VoucherStatus.DRAFT) | Q(status=VoucherStatus.PENDING))
