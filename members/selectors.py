"""Reads of the members app that are more than a filter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cooperatives.models import Cooperative
from core.choices import Role
from core.models import User


def cooperatives_for(user, model, action: str = "add") -> QuerySet[Cooperative]:
    """Cooperatives in which ``user`` may perform ``action`` on ``model`` rows (form choice fields)."""
    qs = Cooperative.objects.for_user(user, "view").select_related("village")
    if user.is_superuser:
        return qs
    prefixes = user.jurisdiction.prefixes(model.tenancy.roles_for(action))
    if not prefixes:
        return qs.none()
    condition = Q()
    for prefix in prefixes:
        condition |= Q(region_code__startswith=prefix)
    return qs.filter(condition)


def linkable_users(cooperative: Cooperative) -> QuerySet[User]:
    """Logins holding the member role in the cooperative's village (a member record may link to one)."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.MEMBER,
            role_assignments__is_active=True,
            role_assignments__region__code=cooperative.region_code,
        )
        .distinct()
        .order_by("username")
    )


def collective_member_id(cooperative_id: int) -> int | None:
    """The village collective's member record in the cooperative (at most one), or None.

    It is the beneficiary of every collective share, whoever holds it: collective shares held by the
    party branch secretary on the collective's behalf are the collective's (DOMAIN.md §1.3)."""
    from members.choices import MemberKind
    from members.models import Member

    # unscoped: a fact of the cooperative the caller already reached through its scope
    return (
        Member.objects.filter(cooperative_id=cooperative_id, kind=MemberKind.COLLECTIVE)
        .values_list("pk", flat=True)
        .first()
    )
