"""View mixins every app's pages inherit: login, role gate, jurisdiction scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from core.exceptions import BusinessError


class RoleRequiredMixin(LoginRequiredMixin):
    """403 for a logged-in user none of whose roles may use this page at all."""

    allowed_roles: frozenset[str] | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        allowed = self.allowed_roles
        if allowed is not None and not user.is_superuser and not (user.jurisdiction.roles & allowed):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(RoleRequiredMixin):
    """``get_queryset`` through ``Model.objects.for_user(user, scope_action)``: foreign rows are 404."""

    model = None
    scope_action = "view"

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user, self.scope_action)


class BusinessErrorMessageMixin:
    """Show a BusinessError from a service as a message instead of a 500."""

    def report_business_error(self, exc: BusinessError, form=None):
        if form is not None and exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            messages.error(self.request, exc.message)
