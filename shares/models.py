"""Contributions, the append-only share ledger, cached holdings, withdrawals, certificates, imports.

Units: one share is one yuan of paid-in capital (股金), so every share amount is a ``Decimal`` in
yuan with two places (``core.money.MONEY``); a member's stake is their holdings ÷ all holdings.

The ledger (``ShareEntry``) is append-only: PostgreSQL triggers refuse UPDATE and DELETE, and a
mistake is corrected by a reversing entry. ``Holding`` (member × class) caches the sum of a
member's entries of that class; it is written only in the transaction that writes the entries,
under a row lock, and ``manage.py check_ledgers`` recomputes it from the ledger.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import VILLAGE_WRITERS, Tenancy
from shares.choices import (
    CertificateState,
    ContributionKind,
    ContributionState,
    EntryType,
    ImportState,
    ShareClass,
    WithdrawalState,
)


def _own_rows(user) -> Q:
    """A member (core role MEMBER) sees the rows of their own member record(s)."""
    return Q(member__user=user)


def _writers_tenancy(**extra) -> Tenancy:
    return Tenancy(
        actions={
            "view": STAFF_ROLES,
            "add": VILLAGE_WRITERS,
            "change": VILLAGE_WRITERS,
            "delete": VILLAGE_WRITERS,
            **extra,
        },
        member_filter=_own_rows,
    )


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.region_code}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def import_path(instance, filename: str) -> str:
    return f"imports/{instance.region_code}/{uuid.uuid4().hex}.xlsx"


@tracked()
class ImportBatch(TenantModel):
    """One uploaded roster workbook: its rows are checked first, then written together or not at all."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="imports"
    )
    file = models.FileField(_("workbook"), upload_to=import_path)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ImportState.choices, default=ImportState.PENDING)
    confirm_contributions = models.BooleanField(
        _("confirm the contributions at once"),
        default=False,
        help_text=_("Write the contributions into the share ledger in the same transaction as the import."),
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_members = models.PositiveIntegerField(_("members created"), default=0)
    created_households = models.PositiveIntegerField(_("households created"), default=0)
    created_contributions = models.PositiveIntegerField(_("contributions created"), default=0)
    message = models.TextField(_("message"), blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    tenancy = Tenancy(
        actions={"view": STAFF_ROLES, "add": VILLAGE_WRITERS, "change": VILLAGE_WRITERS, "delete": VILLAGE_WRITERS}
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("shares:import_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (ImportState.INVALID, ImportState.DONE, ImportState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        if not self.total_rows:
            return 0
        # checking is the first half of the work, writing the second
        done = self.processed_rows * 50 // self.total_rows
        return min(99, done + (50 if self.state == ImportState.WRITING else 0))


@tracked()
class Contribution(TenantModel):
    """A member's contribution (入股): cash, land rights valued per mu, other appraised property,
    quantified fiscal funds or the collective's assets. Confirming it writes the subscription entry."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="contributions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices, default=ContributionKind.CASH)
    share_class = models.CharField(_("share class"), max_length=12, choices=ShareClass.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=ContributionState.choices, default=ContributionState.DRAFT
    )
    amount = models.DecimalField(_("value (yuan)"), **MONEY, help_text=_("One share is one yuan of capital."))
    contributed_on = models.DateField(_("contribution date"), default=timezone.localdate)
    # land contract-management rights (土地承包经营权): value = area × value per mu, to the fen
    area_mu = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=4, null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    value_per_mu = models.DecimalField(_("value per mu"), **MONEY, null=True, blank=True)
    # appraisal of non-cash contributions (DOMAIN.md 1.2)
    appraiser = models.CharField(_("appraised by"), max_length=100, blank=True)
    appraisal_date = models.DateField(_("appraisal date"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    description = models.TextField(_("description"), blank=True)
    booked_to = models.CharField(
        _("booked to account"),
        max_length=12,
        blank=True,
        help_text=_(
            "The account debited when the contribution is confirmed: the cash or bank account that received "
            "the money, or the asset the property becomes. Empty: the chart's account for this kind."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )

    tenancy = _writers_tenancy()

    class Meta:
        ordering = ["cooperative_id", "-contributed_on", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="shares_contribution_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind=ContributionKind.LAND)
                | (
                    Q(area_mu__gt=0)
                    & Q(value_per_mu__gt=0)
                    & Q(amount=Round(F("area_mu") * F("value_per_mu"), 2))  # PostgreSQL rounds half up
                ),
                name="shares_contribution_land_value",
            ),
            models.CheckConstraint(
                condition=~Q(state=ContributionState.CONFIRMED) | Q(confirmed_at__isnull=False),
                name="shares_contribution_confirmed_at",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "state"], name="shares_contrib_coop_state")]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.get_kind_display()} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("shares:contribution_detail", args=[self.pk])


@tracked()
class Holding(TenantModel):
    """What one member holds of one share class: the sum of their ledger entries of that class, cached."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="holdings"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="holdings"
    )
    share_class = models.CharField(_("share class"), max_length=12, choices=ShareClass.choices)
    amount = models.DecimalField(_("shares (yuan)"), **MONEY, default=0)

    tenancy = _writers_tenancy()

    class Meta:
        ordering = ["cooperative_id", "member__number", "share_class"]
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        constraints = [
            models.UniqueConstraint(fields=["member", "share_class"], name="shares_holding_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="shares_holding_not_negative"),
        ]
        indexes = [models.Index(fields=["cooperative", "share_class"], name="shares_holding_coop_class")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_share_class_display()} · {self.amount}"


@tracked()
class ShareWithdrawal(TenantModel):
    """A member's application to withdraw (退股) and be refunded (law Arts. 25, 28).

    Applied at least three months before the accounting-year end (six for an organisation member),
    it takes effect at that year end; otherwise at the next one. The refund is written as a
    withdrawal entry when the accountant executes it on or after the effective date.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="withdrawals"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="withdrawals"
    )
    share_class = models.CharField(
        _("share class"), max_length=12, choices=ShareClass.choices, default=ShareClass.ORDINARY
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    applied_on = models.DateField(_("application date"))
    effective_on = models.DateField(_("effective at"))
    leaves_cooperative = models.BooleanField(_("the member leaves the cooperative"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=WithdrawalState.choices, default=WithdrawalState.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    refund_note = models.TextField(_("refund note"), blank=True)
    refund_account = models.CharField(
        _("refunded through account"),
        max_length=12,
        blank=True,
        help_text=_("The cash or bank account the refund was paid from, or 成员往来 when it is owed to the member."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    executed_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refunded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    tenancy = _writers_tenancy()

    class Meta:
        ordering = ["cooperative_id", "effective_on", "pk"]
        verbose_name = _("share withdrawal")
        verbose_name_plural = _("share withdrawals")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="shares_withdrawal_amount_positive"),
            models.CheckConstraint(
                condition=Q(effective_on__gt=F("applied_on")), name="shares_withdrawal_effective_after_applied"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.amount} · {self.effective_on}"

    def get_absolute_url(self) -> str:
        return reverse("shares:withdrawal_detail", args=[self.pk])


@tracked()
class ShareEntry(TenantModel):
    """One line of the share ledger: a signed amount on one member's holding of one class.

    An operation (a subscription, a transfer with its two legs, a gift, a reversal) writes one or
    more lines sharing ``operation``; for a transfer that is the transfer id. ``balance_after`` is
    the holding right after this line, taken under the holding's row lock.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="share_entries",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="share_entries"
    )
    share_class = models.CharField(_("share class"), max_length=12, choices=ShareClass.choices)
    entry_type = models.CharField(_("type"), max_length=12, choices=EntryType.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    balance_after = models.DecimalField(_("holding after"), **MONEY)
    effective_on = models.DateField(_("effective on"))
    operation = models.UUIDField(_("operation id"), db_index=True)
    counterparty = models.ForeignKey(
        "members.Member",
        verbose_name=_("counterparty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    withdrawal = models.ForeignKey(
        ShareWithdrawal,
        verbose_name=_("withdrawal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = _writers_tenancy()

    class Meta:
        ordering = ["cooperative_id", "-pk"]
        verbose_name = _("share ledger entry")
        verbose_name_plural = _("share ledger entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="shares_entry_amount_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="shares_entry_balance_not_negative"),
            models.CheckConstraint(
                condition=~Q(entry_type=EntryType.REVERSAL) | Q(reverses__isnull=False),
                name="shares_entry_reversal_links",
            ),
        ]
        indexes = [models.Index(fields=["member", "share_class"], name="shares_entry_member_class")]
        triggers = [
            # DESIGN.md "Ledgers": append-only, corrections by reversing entries only
            pgtrigger.Protect(name="shares_entry_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} · {self.member.name} · {self.amount}"


@tracked()
class ShareCertificate(TenantModel):
    """A share certificate (股权证) stating a member's holdings on the day it was issued.

    Numbers run per cooperative and year (东安-2026-0001). When a holding changes, the valid
    certificate is voided and a new one with a new number replaces it.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="certificates"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    issued_on = models.DateField(_("issued on"))
    ordinary_amount = models.DecimalField(_("ordinary shares"), **MONEY, default=0)
    collective_amount = models.DecimalField(_("collective shares"), **MONEY, default=0)
    poverty_amount = models.DecimalField(_("poverty-alleviation shares"), **MONEY, default=0)
    total_amount = models.DecimalField(_("total shares"), **MONEY)
    cooperative_total = models.DecimalField(_("cooperative's shares on the day"), **MONEY)
    state = models.CharField(_("state"), max_length=8, choices=CertificateState.choices, default=CertificateState.VALID)
    voided_on = models.DateField(_("voided on"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self", verbose_name=_("replaces"), on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = _writers_tenancy()

    class Meta:
        ordering = ["cooperative_id", "-year", "-sequence"]
        verbose_name = _("share certificate")
        verbose_name_plural = _("share certificates")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="shares_certificate_number_unique"),
            models.UniqueConstraint(fields=["cooperative", "year", "sequence"], name="shares_certificate_seq_unique"),
            models.UniqueConstraint(
                fields=["member"], condition=Q(state=CertificateState.VALID), name="shares_certificate_one_valid"
            ),
            models.CheckConstraint(
                condition=Q(total_amount=F("ordinary_amount") + F("collective_amount") + F("poverty_amount")),
                name="shares_certificate_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("shares:certificate_detail", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.state == CertificateState.VALID
