"""Cooperative list, page, registration and edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import DetailView, FormView

from cooperatives.filters import CooperativeFilter, cooperative_label
from cooperatives.forms import CooperativeForm
from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_search
from cooperatives.services.registry import FIELDS, cooperative_create, cooperative_update
from core import panels
from core.choices import STAFF_ROLES, Role
from core.exceptions import BusinessError
from core.filters import term_name
from core.views.audit import AUDITORS
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from core.views.search import search_answer, search_term

DETAIL_SLOT = "cooperative_detail"


class CooperativeListView(ScopedListView):
    model = Cooperative
    allowed_roles = STAFF_ROLES
    filterset_class = CooperativeFilter
    template_name = "cooperatives/cooperative_list.html"
    export_name = gettext_lazy("cooperatives")
    export_columns = [
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("Kind"), "kind"),
        (gettext_lazy("Township"), "village.parent.name"),
        (gettext_lazy("Village"), "village.name"),
        (gettext_lazy("Region code"), "region_code"),
        (gettext_lazy("Unified social credit code"), "uscc"),
        (gettext_lazy("Legal representative"), "legal_representative"),
        (gettext_lazy("Chair"), "chair_name"),
        (gettext_lazy("Chair is branch secretary"), lambda c: _("yes") if c.chair_is_branch_secretary else _("no")),
        (gettext_lazy("Registered capital"), "registered_capital"),
        (gettext_lazy("Main industry"), "main_industry"),
        (gettext_lazy("Classification"), "classification"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Founding date"), "founding_date"),
        (gettext_lazy("Flagged for review"), lambda c: _("yes") if c.flagged else ""),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("village__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = bool(self.request.user.jurisdiction.roles & Cooperative.tenancy.roles_for("add"))
        return ctx


class CooperativeDetailView(ScopedQuerysetMixin, DetailView):
    """The cooperative page; members, shares, books and oversight add their sections through slots."""

    model = Cooperative
    allowed_roles = STAFF_ROLES | {Role.MEMBER}
    template_name = "cooperatives/cooperative_detail.html"
    context_object_name = "cooperative"

    def get_queryset(self):
        return super().get_queryset().select_related("village__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        coop = self.object
        ctx["can_change"] = Cooperative.objects.for_user(self.request.user, "change").filter(pk=coop.pk).exists()
        ctx["sections"] = panels.panels_for(DETAIL_SLOT, self.request, cooperative=coop)
        ctx["can_audit"] = self.request.user.is_superuser or self.request.user.jurisdiction.has_role(*AUDITORS)
        return ctx


class _CooperativeFormView(ScopedQuerysetMixin, FormView):
    model = Cooperative
    form_class = CooperativeForm
    template_name = "cooperatives/cooperative_form.html"
    allowed_roles = Cooperative.tenancy.roles_for("add")
    instance = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.instance
        return kwargs

    def form_valid(self, form):
        data = {f: form.cleaned_data[f] for f in FIELDS if f in form.cleaned_data}
        try:
            coop = self.save(village=form.cleaned_data["village"], data=data)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(name)s.") % {"name": coop.name})
        if coop.flagged:
            messages.warning(
                self.request,
                _(
                    "This cooperative is flagged: its chair is not the village party "
                    "branch secretary. The township will review it."
                ),
            )
        return HttpResponseRedirect(coop.get_absolute_url())


class CooperativeSearchView(ScopedQuerysetMixin, View):
    """``?cooperative_q=<term>``: the caller's cooperatives matching the term, as the ``<option>``s of a
    cooperative select (the first one chosen) and its live status line.

    The term comes under the search box's own name, ``<field>_q`` (``members-0-cooperative_q`` in a
    formset row), and the status line answered is ``<field>_q-status``. Every role may ask: the
    scope decides what is found, and a foreign cooperative never is."""

    model = Cooperative
    term = term_name("cooperative")

    def get(self, request):
        box, term = search_term(request, self.term)
        found = cooperative_search(self.get_queryset().select_related("village"), term)
        options = [(cooperative.pk, cooperative_label(cooperative)) for cooperative in found]
        if options:
            status = ngettext(
                "%(counter)s cooperative found; the first is chosen.",
                "%(counter)s cooperatives found; the first is chosen.",
                len(options),
            ) % {"counter": len(options)}
        else:
            status = _("No cooperative found.")
        return search_answer(request, box, options, status)


class CooperativeCreateView(_CooperativeFormView):
    scope_action = "add"

    def save(self, *, village, data):
        return cooperative_create(actor=self.request.user, village=village, **data)


class CooperativeUpdateView(_CooperativeFormView):
    scope_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            from django.shortcuts import get_object_or_404

            self.instance = get_object_or_404(Cooperative.objects.for_user(request.user, "change"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def save(self, *, village, data):
        return cooperative_update(actor=self.request.user, cooperative=self.instance, village=village, **data)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.instance
        return ctx
