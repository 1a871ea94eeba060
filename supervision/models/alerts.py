"""Risk alerts: the problem list tracked to closure (挂牌督办, DOMAIN.md 1.4).

An alert is one rule firing on one subject in one period; the unique key (rule, subject, period)
keeps a nightly re-run from duplicating it. Rules live in ``supervision.services.alerts``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.tenancy import Tenancy
from supervision.choices_oversight import AlertStatus, Severity

# who hands a problem to someone (挂牌督办 is the supervising level's act); anyone on the staff
# covering it may acknowledge and resolve it, and acknowledging takes it on themselves
ASSIGNERS = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})


# the rule check runs every ten minutes and touches last_seen_at of every alert still firing: that
# is not a change anybody made, so it leaves no row in the audit trail
@tracked(exclude=["last_seen_at", "updated_at"])
class Alert(TenantModel):
    """One problem: which rule, about what (``subject_key`` such as ``voucher:12``), for which period."""

    rule = models.CharField(_("rule"), max_length=40)
    subject_key = models.CharField(_("subject"), max_length=60)
    period = models.CharField(_("period"), max_length=10)
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    title = models.CharField(_("problem"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    evidence_url = models.CharField(_("evidence"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    tenancy = Tenancy(
        actions={"view": STAFF_ROLES, "change": STAFF_ROLES, "evaluate": STAFF_ROLES, "assign": ASSIGNERS}
    )

    class Meta:
        ordering = ["status", "-first_seen_at", "-pk"]
        verbose_name = _("risk alert")
        verbose_name_plural = _("risk alerts")
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject_key", "period"], name="supervision_alert_dedup"),
        ]
        indexes = [models.Index(fields=["status", "region_code"], name="supervision_alert_open")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:alert_detail", args=[self.pk])


class AlertRun(models.Model):
    """One evaluation run (nightly or on change): where the next on-change scan starts."""

    kind = models.CharField(_("kind"), max_length=12)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cooperatives = models.PositiveIntegerField(_("cooperatives evaluated"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("alert run")
        verbose_name_plural = _("alert runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"
