"""The navigation bar: each app registers its entries with the roles that may see them."""

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


def register_core_items() -> None:
    register(NavItem("home", _("Home"), "core:home", STAFF_ROLES | {Role.MEMBER}, "house", 0))
    register(NavItem("approvals", _("Approvals"), "core:approval_list", STAFF_ROLES, "check2-square", 80))
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
