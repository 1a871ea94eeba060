"""Pages of supervision: dashboards, rankings, assistance pairings, bulletins."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView, View

from core.choices import STAFF_ROLES, RegionLevel
from core.exceptions import BusinessError
from core.exports import workbook_sheets_bytes
from core.models import Region
from core.tenancy import get_scoped_or_404
from core.views.lists import ScopedListView
from core.views.mixins import RoleRequiredMixin, ScopedQuerysetMixin
from supervision import periods
from supervision.choices import PairingStatus
from supervision.filters import BulletinFilter, PairingFilter
from supervision.forms import BulletinGenerateForm, PairingEndForm, PairingForm, VisitForm, WeightsForm
from supervision.models import Bulletin, Pairing
from supervision.models.bulletins import COUNTY_ROLES
from supervision.services import pairings as pairing_services
from supervision.services.bulletins import bulletin_workbook, problem_rows
from supervision.services.dashboards import dashboard, default_region
from supervision.services.rankings import TIE_RULE, county_weights_set, rankings_for, weights_for

DASHBOARD_ROLES = STAFF_ROLES


class _RegionPeriodMixin(RoleRequiredMixin):
    """``?region=<code>`` (default: the user's widest region) and ``?period=2026Q3`` (default: now)."""

    allowed_roles = DASHBOARD_ROLES

    def region_and_period(self):
        code = self.request.GET.get("region")
        if code:
            region = get_scoped_or_404(Region, self.request.user, "view", code=code)
        else:
            region = default_region(self.request.user)
            if region is None:
                raise Http404
        year, quarter = periods.parse(self.request.GET.get("period"), periods.current_period())
        return region, year, quarter

    def period_choices(self, year: int, quarter: int) -> list[str]:
        now = periods.current_period()
        return [periods.label(y, q) for y, q in reversed(periods.recent_quarters(*now))] + [
            str(now[0]),
            str(now[0] - 1),
        ]


class DashboardView(_RegionPeriodMixin, TemplateView):
    template_name = "supervision/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        region, year, quarter = self.region_and_period()
        board = dashboard(self.request.user, region, year, quarter)
        ctx.update(board)
        ctx["period_choices"] = self.period_choices(year, quarter)
        ctx["ancestors"] = [
            r
            for r in region.ancestors()
            if self.request.user.jurisdiction.covers(r.prefix) or self.request.user.is_superuser
        ]
        ctx["coop_top"] = board["coop_ranking"]
        ctx["charts"] = {
            "tiers": board.get("tier_chart"),
            "trend": board["trend"],
            "stake": board["stake_distribution"],
            "labels": {
                "villages": _("Villages"),
                "income": _("Collective income"),
                "households": _("Member households"),
                "cooperatives": _("Cooperatives"),
            },
        }
        ctx["pairings"] = pairing_services.pairing_summary(self.request.user, region.prefix)
        return ctx


class RankingView(_RegionPeriodMixin, TemplateView):
    """Townships (or counties, for a city) and cooperatives ranked, the cooperatives page by page
    (``?page=``); ``?format=xlsx`` downloads both lists whole."""

    template_name = "supervision/rankings.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            ctx = self.rankings()
            headers = [_("Rank"), _("Change"), _("Name"), _("Code"), _("Score"), _("Collective income")]

            def rows(ranked):
                return ([r.rank, r.change, r.unit.name, r.unit.code, r.score, r.unit.income] for r in ranked)

            content = workbook_sheets_bytes(
                [(_("Areas"), headers, rows(ctx["areas"])), (_("Cooperatives"), headers, rows(ctx["cooperatives"]))]
            )
            from django.http import HttpResponse

            from core.exports import XLSX

            response = HttpResponse(content, content_type=XLSX)
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="rankings-{ctx["period_label"]}-{stamp}.xlsx"'
            return response
        return super().get(request, *args, **kwargs)

    def rankings(self) -> dict:
        region, year, quarter = self.region_and_period()
        return rankings_for(self.request.user, region, year, quarter)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.rankings())
        page = Paginator(ctx["cooperatives"], self.paginate_by).get_page(self.request.GET.get("page"))
        ctx.update(cooperatives=page.object_list, page_obj=page, is_paginated=page.has_other_pages())
        ctx["period_choices"] = self.period_choices(ctx["year"], ctx["quarter"])
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "xlsx"
        ctx["export_query"] = query.urlencode()
        user = self.request.user
        ctx["can_set_weights"] = user.is_superuser or user.jurisdiction.has_role(*COUNTY_ROLES)
        return ctx


class WeightsView(RoleRequiredMixin, FormView):
    """The county sets the weights of the ranking (``?region=<county code>`` for a city official)."""

    form_class = WeightsForm
    template_name = "supervision/weights_form.html"
    allowed_roles = COUNTY_ROLES

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            code = request.GET.get("region")
            counties = Region.objects.for_user(request.user).filter(level=RegionLevel.COUNTY)
            self.county = get_object_or_404(counties, code=code) if code else counties.order_by("code").first()
            if self.county is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return WeightsForm.initial_from(weights_for(self.county.code))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "county": self.county}

    def form_valid(self, form):
        try:
            county_weights_set(actor=self.request.user, county=self.county, weights=form.fractions())
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(f"{reverse('supervision:rankings')}?region={self.county.code}")


# -- assistance pairings ---------------------------------------------------------------------------


