"""Request middleware of the kernel."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from pghistory.middleware import HistoryMiddleware

SESSION_SCOPE_KEY = "lingban_active_assignment"


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the entry of
    X-Forwarded-For that the outermost of them appended (the n-th from the right). Entries further
    left are whatever the client sent and are never believed."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


class NoStoreMiddleware:
    """What a signed-in user reads (names, ID numbers, holdings, the books) is never kept by a
    browser's or a proxy's cache: every authenticated response says ``Cache-Control: no-store``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


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
        context["ip"] = client_ip(request)
        context["method"] = request.method
        return context


class _ScopedUserRequest:
    """Mixin for the request class: when a user is attached later (DRF authenticates in the view,
    token or forced), the database scope follows that user."""

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name == "user" and self.__dict__.get("_lingban_rls_active"):
            from core import rls

            rls.enter_request_scope(rls.scope_for(value))


_scoped_classes: dict[type, type] = {}


def _scoped_request_class(cls: type) -> type:
    if cls not in _scoped_classes:
        _scoped_classes[cls] = type(f"Scoped{cls.__name__}", (_ScopedUserRequest, cls), {})
    return _scoped_classes[cls]


class RowLevelSecurityMiddleware:
    """Run each request as the unprivileged database role with the user's region prefixes.

    Placed after the history middleware (which swaps the request class for its own user hook).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core import rls

        if not rls.enabled():
            return self.get_response(request)
        # the scope needs the user's grants, read here in system scope
        rls.enter_request_scope(rls.scope_for(getattr(request, "user", None)))
        request.__class__ = _scoped_request_class(request.__class__)
        request.__dict__["_lingban_rls_active"] = True
        try:
            return self.get_response(request)
        finally:
            request.__dict__["_lingban_rls_active"] = False
            rls.leave_request_scope()
