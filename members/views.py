"""Pages of the members app: the roster, a member's page, admission and leaving, households."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from cooperatives.models import Cooperative
from core import panels
from core.choices import STAFF_ROLES, RegionLevel, Role
from core.exceptions import BusinessError
from core.paginators import CappedPaginator
from core.privacy import full_id_checker, person_data, personal_value
from core.scoping import regions_for_action
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from members.filters import HouseholdFilter, MemberFilter
from members.forms import HouseholdForm, MemberForm, MemberLeaveForm
from members.models import Household, Member
from members.selectors import cooperatives_for
from members.services import household_create, household_update, member_admit, member_leave, member_update

DETAIL_SLOT = "member_detail"
WRITERS = Member.tenancy.roles_for("add")


def attach_error(form, exc: BusinessError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class LoadMixin:
    """Load the objects a page acts on after the role gate (403 first, then scoped lookups → 404)."""

    def load(self, **kwargs) -> None:
        pass

    def get(self, request, *args, **kwargs):
        self.load(**kwargs)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load(**kwargs)
        return super().post(request, *args, **kwargs)


def _yes(value: bool) -> str:
    return _("yes") if value else ""


class MemberListView(ScopedListView):
    """The roster: every member within the jurisdiction, filtered; export masks ID numbers for
    the roles that do not keep the roster."""

    model = Member
    paginator_class = CappedPaginator  # a county lists hundreds of thousands of rows
    allowed_roles = STAFF_ROLES
    filterset_class = MemberFilter
    template_name = "members/member_list.html"
    export_name = gettext_lazy("members")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "household").order_by("cooperative_id", "number")

    @cached_property
    def export_columns(self):
        shows_full = full_id_checker(self.request.user)

        def personal(name):
            """The column of a personal field, as the rule lets the user read it (core.privacy)."""
            return lambda m: personal_value(name, getattr(m, name), full=shows_full(m))

        return [
            (gettext_lazy("Cooperative"), "cooperative.name"),
            (gettext_lazy("Member number"), "number"),
            (gettext_lazy("Kind"), "kind"),
            (gettext_lazy("Name"), "name"),
            (gettext_lazy("Resident ID number"), personal("id_number")),
            (gettext_lazy("Gender"), "gender"),
            (gettext_lazy("Birth date"), personal("birth_date")),
            (gettext_lazy("Unified social credit code"), "uscc"),
            (gettext_lazy("Household number"), "household.number"),
            (gettext_lazy("Phone"), personal("phone")),
            (gettext_lazy("Party member"), lambda m: _yes(m.is_party_member)),
            (gettext_lazy("Party branch member"), lambda m: _yes(m.is_branch_member)),
            (gettext_lazy("Village cadre"), lambda m: _yes(m.is_village_cadre)),
            (gettext_lazy("Poverty-registered"), lambda m: _yes(m.is_poverty_registered)),
            (gettext_lazy("Vulnerable group"), "vulnerability"),
            (gettext_lazy("Farmer"), lambda m: _yes(m.is_farmer)),
            (gettext_lazy("Joining date"), "joined_on"),
            (gettext_lazy("Leaving date"), "left_on"),
            (gettext_lazy("Leaving reason"), "leave_reason"),
        ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & WRITERS)
        return ctx


class MemberDetailView(ScopedQuerysetMixin, DetailView):
    """A member's page. The shares app adds holdings, ledger, contributions and certificates."""

    model = Member
    allowed_roles = STAFF_ROLES | {Role.MEMBER}
    template_name = "members/member_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village", "household", "village", "user")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        member = self.object
        user = self.request.user
        birth = member.birth_date.isoformat() if member.birth_date else ""
        person = person_data(
            {"id_number": member.id_number, "phone": member.phone, "birth_date": birth},
            full=full_id_checker(user)(member),
        )
        ctx["id_number"], ctx["phone"], ctx["birth_date"] = person["id_number"], person["phone"], person["birth_date"]
        ctx["can_change"] = Member.objects.for_user(user, "change").filter(pk=member.pk).exists()
        ctx["sections"] = panels.panels_for(DETAIL_SLOT, self.request, member=member, can_change=ctx["can_change"])
        return ctx


def chosen_cooperative(request, model, action: str = "add") -> Cooperative | None:
    """The cooperative named by ``?cooperative=`` (404 if not the user's), else the only one they keep."""
    coops = cooperatives_for(request.user, model, action)
    chosen = request.GET.get("cooperative") or request.POST.get("cooperative")
    if chosen:
        return get_object_or_404(coops, pk=chosen if str(chosen).isdigit() else 0)
    only = list(coops[:2])
    return only[0] if len(only) == 1 else None