class PairingListView(ScopedListView):
    model = Pairing
    filterset_class = PairingFilter
    template_name = "supervision/pairing_list.html"
    allowed_roles = STAFF_ROLES
    export_name = gettext_lazy("pairings")
    export_columns = [
        (gettext_lazy("Kind"), "kind"),
        (gettext_lazy("Helper"), "helper"),
        (gettext_lazy("Helped village"), "village.name"),
        (gettext_lazy("Helped cooperative"), "cooperative.name"),
        (gettext_lazy("Helping cooperative"), "helper_cooperative.name"),
        (gettext_lazy("Started on"), "started_on"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Visits"), "n_visits"),
    ]

    def get_queryset(self):
        from django.db.models import Count

        return (
            super()
            .get_queryset()
            .select_related("village", "cooperative", "helper_cooperative")
            .annotate(n_visits=Count("visits"))
            .order_by("region_code", "kind", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = pairing_services.pairing_summary(self.request.user, "")
        ctx["can_add"] = bool(
            self.request.user.is_superuser or self.request.user.jurisdiction.has_role(*Pairing.tenancy.roles_for("add"))
        )
        return ctx


class PairingCreateView(RoleRequiredMixin, FormView):
    form_class = PairingForm
    template_name = "supervision/pairing_form.html"
    allowed_roles = Pairing.tenancy.roles_for("add")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            pairing = pairing_services.pairing_create(actor=self.request.user, **form.cleaned_data)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(pairing.get_absolute_url())


class PairingDetailView(ScopedQuerysetMixin, DetailView):
    model = Pairing
    allowed_roles = STAFF_ROLES
    template_name = "supervision/pairing_detail.html"
    context_object_name = "pairing"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("village__parent", "cooperative", "helper_cooperative", "created_by")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["visits"] = self.object.visits.select_related("recorded_by")
        ctx["can_change"] = Pairing.objects.for_user(self.request.user, "change").filter(pk=self.object.pk).exists()
        ctx["visit_form"] = VisitForm()
        ctx["end_form"] = PairingEndForm()
        ctx["active"] = self.object.status == PairingStatus.ACTIVE
        return ctx


class _PairingActionView(ScopedQuerysetMixin, View):
    """A POST on one pairing (the pairing is looked up before the form is read: foreign → 404)."""

    model = Pairing
    scope_action = "change"
    allowed_roles = Pairing.tenancy.roles_for("change")
    form_class = None

    def post(self, request, pk):
        self.pairing = get_object_or_404(self.get_queryset(), pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(self.pairing.get_absolute_url())
        try:
            self.act(form.cleaned_data)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
        return HttpResponseRedirect(self.pairing.get_absolute_url())


class PairingVisitCreateView(_PairingActionView):
    form_class = VisitForm

    def act(self, data):
        pairing_services.pairing_visit_record(actor=self.request.user, pairing=self.pairing, **data)


class PairingEndView(_PairingActionView):
    form_class = PairingEndForm

    def act(self, data):
        pairing_services.pairing_end(actor=self.request.user, pairing=self.pairing, **data)


# -- bulletins -------------------------------------------------------------------------------------


class BulletinListView(ScopedListView):
    model = Bulletin
    filterset_class = BulletinFilter
    template_name = "supervision/bulletin_list.html"
    allowed_roles = COUNTY_ROLES
    export_name = gettext_lazy("bulletins")
    export_columns = [
        (gettext_lazy("County"), "county.name"),
        (gettext_lazy("Kind"), "kind"),
        (gettext_lazy("Period"), "period_key"),
        (gettext_lazy("Generated at"), "generated_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("county")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["generate_form"] = BulletinGenerateForm()
        return ctx


class BulletinGenerateView(RoleRequiredMixin, View):
    """Make the bulletins of a kind due today for the user's counties (in the background)."""

    allowed_roles = COUNTY_ROLES

    def post(self, request):
        from supervision.tasks import bulletin_for_county

        form = BulletinGenerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the kind of bulletin."))
            return HttpResponseRedirect(reverse("supervision:bulletin_list"))
        for county in Region.objects.for_user(request.user).filter(level=RegionLevel.COUNTY):
            bulletin_for_county.delay(county.pk, form.cleaned_data["kind"])
        messages.success(request, _("The bulletin is being prepared; it appears in the list when ready."))
        return HttpResponseRedirect(reverse("supervision:bulletin_list"))


class BulletinDetailView(ScopedQuerysetMixin, DetailView):
    """The printable bulletin (A4)."""

    model = Bulletin
    allowed_roles = COUNTY_ROLES
    template_name = "supervision/bulletin_detail.html"
    context_object_name = "bulletin"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # the stored content keeps codes (and, in older bulletins, the rule's English): words come from here
        ctx["problems"] = problem_rows(self.object.content.get("problems", []))
        ctx["tie_rule"] = TIE_RULE
        return ctx


class BulletinDownloadView(ScopedQuerysetMixin, DetailView):
    model = Bulletin
    allowed_roles = COUNTY_ROLES

    def get(self, request, *args, **kwargs):
        bulletin = self.get_object()
        if not bulletin.file:
            raise Http404
        # rebuilt from the stored content so that older bulletins read in today's words
        return FileResponse(
            BytesIO(bulletin_workbook(bulletin)),
            as_attachment=True,
            filename=f"{bulletin.kind}-{bulletin.period_key}.xlsx",
        )
