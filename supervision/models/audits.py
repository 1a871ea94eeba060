"""Audits: the township's annual audit of every cooperative, the county's spot checks drawn from a
recorded seed, term and departure audits of village cadres; findings, rectification with evidence,
closure and the report to the member assembly (DOMAIN.md 1.4, seed 002 §8)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.tenancy import Tenancy
from supervision.choices_oversight import AuditKind, AuditStatus, FindingStatus, Severity

AUDITORS = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})
COUNTY_AUDITORS = frozenset({Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})
# the cooperative answers a finding with evidence of rectification
RECTIFIERS = frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR}) | AUDITORS

AUDIT_TENANCY = Tenancy(actions={"view": STAFF_ROLES, "add": AUDITORS, "change": AUDITORS, "rectify": RECTIFIERS})


def evidence_path(instance, filename: str) -> str:
    return f"audits/{instance.region_code}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


@tracked()
class SpotCheckDraw(TenantModel):
    """A county's random draw of cooperatives to spot-check in a year. ``seed`` and ``population``
    (the cooperative ids in the order drawn from) are recorded, so anyone can redo the draw and get
    the same sample. ``region_code`` is the county code padded with zeros."""

    county = models.ForeignKey("core.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    seed = models.BigIntegerField(_("seed"))
    sample_size = models.PositiveSmallIntegerField(_("sample size"))
    population = models.JSONField(_("cooperatives drawn from"), default=list)
    drawn = models.JSONField(_("cooperatives drawn"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = Tenancy(actions={"view": COUNTY_AUDITORS, "add": COUNTY_AUDITORS})

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("spot-check draw")
        verbose_name_plural = _("spot-check draws")

    def __str__(self) -> str:
        return f"{self.county} {self.year} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:spotcheck_detail", args=[self.pk])


@tracked()
class Audit(TenantModel):
    """One audit of one cooperative. Term and departure audits name the cadre and the period of office."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="audits"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AuditKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.IN_PROGRESS)
    scope = models.TextField(_("scope"))
    auditor_region = models.ForeignKey(
        "core.Region", verbose_name=_("audited by"), on_delete=models.PROTECT, related_name="+"
    )
    spot_check = models.ForeignKey(
        SpotCheckDraw,
        verbose_name=_("spot-check draw"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
    )
    cadre_name = models.CharField(_("cadre audited"), max_length=32, blank=True)
    office_from = models.DateField(_("in office from"), null=True, blank=True)
    office_to = models.DateField(_("in office to"), null=True, blank=True)
    started_on = models.DateField(_("started on"))
    conclusion = models.TextField(_("conclusion"), blank=True)
    reported_on = models.DateField(_("report date"), null=True, blank=True)
    assembly_reported_on = models.DateField(_("reported to the member assembly on"), null=True, blank=True)
    assembly_minutes = models.TextField(_("member assembly record"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = AUDIT_TENANCY

    class Meta:
        ordering = ["-year", "region_code", "cooperative_id", "pk"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year"], condition=Q(kind="annual"), name="supervision_audit_annual_once"
            ),
            models.UniqueConstraint(
                fields=["cooperative", "spot_check"],
                condition=Q(spot_check__isnull=False),
                name="supervision_audit_spot_check_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.year} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:audit_detail", args=[self.pk])


@tracked()
class AuditFinding(TenantModel):
    """A finding of an audit; a required rectification has a deadline and closes on evidence."""

    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(_("finding"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    rectification_required = models.BooleanField(_("rectification required"), default=True)
    rectification_deadline = models.DateField(_("rectify by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    rectification_note = models.TextField(_("rectification"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = AUDIT_TENANCY

    class Meta:
        ordering = ["audit_id", "pk"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(rectification_required=False) | Q(rectification_deadline__isnull=False),
                name="supervision_finding_deadline",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:audit_detail", args=[self.audit_id]) + f"#finding-{self.pk}"


@tracked()
class RectificationEvidence(TenantModel):
    """A document proving a rectification (PDF, JPEG or PNG, at most 10 MB, checked as vouchers' are)."""

    finding = models.ForeignKey(
        AuditFinding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=60)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    tenancy = AUDIT_TENANCY

    class Meta:
        ordering = ["finding_id", "pk"]
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("oversight:evidence_download", args=[self.pk])
