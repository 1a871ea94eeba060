"""Journal vouchers (记账凭证), their lines and attachments.

A posted voucher and its lines are immutable: PostgreSQL triggers refuse UPDATE and DELETE of a
posted voucher or a posted line, refuse posting into a closed month, and check at commit that the
posted lines of every voucher balance to the fen. A mistake is corrected by a red-ink reversal
(红字冲销): a new voucher with the same accounts and columns and negated amounts, linked to the
original through ``reverses`` (one-to-one, so a voucher can be reversed once).
"""

import uuid
from pathlib import Path

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import keys
from core.history import tracked, tracked_in_bulk
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import VILLAGE_WRITERS
from finance.choices import VoucherKind, VoucherStatus
from finance.models.books import bookkeeping_tenancy

CLOSED_PERIOD_SQL = """
IF EXISTS (SELECT 1 FROM finance_period p WHERE p.id = NEW.period_id AND p.status = 'closed') THEN
    RAISE EXCEPTION 'finance: period % is closed, nothing may be posted into it', NEW.period_id
        USING ERRCODE = 'check_violation';
END IF;
RETURN NEW;
"""

# Lines are checked against closed months once per statement, over the rows it wrote (a transition
# table), not once per row: a voucher's lines are written by one statement, and a posted voucher of
# thousands of member lines (a distribution plan) then costs one join instead of a call per line.
# Closing transfers may go into the closed December (the year-end close), and so may the year's
# distribution plan (its entries belong to the year whose surplus it distributes; the year's close
# waits for it).
LINES_CLOSED_PERIOD_SQL = """
SELECT n.period_id INTO closed_period
  FROM written n JOIN finance_period p ON p.id = n.period_id
 WHERE n.is_posted AND NOT n.is_closing AND p.status = 'closed'
   AND NOT EXISTS (SELECT 1 FROM finance_voucher v WHERE v.id = n.voucher_id AND v.kind = 'distribution')
 LIMIT 1;
IF FOUND THEN
    RAISE EXCEPTION 'finance: period % is closed, nothing may be posted into it', closed_period
        USING ERRCODE = 'check_violation';
END IF;
RETURN NULL;
"""

# The balance of a voucher is checked once per voucher at commit, not once per line. The deferred
# check of a line returns at once when the transaction-local mark names the line's voucher: the
# mark is set only by a check that summed that voucher's posted lines and found them balanced, and
# every statement that writes lines clears it before its first row (a BEFORE statement trigger, so
# it runs ahead of the checks even under SET CONSTRAINTS ALL IMMEDIATE). A voucher's lines are
# written together, so their checks follow each other and one sum serves them all. One setting
# name, whatever the number of vouchers: PostgreSQL keeps every custom setting name for the rest of
# the session and walks them all at each subtransaction's end.
#
# A statement that writes every line of its vouchers, posted (``_write_lines`` of a posted voucher:
# a plan's parts of 2,000 lines, reversals, closing transfers), says so in the transaction-local
# setting ``lingban.whole_vouchers``: its rows are then not queued for the check at commit (the
# condition of line_posted_balanced) and one statement-level check sums each of its vouchers
# instead. Were the setting left on by mistake, the statement checks (after inserts and updates)
# would still see every posted row.
WHOLE_VOUCHERS = "lingban.whole_vouchers"

WHOLE_VOUCHERS_BALANCED_SQL = """
IF current_setting('lingban.whole_vouchers', true) = 'on' THEN
    SELECT d.voucher_id INTO unbalanced
      FROM (SELECT DISTINCT voucher_id FROM written WHERE is_posted) d
     WHERE (SELECT COALESCE(SUM(l.debit), 0) - COALESCE(SUM(l.credit), 0)
              FROM finance_voucherline l WHERE l.voucher_id = d.voucher_id AND l.is_posted) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'finance: posted voucher % does not balance', unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
END IF;
RETURN NULL;
"""

TOUCH_SQL = """
PERFORM set_config('lingban.balanced_voucher', '', true);
RETURN NULL;
"""

BALANCED_SQL = """
IF current_setting('lingban.balanced_voucher', true) = NEW.voucher_id::text THEN
    RETURN NULL;
END IF;
IF (SELECT COALESCE(SUM(l.debit), 0) - COALESCE(SUM(l.credit), 0)
      FROM finance_voucherline l WHERE l.voucher_id = NEW.voucher_id AND l.is_posted) <> 0 THEN
    RAISE EXCEPTION 'finance: posted voucher % does not balance', NEW.voucher_id
        USING ERRCODE = 'check_violation';
END IF;
PERFORM set_config('lingban.balanced_voucher', NEW.voucher_id::text, true);
RETURN NULL;
"""


