"""Quarterly disclosures (社务公开): plan, operations, income and expenditure entry by entry,
share structure and distribution, published by the supervisory board (DOMAIN.md 1.4, seed 002 §9).

A published disclosure is immutable: a PostgreSQL trigger refuses UPDATE and DELETE of a published
row, as finance does for posted vouchers; the service refuses it first with a clear message.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import Tenancy
from supervision.choices_oversight import DisclosureStatus


def _member_published(user) -> Q:
    """A member reads the published disclosures of their village's cooperatives."""
    return Q(
        region_code__in=[g.prefix for g in user.jurisdiction.grants_for(Role.MEMBER)],
        status=DisclosureStatus.PUBLISHED,
    )


DISCLOSURE_TENANCY = Tenancy(
    actions={
        "view": STAFF_ROLES,
        # the accountant prepares the figures, the supervisory board organises the disclosure
        "add": frozenset({Role.VILLAGE_ACCOUNTANT, Role.SUPERVISOR, Role.SYSTEM_ADMIN}),
        "change": frozenset({Role.VILLAGE_ACCOUNTANT, Role.SUPERVISOR, Role.COOP_CHAIR, Role.SYSTEM_ADMIN}),
        "publish": frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN}),
    },
    member_filter=_member_published,
)


@tracked()
class Disclosure(TenantModel):
    """One cooperative's disclosure for one quarter. ``content`` is the snapshot shown and printed:
    ``entries`` (each income or expenditure entry), ``structure`` (share groups) and ``sections``
    (contributed by later apps, e.g. the distribution). Amounts in it are strings of yuan."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="disclosures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=12, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT
    )
    plan_summary = models.TextField(_("plan"), blank=True)
    operations_summary = models.TextField(_("operations"), blank=True)
    content = models.JSONField(_("content"), default=dict)
    income_total = models.DecimalField(_("income"), **MONEY, default=0)
    expenditure_total = models.DecimalField(_("expenditure"), **MONEY, default=0)
    deadline = models.DateField(_("publish by"))
    generated_at = models.DateTimeField(_("figures taken at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    tenancy = DISCLOSURE_TENANCY

    class Meta:
        ordering = ["-year", "-quarter", "region_code", "cooperative_id"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year", "quarter"], name="supervision_disclosure_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="supervision_disclosure_quarter"),
            models.CheckConstraint(
                condition=Q(status=DisclosureStatus.DRAFT) | Q(published_at__isnull=False),
                name="supervision_disclosure_published_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="supervision_discl_due")]
        triggers = [
            pgtrigger.Protect(
                name="disclosure_published_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="published"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:disclosure_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def is_published(self) -> bool:
        return self.status == DisclosureStatus.PUBLISHED
