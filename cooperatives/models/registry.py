"""The cooperative: one registered 党支部领办合作社 (or a federation) in a village."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import (
    BusinessType,
    Classification,
    CooperativeKind,
    CooperativeStatus,
    Industry,
    OperatingMode,
)
from core.choices import STAFF_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import Tenancy


def _member_village(user) -> Q:
    """A member sees the registry entry of cooperatives in their own village (public information)."""
    return Q(region_code__in=[g.prefix for g in user.jurisdiction.grants_for(Role.MEMBER)])


REGISTRARS = frozenset({Role.VILLAGE_ACCOUNTANT, Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN})


@tracked()
class Cooperative(TenantModel):
    """A cooperative and its registration facts. ``region_code`` is its village (a township-led
    federation carries its township's code padded with 000)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=CooperativeKind.choices, default=CooperativeKind.FARMER)
    village = models.ForeignKey(
        "core.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="cooperatives"
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=32)
    chair_name = models.CharField(_("chair"), max_length=32)
    chair_is_branch_secretary = models.BooleanField(_("chair is the village party branch secretary"), default=True)
    chair_exception_reason = models.TextField(_("why the chair is not the branch secretary"), blank=True)
    flagged = models.BooleanField(_("flagged for review"), default=False, db_index=True)
    flag_reasons = models.JSONField(_("flag reasons"), default=list, blank=True)
    registered_capital = models.DecimalField(_("registered capital"), **MONEY, default=0)
    business_scope = models.TextField(_("business scope"), blank=True)
    main_industry = models.CharField(
        _("main industry"), max_length=16, choices=Industry.choices, default=Industry.CROPS
    )
    business_type = models.CharField(_("business type"), max_length=20, choices=BusinessType.choices, blank=True)
    operating_modes = ArrayField(
        models.CharField(max_length=20, choices=OperatingMode.choices),
        verbose_name=_("operating modes"),
        default=list,
        blank=True,
    )
    founding_date = models.DateField(_("founding date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CooperativeStatus.choices, default=CooperativeStatus.PREPARING
    )
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    tenancy = Tenancy(
        actions={
            "view": STAFF_ROLES,
            "add": REGISTRARS,
            "change": REGISTRARS,
            "delete": frozenset({Role.SYSTEM_ADMIN}),
        },
        member_filter=_member_village,
    )

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="coop_uscc_unique"),
            models.UniqueConstraint(fields=["village", "name"], name="coop_name_unique_in_village"),
            models.CheckConstraint(condition=Q(registered_capital__gte=0), name="coop_capital_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def operating_mode_labels(self) -> list[str]:
        return [OperatingMode(m).label for m in self.operating_modes if m in OperatingMode.values]

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:cooperative_detail", args=[self.pk])
