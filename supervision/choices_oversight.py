"""Choices of disclosures, audits and risk alerts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    IN_PROGRESS = "in_progress", pgettext_lazy("audit", "In progress")  # 进行中
    REPORTED = "reported", pgettext_lazy("audit", "Reported")  # 已报告
    CLOSED = "closed", pgettext_lazy("audit", "Closed")  # 已结束


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


SEVERITY_ORDER = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "Open")  # 待整改
    RECTIFIED = "rectified", pgettext_lazy("finding", "Rectified, waiting for review")  # 已整改待复核
    CLOSED = "closed", pgettext_lazy("finding", "Closed")  # 已销号


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert", "Open")  # 待处理
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("alert", "Acknowledged")  # 已知悉
    RESOLVED = "resolved", pgettext_lazy("alert", "Resolved")  # 已解决


OPEN_ALERT_STATES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
