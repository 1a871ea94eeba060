"""Request middleware of the kernel."""

from __future__ import annotations

from pghistory.middleware import HistoryMiddleware

SESSION_SCOPE_KEY = "lingban_active_assignment"


class ActiveScopeMiddleware:
    """Apply the region switcher's choice to ``request.user`` (it can only narrow the scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.session.get(SESSION_SCOPE_KEY)
            if chosen:
                user.active_assignment_id = int(chosen)
        return self.get_response(request)


class HistoryContextMiddleware(HistoryMiddleware):
    """Attach user, URL and client IP to every history event written during the request."""

    def get_context(self, request):
        context = super().get_context(request)
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        context["ip"] = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
        context["method"] = request.method
        return context
