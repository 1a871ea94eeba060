"""Filters of the plan list, shared by the page and the API (choices from the caller's jurisdiction)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import YearFilter
from dividends.choices import PlanState
from dividends.models import DistributionPlan
from finance.filters import _ScopedFilterSet


class PlanFilter(_ScopedFilterSet):
    year = YearFilter(label=_("Fiscal year"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=PlanState.choices)

    class Meta:
        model = DistributionPlan
        fields = ["cooperative", "year", "state"]
