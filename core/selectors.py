"""Kernel reads that are more than a filter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.choices import ApprovalState
from core.models import ApprovalRequest, Region, User


def approval_inbox(user: User) -> QuerySet[ApprovalRequest]:
    """Requests waiting on ``user``'s decision, oldest first (one indexed query)."""
    if not user.is_authenticated:
        return ApprovalRequest.objects.none()
    condition = Q(pk__in=[])
    grants = user.jurisdiction.grants
    if user.is_superuser:
        condition = Q()
    for grant in grants:
        condition |= Q(decider_role=grant.role, decider_prefix=grant.prefix)
    if not grants and not user.is_superuser:
        return ApprovalRequest.objects.none()
    return (
        ApprovalRequest.objects.filter(condition, state=ApprovalState.SUBMITTED)
        .exclude(requested_by=user)  # four eyes: one's own requests wait for someone else
        .select_related("requested_by", "subject_type")
        .order_by("submitted_at", "pk")
    )


def region_tree(user: User) -> list[dict]:
    """The regions within the user's jurisdiction as nested dicts (county → township → village)."""
    regions = list(Region.objects.for_user(user).order_by("code"))
    by_id = {r.pk: {"region": r, "children": []} for r in regions}
    roots = []
    for r in regions:
        node = by_id[r.pk]
        parent = by_id.get(r.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots
