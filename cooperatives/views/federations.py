"""Federation pages: the list, registering one with its members, admitting and removing members.

A federation's own page is the cooperative page; its members (and, on a member's page, the
federations it belongs to) come from the "federation" panel.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, DecimalField, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.choices import FEDERATION_KINDS
from cooperatives.filters import FederationFilter
from cooperatives.forms import (
    FederationForm,
    FederationMemberAddForm,
    FederationMemberFormSet,
    FederationMemberRemoveForm,
)
from cooperatives.models import Cooperative, FederationMembership
from cooperatives.services.federations import (
    MemberEntry,
    federation_create,
    federation_member_add,
    federation_member_remove,
)
from cooperatives.services.registry import FIELDS
from cooperatives.views.common import ServiceFormView
from core.choices import STAFF_ROLES
from core.exceptions import BusinessError
from core.money import MONEY
from core.views.lists import ScopedListView

REGISTRARS = Cooperative.tenancy.roles_for("add")


def _members(f) -> str:
    return "、".join(m.member.name for m in f.active_memberships)


class FederationListView(ScopedListView):
    model = Cooperative
    allowed_roles = STAFF_ROLES
    filterset_class = FederationFilter
    template_name = "cooperatives/federation_list.html"
    export_name = gettext_lazy("federations")
    export_columns = [
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("Kind"), "kind"),
        (gettext_lazy("Region"), "village.name"),
        (gettext_lazy("Region code"), "region_code"),
        (gettext_lazy("Chair"), "chair_name"),
        (gettext_lazy("Member cooperatives"), "member_count"),
        (gettext_lazy("Contributions"), "contribution_total"),
        (gettext_lazy("Members"), _members),
        (gettext_lazy("Status"), "status"),
    ]

    def get_queryset(self):
        active = Q(memberships__left_on__isnull=True)
        return (
            super()
            .get_queryset()
            .filter(kind__in=FEDERATION_KINDS)
            .select_related("village__parent")
            .annotate(
                member_count=Count("memberships", filter=active),
                contribution_total=Coalesce(
                    Sum("memberships__contribution", filter=active), 0, output_field=DecimalField(**MONEY)
                ),
            )
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=FederationMembership.objects.filter(left_on__isnull=True)
                    .select_related("member")
                    .order_by("member__region_code"),
                    to_attr="active_memberships",
                )
            )
            .order_by("region_code", "name")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & REGISTRARS)
        return ctx


class FederationCreateView(ServiceFormView):
    """Register a federation together with its initial members (three or more)."""

    model = Cooperative
    scope_action = "add"
    allowed_roles = REGISTRARS
    form_class = FederationForm
    template_name = "cooperatives/federation_form.html"
    page_title = gettext_lazy("Register a federation")
    cancel_url_name = "cooperatives:federation_list"

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return FederationMemberFormSet(data, prefix="members", form_kwargs={"user": self.request.user})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", self.get_formset())
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        members = [
            MemberEntry(row["cooperative"], row.get("contribution") or 0)
            for row in formset.cleaned_data
            if row and row.get("cooperative")
        ]
        data = {f: form.cleaned_data[f] for f in FIELDS if f in form.cleaned_data}
        try:
            federation = federation_create(
                actor=request.user,
                village=form.cleaned_data["village"],
                members=members,
                joined_on=form.cleaned_data["joined_on"],
                **data,
            )
        except BusinessError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("Saved: %(name)s.") % {"name": federation.name})
        return HttpResponseRedirect(federation.get_absolute_url())


class FederationMemberAddView(ServiceFormView):
    model = FederationMembership
    scope_action = "add"
    allowed_roles = REGISTRARS
    form_class = FederationMemberAddForm
    object_model = Cooperative
    object_action = "change"
    page_title = gettext_lazy("Admit a member cooperative")

    def object_queryset(self, qs):
        return qs.filter(kind__in=FEDERATION_KINDS)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"federation": self.object}

    def get_page_title(self):
        return f"{self.page_title} · {self.object.name}"

    def perform(self, form):
        federation_member_add(actor=self.request.user, federation=self.object, **form.cleaned_data)
        return self.object


class FederationMemberRemoveView(ServiceFormView):
    """Record that a member left; refused when fewer than three would remain."""

    model = FederationMembership
    scope_action = "change"
    allowed_roles = REGISTRARS
    form_class = FederationMemberRemoveForm
    object_model = FederationMembership
    object_action = "change"
    pass_user = False
    submit_label = gettext_lazy("Record the leaving")

    def object_queryset(self, qs):
        return qs.filter(left_on__isnull=True).select_related("federation", "member")

    def get_page_title(self):
        return _("%(member)s leaves %(federation)s") % {
            "member": self.object.member.name,
            "federation": self.object.federation.name,
        }

    def get_cancel_url(self):
        return self.object.federation.get_absolute_url()

    def perform(self, form):
        federation_member_remove(actor=self.request.user, membership=self.object, left_on=form.cleaned_data["left_on"])
        return self.object.federation
