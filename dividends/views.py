"""Pages of surplus distribution: plans (list, draft, detail, actions), the what-if comparison, the
notice for the notice board, the payout list, member statements, the policies."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from core.choices import STAFF_ROLES, Role
from core.exceptions import BusinessError
from core.exports import xlsx_response
from core.views.lists import ScopedListView
from core.views.mixins import RoleRequiredMixin, ScopedQuerysetMixin
from dividends.choices import PlanState
from dividends.filters import PlanFilter
from dividends.forms import RATE_FIELDS, CompareForm, PayoutForm, PlanForm
from dividends.models import DistributionPlan, DistributionPolicy, MemberAllocation, Payout
from dividends.selectors import plan_totals, step_rows
from dividends.services import execution, plans
from finance.views.base import CooperativeMixin, can

MEMBER_VISIBLE = (PlanState.FILED, PlanState.EXECUTED)  # a member reads a plan once the township filed it
PAGE = 50
TIE_RULE = gettext_lazy(
    "Every pool is split to the fen by the largest-remainder method; a fen left over goes to the largest "
    "remainder, and equal remainders go to the lower member number first."
)


class PlanListView(ScopedListView):
    model = DistributionPlan
    allowed_roles = STAFF_ROLES
    filterset_class = PlanFilter
    template_name = "dividends/plan_list.html"
    export_name = gettext_lazy("distribution-plans")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Fiscal year"), "year"),
        (gettext_lazy("Version"), "version"),
        (gettext_lazy("Distribution policy"), "policy.name"),
        (gettext_lazy("Year's surplus"), "surplus"),
        (gettext_lazy("Distributable surplus"), "distributable"),
        (gettext_lazy("Members"), "member_count"),
        (gettext_lazy("State"), "state"),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("cooperative", "policy")
            .order_by("-year", "cooperative_id", "-version")
        )


class PolicyListView(RoleRequiredMixin, ListView):
    """The policies a county may choose (not tenant data: the same for everyone)."""

    model = DistributionPolicy
    allowed_roles = STAFF_ROLES
    template_name = "dividends/policy_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from dividends.choices import Basis, RateMode, StepBase, StepKind

        ctx["rows"] = [
            {
                "policy": p,
                "steps": [
                    {
                        "label": StepKind(s["kind"]).label,
                        "rate": None if s["rate"] is None else Decimal(str(s["rate"])) * 100,
                        "mode": RateMode(s["mode"]).label,
                        "base": StepBase(s["base"]).label,
                        "basis": Basis(s["basis"]).label if s.get("basis") else "",
                    }
                    for s in p.steps
                ],
            }
            for p in ctx["object_list"]
        ]
        return ctx


def _report(form, exc: BusinessError) -> None:
    field = RATE_FIELDS.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


class PlanCreateView(CooperativeMixin, TemplateView):
    """Draft the year's plan under the charter's policy (or another, for a what-if)."""

    template_name = "dividends/plan_form.html"
    write_model = DistributionPlan

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            policy = None
            with contextlib.suppress(BusinessError):
                policy = plans.charter_policy(self.cooperative)
            ctx["form"] = PlanForm(initial={"year": timezone.localdate().year - 1, "policy": policy})
        ctx["tie_rule"] = TIE_RULE
        return ctx

    def post(self, request, *args, **kwargs):
        form = PlanForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                data = plans.plan_input(
                    cooperative=self.cooperative,
                    year=d["year"],
                    policy=d["policy"],
                    surplus=d["surplus"],
                    prior_loss=d["prior_loss"],
                    record_date=d["record_date"],
                    overrides=form.overrides(),
                    reserve_to_capital=d["reserve_to_capital"],
                )
                plan = plans.plan_create(actor=request.user, data=data, note=d["note"])
            except BusinessError as exc:
                _report(form, exc)
            else:
                messages.success(request, _("Plan drafted."))
                return HttpResponseRedirect(plan.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class PlanCompareView(CooperativeMixin, TemplateView):
    """What-if: two policies on the same year, side by side, nothing written. It shows every member's
    amount under each, so like the API's preview and comparison it is for who drafts plans (403 for
    everyone else, core/privacy.py)."""

    template_name = "dividends/plan_compare.html"
    write_model = DistributionPlan

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = CompareForm(self.request.GET or None)
        ctx["form"] = form
        if form.is_bound and form.is_valid():
            d = form.cleaned_data
            try:
                a, b = (
                    plans.plan_assess(
                        plans.plan_input(cooperative=self.cooperative, year=d["year"], policy=p, surplus=d["surplus"])
                    )
                    for p in (d["policy_a"], d["policy_b"])
                )
            except BusinessError as exc:
                _report(form, exc)
            else:
                from dividends.choices import StepKind

                ctx["a"], ctx["b"] = a, b
                ctx["columns"] = [
                    (label, c, [(StepKind(st.kind).label, st.amount) for st in c.steps])
                    for label, c in (("A", a), ("B", b))
                ]
                ctx["policies"] = (d["policy_a"], d["policy_b"])
                ctx["members"] = [
                    {"holder": ma.holder, "a": ma.total, "b": mb.total, "diff": mb.total - ma.total}
                    for ma, mb in zip(a.members, b.members, strict=True)
                ]
        ctx["tie_rule"] = TIE_RULE
        return ctx


class _PlanMixin(ScopedQuerysetMixin):
    model = DistributionPlan
    allowed_roles = STAFF_ROLES
    context_object_name = "plan"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative__village", "policy", "major_matter")


class PlanDetailView(_PlanMixin, DetailView):
    template_name = "dividends/plan_detail.html"

    def get_context_data(self, **kwargs):
        from core.models import ApprovalRequest
        from finance.models import Voucher

        ctx = super().get_context_data(**kwargs)
        plan = self.object
        user = self.request.user
        page = Paginator(plan.allocations.select_related("member").order_by("member__number"), PAGE).get_page(
            self.request.GET.get("page")
        )
        region = plan.region_code
        ctx.update(
            steps=step_rows(plan),
            totals=plan_totals(plan),
            page_obj=page,
            allocations=page.object_list,
            resolution=plans.resolution_of(plan),
            approvals=ApprovalRequest.objects.filter(
                subject_type__model="distributionplan", subject_id=plan.pk
            ).order_by("-pk")[:5],
            vouchers=Voucher.objects.filter(pk__in=plan.voucher_ids).select_related("period").order_by("pk"),
            facts=plans.plan_facts(plan),
            tie_rule=TIE_RULE,
            can_change=can(user, DistributionPlan, "change", region),
            can_draft=can(user, DistributionPlan, "add", region),
            can_check=can(user, DistributionPlan, "check", region),
            can_file=can(user, DistributionPlan, "file", region),
            can_execute=can(user, DistributionPlan, "execute", region),
            today=timezone.localdate(),
        )
        return ctx


ACTIONS = {
    "submit": (
        "change",
        lambda user, plan, post: plans.plan_submit(actor=user, plan=plan),
        gettext_lazy("Sent to the chair."),
    ),
    "check": (
        "check",
        lambda user, plan, post: plans.plan_check(actor=user, plan=plan, comment=post.get("comment", "")),
        gettext_lazy("Checked; the plan goes to the member assembly."),
    ),
    "return": (
        "check",
        lambda user, plan, post: plans.plan_check_return(actor=user, plan=plan, comment=post.get("comment", "")),
        gettext_lazy("Returned to the accountant with your comment."),
    ),
    "file": (
        "file",
        lambda user, plan, post: plans.plan_file(actor=user, plan=plan, comment=post.get("comment", "")),
        gettext_lazy("Filed with the township."),
    ),
    "revise": (
        "change",
        lambda user, plan, post: plans.plan_revise(actor=user, plan=plan),
        gettext_lazy("A new version was drafted."),
    ),
}


class PlanActionView(_PlanMixin, View):
    """POST ``action``: submit, check, return (the chair's, with a comment), file, revise, execute or
    delete."""

    def post(self, request, pk):
        plan = get_object_or_404(self.get_queryset(), pk=pk)
        action = request.POST.get("action", "")
        user = request.user
        try:
            if action == "execute":
                if not can(user, DistributionPlan, "execute", plan.region_code):
                    raise PermissionDenied
                on = request.POST.get("on") or None
                result = execution.plan_execute(
                    actor=user, plan=plan, on=timezone.datetime.fromisoformat(on).date() if on else None
                )
                (messages.success if result.executed else messages.info)(request, result.message)
                return HttpResponseRedirect(plan.get_absolute_url())
            if action == "delete":
                if not can(user, DistributionPlan, "delete", plan.region_code):
                    raise PermissionDenied
                plans.plan_delete(actor=user, plan=plan)
                messages.success(request, _("Draft deleted."))
                return HttpResponseRedirect(reverse("dividends:plan_list"))
            if action not in ACTIONS:
                messages.error(request, _("Unknown action."))
                return HttpResponseRedirect(plan.get_absolute_url())
            scope, run, done = ACTIONS[action]
            if not can(user, DistributionPlan, scope, plan.region_code):
                raise PermissionDenied
            result = run(user, plan, request.POST)
            messages.success(request, done)
            return HttpResponseRedirect(result.get_absolute_url())
        except ValueError:
            messages.error(request, _("Give the posting date as YYYY-MM-DD."))
        except BusinessError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(plan.get_absolute_url())


class PlanNoticeView(_PlanMixin, DetailView):
    """The whole plan for the village notice board (A4 print)."""

    template_name = "dividends/plan_notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object
        ctx.update(
            steps=step_rows(plan),
            totals=plan_totals(plan),
            allocations=plan.allocations.select_related("member").order_by("member__number"),
            resolution=plans.resolution_of(plan),
            tie_rule=TIE_RULE,
        )
        return ctx


PAYOUT_COLUMNS = [
    gettext_lazy("Member number"),
    gettext_lazy("Member"),
    gettext_lazy("Amount"),
    gettext_lazy("Paid by"),
    gettext_lazy("Bank account"),
    gettext_lazy("Status"),
    gettext_lazy("Paid on"),
    gettext_lazy("Signed by"),
]


class PlanPayoutsView(_PlanMixin, DetailView):
    """The payout list of an executed plan (``?format=xlsx`` to print it with signature column)."""

    template_name = "dividends/payout_list.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        payouts = (
            Payout.objects.filter(plan=self.object)
            .select_related("member", "voucher__period")
            .order_by("member__number")
        )
        if request.GET.get("format") == "xlsx":
            rows = (
                [
                    p.member.number,
                    p.member.name,
                    p.amount,
                    p.get_method_display(),
                    p.bank_account,
                    p.get_status_display(),
                    p.paid_on,
                    p.signed_by,
                ]
                for p in payouts.iterator(chunk_size=2000)
            )
            return xlsx_response(f"payouts-{self.object.pk}.xlsx", _("Payouts"), [str(c) for c in PAYOUT_COLUMNS], rows)
        ctx = self.get_context_data(object=self.object)
        ctx["page_obj"] = Paginator(payouts, PAGE).get_page(request.GET.get("page"))
        ctx["can_pay"] = can(request.user, Payout, "change", self.object.region_code)
        return self.render_to_response(ctx)


class PayoutUpdateView(ScopedQuerysetMixin, TemplateView):
    """Record that a member was paid: cash or bank, the date, who signed."""

    model = Payout
    allowed_roles = STAFF_ROLES
    template_name = "dividends/payout_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.payout = get_object_or_404(
                Payout.objects.for_user(request.user, "view").select_related("member", "plan"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["payout"] = self.payout
        ctx.setdefault(
            "form",
            PayoutForm(
                initial={"paid_on": timezone.localdate(), "signed_by": self.payout.member.name},
                cooperative=self.payout.plan.cooperative,
            ),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        if not can(request.user, Payout, "change", self.payout.region_code):
            raise PermissionDenied
        form = PayoutForm(request.POST, cooperative=self.payout.plan.cooperative)
        if form.is_valid():
            try:
                execution.payout_mark_paid(actor=request.user, payout=self.payout, **form.cleaned_data)
            except BusinessError as exc:
                _report(form, exc)
            else:
                self.payout.refresh_from_db()
                voucher = self.payout.voucher
                messages.success(
                    request,
                    _("Payout recorded and posted in the books: %(voucher)s.")
                    % {"voucher": f"{voucher.period.label} {voucher.display_number}"},
                )
                return HttpResponseRedirect(reverse("dividends:payout_list", args=[self.payout.plan_id]))
        return self.render_to_response(self.get_context_data(form=form))


def member_scope(user, qs):
    """Members read their own statements of filed or executed plans only."""
    if user.is_superuser or user.jurisdiction.roles & STAFF_ROLES:
        return qs
    return qs.filter(member__user=user, plan__state__in=MEMBER_VISIBLE)


class StatementView(ScopedQuerysetMixin, DetailView):
    """A member's statement (printable): shares, ratio, each step that touched them, amount, payout."""

    model = MemberAllocation
    allowed_roles = STAFF_ROLES | {Role.MEMBER}
    template_name = "dividends/statement.html"
    context_object_name = "allocation"

    def get_queryset(self):
        qs = super().get_queryset().select_related("member", "plan__cooperative", "plan__policy")
        return member_scope(self.request.user, qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a = self.object
        ctx["plan"] = a.plan
        ctx["steps"] = step_rows(a.plan)
        ctx["payout"] = Payout.objects.filter(allocation=a).select_related("voucher__period").first()
        ctx["tie_rule"] = TIE_RULE
        if a.member.kind == "person":
            # collective shares the member holds for the collective: its dividend went to the collective
            from shares.models import ShareEntry

            ctx["on_behalf"] = ShareEntry.objects.filter(
                member=a.member, share_class="collective", effective_on__lte=a.plan.record_date
            ).aggregate(t=Sum("amount"))["t"]
        return ctx


class MyStatementsView(RoleRequiredMixin, ListView):
    """The logged-in member's statements."""

    allowed_roles = frozenset({Role.MEMBER}) | STAFF_ROLES
    template_name = "dividends/my_statements.html"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        return (
            MemberAllocation.objects.for_user(user)
            .filter(Q(member__user=user), plan__state__in=MEMBER_VISIBLE)
            .select_related("member", "plan__cooperative", "payout")
            .order_by("-plan__year", "plan__cooperative_id")
        )
