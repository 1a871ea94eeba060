"""Pages of the shares app: contributions, the share register and ledger, transfers, gifts,
conversions, withdrawals, certificates and the roster import."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from cooperatives.models import Cooperative
from core import panels
from core.choices import STAFF_ROLES, Role
from core.exceptions import BusinessError
from core.exports import XLSX
from core.paginators import CappedPaginator
from core.privacy import full_id_checker, personal_value
from core.views.lists import ScopedListView
from core.views.mixins import RoleRequiredMixin, ScopedQuerysetMixin
from members.models import Member
from members.selectors import cooperatives_for
from members.views import LoadMixin, attach_error, chosen_cooperative
from shares import importing, selectors
from shares.choices import ContributionState, ImportState, WithdrawalState
from shares.filters import CertificateFilter, ContributionFilter, EntryFilter, HoldingFilter, WithdrawalFilter
from shares.forms import (
    ContributionForm,
    ConversionForm,
    GiftForm,
    ImportForm,
    ReasonForm,
    RefundForm,
    TransferForm,
    WithdrawalForm,
)
from shares.models import Contribution, Holding, ImportBatch, ShareCertificate, ShareEntry, ShareWithdrawal
from shares.services import (
    certificates_issue,
    contribution_cancel,
    contribution_confirm,
    contribution_create,
    contribution_update,
    contributions_confirm,
    entry_reverse,
    share_gift,
    share_reserve_convert,
    share_transfer,
    share_withdrawal_apply,
    share_withdrawal_cancel,
    share_withdrawal_execute,
)
from shares.services.imports import ImportInvalid, import_start

WRITERS = ShareEntry.tenancy.roles_for("add")
MEMBER_AND_STAFF = STAFF_ROLES | {Role.MEMBER}


def report_result(request, result, success: str) -> None:
    """A success message (naming the entries the books posted for it), plus one warning per rule
    the new structure only warns about."""
    vouchers = getattr(result, "vouchers", None) or []
    if vouchers:
        posted = "、".join(f"{v.period.label} {v.display_number}" for v in vouchers[:5])
        success = _("%(done)s Posted in the books: %(vouchers)s.") % {"done": success, "vouchers": posted}
    messages.success(request, success)
    for rule in result.warnings:
        messages.warning(request, f"{rule.label}：{rule.message}")


def report_error(request, exc: BusinessError) -> None:
    if exc.status_code == 403:
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)


def booking_sections(request, cooperative, entries) -> list[dict]:
    """What the books show of these ledger entries and their reversals (slot "share_booking", filled
    by the finance app): the entries that booked them."""
    operations = {e.operation for e in entries}
    operations |= {e.reversed_by.operation for e in entries if getattr(e, "reversed_by", None)}
    return panels.panels_for("share_booking", request, operations=operations, cooperative=cooperative)


def _can(user, model, action: str, region_code: str) -> bool:
    return user.is_superuser or user.jurisdiction.covers(region_code, model.tenancy.roles_for(action))


# -- contributions ------------------------------------------------------------------------------
class ContributionListView(ScopedListView):
    model = Contribution
    paginator_class = CappedPaginator  # a county lists hundreds of thousands of rows
    allowed_roles = STAFF_ROLES
    filterset_class = ContributionFilter
    template_name = "shares/contribution_list.html"
    export_name = gettext_lazy("contributions")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Member number"), "member.number"),
        (gettext_lazy("Member"), "member.name"),
        (gettext_lazy("Kind"), "kind"),
        (gettext_lazy("Share class"), "share_class"),
        (gettext_lazy("Value (yuan)"), "amount"),
        (gettext_lazy("Area (mu)"), "area_mu"),
        (gettext_lazy("Value per mu"), "value_per_mu"),
        (gettext_lazy("Location"), "location"),
        (gettext_lazy("Term (years)"), "term_years"),
        (gettext_lazy("Appraised by"), "appraiser"),
        (gettext_lazy("Appraisal date"), "appraisal_date"),
        (gettext_lazy("Contribution date"), "contributed_on"),
        (gettext_lazy("State"), "state"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("member", "cooperative")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & WRITERS)
        coop_id = self.request.GET.get("cooperative")
        if coop_id and str(coop_id).isdigit():
            coop = cooperatives_for(user, Contribution, "change").filter(pk=coop_id).first()
            if coop:
                ctx["confirm_cooperative"] = coop
                ctx["drafts"] = Contribution.objects.filter(cooperative=coop, state=ContributionState.DRAFT).count()
        return ctx


class ContributionDetailView(ScopedQuerysetMixin, DetailView):
    model = Contribution
    allowed_roles = MEMBER_AND_STAFF
    template_name = "shares/contribution_detail.html"
    context_object_name = "contribution"

    def get_queryset(self):
        return super().get_queryset().select_related("member", "cooperative", "created_by", "confirmed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c = self.object
        ctx["can_change"] = Contribution.objects.for_user(self.request.user, "change").filter(pk=c.pk).exists()
        ctx["entries"] = entries = list(c.entries.select_related("reversed_by").order_by("pk"))
        ctx["reason_form"] = ReasonForm()
        ctx["sections"] = booking_sections(self.request, c.cooperative, entries)
        return ctx


class ContributionFormView(LoadMixin, ScopedQuerysetMixin, FormView):
    model = Contribution
    allowed_roles = WRITERS
    form_class = ContributionForm
    template_name = "shares/contribution_form.html"
    scope_action = "add"
    instance = None

    def load(self, **kwargs):
        if "pk" in kwargs:
            self.instance = get_object_or_404(
                Contribution.objects.for_user(self.request.user, "change").select_related("cooperative", "member"),
                pk=kwargs["pk"],
            )
            self.cooperative = self.instance.cooperative
            return
        member_id = self.request.GET.get("member")
        if member_id:
            member = get_object_or_404(
                Member.objects.for_user(self.request.user, "add"), pk=member_id if member_id.isdigit() else 0
            )
            self.cooperative = member.cooperative
            self.initial_member = member
        else:
            self.initial_member = None
            self.cooperative = chosen_cooperative(self.request, Contribution)
        if self.cooperative is None:
            raise Http404(_("Choose a cooperative"))

    def get_initial(self):
        initial = super().get_initial()
        if self.instance is None and getattr(self, "initial_member", None):
            initial["member"] = self.initial_member.pk
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cooperative"] = self.cooperative
        kwargs["instance"] = self.instance
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.cooperative
        ctx["contribution"] = self.instance
        return ctx

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "member"}
        if data.get("evidence") is False:  # "clear" ticked
            data["evidence"] = ""
        elif not data.get("evidence"):
            data.pop("evidence", None)
        try:
            if self.instance is None:
                contribution = contribution_create(actor=self.request.user, member=form.cleaned_data["member"], **data)
            else:
                contribution = contribution_update(actor=self.request.user, contribution=self.instance, **data)
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Contribution of %(amount)s yuan saved as a draft; confirm it to write it into the share ledger.")
            % {"amount": f"{contribution.amount:,.2f}"},
        )
        return HttpResponseRedirect(contribution.get_absolute_url())


class _ContributionActionView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def get_object(self, pk):
        return get_object_or_404(Contribution.objects.for_user(self.request.user, "change"), pk=pk)


class ContributionConfirmView(_ContributionActionView):
    def post(self, request, pk):
        contribution = self.get_object(pk)
        try:
            result = contribution_confirm(actor=request.user, contribution=contribution)
        except BusinessError as exc:
            report_error(request, exc)
        else:
            report_result(request, result, _("Confirmed: the subscription is in the share ledger."))
        return HttpResponseRedirect(contribution.get_absolute_url())


class ContributionCancelView(_ContributionActionView):
    def post(self, request, pk):
        contribution = self.get_object(pk)
        form = ReasonForm(request.POST)
        try:
            contribution_cancel(
                actor=request.user,
                contribution=contribution,
                reason=form.data.get("reason", ""),
            )
        except BusinessError as exc:
            report_error(request, exc)
        else:
            messages.success(request, _("The draft contribution was cancelled."))
        return HttpResponseRedirect(contribution.get_absolute_url())


class ContributionConfirmAllView(RoleRequiredMixin, View):
    """Confirm every draft of a cooperative together (its founding subscriptions, an import)."""

    allowed_roles = WRITERS

    def post(self, request):
        coop_id = request.POST.get("cooperative", "")
        cooperative = get_object_or_404(
            cooperatives_for(request.user, Contribution, "change"), pk=coop_id if coop_id.isdigit() else 0
        )
        try:
            result = contributions_confirm(actor=request.user, cooperative=cooperative)
        except BusinessError as exc:
            report_error(request, exc)
        else:
            report_result(
                request,
                result,
                _("%(n)d contributions confirmed into the share ledger.") % {"n": len(result.entries)},
            )
        return HttpResponseRedirect(cooperative.get_absolute_url())


class ContributionEvidenceView(RoleRequiredMixin, View):
    """The evidence file, only for those who may see the contribution (never a public media URL)."""

    allowed_roles = MEMBER_AND_STAFF

    def get(self, request, pk):
        contribution = get_object_or_404(Contribution.objects.for_user(request.user), pk=pk)
        if not contribution.evidence:
            raise Http404
        return FileResponse(contribution.evidence.open("rb"), as_attachment=False)


# -- register and ledger ------------------------------------------------------------------------
class RegisterView(ScopedListView):
    """The share register (股权登记簿): every positive holding, with its share of the cooperative."""

    model = Holding
    paginator_class = CappedPaginator  # a county lists hundreds of thousands of rows
    allowed_roles = STAFF_ROLES
    filterset_class = HoldingFilter
    template_name = "shares/register_list.html"
    export_name = gettext_lazy("share register")
    paginate_by = 50

    def get_queryset(self):
        return selectors.register(self.request.user)

    @cached_property
    def export_columns(self):
        shows_full = full_id_checker(self.request.user)
        totals_cache: dict = {}

        def percent(h):
            if h.cooperative_id not in totals_cache:
                totals_cache.update(selectors.cooperative_totals([h.cooperative_id]))
            total = totals_cache.get(h.cooperative_id)
            return f"{(h.amount * 100 / total):.4f}%" if total else ""

        def id_or_code(h):
            m = h.member
            if m.id_number:
                return personal_value("id_number", m.id_number, full=shows_full(m))
            return m.uscc

        return [
            (gettext_lazy("Cooperative"), "cooperative.name"),
            (gettext_lazy("Member number"), "member.number"),
            (gettext_lazy("Member"), "member.name"),
            (gettext_lazy("ID number or credit code"), id_or_code),
            (gettext_lazy("Share class"), "share_class"),
            (gettext_lazy("Shares (yuan)"), "amount"),
            (gettext_lazy("Share of the cooperative"), percent),
        ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = list(ctx["object_list"])
        totals = selectors.cooperative_totals({h.cooperative_id for h in rows})
        for h in rows:
            total = totals.get(h.cooperative_id)
            h.ratio = h.amount / total if total else None
        ctx["rows"] = rows
        return ctx


class EntryListView(ScopedListView):
    """The share ledger, newest first."""

    model = ShareEntry
    paginator_class = CappedPaginator  # a county lists hundreds of thousands of rows
    allowed_roles = STAFF_ROLES
    filterset_class = EntryFilter
    template_name = "shares/entry_list.html"
    export_name = gettext_lazy("share ledger")
    paginate_by = 50
    export_columns = [
        (gettext_lazy("Entry"), "pk"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Effective on"), "effective_on"),
        (gettext_lazy("Type"), "entry_type"),
        (gettext_lazy("Member number"), "member.number"),
        (gettext_lazy("Member"), "member.name"),
        (gettext_lazy("Share class"), "share_class"),
        (gettext_lazy("Amount (yuan)"), "amount"),
        (gettext_lazy("Holding after"), "balance_after"),
        (gettext_lazy("Counterparty"), "counterparty.name"),
        (gettext_lazy("Operation id"), lambda e: str(e.operation)),
        (gettext_lazy("Reverses entry"), "reverses_id"),
        (gettext_lazy("Note"), "note"),
        (gettext_lazy("Recorded at"), "created_at"),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            # prefetched, not joined: under row-level security the planner guesses the policy keeps
            # 5% of the joined tables and sorted a whole county's entries (12 s); alone, the page
            # walks the primary key backwards (docs/performance.md)
            .prefetch_related("member", "cooperative", "counterparty", "reversed_by")
            .order_by("-pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & WRITERS)
        return ctx


class EntryReverseView(LoadMixin, ScopedQuerysetMixin, FormView):
    model = ShareEntry
    scope_action = "add"
    allowed_roles = WRITERS
    form_class = ReasonForm
    template_name = "shares/entry_reverse.html"

    def load(self, **kwargs):
        self.entry = get_object_or_404(
            ShareEntry.objects.for_user(self.request.user, "add").select_related("member", "cooperative"),
            pk=kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["entry"] = self.entry
        ctx["group"] = ShareEntry.objects.filter(operation=self.entry.operation).select_related("member").order_by("pk")
        return ctx

    def form_valid(self, form):
        try:
            result = entry_reverse(actor=self.request.user, entry=self.entry, reason=form.cleaned_data["reason"])
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        report_result(self.request, result, _("Reversed; the holdings are restored."))
        return HttpResponseRedirect(reverse("shares:entry_list") + f"?operation={result.operation}")


# -- transfers, gifts, conversions ----------------------------------------------------------------
class _OperationView(LoadMixin, ScopedQuerysetMixin, FormView):
    model = ShareEntry
    scope_action = "add"
    allowed_roles = WRITERS
    template_name = "shares/operation_form.html"
    title = ""
    explanation = ""

    def load(self, **kwargs):
        self.cooperative = chosen_cooperative(self.request, ShareEntry)

    def get(self, request, *args, **kwargs):
        self.load()
        if self.cooperative is None:
            return self.render_to_response(
                {"choose_cooperative": cooperatives_for(request.user, ShareEntry, "add"), "view": self}
            )
        return super(LoadMixin, self).get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load()
        if self.cooperative is None:
            raise Http404
        return super(LoadMixin, self).post(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        for key in ("source", "member"):
            if self.request.GET.get(key, "").isdigit():
                initial[key] = int(self.request.GET[key])
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cooperative"] = self.cooperative
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(cooperative=self.cooperative, title=self.title, explanation=self.explanation)
        return ctx

    def form_valid(self, form):
        try:
            result, message = self.perform(form.cleaned_data)
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        report_result(self.request, result, message)
        return HttpResponseRedirect(reverse("shares:entry_list") + f"?operation={result.operation}")


class TransferCreateView(_OperationView):
    form_class = TransferForm
    title = gettext_lazy("Transfer shares")
    explanation = gettext_lazy(
        "Both sides are written together under one transfer id. The county's share-structure rules are "
        "checked on the structure the transfer would leave."
    )

    def perform(self, d):
        result = share_transfer(
            actor=self.request.user,
            source=d["source"],
            target=d["target"],
            share_class=d["share_class"],
            amount=d["amount"],
            effective_on=d.get("effective_on"),
            note=d.get("note", ""),
        )
        return result, _("Transferred %(amount)s yuan.") % {"amount": d["amount"]}


class GiftCreateView(_OperationView):
    form_class = GiftForm
    title = gettext_lazy("Give shares to a poor or vulnerable household")
    explanation = gettext_lazy(
        "Share gifts (股权赠与) bring poor and vulnerable households into the cooperative "
        "(the district's implementing opinions, item 3). "
        "Collective shares given to a household become poverty-alleviation shares."
    )

    def perform(self, d):
        result = share_gift(
            actor=self.request.user,
            source=d["source"],
            target=d["target"],
            share_class=d["share_class"],
            amount=d["amount"],
            effective_on=d.get("effective_on"),
            note=d.get("note", ""),
        )
        return result, _("Gave %(amount)s yuan of shares.") % {"amount": d["amount"]}


class ConversionCreateView(_OperationView):
    form_class = ConversionForm
    title = gettext_lazy("Convert reserve into member capital")
    explanation = gettext_lazy(
        "The reserve share recorded in the member's account becomes paid-in capital (law Arts. 42, 44); "
        "the member assembly must have approved it."
    )

    def perform(self, d):
        result = share_reserve_convert(
            actor=self.request.user,
            cooperative=self.cooperative,
            allocations={d["member"]: d["amount"]},
            effective_on=d.get("effective_on"),
            note=d["note"],
        )
        return result, _("Converted %(amount)s yuan of reserve into capital.") % {"amount": d["amount"]}


# -- withdrawals ---------------------------------------------------------------------------------
class WithdrawalListView(ScopedListView):
    model = ShareWithdrawal
    allowed_roles = STAFF_ROLES
    filterset_class = WithdrawalFilter
    template_name = "shares/withdrawal_list.html"
    export_name = gettext_lazy("withdrawals")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Member"), "member.name"),
        (gettext_lazy("Amount (yuan)"), "amount"),
        (gettext_lazy("Application date"), "applied_on"),
        (gettext_lazy("Effective at"), "effective_on"),
        (gettext_lazy("State"), "state"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("member", "cooperative")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = user.is_superuser or bool(user.jurisdiction.roles & WRITERS)
        return ctx


class WithdrawalCreateView(_OperationView):
    model = ShareWithdrawal
    form_class = WithdrawalForm
    title = gettext_lazy("Apply to withdraw shares")
    explanation = gettext_lazy(
        "Law Art. 25: the application is made in writing at least three months before the end of the "
        "accounting year (six for an enterprise or organisation) and takes effect at that year end; Art. 28: "
        "the contribution and reserve share are refunded."
    )

    def load(self, **kwargs):
        self.cooperative = chosen_cooperative(self.request, ShareWithdrawal)

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            withdrawal = share_withdrawal_apply(
                actor=self.request.user,
                member=d["member"],
                amount=d["amount"],
                applied_on=d["applied_on"],
                leaves_cooperative=d["leaves_cooperative"],
                reason=d.get("reason", ""),
            )
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Application recorded; the withdrawal takes effect on %(date)s.") % {"date": withdrawal.effective_on},
        )
        return HttpResponseRedirect(withdrawal.get_absolute_url())


class WithdrawalDetailView(ScopedQuerysetMixin, DetailView):
    model = ShareWithdrawal
    allowed_roles = MEMBER_AND_STAFF
    template_name = "shares/withdrawal_detail.html"
    context_object_name = "withdrawal"

    def get_queryset(self):
        return super().get_queryset().select_related("member", "cooperative")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        w = self.object
        ctx["can_change"] = (
            w.state == WithdrawalState.PENDING
            and ShareWithdrawal.objects.for_user(self.request.user, "change").filter(pk=w.pk).exists()
        )
        ctx["refund_form"] = RefundForm(cooperative=w.cooperative)
        ctx["entries"] = entries = list(w.entries.select_related("reversed_by").order_by("pk"))
        ctx["sections"] = booking_sections(self.request, w.cooperative, entries)
        return ctx


class WithdrawalExecuteView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request, pk):
        withdrawal = get_object_or_404(ShareWithdrawal.objects.for_user(request.user, "change"), pk=pk)
        try:
            result = share_withdrawal_execute(
                actor=request.user,
                withdrawal=withdrawal,
                refund_note=request.POST.get("refund_note", ""),
                refund_account=request.POST.get("refund_account", ""),
            )
        except BusinessError as exc:
            report_error(request, exc)
        else:
            report_result(request, result, _("Refunded; the withdrawal is in the share ledger."))
        return HttpResponseRedirect(withdrawal.get_absolute_url())


class WithdrawalCancelView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request, pk):
        withdrawal = get_object_or_404(ShareWithdrawal.objects.for_user(request.user, "change"), pk=pk)
        try:
            share_withdrawal_cancel(actor=request.user, withdrawal=withdrawal)
        except BusinessError as exc:
            report_error(request, exc)
        else:
            messages.success(request, _("The application was withdrawn."))
        return HttpResponseRedirect(withdrawal.get_absolute_url())


# -- certificates --------------------------------------------------------------------------------
class CertificateListView(ScopedListView):
    model = ShareCertificate
    allowed_roles = STAFF_ROLES
    filterset_class = CertificateFilter
    template_name = "shares/certificate_list.html"
    export_name = gettext_lazy("certificates")
    export_columns = [
        (gettext_lazy("Certificate number"), "number"),
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Member"), "member.name"),
        (gettext_lazy("Total shares"), "total_amount"),
        (gettext_lazy("Issued on"), "issued_on"),
        (gettext_lazy("State"), "state"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("member", "cooperative")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["issue_cooperatives"] = cooperatives_for(self.request.user, ShareCertificate, "add")
        return ctx


class CertificateDetailView(ScopedQuerysetMixin, DetailView):
    """The certificate, printable on A4."""

    model = ShareCertificate
    allowed_roles = MEMBER_AND_STAFF
    template_name = "shares/certificate_detail.html"
    context_object_name = "certificate"

    def get_queryset(self):
        return super().get_queryset().select_related("member__household", "cooperative__village", "replaces")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cert = self.object
        member = cert.member
        ctx["id_number"] = personal_value(
            "id_number", member.id_number, full=full_id_checker(self.request.user)(member)
        )
        ctx["ratio"] = cert.total_amount / cert.cooperative_total if cert.cooperative_total else None
        ctx["replaced_by"] = ShareCertificate.objects.filter(replaces=cert).first()
        return ctx


class CertificateIssueView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request):
        coop_id = request.POST.get("cooperative", "")
        cooperative = get_object_or_404(
            cooperatives_for(request.user, ShareCertificate, "add"), pk=coop_id if coop_id.isdigit() else 0
        )
        try:
            issued = certificates_issue(actor=request.user, cooperative=cooperative)
        except BusinessError as exc:
            report_error(request, exc)
        else:
            messages.success(request, _("%(n)d certificates issued.") % {"n": len(issued)})
        return HttpResponseRedirect(reverse("shares:certificate_list") + f"?cooperative={cooperative.pk}")


# -- import --------------------------------------------------------------------------------------
class ImportStartView(ScopedQuerysetMixin, FormView):
    model = ImportBatch
    scope_action = "add"
    allowed_roles = WRITERS
    form_class = ImportForm
    template_name = "shares/import_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cooperatives"] = cooperatives_for(self.request.user, Member, "add")
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("cooperative", "").isdigit():
            initial["cooperative"] = int(self.request.GET["cooperative"])
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["recent"] = ImportBatch.objects.for_user(self.request.user).select_related("cooperative")[:10]
        ctx["async_rows"] = 2000
        return ctx

    def form_valid(self, form):
        try:
            batch = import_start(
                actor=self.request.user,
                cooperative=form.cleaned_data["cooperative"],
                file=form.cleaned_data["file"],
                confirm=form.cleaned_data["confirm"],
            )
        except ImportInvalid as exc:
            messages.error(self.request, exc.message)
            return HttpResponseRedirect(exc.batch.get_absolute_url())
        except BusinessError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        if batch.state == ImportState.DONE:
            messages.success(self.request, batch.message)
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportTemplateView(RoleRequiredMixin, View):
    allowed_roles = STAFF_ROLES

    def get(self, request):
        response = HttpResponse(importing.template_bytes(), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('成员及出资导入模板.xlsx')}"
        return response


class ImportDetailView(ScopedQuerysetMixin, DetailView):
    model = ImportBatch
    allowed_roles = STAFF_ROLES
    template_name = "shares/import_detail.html"
    context_object_name = "batch"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["errors"] = self.object.errors[:500]
        ctx["more_errors"] = max(0, len(self.object.errors) - 500)
        ctx["drafts"] = Contribution.objects.filter(import_batch=self.object, state=ContributionState.DRAFT).count()
        ctx["can_confirm"] = _can(self.request.user, Contribution, "change", self.object.region_code)
        ctx["can_download_report"] = _can(self.request.user, ImportBatch, "add", self.object.region_code)
        return ctx


class ImportProgressView(ScopedQuerysetMixin, DetailView):
    """The progress bar, polled by htmx every second until the import has finished."""

    model = ImportBatch
    allowed_roles = STAFF_ROLES
    template_name = "shares/includes/import_progress.html"
    context_object_name = "batch"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.object.is_finished and self.request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"
        return response


class ImportReportView(RoleRequiredMixin, View):
    """The uploaded workbook with the bad cells highlighted and a reason column."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        # the raw uploaded roster (full ID numbers, phones): only for who may import it
        batch = get_object_or_404(ImportBatch.objects.for_user(request.user, "add"), pk=pk)
        if not batch.errors:
            raise Http404
        try:
            with batch.file.open("rb") as fh:
                content = importing.report_bytes(fh, batch.errors)
        except BusinessError as exc:  # a workbook read for its rows that cannot be opened to be written
            messages.error(request, exc.message)
            return HttpResponseRedirect(batch.get_absolute_url())
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.xlsx"'
        return response


class StructureView(ScopedQuerysetMixin, TemplateView):
    """The share structure and compliance of one cooperative on a page of its own (printable)."""

    model = Cooperative
    allowed_roles = STAFF_ROLES
    template_name = "shares/structure.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cooperative = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        ctx["cooperative"] = cooperative
        ctx["panel"] = selectors.structure(cooperative)
        return ctx
