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


def register() -> None:
    navigation.register(
        navigation.NavItem(
            "cooperatives", _("Cooperatives"), "cooperatives:cooperative_list", STAFF_ROLES, "people", 10
        )
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
