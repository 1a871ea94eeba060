"""The village collective's operating income from its cooperative (集体经营性收入)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from finance.choices import IncomeSource
from finance.models.books import bookkeeping_tenancy


@tracked()
class CollectiveIncome(TenantModel):
    """Income the village collective received from the cooperative in a year: dividends on its
    collective shares, rent for collective resources, service fees. The dashboards rank villages by
    it (DOMAIN.md 1.5: weak village below 50,000 yuan, strong village from 500,000)."""

    village = models.ForeignKey(
        "core.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="collective_incomes"
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collective_incomes",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    source = models.CharField(_("source"), max_length=12, choices=IncomeSource.choices, default=IncomeSource.DIVIDEND)
    voucher = models.ForeignKey(
        "finance.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = bookkeeping_tenancy()

    class Meta:
        ordering = ["region_code", "-year", "-received_on", "-pk"]
        verbose_name = _("collective income")
        verbose_name_plural = _("collective income")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_collective_income_positive")]
        indexes = [models.Index(fields=["village", "year"], name="finance_colinc_village_year")]

    def __str__(self) -> str:
        return f"{self.village.name} {self.year} · {self.amount}"
