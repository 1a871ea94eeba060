"""The asset register: a card per fixed asset or productive biological asset, and its monthly
depreciation (财会〔2021〕37号: 固定资产 151 / 累计折旧 152; 生产性生物资产 142 / 143).

A card says what the asset is, where it came from (a fiscal subsidy, a poverty-alleviation
project, a donation: the sources a finance or agriculture bureau audits), what it cost, how long it
serves and what it is worth at the end. Depreciation is straight-line by month: it starts the month
after the asset is acquired (a biological asset: the month after it first produces), each month
takes ``original × (1 − residual rate) ÷ useful life`` rounded to the fen, and the last month takes
what is left, so the total is exactly the depreciable amount. A ``DepreciationEntry`` per asset and
month records the part of the month's depreciation voucher that is the asset's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import tracked
from core.models import TenantModel
from core.money import MONEY, ZERO
from finance.choices import AssetCategory, AssetKind, AssetSource, AssetStatus
from finance.models.books import bookkeeping_tenancy

CENT = Decimal("0.01")


@tracked()
class FixedAsset(TenantModel):
    """One asset card (固定资产卡片 / 生产性生物资产卡片)."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="assets"
    )
    number = models.CharField(_("card number"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("register"), max_length=12, choices=AssetKind.choices, default=AssetKind.FIXED)
    category = models.CharField(_("category"), max_length=12, choices=AssetCategory.choices)
    source = models.CharField(_("source"), max_length=16, choices=AssetSource.choices, default=AssetSource.PURCHASED)
    project = models.ForeignKey(
        "finance.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        help_text=_("The subsidy or poverty-alleviation project the asset was formed by."),
    )
    acquired_on = models.DateField(_("acquired on"))
    depreciation_from = models.DateField(
        _("depreciation from"),
        help_text=_(
            "The first day of the first month depreciated: the month after acquisition, or for a "
            "biological asset the month after it first produces."
        ),
    )
    original_value = models.DecimalField(_("original value"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    useful_life_months = models.PositiveSmallIntegerField(
        _("useful life (months)"), validators=[MinValueValidator(1), MaxValueValidator(1200)]
    )
    residual_rate = models.DecimalField(
        _("residual value rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    opening_depreciation = models.DecimalField(
        _("depreciation before the books"),
        **MONEY,
        default=0,
        help_text=_("Accumulated depreciation of an asset taken over with the books."),
    )
    opening_months = models.PositiveSmallIntegerField(_("months depreciated before the books"), default=0)
    expense_account = models.ForeignKey(
        "finance.Account",
        verbose_name=_("depreciation charged to"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Administrative expenses, or production costs for an asset used in production."),
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    custodian = models.CharField(_("custodian"), max_length=50, blank=True)
    acquisition_voucher = models.ForeignKey(
        "finance.Voucher",
        verbose_name=_("acquisition voucher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.IN_USE)
    disposed_on = models.DateField(_("disposed of on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["cooperative_id", "number"]
        verbose_name = _("asset card")
        verbose_name_plural = _("asset cards")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="finance_asset_number_unique"),
            models.CheckConstraint(
                condition=Q(opening_depreciation__gte=0)
                & Q(opening_depreciation__lte=models.F("original_value"))
                & Q(residual_rate__gte=0)
                & Q(residual_rate__lte=100),
                name="finance_asset_amounts",
            ),
            models.CheckConstraint(
                condition=Q(status=AssetStatus.IN_USE, disposed_on__isnull=True)
                | Q(status=AssetStatus.DISPOSED, disposed_on__isnull=False),
                name="finance_asset_disposal_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("finance:asset_detail", args=[self.pk])

    @property
    def depreciable(self) -> Decimal:
        """What the asset loses over its life: original value less the residual value."""
        residual = (self.original_value * self.residual_rate / 100).quantize(CENT, ROUND_HALF_UP)
        return self.original_value - residual

    @property
    def monthly(self) -> Decimal:
        return (self.depreciable / self.useful_life_months).quantize(CENT, ROUND_HALF_UP)


@tracked()
class DepreciationEntry(TenantModel):
    """An asset's depreciation of one month, a part of that month's depreciation voucher."""

    asset = models.ForeignKey(FixedAsset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="entries")
    period = models.ForeignKey("finance.Period", verbose_name=_("month"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **MONEY)
    voucher = models.ForeignKey(
        "finance.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["asset_id", "period_id"]
        verbose_name = _("depreciation entry")
        verbose_name_plural = _("depreciation entries")
        constraints = [
            models.UniqueConstraint(fields=["asset", "period"], name="finance_depreciation_once_a_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_depreciation_positive"),
        ]
