"""The region tree within the user's jurisdiction, and the search behind the region selects."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from core.choices import RegionLevel, Role
from core.filters import region_label, region_search, term_name
from core.models import Region
from core.selectors import region_tree
from core.views.mixins import RoleRequiredMixin
from core.views.search import search_answer, search_term


class RegionListView(RoleRequiredMixin, TemplateView):
    template_name = "core/region_list.html"
    allowed_roles = frozenset({Role.COUNTY_OFFICIAL, Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tree"] = region_tree(self.request.user)
        return ctx


class RegionSearchView(RoleRequiredMixin, View):
    """``?level=village&village_q=<term>``: the caller's regions of that level matching the term (name,
    or code prefix), as the ``<option>``s of a region select (the first one chosen) and its live
    status line ``<box>-status``, for the box named ``<field>_q``. Every role may ask: the scope
    decides what is found, and a foreign region never is."""

    def get(self, request):
        level = request.GET.get("level")
        level = level if level in RegionLevel.values else RegionLevel.VILLAGE
        box, term = search_term(request, term_name(level))
        found = region_search(Region.objects.for_user(request.user).filter(level=level), term)
        options = [(region.pk, region_label(region)) for region in found]
        if options:
            status = ngettext(
                "%(counter)s region found; the first is chosen.",
                "%(counter)s regions found; the first is chosen.",
                len(options),
            ) % {"counter": len(options)}
        else:
            status = _("No region found.")
        return search_answer(request, box, options, status)
