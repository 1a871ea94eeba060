"""Economic contract pages: list, contracts needing attention, entry, the contract, payments."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from core.choices import STAFF_ROLES
from core.exceptions import BusinessError
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from finance.choices import ContractStatus, VoucherStatus
from finance.filters import ContractFilter
from finance.forms import ContractFileForm, ContractForm, ContractPaymentForm, InstalmentFormSet
from finance.models import Contract, Voucher
from finance.selectors.contracts import contracts_needing_attention, overdue_instalments, with_payment_figures
from finance.services import contracts as contract_services
from finance.views.base import CooperativeMixin, can
from finance.views.vouchers import approvals_of

CONTRACT_COLUMNS = [
    (gettext_lazy("Cooperative"), "cooperative.name"),
    (gettext_lazy("Contract number"), "number"),
    (pgettext_lazy("contract", "Subject"), "subject"),
    (gettext_lazy("Counterparty"), "counterparty"),
    (gettext_lazy("Direction"), "direction"),
    (gettext_lazy("Amount"), "amount"),
    (gettext_lazy("Paid"), "paid"),
    (gettext_lazy("Term from"), "start_date"),
    (gettext_lazy("Term to"), "end_date"),
    (gettext_lazy("Status"), "status"),
    (gettext_lazy("Filing number"), "filing_number"),
]


class ContractListView(ScopedListView):
    model = Contract
    allowed_roles = STAFF_ROLES
    filterset_class = ContractFilter
    template_name = "finance/contract_list.html"
    export_name = gettext_lazy("contracts")
    export_columns = CONTRACT_COLUMNS

    def get_queryset(self):
        return with_payment_figures(super().get_queryset().select_related("cooperative")).order_by("-start_date", "-pk")


class ContractAttentionView(ScopedListView):
    """Effective contracts ending within 30 days or with instalments past due and unpaid."""

    model = Contract
    allowed_roles = STAFF_ROLES
    filterset_class = ContractFilter
    template_name = "finance/contract_attention.html"
    export_name = gettext_lazy("contracts-attention")
    export_columns = [*CONTRACT_COLUMNS, (gettext_lazy("Due to date"), "due_to_date")]

    def get_queryset(self):
        return contracts_needing_attention(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        return ctx


class _ContractFormView(TemplateView):
    template_name = "finance/contract_form.html"
    contract: Contract | None = None

    def forms(self, data=None, files=None, *, initial=None, instalments=None):
        form = ContractForm(data, files, initial=initial)
        formset = InstalmentFormSet(data, initial=None if data else instalments, prefix="instalments")
        return form, formset

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST, request.FILES)
        if form.is_valid() and formset.is_valid():
            instalments = [
                contract_services.InstalmentInput(
                    f.cleaned_data.get("due_date"), f.cleaned_data.get("amount") or 0, f.cleaned_data.get("note", "")
                )
                for f in formset.forms
                if f.cleaned_data.get("due_date") or f.cleaned_data.get("amount")
            ]
            data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            try:
                contract = self.save(data, instalments, form.cleaned_data.get("file"))
            except BusinessError as exc:
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Contract saved."))
                return HttpResponseRedirect(contract.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class ContractCreateView(CooperativeMixin, _ContractFormView):
    write_model = Contract

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["formset"] = self.forms(instalments=[{}, {}, {}])
        return super().get_context_data(**kwargs)

    def save(self, data, instalments, file):
        return contract_services.contract_create(
            actor=self.request.user, cooperative=self.cooperative, instalments=instalments, file=file, **data
        )


class ContractUpdateView(ScopedQuerysetMixin, _ContractFormView):
    model = Contract
    allowed_roles = STAFF_ROLES
    scope_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.contract = get_object_or_404(self.get_queryset().select_related("cooperative"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        c = self.contract
        if "form" not in kwargs:
            initial = {f: getattr(c, f) for f in contract_services.FIELDS}
            instalments = [
                {"due_date": i.due_date, "amount": i.amount, "note": i.note} for i in c.instalments.order_by("sequence")
            ] + [{}]
            kwargs["form"], kwargs["formset"] = self.forms(initial=initial, instalments=instalments)
        ctx = super().get_context_data(**kwargs)
        ctx["contract"] = c
        ctx["cooperative"] = c.cooperative
        return ctx

    def save(self, data, instalments, file):
        return contract_services.contract_update(
            actor=self.request.user, contract=self.contract, instalments=instalments, file=file, **data
        )


class ContractDetailView(ScopedQuerysetMixin, DetailView):
    model = Contract
    allowed_roles = STAFF_ROLES
    template_name = "finance/contract_detail.html"
    context_object_name = "contract"

    def get_queryset(self):
        return with_payment_figures(super().get_queryset().select_related("cooperative", "filed_by", "created_by"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c = self.object
        user = self.request.user
        ctx["cooperative"] = c.cooperative
        ctx["schedule"] = overdue_instalments(c, c.paid)
        ctx["outstanding"] = c.amount - c.paid
        ctx["payments"] = c.payments.select_related("voucher__period").order_by("paid_on", "pk")
        ctx["approvals"] = approvals_of(c)
        writer = can(user, Contract, "change", c.region_code)
        ctx["can_edit"] = writer and c.status == ContractStatus.DRAFT
        ctx["can_pay"] = writer and c.status == ContractStatus.EFFECTIVE
        ctx["can_file"] = can(user, Contract, "file", c.region_code) and c.status == ContractStatus.APPROVED
        ctx["file_form"] = ContractFileForm()
        return ctx


class ContractFileView(ScopedQuerysetMixin, View):
    """The signed contract file."""

    model = Contract
    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        contract = get_object_or_404(self.get_queryset(), pk=pk)
        if not contract.file:
            raise Http404(_("No file is attached to this contract."))
        try:
            handle = contract.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404(_("The file is missing.")) from exc
        return FileResponse(handle, filename=f"{contract.number}{os.path.splitext(contract.file.name)[1]}")


class ContractActionView(ScopedQuerysetMixin, View):
    """POST ``action`` = submit (to the township) | file (the township files it)."""

    model = Contract
    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        contract = get_object_or_404(self.get_queryset(), pk=pk)
        action = request.POST.get("action", "")
        try:
            if action == "submit":
                if not can(request.user, Contract, "change", contract.region_code):
                    raise PermissionDenied
                contract_services.contract_submit(actor=request.user, contract=contract)
                messages.success(request, _("Sent to the township for review."))
            elif action == "file":
                if not can(request.user, Contract, "file", contract.region_code):
                    raise PermissionDenied
                form = ContractFileForm(request.POST)
                form.is_valid()
                contract_services.contract_file(
                    actor=request.user, contract=contract, filing_number=form.cleaned_data.get("filing_number", "")
                )
                messages.success(request, _("Filed: the contract is effective."))
            else:
                messages.error(request, _("Choose what to do."))
        except BusinessError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        return HttpResponseRedirect(contract.get_absolute_url())


class ContractPaymentCreateView(ScopedQuerysetMixin, TemplateView):
    """Record a payment under an effective contract against one of the cooperative's posted vouchers."""

    model = Contract
    allowed_roles = STAFF_ROLES
    scope_action = "change"
    template_name = "finance/contract_payment_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.contract = get_object_or_404(self.get_queryset().select_related("cooperative"), pk=kwargs["pk"])
            self.vouchers = list(
                Voucher.objects.filter(cooperative_id=self.contract.cooperative_id, status=VoucherStatus.POSTED)
                .select_related("period")
                .order_by("-date", "-pk")[:200]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["contract"] = self.contract
        ctx["cooperative"] = self.contract.cooperative
        ctx.setdefault("form", ContractPaymentForm(vouchers=self.vouchers))
        return ctx

    def post(self, request, pk):
        form = ContractPaymentForm(request.POST, vouchers=self.vouchers)
        if form.is_valid():
            voucher = next((v for v in self.vouchers if v.pk == form.cleaned_data["voucher"]), None)
            try:
                contract_services.contract_payment_record(
                    actor=request.user,
                    contract=self.contract,
                    voucher=voucher,
                    amount=form.cleaned_data["amount"],
                    paid_on=form.cleaned_data.get("paid_on"),
                    note=form.cleaned_data.get("note", ""),
                )
            except BusinessError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Payment recorded."))
                return HttpResponseRedirect(self.contract.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))
