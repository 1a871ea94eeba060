"""Member transactions, quantified shares and collective income."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.choices import STAFF_ROLES
from core.exceptions import BusinessError
from core.paginators import CappedPaginator
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from finance.filters import CollectiveIncomeFilter, PatronageFilter
from finance.forms import CollectiveIncomeForm, PatronageForm, QuantifyForm
from finance.models import CollectiveIncome, MemberAccountEntry, PatronageTransaction
from finance.selectors.collective import collective_income_by_village
from finance.services import collective as collective_services
from finance.services import members as member_services
from finance.views.base import CooperativeMixin

PATRONAGE_FIELDS = ["date", "direction", "product", "unit", "quantity", "amount", "note"]


def _members(cooperative):
    from members.models import Member

    return list(Member.objects.filter(cooperative=cooperative).order_by("number"))


class PatronageListView(ScopedListView):
    model = PatronageTransaction
    paginator_class = CappedPaginator  # a county lists hundreds of thousands of rows
    allowed_roles = STAFF_ROLES
    filterset_class = PatronageFilter
    template_name = "finance/patronage_list.html"
    export_name = gettext_lazy("member-transactions")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Date"), "date"),
        (gettext_lazy("Member number"), "member.number"),
        (gettext_lazy("Member"), "member.name"),
        (gettext_lazy("Direction"), "direction"),
        (gettext_lazy("Product or service"), "product"),
        (gettext_lazy("Quantity"), "quantity"),
        (gettext_lazy("Unit"), "unit"),
        (gettext_lazy("Amount"), "amount"),
        (gettext_lazy("Note"), "note"),
    ]

    def get_queryset(self):
        # prefetched, not joined: see shares.views.EntryListView (row-level security misestimates joins)
        return super().get_queryset().prefetch_related("cooperative", "member")


class PatronageCreateView(CooperativeMixin, FormView):
    write_model = PatronageTransaction
    form_class = PatronageForm
    template_name = "finance/patronage_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.members = {m.pk: m for m in _members(self.cooperative)}
        kwargs["members"] = self.members.values()
        return kwargs

    def form_valid(self, form):
        data = {k: form.cleaned_data[k] for k in PATRONAGE_FIELDS}
        try:
            member_services.patronage_create(
                actor=self.request.user, member=self.members[form.cleaned_data["member"]], **data
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        if "save_new" in self.request.POST:
            return HttpResponseRedirect(self.request.path)
        return HttpResponseRedirect(reverse("finance:patronage_list") + f"?cooperative={self.cooperative.pk}")


class PatronageUpdateView(ScopedQuerysetMixin, FormView):
    """Change a transaction, or delete it (``delete`` button), while its year is open."""

    model = PatronageTransaction
    allowed_roles = STAFF_ROLES
    scope_action = "change"
    form_class = PatronageForm
    template_name = "finance/patronage_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.record = get_object_or_404(self.get_queryset().select_related("cooperative"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.members = {m.pk: m for m in _members(self.record.cooperative)}
        kwargs["members"] = self.members.values()
        return kwargs

    def get_initial(self):
        return {"member": self.record.member_id, **{k: getattr(self.record, k) for k in PATRONAGE_FIELDS}}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["record"] = self.record
        ctx["cooperative"] = self.record.cooperative
        return ctx

    def post(self, request, *args, **kwargs):
        if "delete" in request.POST:
            try:
                member_services.patronage_delete(actor=request.user, record=self.record)
            except BusinessError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(request.path)
            messages.success(request, _("Deleted."))
            return HttpResponseRedirect(
                reverse("finance:patronage_list") + f"?cooperative={self.record.cooperative_id}"
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = {k: form.cleaned_data[k] for k in PATRONAGE_FIELDS}
        try:
            member_services.patronage_update(
                actor=self.request.user, record=self.record, member=self.members[form.cleaned_data["member"]], **data
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("finance:patronage_list") + f"?cooperative={self.record.cooperative_id}")


class QuantifyView(CooperativeMixin, FormView):
    """Quantify the reserve (by contribution) or subsidy / donation property (equally) into member accounts."""

    write_model = MemberAccountEntry
    form_class = QuantifyForm
    template_name = "finance/quantify_form.html"

    def form_valid(self, form):
        try:
            entries = member_services.shares_quantify(
                actor=self.request.user,
                cooperative=self.cooperative,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                date=form.cleaned_data["date"],
                summary=form.cleaned_data["summary"],
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Quantified to %(n)s members.") % {"n": len(entries)})
        return HttpResponseRedirect(reverse("finance:member_account", args=[self.cooperative.pk]))


class CollectiveIncomeListView(ScopedListView):
    model = CollectiveIncome
    allowed_roles = STAFF_ROLES
    filterset_class = CollectiveIncomeFilter
    template_name = "finance/collectiveincome_list.html"
    export_name = gettext_lazy("collective-income")
    export_columns = [
        (gettext_lazy("Village"), "village.name"),
        (gettext_lazy("Region code"), "region_code"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Year"), "year"),
        (gettext_lazy("Received on"), "received_on"),
        (gettext_lazy("Source"), "source"),
        (gettext_lazy("Amount"), "amount"),
        (gettext_lazy("Note"), "note"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("village", "cooperative")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["by_village"] = collective_income_by_village(self.request.user)
        return ctx


class CollectiveIncomeCreateView(CooperativeMixin, FormView):
    write_model = CollectiveIncome
    form_class = CollectiveIncomeForm
    template_name = "finance/collectiveincome_form.html"

    def get_initial(self):
        from django.utils import timezone

        today = timezone.localdate()
        return {"year": today.year, "received_on": today}

    def form_valid(self, form):
        try:
            collective_services.collective_income_record(
                actor=self.request.user,
                village=self.cooperative.village,
                cooperative=self.cooperative,
                **form.cleaned_data,
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("finance:collectiveincome_list"))
