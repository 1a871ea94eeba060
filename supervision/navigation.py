"""Navigation entries (dashboard, pairings, bulletins), the cooperative-page panel and home panels."""

from django.utils.translation import gettext_lazy as _

from core import home, navigation, panels
from core.choices import STAFF_ROLES, Role
from core.panels import Panel
from supervision.models.bulletins import COUNTY_ROLES

OVERSIGHT = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})


def _pairings_panel(request, cooperative=None, **kwargs):
    """The pairings that help this cooperative's village, or that this cooperative gives ("1+N")."""
    from django.db.models import Q

    from supervision.models import Pairing

    rows = list(
        Pairing.objects.for_user(request.user)
        .filter(Q(village_id=cooperative.village_id) | Q(helper_cooperative=cooperative))
        .select_related("cooperative", "helper_cooperative")
        .prefetch_related("visits")
        .order_by("status", "kind", "pk")[:20]
    )
    if not rows:
        return None
    return {"cooperative": cooperative, "pairings": rows}


def _home_dashboard(request, **kwargs):
    """Key figures of the user's jurisdiction for the current quarter (from the snapshots)."""
    from supervision import periods
    from supervision.services.dashboards import default_region, headline

    region = default_region(request.user)
    if region is None:
        return None
    year, quarter = periods.current_period()
    return {
        "region": region,
        "period_label": periods.label(year, quarter),
        **headline(request.user, region, year, quarter),
    }


def register() -> None:
    navigation.register(
        navigation.NavItem("supervision", _("Dashboard"), "supervision:dashboard", STAFF_ROLES, "speedometer2", 15)
    )
    navigation.register(
        navigation.NavItem("pairings", _("Pairings"), "supervision:pairing_list", OVERSIGHT, "people", 70)
    )
    navigation.register(
        navigation.NavItem("bulletins", _("Bulletins"), "supervision:bulletin_list", COUNTY_ROLES, "megaphone", 75)
    )
    panels.register(
        "cooperative_detail",
        Panel("supervision_pairings", "supervision/panels/pairings.html", STAFF_ROLES, _pairings_panel, 70),
    )
    home.register(
        Panel(
            "supervision_dashboard",
            "supervision/panels/dashboard.html",
            frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL}),
            _home_dashboard,
            8,
        )
    )
