"""Home-page panels: each app contributes panels for the roles they serve.

The kernel ships the panels it can fill itself (my villages, the approval inbox, the county's
townships); later apps register theirs (my cooperatives, the dashboard link, my shares).
"""

from __future__ import annotations

from core import panels
from core.choices import RegionLevel, Role
from core.panels import Panel

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


def _inbox(request, **kwargs) -> dict:
    from core.selectors import approval_inbox

    waiting = approval_inbox(request.user)
    return {"inbox": list(waiting[:10]), "inbox_count": waiting.count()}


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
register(Panel("inbox", "core/panels/inbox.html", frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL}), _inbox, 5))
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
