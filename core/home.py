"""Home-page panels: each app contributes panels for the roles they serve.

The kernel ships the panels it can fill itself (the to-do list, my villages, the county's
townships); later apps register theirs (my cooperatives, the dashboard link, my shares) and the
sources of the to-do list (``core.todo``).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import panels, todo
from core.choices import RegionLevel, Role
from core.panels import Panel

# the township and the county see their to-do list grouped by village
OVERSIGHT_ROLES = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL})

SLOT = "home"


def register(panel: Panel) -> None:
    panels.register(SLOT, panel)


def panels_for(request) -> list[dict]:
    return panels.panels_for(SLOT, request)


def _my_villages(request, **kwargs) -> dict:
    from core.models import Region

    user = request.user
    grants = user.jurisdiction.grants_for(Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR)
    villages = Region.objects.filter(pk__in=[g.region_id for g in grants]).select_related("parent")
    return {"villages": villages}


def _todo(request, today=None, **kwargs) -> dict:
    """What waits for the user's roles, from every source they allow (one query per source)."""
    found = todo.collect(request.user, today)
    roles = request.user.jurisdiction.roles
    grouped = bool(roles & OVERSIGHT_ROLES) and not roles - OVERSIGHT_ROLES - {Role.SYSTEM_ADMIN}
    groups = found.by_village(with_township=Role.COUNTY_OFFICIAL in roles) if grouped else None
    # a member alone has news to read rather than work to do
    news_only = bool(found.items) and all(i.news for i in found.items)
    return {"todo": found, "groups": groups, "news_only": news_only or roles == {Role.MEMBER}}


def _place(row) -> str:
    return row.village_name or row.region_code


def _approval_items(rows, kind: str, since_field: str, *, due: bool, label=None) -> list[todo.Item]:
    """Items of approval requests; labelled by their kind (支出审批…) unless ``label`` is given."""
    from core.approvals import approval_policies

    items = []
    for a in rows:
        try:
            kind_label = label or approval_policies.get(a.kind).verbose_name
        except LookupError:
            kind_label = a.kind
        since = todo.local_date(getattr(a, since_field)) or todo.local_date(a.created_at)
        items.append(
            todo.Item(
                kind=kind,
                label=kind_label,
                subject=a.title,
                place=_place(a),
                village=_place(a),
                township=getattr(a, "township_name", "") or "",
                since=since,
                url=reverse("core:approval_detail", args=[a.pk]),
                due=since + timedelta(days=todo.DECISION_DAYS) if due else None,
                amount=a.amount,
                note=getattr(a, "return_comment", "") or "",
            )
        )
    return items


def _to_decide(user, today):
    from core.selectors import approval_inbox

    rows, total = todo.take(approval_inbox(user))
    return _approval_items(rows, "decide", "submitted_at", due=True), total


RETURNED = _("Returned to you for changes")


def _returned(user, today):
    from core.selectors import approvals_returned

    rows, total = todo.take(approvals_returned(user))
    return _approval_items(rows, "returned", "decided_at", due=False, label=RETURNED), total


def _jurisdiction_overview(request, **kwargs) -> dict:
    from django.db.models import Count, Q, Sum

    from core.models import Region

    user = request.user
    grants = user.jurisdiction.grants_for(Role.COUNTY_OFFICIAL, Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN)
    regions = Region.objects.for_user(user)
    totals = regions.aggregate(
        townships=Count("pk", filter=Q(level=RegionLevel.TOWNSHIP)),
        villages=Count("pk", filter=Q(level=RegionLevel.VILLAGE)),
        households=Sum("households", filter=Q(level=RegionLevel.VILLAGE)),
    )
    # the next level down: townships of a county, villages of a township
    children = (
        regions.filter(parent_id__in=[g.region_id for g in grants])
        .annotate(n_children=Count("children"), child_households=Sum("children__households"))
        .order_by("code")
    )
    return {"overview_grants": grants, "totals": totals, "children": children}


def _membership(request, **kwargs) -> dict:
    user = request.user
    return {"member_grants": user.jurisdiction.grants_for(Role.MEMBER)}


register(
    Panel(
        "my_villages",
        "core/panels/my_villages.html",
        frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR}),
        _my_villages,
        10,
    )
)
register(
    Panel(
        "todo",
        "core/panels/todo.html",
        frozenset(
            {
                Role.VILLAGE_ACCOUNTANT,
                Role.COOP_CHAIR,
                Role.SUPERVISOR,
                Role.TOWNSHIP_OFFICIAL,
                Role.COUNTY_OFFICIAL,
                Role.MEMBER,
            }
        ),
        _todo,
        0,
    )
)
todo.register(
    todo.Source(
        "decide",
        _("Waiting for your decision"),
        frozenset({Role.COOP_CHAIR, Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL}),
        _to_decide,
        10,
        "core:approval_list",
    )
)
todo.register(
    todo.Source(
        "returned",
        RETURNED,
        frozenset({Role.VILLAGE_ACCOUNTANT}),
        _returned,
        20,
        "core:approval_list",
        "tab=all&state=returned",
    )
)
register(
    Panel(
        "overview",
        "core/panels/overview.html",
        frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN}),
        _jurisdiction_overview,
        20,
    )
)
register(Panel("membership", "core/panels/membership.html", frozenset({Role.MEMBER}), _membership, 10))
