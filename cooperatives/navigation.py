"""Navigation entries and home-page panels of the cooperatives app."""

from django.utils.translation import gettext_lazy as _

from core import home, navigation
from core.choices import STAFF_ROLES, Role
from core.panels import Panel


def _my_cooperatives(request, **kwargs):
    from cooperatives.models import Cooperative

    coops = (
        Cooperative.objects.for_user(request.user)
        .select_related("village__parent")
        .order_by("region_code", "name")[:20]
    )
    return {"cooperatives": coops}


def _seal_uses_awaiting(request, **kwargs):
    from cooperatives.selectors import seal_uses_awaiting

    entries = list(seal_uses_awaiting(request.user)[:10])
    return {"entries": entries} if entries else None


def register() -> None:
    navigation.register(
        navigation.NavItem(
            "cooperatives", _("Cooperatives"), "cooperatives:cooperative_list", STAFF_ROLES, "people", 10
        )
    )
    # governance: federations, major matters, projects, recognition, archive
    navigation.register(
        navigation.NavItem(
            "federations", _("Federations"), "cooperatives:federation_list", STAFF_ROLES, "diagram-2", 20
        )
    )
    navigation.register(
        navigation.NavItem(
            "major_matters", _("Major matters"), "cooperatives:majormatter_list", STAFF_ROLES, "megaphone", 21
        )
    )
    navigation.register(
        navigation.NavItem(
            "projects", _("Projects"), "cooperatives:projectproposal_list", STAFF_ROLES, "clipboard-check", 22
        )
    )
    navigation.register(
        navigation.NavItem(
            "demonstrations", _("Awards"), "cooperatives:demonstrationaward_list", STAFF_ROLES, "award", 23
        )
    )
    navigation.register(
        navigation.NavItem("archive", _("Archive"), "cooperatives:archiveddocument_list", STAFF_ROLES, "archive", 24)
    )
    home.register(
        Panel(
            "my_cooperatives",
            "cooperatives/panels/my_cooperatives.html",
            frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR, Role.MEMBER}),
            _my_cooperatives,
            1,
        )
    )
    home.register(
        Panel(
            "seal_uses_awaiting",
            "cooperatives/panels/seal_uses_awaiting.html",
            frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR}),
            _seal_uses_awaiting,
            5,
        )
    )
