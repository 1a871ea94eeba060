"""Navigation entries and page panels of disclosures, audits and alerts."""

from django.utils.translation import gettext_lazy as _

from core import navigation
from core.choices import STAFF_ROLES, Role
from core.navigation import NavItem


def register() -> None:
    from supervision import todo

    todo.register()
    navigation.register(
        NavItem(
            "disclosures", _("Disclosures"), "oversight:disclosure_list", STAFF_ROLES | {Role.MEMBER}, "megaphone", 70
        )
    )
    navigation.register(NavItem("audits", _("Audits"), "oversight:audit_list", STAFF_ROLES, "clipboard-check", 72))
    navigation.register(
        NavItem("alerts", _("Problem list"), "oversight:alert_list", STAFF_ROLES, "exclamation-triangle", 74)
    )
