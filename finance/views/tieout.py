"""The tie-out page of one cooperative (账实核对): the register, member accounts, payouts and books
side by side, every difference by member, and at takeover the steps that book them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.exceptions import BusinessError
from finance.models import TakeoverAdjustment
from finance.selectors.roles import Roles
from finance.selectors.tieout import cooperative_tie_out
from finance.services.takeover import capital_gap, capital_takeover, reserve_takeover
from finance.views.base import CooperativeMixin, can


class CapitalTakeoverForm(forms.Form):
    offset = forms.ChoiceField(
        label=gettext_lazy("Book the difference to"),
        help_text=gettext_lazy(
            "What the capital the books never recorded is: 161 无形资产 for land or forest rights, 151 固定资产 "
            "for property, 321 资本公积 or 33202 未分配盈余 when the old books kept it there."
        ),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

    def __init__(self, *args, roles: Roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offset"].choices = [
            (a.code, f"{a.code} {a.name}")
            for a in sorted(roles.accounts.values(), key=lambda a: a.code)
            if a.is_leaf and a.is_active and not a.tracks_members and a.code != roles.code("capital")
        ]


class ReserveTakeoverForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class TieOutView(CooperativeMixin, TemplateView):
    """账实核对: green when every comparison agrees; otherwise each difference with the member and the
    amount, and — for the books of a cooperative taken over — the forms that book them."""

    template_name = "finance/tieout.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        coop = self.cooperative
        if self.books is None:
            return ctx
        ctx["tie"] = cooperative_tie_out(coop)
        ctx["can_write"] = can(self.request.user, TakeoverAdjustment, "add", coop.region_code)
        gap = capital_gap(coop)
        capital_differs = any(d.check == "capital" for d in ctx["tie"].differences)
        ctx["gap"] = gap if gap is not None and gap.differences and capital_differs else None
        roles = Roles.of(coop)
        ctx["capital_form"] = kwargs.get("capital_form") or CapitalTakeoverForm(roles=roles)
        ctx["reserve_form"] = kwargs.get("reserve_form") or ReserveTakeoverForm()
        ctx["unquantified_reserve"] = next(
            (d.books - d.register for d in ctx["tie"].differences if d.check == "reserve" and d.member_id is None),
            None,
        )
        ctx["adjustments"] = TakeoverAdjustment.objects.filter(cooperative=coop).select_related(
            "offset_account", "voucher", "created_by"
        )
        return ctx

    def post(self, request, *args, **kwargs):
        coop = self.cooperative
        if self.books is None or not can(request.user, TakeoverAdjustment, "add", coop.region_code):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        roles = Roles.of(coop)
        if request.POST.get("step") == "reserve":
            form = ReserveTakeoverForm(request.POST)
            if form.is_valid():
                try:
                    reserve_takeover(actor=request.user, cooperative=coop, reason=form.cleaned_data["reason"])
                except BusinessError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("The reserve is quantified to the members."))
                    return HttpResponseRedirect(reverse("finance:tie_out", args=[coop.pk]))
            return self.render_to_response(self.get_context_data(reserve_form=form))
        form = CapitalTakeoverForm(request.POST, roles=roles)
        if form.is_valid():
            try:
                capital_takeover(
                    actor=request.user,
                    cooperative=coop,
                    offset_code=form.cleaned_data["offset"],
                    reason=form.cleaned_data["reason"],
                )
            except BusinessError as exc:
                form.add_error("offset" if exc.field == "offset" else None, exc.message)
            else:
                messages.success(request, _("The capital account now follows the share register, member by member."))
                return HttpResponseRedirect(reverse("finance:tie_out", args=[coop.pk]))
        return self.render_to_response(self.get_context_data(capital_form=form))