class MemberCreateView(LoadMixin, ScopedQuerysetMixin, FormView):
    """Admit a member to a cooperative (``?cooperative=<id>``, or the only one the user keeps)."""

    model = Member
    scope_action = "add"
    allowed_roles = WRITERS
    form_class = MemberForm
    template_name = "members/member_form.html"

    def load(self, **kwargs):
        self.cooperative = chosen_cooperative(self.request, Member)

    def get(self, request, *args, **kwargs):
        self.load()
        if self.cooperative is None:
            return self.render_to_response(
                {"choose_cooperative": cooperatives_for(request.user, Member, "add"), "view": self}
            )
        return super(LoadMixin, self).get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load()
        if self.cooperative is None:
            raise Http404
        return super(LoadMixin, self).post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cooperative"] = self.cooperative
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.cooperative
        return ctx

    def form_valid(self, form):
        try:
            member = member_admit(
                actor=self.request.user,
                cooperative=self.cooperative,
                new_household=form.new_household(),
                **form.member_data(),
            )
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Member %(number)s %(name)s admitted.") % {"number": member.number, "name": member.name}
        )
        return HttpResponseRedirect(member.get_absolute_url())


class MemberUpdateView(LoadMixin, ScopedQuerysetMixin, FormView):
    model = Member
    scope_action = "change"
    allowed_roles = WRITERS
    form_class = MemberForm
    template_name = "members/member_form.html"

    def load(self, **kwargs):
        self.member = get_object_or_404(
            Member.objects.for_user(self.request.user, "change").select_related("cooperative"), pk=kwargs["pk"]
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cooperative"] = self.member.cooperative
        kwargs["instance"] = self.member
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.member.cooperative
        ctx["member"] = self.member
        return ctx

    def form_valid(self, form):
        data = form.member_data()
        try:
            new_household = form.new_household()
            if new_household and data.get("household") is None:
                data["household"] = household_create(
                    actor=self.request.user, village=self.member.cooperative.village, **new_household
                )
            member = member_update(actor=self.request.user, member=self.member, **data)
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(name)s.") % {"name": member.name})
        return HttpResponseRedirect(member.get_absolute_url())


class MemberLeaveView(LoadMixin, ScopedQuerysetMixin, FormView):
    """Record that a membership ended (death, expulsion …); withdrawals with refunds go through shares."""

    model = Member
    scope_action = "change"
    allowed_roles = WRITERS
    form_class = MemberLeaveForm
    template_name = "members/member_leave.html"

    def load(self, **kwargs):
        self.member = get_object_or_404(Member.objects.for_user(self.request.user, "change"), pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member"] = self.member
        return ctx

    def form_valid(self, form):
        try:
            member_leave(
                actor=self.request.user,
                member=self.member,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["leave_reason"],
                note=form.cleaned_data["leave_note"],
            )
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The membership of %(name)s has ended.") % {"name": self.member.name})
        return HttpResponseRedirect(self.member.get_absolute_url())


class HouseholdListView(ScopedListView):
    model = Household
    paginator_class = CappedPaginator  # a county lists hundreds of thousands of rows
    allowed_roles = STAFF_ROLES
    filterset_class = HouseholdFilter
    template_name = "members/household_list.html"
    export_name = gettext_lazy("households")
    export_columns = [
        (gettext_lazy("Village"), "village.name"),
        (gettext_lazy("Household number"), "number"),
        (gettext_lazy("Head of household"), "head_name"),
        (gettext_lazy("Household size"), "size"),
        (gettext_lazy("Address"), "address"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("village")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & WRITERS)
        return ctx


class HouseholdDetailView(ScopedQuerysetMixin, DetailView):
    model = Household
    allowed_roles = STAFF_ROLES | {Role.MEMBER}
    template_name = "members/household_detail.html"
    context_object_name = "household"

    def get_queryset(self):
        return super().get_queryset().select_related("village")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["members"] = (
            Member.objects.for_user(user).filter(household=self.object).select_related("cooperative").order_by("pk")
        )
        ctx["can_change"] = Household.objects.for_user(user, "change").filter(pk=self.object.pk).exists()
        return ctx


class _HouseholdFormView(LoadMixin, ScopedQuerysetMixin, FormView):
    model = Household
    allowed_roles = WRITERS
    form_class = HouseholdForm
    template_name = "members/household_form.html"
    instance = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["villages"] = regions_for_action(self.request.user, Household, "add", levels=[RegionLevel.VILLAGE])
        kwargs["instance"] = self.instance
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["household"] = self.instance
        return ctx

    def form_valid(self, form):
        data = {k: form.cleaned_data[k] for k in ("number", "head_name", "size", "address")}
        try:
            if self.instance is None:
                household = household_create(actor=self.request.user, village=form.cleaned_data["village"], **data)
            else:
                household = household_update(actor=self.request.user, household=self.instance, **data)
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(name)s.") % {"name": household})
        return HttpResponseRedirect(household.get_absolute_url())


class HouseholdCreateView(_HouseholdFormView):
    scope_action = "add"


class HouseholdUpdateView(_HouseholdFormView):
    scope_action = "change"

    def load(self, **kwargs):
        self.instance = get_object_or_404(Household.objects.for_user(self.request.user, "change"), pk=kwargs["pk"])


def cooperative_members_url(cooperative: Cooperative) -> str:
    return reverse("members:member_list") + f"?cooperative={cooperative.pk}"
