"""Choices of disclosures, audits and risk alerts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AuditKind(models.TextChoices):
    ANNUAL = "annual", _("Annual township audit")  # 乡镇年度审计
    SPOT_CHECK = "spot_check", _("County spot check")  # 县级抽查
    TERM = "term", _("Term audit of a village cadre")  # 任期审计
    DEPARTURE = "departure", _("Departure audit of a village cadre")  # 离任审计


CADRE_AUDITS = (AuditKind.TERM, AuditKind.DEPARTURE)


class AuditStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


SEVERITY_ORDER = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RECTIFIED = "rectified", _("Rectified, waiting for review")
    CLOSED = "closed", _("Closed")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


OPEN_ALERT_STATES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
