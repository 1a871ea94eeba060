"""Navigation entry (盈余分配), the cooperative-page panel and the member's home panel."""

from django.utils.translation import gettext_lazy as _

from core import home, navigation, panels
from core.choices import STAFF_ROLES, Role
from core.panels import Panel


def _plans_panel(request, cooperative=None, **kwargs):
    from dividends.models import DistributionPlan
    from finance.views.base import can

    plans = (
        DistributionPlan.objects.for_user(request.user).filter(cooperative=cooperative).order_by("-year", "-version")
    )
    return {
        "cooperative": cooperative,
        "plans": list(plans[:5]),
        "can_write": can(request.user, DistributionPlan, "add", cooperative.region_code),
        "half": True,
    }


def _my_statements(request, **kwargs):
    from dividends.models import MemberAllocation
    from dividends.views import MEMBER_VISIBLE

    user = request.user
    rows = (
        MemberAllocation.objects.for_user(user)
        .filter(member__user=user, plan__state__in=MEMBER_VISIBLE)
        .select_related("plan__cooperative")
        .order_by("-plan__year")
    )
    return {"allocations": list(rows[:5])}


def register() -> None:
    navigation.register(
        navigation.NavItem("dividends", _("Distribution"), "dividends:plan_list", STAFF_ROLES, "cash-coin", 45)
    )
    navigation.register(
        navigation.NavItem(
            "my_dividends", _("My distributions"), "dividends:my_statements", frozenset({Role.MEMBER}), "cash-coin", 45
        )
    )
    panels.register(
        "cooperative_detail", Panel("dividends_plans", "dividends/panels/plans.html", STAFF_ROLES, _plans_panel, 45)
    )
    home.register(
        Panel("dividends_mine", "dividends/panels/my_statements.html", frozenset({Role.MEMBER}), _my_statements, 12)
    )
