"""Filters of the disclosure, audit and alert lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperatives.filters import CooperativeChoiceFilter
from core.filters import RegionPrefixFilter, YearFilter
from finance.filters import _ScopedFilterSet
from supervision.choices_oversight import AlertStatus, AuditKind, AuditStatus, DisclosureStatus, Severity
from supervision.models import Alert, Audit, AuditFinding, Disclosure, SpotCheckDraw


class DisclosureFilter(_ScopedFilterSet):
    township = RegionPrefixFilter(label=_("Township"))
    year = YearFilter(label=_("Year"))
    quarter = django_filters.ChoiceFilter(label=_("Quarter"), choices=[(q, str(q)) for q in range(1, 5)])
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DisclosureStatus.choices)

    class Meta:
        model = Disclosure
        fields = ["township", "cooperative", "year", "quarter", "status"]


class AuditFilter(_ScopedFilterSet):
    township = RegionPrefixFilter(label=_("Township"))
    year = YearFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AuditKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AuditStatus.choices)

    class Meta:
        model = Audit
        fields = ["township", "cooperative", "year", "kind", "status"]


class FindingFilter(_ScopedFilterSet):
    cooperative = CooperativeChoiceFilter(field_name="audit__cooperative")
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)

    class Meta:
        model = AuditFinding
        fields = ["cooperative", "severity", "status"]


class SpotCheckFilter(django_filters.FilterSet):
    year = YearFilter(label=_("Year"))

    class Meta:
        model = SpotCheckDraw
        fields = ["year"]


class AlertFilter(_ScopedFilterSet):
    township = RegionPrefixFilter(label=_("Township"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AlertStatus.choices)
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    rule = django_filters.ChoiceFilter(label=_("Rule"), choices=[])
    assigned = django_filters.ChoiceFilter(
        label=_("Assigned to"), choices=[("me", _("Me")), ("nobody", _("Nobody"))], method="assigned_to"
    )

    class Meta:
        model = Alert
        fields = ["township", "cooperative", "status", "severity", "rule", "assigned"]

    def __init__(self, *args, **kwargs):
        from supervision.services.alerts import RULES

        super().__init__(*args, **kwargs)
        self.filters["rule"].extra["choices"] = [(r.code, r.label) for r in RULES.values()]

    def assigned_to(self, queryset, name, value):
        if value == "nobody":
            return queryset.filter(assignee__isnull=True)
        user = getattr(self.request, "user", None)
        return queryset.filter(assignee=user) if user is not None else queryset.none()
