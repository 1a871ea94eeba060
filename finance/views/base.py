"""Mixins of the finance pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cooperatives.models import Cooperative
from core.choices import STAFF_ROLES
from core.views.mixins import RoleRequiredMixin
from finance.selectors.ledgers import books_of


def can(user, model, action: str, region_code: str) -> bool:
    """May ``user`` perform ``action`` on ``model`` rows of the village ``region_code``?"""
    if user.is_superuser:
        return True
    return user.jurisdiction.covers(region_code, model.tenancy.roles_for(action))


class CooperativeMixin(RoleRequiredMixin):
    """Pages under ``/finance/cooperatives/<pk>/``: the cooperative must be within the user's
    jurisdiction (else 404); ``write_model``/``write_action`` name what the page writes (else 403)."""

    model = Cooperative
    allowed_roles = STAFF_ROLES
    write_model = None
    write_action = "add"
    cooperative: Cooperative | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cooperative = get_object_or_404(
                Cooperative.objects.for_user(request.user).select_related("village__parent"), pk=kwargs["pk"]
            )
            if self.write_model is not None and not can(
                request.user, self.write_model, self.write_action, self.cooperative.region_code
            ):
                raise PermissionDenied
            self.books = books_of(self.cooperative)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.cooperative
        ctx["books"] = self.books
        return ctx


def export_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "xlsx"
    return query.urlencode()
