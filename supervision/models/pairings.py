"""Assistance pairings (联系帮包, "1+N" strong-helps-weak; DOMAIN.md 1.4, seed 004) and their visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.tenancy import Tenancy
from supervision.choices import PairingKind, PairingStatus

OVERSIGHT_WRITERS = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})
PAIRING_TENANCY = Tenancy(
    actions={"view": STAFF_ROLES, "add": OVERSIGHT_WRITERS, "change": OVERSIGHT_WRITERS, "delete": OVERSIGHT_WRITERS}
)


@tracked()
class Pairing(TenantModel):
    """Who helps which village (and, for "1+N", which strong cooperative helps which weaker one).

    ``region_code`` is the helped village's code, so the village and its township see the pairing.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PairingKind.choices)
    village = models.ForeignKey(
        "core.Region", verbose_name=_("helped village"), on_delete=models.PROTECT, related_name="pairings"
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("helped cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings_received",
    )
    helper = models.CharField(
        _("helper"), max_length=100, help_text=_("The leader (name and post), department or enterprise.")
    )
    helper_cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("helping cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings_given",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PairingStatus.choices, default=PairingStatus.ACTIVE)
    goals = models.TextField(_("goals"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = PAIRING_TENANCY

    class Meta:
        ordering = ["region_code", "kind", "pk"]
        verbose_name = _("assistance pairing")
        verbose_name_plural = _("assistance pairings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="sup_pairing_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="strong_weak") | Q(helper_cooperative__isnull=False, cooperative__isnull=False),
                name="sup_pairing_strong_weak_names_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.village.name}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:pairing_detail", args=[self.pk])


@tracked()
class PairingVisit(TenantModel):
    """One visit of a pairing: who came, what was done, what came of it."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visitor = models.CharField(_("visitor"), max_length=100)
    content = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = PAIRING_TENANCY

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("pairing visit")
        verbose_name_plural = _("pairing visits")

    def __str__(self) -> str:
        return f"{self.pairing} · {self.visited_on}"
