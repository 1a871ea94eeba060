"""Template context shared by every page: navigation and the region switcher."""

from core import navigation as nav
from core.choices import STAFF_ROLES


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    bar, more = nav.menu_for(user)
    return {
        "nav_items": bar,
        "nav_more": more,
        # API tokens and documentation are tools of staff who connect other systems
        "uses_api": user.is_superuser or bool(STAFF_ROLES & set(user.jurisdiction.roles)),
        "scope_grants": user.all_grants,
        "active_grant": user.active_grant if user.active_assignment_id else None,
    }
