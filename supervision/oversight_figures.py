"""Figures of disclosures, audits and alerts for the dashboards, as plain functions.

``scope`` is a list of region-code prefixes (``["371323104"]``) or a queryset of cooperatives;
the caller has already limited it to the viewer's jurisdiction. Each function is one query.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from supervision.choices_oversight import (
    OPEN_ALERT_STATES,
    SEVERITY_ORDER,
    AuditKind,
    AuditStatus,
    DisclosureStatus,
    FindingStatus,
)

SEVERITY_RANK = Case(
    *(When(severity=k, then=Value(v)) for k, v in SEVERITY_ORDER.items()), default=Value(0), output_field=IntegerField()
)


def _where(scope, field: str = "region_code", coop_field: str = "cooperative_id") -> Q:
    if isinstance(scope, QuerySet):
        return Q(**{f"{coop_field}__in": scope.values("pk")})
    condition = Q(pk__in=[])
    for prefix in scope:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def open_alerts_count(scope) -> int:
    """Open and acknowledged alerts."""
    from supervision.models import Alert

    return Alert.objects.filter(_where(scope), status__in=OPEN_ALERT_STATES).count()


def audits_done(year: int, scope) -> dict:
    """Annual audits of ``year``: ``{"total", "reported", "closed"}`` (reported includes closed)."""
    from django.db.models import Count

    from supervision.models import Audit

    return Audit.objects.filter(_where(scope), year=year, kind=AuditKind.ANNUAL).aggregate(
        total=Count("pk"),
        reported=Count("pk", filter=Q(status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED])),
        closed=Count("pk", filter=Q(status=AuditStatus.CLOSED)),
    )


def disclosures_overdue(scope, today: datetime.date | None = None) -> int:
    """Disclosures still unpublished after their deadline."""
    from supervision.models import Disclosure

    today = today or timezone.localdate()
    return Disclosure.objects.filter(_where(scope), status=DisclosureStatus.DRAFT, deadline__lt=today).count()


def open_problems(scope, limit: int = 50) -> list[dict]:
    """The open problem list (alerts, then open audit findings), most severe first."""
    from supervision.models import Alert, AuditFinding

    alerts = (
        Alert.objects.filter(_where(scope), status__in=OPEN_ALERT_STATES)
        .select_related("cooperative", "assignee")
        .annotate(rank=SEVERITY_RANK)
        .order_by("-rank", "first_seen_at")[:limit]
    )
    rows = [
        {
            "kind": "alert",
            "id": a.pk,
            "rule": a.rule,
            "title": a.title,
            "severity": a.severity,
            "status": a.status,
            "cooperative": a.cooperative.name if a.cooperative else "",
            "region_code": a.region_code,
            "since": a.first_seen_at,
            "assignee": a.assignee.get_full_name() if a.assignee else "",
            "url": a.get_absolute_url(),
        }
        for a in alerts
    ]
    findings = (
        AuditFinding.objects.filter(_where(scope, coop_field="audit__cooperative_id"))
        .exclude(status=FindingStatus.CLOSED)
        .select_related("audit__cooperative")
        .order_by("rectification_deadline", "pk")[: max(limit - len(rows), 0)]
    )
    rows += [
        {
            "kind": "finding",
            "id": f.pk,
            "rule": "audit_finding",
            "title": f.title,
            "severity": f.severity,
            "status": f.status,
            "cooperative": f.audit.cooperative.name,
            "region_code": f.region_code,
            "since": f.created_at,
            "deadline": f.rectification_deadline,
            "assignee": "",
            "url": f.get_absolute_url(),
        }
        for f in findings
    ]
    return rows


def disclosures_published(scope, year: int, quarter: int) -> int:
    """Disclosures of the quarter (or, for quarter 0, of the year) already published."""
    from supervision.models import Disclosure

    qs = Disclosure.objects.filter(_where(scope), year=year, status=DisclosureStatus.PUBLISHED)
    return (qs.filter(quarter=quarter) if quarter else qs).count()


def register() -> None:
    """Plug these figures into the dashboards and bulletins (``supervision.figures``)."""
    from supervision.figures import register_figure

    def audits(key):
        return lambda *, user, prefix, year, quarter: audits_done(year, [prefix])[key]

    register_figure("open_alerts", lambda *, user, prefix, year, quarter: open_alerts_count([prefix]))
    register_figure("audits_done", audits("reported"))
    register_figure("audits_due", audits("total"))
    register_figure(
        "disclosures_published",
        lambda *, user, prefix, year, quarter: disclosures_published([prefix], year, quarter),
    )
    register_figure("disclosures_overdue", lambda *, user, prefix, year, quarter: disclosures_overdue([prefix]))
    register_figure(
        "problems",
        lambda *, user, prefix, year, quarter: [
            {**row, "region": row["cooperative"]} for row in open_problems([prefix])
        ],
    )
