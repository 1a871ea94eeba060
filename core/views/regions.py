"""The region tree within the user's jurisdiction."""

from django.views.generic import TemplateView

from core.choices import Role
from core.selectors import region_tree
from core.views.mixins import RoleRequiredMixin


class RegionListView(RoleRequiredMixin, TemplateView):
    template_name = "core/region_list.html"
    allowed_roles = frozenset({Role.COUNTY_OFFICIAL, Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tree"] = region_tree(self.request.user)
        return ctx
