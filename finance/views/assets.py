"""The asset register's pages: the cards of the jurisdiction, a new card, one card with its
depreciation month by month."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from cooperatives.models import Cooperative
from core.choices import STAFF_ROLES
from core.exceptions import BusinessError
from core.money import ZERO
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from finance.choices import AccountCategory
from finance.filters import AssetFilter
from finance.forms import AssetForm
from finance.models import Account, FixedAsset, Project
from finance.services.assets import AssetInput, accumulated, asset_register
from finance.views.base import CooperativeMixin, can


class AssetListView(ScopedListView):
    model = FixedAsset
    allowed_roles = STAFF_ROLES
    filterset_class = AssetFilter
    template_name = "finance/asset_list.html"
    export_name = gettext_lazy("asset register")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Card number"), "number"),
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("Register"), "kind"),
        (gettext_lazy("Category"), "category"),
        (gettext_lazy("Source"), "source"),
        (gettext_lazy("Project"), "project.name"),
        (gettext_lazy("Acquired on"), "acquired_on"),
        (gettext_lazy("Original value"), "original_value"),
        (gettext_lazy("Useful life (months)"), "useful_life_months"),
        (gettext_lazy("Residual value rate (%)"), "residual_rate"),
        (gettext_lazy("Location"), "location"),
        (gettext_lazy("Custodian"), "custodian"),
        (gettext_lazy("Status"), "status"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "project")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = list(ctx["object_list"])
        done = accumulated(rows)
        ctx["rows"] = [(a, done[a.pk][0], a.original_value - done[a.pk][0]) for a in rows]
        # the cooperative filtered on, whose books may take a new card
        chosen = self.request.GET.get("cooperative", "")
        ctx["cooperative"] = (
            Cooperative.objects.for_user(self.request.user).filter(pk=int(chosen)).first() if chosen.isdigit() else None
        )
        ctx["can_add"] = ctx["cooperative"] is not None and can(
            self.request.user, FixedAsset, "add", ctx["cooperative"].region_code
        )
        return ctx


class AssetCreateView(CooperativeMixin, FormView):
    write_model = FixedAsset
    form_class = AssetForm
    template_name = "finance/asset_form.html"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        chargeable = Account.objects.filter(
            cooperative=self.cooperative,
            category__in=[AccountCategory.EXPENSE, AccountCategory.COST],
            is_leaf=True,
            is_active=True,
        ).order_by("code")
        form.fields["expense_account"].choices = [(a.pk, f"{a.code} {a.name}") for a in chargeable]
        projects = Project.objects.filter(cooperative=self.cooperative, is_active=True).order_by("code")
        form.fields["project"].choices = [("", "—"), *((p.pk, str(p)) for p in projects)]
        return form

    def get_initial(self):
        # the chart's administrative-expense account (523 or 513), as the service defaults to
        from finance.selectors.roles import Roles

        roles = Roles.of(self.cooperative)
        try:
            admin = roles.account("admin_expense") if roles is not None else None
        except BusinessError:
            admin = None
        return {"expense_account": admin.pk if admin else None}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            asset = asset_register(
                actor=self.request.user,
                cooperative=self.cooperative,
                data=AssetInput(
                    number=data["number"],
                    name=data["name"],
                    kind=data["kind"],
                    category=data["category"],
                    source=data["source"],
                    acquired_on=data["acquired_on"],
                    original_value=data["original_value"],
                    useful_life_months=data["useful_life_months"],
                    residual_rate=data["residual_rate"],
                    expense_account=Account.objects.get(pk=data["expense_account"], cooperative=self.cooperative),
                    depreciation_from=data["depreciation_from"],
                    project=Project.objects.filter(pk=data["project"], cooperative=self.cooperative).first()
                    if data["project"]
                    else None,
                    opening_depreciation=data["opening_depreciation"] or ZERO,
                    opening_months=data["opening_months"] or 0,
                    location=data["location"],
                    custodian=data["custodian"],
                    note=data["note"],
                ),
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(asset.get_absolute_url())


class AssetDetailView(ScopedQuerysetMixin, DetailView):
    model = FixedAsset
    allowed_roles = STAFF_ROLES
    template_name = "finance/asset_detail.html"
    context_object_name = "asset"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "project", "expense_account", "acquisition_voucher")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        asset = self.object
        done, months = accumulated([asset])[asset.pk]
        ctx.update(
            cooperative=asset.cooperative,
            accumulated=done,
            months=months,
            net=asset.original_value - done,
            entries=asset.entries.select_related("period", "voucher").order_by("period__start_date"),
        )
        return ctx
