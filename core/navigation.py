"""The navigation bar: each app registers its entries with the roles that may see them; what each
role does daily sits on the bar (``DAILY``), the rest under “More”."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str]
    icon: str = ""
    order: int = 100

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.key] = item


def items_for(user) -> list[NavItem]:
    """The entries ``user``'s (active) roles allow, in order."""
    if not user.is_authenticated:
        return []
    roles = user.jurisdiction.roles
    visible = [i for i in _items.values() if user.is_superuser or roles & i.roles]
    return sorted(visible, key=lambda i: (i.order, i.key))


# What each role does daily, in the bar's order. An entry the role may see but does not use daily
# is under “More”; someone holding several roles gets the union, up to BAR_MAX entries, so the bar
# stays one line at 1024 px.
DAILY = {
    Role.VILLAGE_ACCOUNTANT: ("home", "members", "shares", "finance", "dividends", "approvals", "disclosures"),
    Role.COOP_CHAIR: ("home", "approvals", "dividends", "major_matters", "finance", "members", "shares"),
    Role.SUPERVISOR: ("home", "disclosures", "finance", "dividends", "major_matters", "audits"),
    Role.TOWNSHIP_OFFICIAL: (
        "home",
        "approvals",
        "cooperatives",
        "charters",
        "projects",
        "supervision",
        "audits",
        "alerts",
    ),
    Role.COUNTY_OFFICIAL: (
        "home",
        "supervision",
        "cooperatives",
        "approvals",
        "demonstrations",
        "bulletins",
        "alerts",
        "audits",
    ),
    Role.MEMBER: ("home", "my_dividends", "disclosures"),
    Role.SYSTEM_ADMIN: ("home", "supervision", "cooperatives", "regions", "approvals"),
}
BAR_MAX = 8


def menu_for(user) -> tuple[list[NavItem], list[NavItem]]:
    """The bar's entries and the “More” entries of ``user`` (their active roles)."""
    visible = items_for(user)
    by_key = {item.key: item for item in visible}
    roles = {Role.SYSTEM_ADMIN} if user.is_superuser else set(user.jurisdiction.roles)
    keys: list[str] = []
    for role, daily in DAILY.items():
        if role in roles:
            keys += [key for key in daily if key in by_key and key not in keys]
    bar = [by_key[key] for key in keys[:BAR_MAX]]
    more = [item for item in visible if item not in bar]
    return bar, more


def register_core_items() -> None:
    register(NavItem("home", _("Home"), "core:home", STAFF_ROLES | {Role.MEMBER}, "house", 0))
    register(NavItem("approvals", _("Approvals"), "core:approval_list", STAFF_ROLES, "check2-square", 80))
    register(NavItem("policy", _("Policy profile"), "core:policy_profile", STAFF_ROLES, "sliders", 95))
    auditors = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})
    register(NavItem("audit_trail", _("Audit trail"), "core:audit_trail", auditors, "clock-history", 96))
    register(
        NavItem(
            "regions",
            _("Regions"),
            "core:region_list",
            frozenset({Role.COUNTY_OFFICIAL, Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN}),
            "diagram-3",
            90,
        )
    )
