"""Home-page panels: each app contributes panels for the roles they serve.

The kernel ships the panels it can fill itself (my villages, the approval inbox, the county's
townships); later apps register theirs (my cooperatives, the dashboard link, my shares).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.choices import RegionLevel, Role


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    roles: frozenset[str]
    context: Callable[[object], dict] = field(default=lambda request: {})
    order: int = 100


_panels: dict[str, HomePanel] = {}


def register(panel: HomePanel) -> None:
    _panels[panel.key] = panel


def panels_for(request) -> list[dict]:
    user = request.user
    roles = user.jurisdiction.roles
    chosen = [p for p in _panels.values() if roles & p.roles]
    return [
        {"key": p.key, "template": p.template, **p.context(request)}
        for p in sorted(chosen, key=lambda p: (p.order, p.key))
    ]


def _my_villages(request) -> dict:
    from core.models import Region

    user = request.user
    grants = user.jurisdiction.grants_for(Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR)
    villages = Region.objects.filter(pk__in=[g.region_id for g in grants]).select_related("parent")
    return {"villages": villages}


def _inbox(request) -> dict:
    from core.selectors import approval_inbox

    waiting = approval_inbox(request.user)
    return {"inbox": list(waiting[:10]), "inbox_count": waiting.count()}


def _jurisdiction_overview(request) -> dict:
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


def _membership(request) -> dict:
    user = request.user
    return {"member_grants": user.jurisdiction.grants_for(Role.MEMBER)}


register(
    HomePanel(
        "my_villages",
        "core/panels/my_villages.html",
        frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR}),
        _my_villages,
        10,
    )
)
register(
    HomePanel("inbox", "core/panels/inbox.html", frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL}), _inbox, 5)
)
register(
    HomePanel(
        "overview",
        "core/panels/overview.html",
        frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN}),
        _jurisdiction_overview,
        20,
    )
)
register(HomePanel("membership", "core/panels/membership.html", frozenset({Role.MEMBER}), _membership, 10))
