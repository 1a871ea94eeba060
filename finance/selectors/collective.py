"""Collective income for the dashboards."""

from __future__ import annotations

from django.db.models import Sum

from finance.models import CollectiveIncome


def collective_income_by_village(user, *, years=None) -> list[dict]:
    """Income of each village collective per year within the user's jurisdiction (one grouped query):
    ``[{"village_id", "village_code", "village_name", "year", "total"}, …]``."""
    qs = CollectiveIncome.objects.for_user(user)
    if years:
        qs = qs.filter(year__in=list(years))
    return list(
        qs.values("village_id", "year")
        .annotate(total=Sum("amount"))
        .values("village_id", "village__code", "village__name", "year", "total")
        .order_by("village__code", "year")
    )
