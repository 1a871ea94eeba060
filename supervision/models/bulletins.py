"""Bulletins: the county's weekly dispatch, monthly bulletin and quarterly review (DOMAIN.md 1.4)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import TenantModel
from core.tenancy import Tenancy
from supervision.choices import BulletinKind

COUNTY_ROLES = frozenset({Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})


def bulletin_path(instance, filename: str) -> str:
    return f"bulletins/{instance.region_code[:6]}/{filename}"


class Bulletin(TenantModel):
    """One generated bulletin of a county for one period. ``region_code`` is the county's padded code.

    ``content`` keeps what was reported (ranking with position changes, key figures, open
    problems) so the printable page and the workbook show the same numbers later.
    """

    county = models.ForeignKey("core.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=BulletinKind.choices)
    period_key = models.CharField(_("period"), max_length=12)
    year = models.PositiveSmallIntegerField(_("statistics year"))
    quarter = models.PositiveSmallIntegerField(_("statistics quarter"))
    content = models.JSONField(_("content"), default=dict)
    file = models.FileField(_("workbook"), upload_to=bulletin_path, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    tenancy = Tenancy(actions={"view": COUNTY_ROLES, "add": COUNTY_ROLES, "change": COUNTY_ROLES})

    class Meta:
        ordering = ["-generated_at", "-pk"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [
            models.UniqueConstraint(fields=["county", "kind", "period_key"], name="sup_bulletin_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.county.name} · {self.get_kind_display()} · {self.period_key}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:bulletin_detail", args=[self.pk])
