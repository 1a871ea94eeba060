"""Economic contracts (经济合同): reviewed by the township, filed, then paid by instalments."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from finance.choices import ContractDirection, ContractStatus
from finance.models.books import bookkeeping_tenancy


def contract_path(instance, filename: str) -> str:
    return f"contracts/{instance.region_code}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


@tracked()
class Contract(TenantModel):
    """An economic contract of a cooperative. It takes effect only after the township has reviewed
    it through the approval engine and filed it (002 §8: reviewed by the township leader in charge
    and filed with the township; 004: contracts need township review)."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200)
    counterparty = models.CharField(_("counterparty"), max_length=100)
    counterparty_code = models.CharField(_("counterparty ID or credit code"), max_length=18, blank=True)
    direction = models.CharField(
        _("direction"), max_length=12, choices=ContractDirection.choices, default=ContractDirection.PAYABLE
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_date = models.DateField(_("term from"))
    end_date = models.DateField(_("term to"))
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    file = models.FileField(_("contract file"), upload_to=contract_path, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=40, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = bookkeeping_tenancy(file=frozenset({Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN}))

    class Meta:
        ordering = ["cooperative_id", "-start_date", "-pk"]
        verbose_name = _("economic contract")
        verbose_name_plural = _("economic contracts")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="finance_contract_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_contract_amount_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="finance_contract_term"),
            models.CheckConstraint(
                condition=~Q(status=ContractStatus.EFFECTIVE) | Q(filed_at__isnull=False),
                name="finance_contract_filed_when_effective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("finance:contract_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == ContractStatus.DRAFT


@tracked()
class ContractInstalment(TenantModel):
    """One instalment of a contract's payment schedule; the schedule sums to the contract amount."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="instalments"
    )
    sequence = models.PositiveSmallIntegerField(_("instalment"))
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["contract_id", "sequence"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="finance_instalment_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.sequence}"


@tracked()
class ContractPayment(TenantModel):
    """A payment made or received under a contract, recorded against its posted voucher."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="payments"
    )
    voucher = models.ForeignKey(
        "finance.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="contract_payments"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["contract_id", "paid_on", "pk"]
        verbose_name = _("contract payment")
        verbose_name_plural = _("contract payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.amount}"
