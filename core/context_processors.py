"""Template context shared by every page: navigation and the region switcher."""

from core import navigation as nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": nav.items_for(user),
        "scope_grants": user.all_grants,
        "active_grant": user.active_grant if user.active_assignment_id else None,
    }
