"""Helpers that apply the jurisdiction rule to choices (regions a user may place a row in)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.models import Region


def regions_for_action(user, model, action: str = "add", levels=None) -> QuerySet[Region]:
    """Regions under the prefixes that grant ``action`` on ``model`` to ``user`` (form choice fields)."""
    qs = Region.objects.all()
    if levels:
        qs = qs.filter(level__in=levels)
    if user.is_superuser:
        return qs
    prefixes = user.jurisdiction.prefixes(model.tenancy.roles_for(action))
    if not prefixes:
        return qs.none()
    condition = Q()
    for p in prefixes:
        condition |= Q(prefix__startswith=p)
    return qs.filter(condition)
