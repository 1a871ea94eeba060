"""Kernel reads that are more than a filter."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from core.choices import ApprovalState, Role
from core.models import ApprovalRequest, Region, User


def with_places(queryset: QuerySet, field: str = "region_code") -> QuerySet:
    """Annotate ``village_name`` and ``township_name`` from a row's 12-digit village code (subqueries
    on the unique region code: still one query)."""
    return queryset.annotate(
        village_name=Subquery(Region.objects.filter(code=OuterRef(field)).values("name")[:1]),
        township_name=Subquery(Region.objects.filter(code=Substr(OuterRef(field), 1, 9)).values("name")[:1]),
    )


def approval_inbox(user: User) -> QuerySet[ApprovalRequest]:
    """Requests waiting on ``user``'s decision, oldest first (one indexed query), with the names of
    their village and township."""
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
    return with_places(
        ApprovalRequest.objects.filter(condition, state=ApprovalState.SUBMITTED)
        .exclude(requested_by=user)  # four eyes: one's own requests wait for someone else
        .select_related("requested_by", "subject_type")
        .order_by("submitted_at", "pk")
    )


# who prepares what goes up for a decision (the accountant), and so gets it back when it is returned
PREPARERS = frozenset({Role.VILLAGE_ACCOUNTANT})


def approvals_returned(user: User) -> QuerySet[ApprovalRequest]:
    """Requests returned for changes in the villages where ``user`` prepares them (charters, contracts,
    payments, plans, projects), oldest return first, with the reason given (one query)."""
    from core.choices import ApprovalAction
    from core.models import ApprovalStep
    from core.todo import within

    reason = (
        ApprovalStep.objects.filter(request=OuterRef("pk"), action=ApprovalAction.RETURN)
        .order_by("-pk")
        .values("comment")[:1]
    )
    return with_places(
        ApprovalRequest.objects.for_user(user)
        .filter(within(user, PREPARERS), state=ApprovalState.RETURNED)
        .select_related("requested_by", "subject_type")
        .annotate(return_comment=Subquery(reason))
        .order_by("decided_at", "pk")
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