def attachment_path(instance, filename: str) -> str:
    return f"vouchers/{instance.region_code}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


@tracked()
class Voucher(TenantModel):
    """A journal voucher. Drafts have no number; posting assigns the next number of the month.

    ``payment_amount`` is the cash paid out (credits to the cash and bank accounts), the figure the
    expenditure approval compares with the county's threshold; ``total_debit`` the voucher's total.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="vouchers"
    )
    period = models.ForeignKey(
        "finance.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="vouchers"
    )
    date = models.DateField(_("date"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=VoucherKind.choices, default=VoucherKind.MANUAL)
    status = models.CharField(_("status"), max_length=8, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT)
    summary = models.CharField(_("summary"), max_length=200)
    attachment_count = models.PositiveSmallIntegerField(_("attachments (sheets)"), default=0)
    total_debit = models.DecimalField(_("total"), **MONEY, default=0)
    payment_amount = models.DecimalField(_("cash paid out"), **MONEY, default=0)
    # who is paid: a member of the cooperative, or a party named here (a supplier, a bank, a person
    # outside the cooperative), with its ID number or credit code and its account when known
    payee_member = models.ForeignKey(
        "members.Member",
        verbose_name=_("payee (member)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments_received",
    )
    payee_name = models.CharField(_("payee"), max_length=100, blank=True)
    payee_code = models.CharField(_("payee's ID number or credit code"), max_length=18, blank=True)
    payee_account = models.CharField(_("payee's account"), max_length=40, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    tenancy = bookkeeping_tenancy(post=VILLAGE_WRITERS, reverse=VILLAGE_WRITERS)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "number"], condition=Q(number__isnull=False), name="finance_voucher_number_unique"
            ),
            models.CheckConstraint(
                condition=(Q(status=VoucherStatus.POSTED) & Q(number__isnull=False) & Q(posted_at__isnull=False))
                | (~Q(status=VoucherStatus.POSTED) & Q(number__isnull=True)),
                name="finance_voucher_number_when_posted",
            ),
            models.CheckConstraint(
                condition=Q(payee_member__isnull=True) | (Q(payee_name="") & Q(payee_code="")),
                name="finance_voucher_payee_member_or_named",
            ),
            models.CheckConstraint(
                condition=(Q(kind=VoucherKind.REVERSAL) & Q(reverses__isnull=False))
                | (~Q(kind=VoucherKind.REVERSAL) & Q(reverses__isnull=True)),
                name="finance_voucher_reversal_links",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "status"], name="finance_voucher_coop_status"),
            models.Index(fields=["date", "id"], name="finance_voucher_date"),
        ]
        triggers = [
            *keys.parent_triggers("voucher", keys.LINE_VOUCHER, keys.MACC_VOUCHER, keys.PAYOUT_VOUCHER),
            pgtrigger.Protect(
                name="voucher_posted_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="posted"),
            ),
            pgtrigger.Trigger(
                name="voucher_closed_period",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                # the year-end entries after December has closed: the year's close, the plan of the
                # year and the transfer of the plan's rewards (an expense of the year) to 331
                condition=pgtrigger.Q(new__status="posted")
                & ~pgtrigger.Q(new__kind__in=["year_close", "distribution", "period_close"]),
                func=CLOSED_PERIOD_SQL,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("finance:voucher_detail", args=[self.pk])

    @property
    def display_number(self) -> str:
        """记-0007 once posted; drafts have no number yet."""
        return f"记-{self.number:04d}" if self.number else "—"

    @property
    def has_payee(self) -> bool:
        return self.payee_member_id is not None or bool(self.payee_name)

    @property
    def payee_display(self) -> str:
        """赵德明（成员 2 号）for a member, the name as entered for a named party, "" for none."""
        if self.payee_member_id is not None:
            member = self.payee_member
            return _("%(name)s (member no. %(number)s)") % {"name": member.name, "number": member.number}
        return self.payee_name

    @property
    def is_posted(self) -> bool:
        return self.status == VoucherStatus.POSTED

    @property
    def is_draft(self) -> bool:
        return self.status == VoucherStatus.DRAFT


@tracked_in_bulk()
class VoucherLine(TenantModel):
    """One line of a voucher: exactly one of debit and credit is non-zero (both positive, except in
    a red-ink reversal, whose amounts are negative in the same column as the original's).

    ``cooperative``, ``period``, ``is_posted`` and ``is_closing`` repeat the voucher's facts so the
    ledgers are single-table aggregates over an index.

    The database holds a line to its voucher with one composite key, (voucher, cooperative, period)
    → the voucher's (id, cooperative, period): a line can never name another cooperative or month
    than its voucher's (finance_line_in_its_voucher). Its member, when it has one, is a member of the
    same cooperative (finance_line_member_of_the_books) and its account an account of the same books
    (finance_line_account_of_the_books). The three keys are checked once per statement over the rows
    it wrote (``core.keys``), not once per line: a plan of 10,000 members writes 30,000 lines. The
    single-column keys below are for the ORM only.
    """

    # voucher and account lead finance_line_no_unique and finance_line_account: no index of their own
    voucher = models.ForeignKey(
        Voucher,
        verbose_name=_("voucher"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    period = models.ForeignKey(
        "finance.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        "finance.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    debit = models.DecimalField(_("debit"), **MONEY, default=0)
    credit = models.DecimalField(_("credit"), **MONEY, default=0)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher_lines",
        db_constraint=False,
    )
    project = models.ForeignKey(
        "finance.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        db_constraint=False,
    )
    is_posted = models.BooleanField(_("posted"), default=False)
    is_closing = models.BooleanField(_("closing transfer"), default=False)

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["voucher_id", "line_no"]
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        constraints = [
            models.UniqueConstraint(fields=["voucher", "line_no"], name="finance_line_no_unique"),
            models.CheckConstraint(
                condition=(Q(debit=0) & ~Q(credit=0)) | (~Q(debit=0) & Q(credit=0)),
                name="finance_line_one_side",
            ),
        ]
        indexes = [
            models.Index(
                fields=["cooperative", "period", "account"],
                condition=Q(is_posted=True),
                name="finance_line_ledger",
            ),
            models.Index(fields=["account", "period"], name="finance_line_account"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="line_posted_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__is_posted=True),
            ),
            # a transition table serves one event only: one trigger for inserts, one for updates
            pgtrigger.Trigger(
                name="lines_closed_period_insert",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="written"),
                declare=[("closed_period", "bigint")],
                func=LINES_CLOSED_PERIOD_SQL,
            ),
            pgtrigger.Trigger(
                name="lines_closed_period_update",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(new="written"),
                declare=[("closed_period", "bigint")],
                func=LINES_CLOSED_PERIOD_SQL,
            ),
            pgtrigger.Trigger(
                name="lines_written_touch",
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=TOUCH_SQL,
            ),
            pgtrigger.Trigger(
                name="line_posted_balanced",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update,
                timing=pgtrigger.Deferred,
                condition=pgtrigger.Condition(
                    f"NEW.is_posted AND current_setting('{WHOLE_VOUCHERS}', true) IS DISTINCT FROM 'on'"
                ),
                func=BALANCED_SQL,
            ),
            *(
                pgtrigger.Trigger(
                    name=f"lines_whole_vouchers_{label}",
                    level=pgtrigger.Statement,
                    when=pgtrigger.After,
                    operation=operation,
                    referencing=pgtrigger.Referencing(new="written"),
                    declare=[("unbalanced", "bigint")],
                    func=WHOLE_VOUCHERS_BALANCED_SQL,
                )
                for label, operation in (("insert", pgtrigger.Insert), ("update", pgtrigger.Update))
            ),
            *keys.child_triggers("lines", keys.LINE_VOUCHER, keys.LINE_MEMBER, keys.LINE_ACCOUNT, keys.LINE_PROJECT),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.debit or ''}/{self.credit or ''}"

    @property
    def amount(self):
        return self.debit or self.credit


@tracked()
class VoucherAttachment(TenantModel):
    """A scanned receipt or document of a voucher (PDF, JPEG or PNG, at most 10 MB)."""

    voucher = models.ForeignKey(
        Voucher, verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="attachments"
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=60)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["voucher_id", "pk"]
        verbose_name = _("voucher attachment")
        verbose_name_plural = _("voucher attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("finance:attachment_download", args=[self.pk])
