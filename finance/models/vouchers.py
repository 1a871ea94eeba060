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

from core.history import tracked
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

# The balance of a voucher is checked once per voucher at commit, not once per line: a line
# written as posted clears the voucher's transaction-local mark (a BEFORE trigger, so it runs ahead
# of the check even under SET CONSTRAINTS ALL IMMEDIATE), and the
# first deferred check of that voucher sums its lines and sets the mark, so the other lines' checks
# in the same round return at once. A voucher of n lines costs one sum instead of n.
TOUCH_SQL = """
PERFORM set_config('lingban_balanced.v' || NEW.voucher_id, '', true);
RETURN NEW;
"""

BALANCED_SQL = """
IF current_setting('lingban_balanced.v' || NEW.voucher_id, true) = 'ok' THEN
    RETURN NULL;
END IF;
IF (SELECT COALESCE(SUM(l.debit), 0) - COALESCE(SUM(l.credit), 0)
      FROM finance_voucherline l WHERE l.voucher_id = NEW.voucher_id AND l.is_posted) <> 0 THEN
    RAISE EXCEPTION 'finance: posted voucher % does not balance', NEW.voucher_id
        USING ERRCODE = 'check_violation';
END IF;
PERFORM set_config('lingban_balanced.v' || NEW.voucher_id, 'ok', true);
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
            pgtrigger.Protect(
                name="voucher_posted_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="posted"),
            ),
            pgtrigger.Trigger(
                name="voucher_closed_period",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                condition=pgtrigger.Q(new__status="posted") & ~pgtrigger.Q(new__kind="year_close"),
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
    def is_posted(self) -> bool:
        return self.status == VoucherStatus.POSTED

    @property
    def is_draft(self) -> bool:
        return self.status == VoucherStatus.DRAFT


@tracked()
class VoucherLine(TenantModel):
    """One line of a voucher: exactly one of debit and credit is non-zero (both positive, except in
    a red-ink reversal, whose amounts are negative in the same column as the original's).

    ``cooperative``, ``period``, ``is_posted`` and ``is_closing`` repeat the voucher's facts so the
    ledgers are single-table aggregates over an index.
    """

    voucher = models.ForeignKey(Voucher, verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="lines")
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey("finance.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+")
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        "finance.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="lines"
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
    )
    project = models.ForeignKey(
        "finance.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
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
            pgtrigger.Trigger(
                name="line_closed_period",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                condition=pgtrigger.Q(new__is_posted=True) & pgtrigger.Q(new__is_closing=False),
                func=CLOSED_PERIOD_SQL,
            ),
            pgtrigger.Trigger(
                name="line_posted_touch",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                condition=pgtrigger.Q(new__is_posted=True),
                func=TOUCH_SQL,
            ),
            pgtrigger.Trigger(
                name="line_posted_balanced",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update,
                timing=pgtrigger.Deferred,
                condition=pgtrigger.Q(new__is_posted=True),
                func=BALANCED_SQL,
            ),
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
