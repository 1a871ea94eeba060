"""Voucher pages: the list, the keyboard-first entry grid, the voucher, its actions and attachments."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import DetailView, TemplateView

from core.choices import STAFF_ROLES
from core.exceptions import BusinessError
from core.models import ApprovalRequest
from core.policies import policy_for
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from finance.choices import UNPOSTED, VoucherKind, VoucherStatus
from finance.filters import VoucherFilter
from finance.forms import (
    AttachmentForm,
    LineFormSet,
    ReverseForm,
    VoucherForm,
    member_choices,
    project_choices,
    today_in,
)
from finance.models import Account, Period, Project, Voucher, VoucherAttachment, VoucherLine
from finance.paginators import CappedPaginator
from finance.selectors.payees import payee_code_shown
from finance.services import vouchers as voucher_services
from finance.views.base import CooperativeMixin, can

BLANK_LINES = 4
PAYEE_FIELDS = ("payee_member", "payee_name", "payee_code", "payee_account")


class VoucherListView(ScopedListView):
    model = Voucher
    allowed_roles = STAFF_ROLES
    filterset_class = VoucherFilter
    template_name = "finance/voucher_list.html"
    export_name = gettext_lazy("vouchers")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Date"), "date"),
        (gettext_lazy("Month"), lambda v: v.period.label),
        (gettext_lazy("Number"), "display_number"),
        (gettext_lazy("Summary"), "summary"),
        (gettext_lazy("Total"), "total_debit"),
        (gettext_lazy("Cash paid out"), "payment_amount"),
        (gettext_lazy("Kind"), "kind"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Attachments (sheets)"), "attachment_count"),
    ]

    paginator_class = CappedPaginator

    def get_queryset(self):
        # prefetched, not joined: the page is an index scan of the 25 newest vouchers
        return super().get_queryset().prefetch_related("cooperative", "period").order_by("-date", "-pk")


class _VoucherEntry(TemplateView):
    """The entry grid: date, summary, attachments, and lines (account by code or pinyin initials)."""

    template_name = "finance/voucher_form.html"
    voucher: Voucher | None = None

    def setup_books(self, cooperative):
        from members.models import Member

        self.accounts = {
            a.code: a for a in Account.objects.filter(cooperative=cooperative, is_leaf=True, is_active=True)
        }
        self.members = {m.pk: m for m in Member.objects.filter(cooperative=cooperative).order_by("number")}
        self.projects = {p.pk: p for p in Project.objects.filter(cooperative=cooperative, is_active=True)}
        self.periods = list(Period.objects.filter(cooperative=cooperative).order_by("start_date"))

    def line_kwargs(self):
        return {
            "accounts_by_code": self.accounts,
            "member_choices": member_choices(self.members.values()),
            "project_choices": project_choices(self.projects.values()),
        }

    @staticmethod
    def payee_initial(voucher: Voucher) -> dict:
        return {
            "payee_member": voucher.payee_member_id,
            "payee_name": voucher.payee_name,
            "payee_code": voucher.payee_code,
            "payee_account": voucher.payee_account,
        }

    @staticmethod
    def line_initial(voucher: Voucher) -> list[dict]:
        return [
            {
                "account": f"{line.account.code} {line.account.name}",
                "summary": line.summary,
                "debit": abs(line.debit) if line.debit else None,
                "credit": abs(line.credit) if line.credit else None,
                "member": line.member_id,
                "project": line.project_id,
            }
            for line in voucher.lines.select_related("account").order_by("line_no")
        ]

    def forms(self, data=None, *, header=None, lines=None):
        form = VoucherForm(data, initial=header, member_choices=member_choices(self.members.values()))
        formset = LineFormSet(data, initial=None if data else lines, prefix="lines", form_kwargs=self.line_kwargs())
        return form, formset

    def cooperative_obj(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        coop = self.cooperative_obj()
        ctx["cooperative"] = coop
        ctx["voucher"] = self.voucher
        form = ctx.get("form")
        ctx["payee_fields"] = [form[name] for name in PAYEE_FIELDS] if form is not None else []
        ctx["threshold"] = policy_for(coop.region_code).expenditure_approval_threshold
        ctx["last_voucher"] = (
            Voucher.objects.filter(cooperative=coop, kind=VoucherKind.MANUAL).order_by("-date", "-pk").first()
        )
        return ctx

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            lines = [
                voucher_services.LineInput(
                    account=f.cleaned_data["account"],
                    debit=f.cleaned_data.get("debit") or 0,
                    credit=f.cleaned_data.get("credit") or 0,
                    summary=f.cleaned_data.get("summary") or "",
                    member=self.members.get(f.cleaned_data.get("member")),
                    project=self.projects.get(f.cleaned_data.get("project")),
                )
                for f in formset.forms
                if not f.is_blank
            ]
            data = form.cleaned_data
            payee = voucher_services.PayeeInput(
                member=self.members.get(data.get("payee_member")),
                name=data.get("payee_name") or "",
                code=data.get("payee_code") or "",
                account=data.get("payee_account") or "",
            )
            try:
                voucher = self.save(data, lines, payee)
            except BusinessError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Voucher saved."))
                if "save_new" in request.POST:
                    return HttpResponseRedirect(reverse("finance:voucher_add", args=[voucher.cooperative_id]))
                return HttpResponseRedirect(voucher.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class VoucherCreateView(CooperativeMixin, _VoucherEntry):
    """``/finance/cooperatives/<pk>/vouchers/new/`` (``?copy=<voucher id>`` starts from a voucher)."""

    write_model = Voucher

    def cooperative_obj(self):
        return self.cooperative

    def get(self, request, *args, **kwargs):
        if self.books is None:
            return render(request, "finance/no_books.html", {"cooperative": self.cooperative})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            self.setup_books(self.cooperative)
            header = {"date": today_in(self.periods), "attachment_count": 0}
            lines = [{} for _ in range(BLANK_LINES)]
            copy = self.request.GET.get("copy", "")
            if copy.isdigit():
                source = (
                    Voucher.objects.for_user(self.request.user)
                    .filter(cooperative=self.cooperative, pk=int(copy))
                    .first()
                )
                if source is not None and source.kind == VoucherKind.MANUAL:
                    header["summary"] = source.summary
                    header["attachment_count"] = source.attachment_count
                    header |= self.payee_initial(source)
                    lines = [*self.line_initial(source), {}]
            kwargs["form"], kwargs["formset"] = self.forms(header=header, lines=lines)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_books(self.cooperative)
        return super().post(request, *args, **kwargs)

    def save(self, data, lines, payee):
        return voucher_services.voucher_create(
            actor=self.request.user,
            cooperative=self.cooperative,
            date=data["date"],
            summary=data["summary"],
            attachment_count=data["attachment_count"] or 0,
            lines=lines,
            payee=payee,
        )


class VoucherUpdateView(ScopedQuerysetMixin, _VoucherEntry):
    model = Voucher
    allowed_roles = STAFF_ROLES
    scope_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.voucher = get_object_or_404(self.get_queryset().select_related("cooperative"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def cooperative_obj(self):
        return self.voucher.cooperative

    def get(self, request, *args, **kwargs):
        if self.voucher.status != VoucherStatus.DRAFT or self.voucher.kind != VoucherKind.MANUAL:
            messages.error(request, _("Only a draft voucher can be changed."))
            return HttpResponseRedirect(self.voucher.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            self.setup_books(self.voucher.cooperative)
            v = self.voucher
            header = {"date": v.date, "summary": v.summary, "attachment_count": v.attachment_count}
            header |= self.payee_initial(v)
            kwargs["form"], kwargs["formset"] = self.forms(header=header, lines=[*self.line_initial(v), {}, {}])
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_books(self.voucher.cooperative)
        return super().post(request, *args, **kwargs)

    def save(self, data, lines, payee):
        return voucher_services.voucher_update(
            actor=self.request.user,
            voucher=self.voucher,
            date=data["date"],
            summary=data["summary"],
            attachment_count=data["attachment_count"] or 0,
            lines=lines,
            payee=payee,
        )


def approvals_of(obj) -> list[ApprovalRequest]:
    return list(
        ApprovalRequest.objects.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)
        .select_related("requested_by")
        .order_by("-created_at")
    )


class VoucherDetailView(ScopedQuerysetMixin, DetailView):
    model = Voucher
    allowed_roles = STAFF_ROLES
    template_name = "finance/voucher_detail.html"
    context_object_name = "voucher"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("cooperative", "period", "created_by", "posted_by", "reverses__period", "payee_member")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v = self.object
        user = self.request.user
        writer = can(user, Voucher, "change", v.region_code)
        ctx["cooperative"] = v.cooperative
        ctx["lines"] = v.lines.select_related("account", "member", "project").order_by("line_no")
        ctx["attachments"] = v.attachments.all()
        ctx["approvals"] = approvals_of(v)
        ctx["reversed_by"] = Voucher.objects.filter(reverses=v).select_related("period").first()
        route = voucher_services.approval_route(v) if v.status != VoucherStatus.POSTED else None
        ctx["route"] = route
        ctx["approval_kind"] = route.kind if route else None
        ctx["threshold"] = policy_for(v.region_code).expenditure_approval_threshold
        ctx["payee_code"] = payee_code_shown(v, user)
        ctx["can_edit"] = writer and v.status == VoucherStatus.DRAFT and v.kind == VoucherKind.MANUAL
        ctx["can_post"] = ctx["can_edit"] and ctx["approval_kind"] is None
        ctx["can_submit"] = ctx["can_edit"] and ctx["approval_kind"] is not None
        ctx["can_reverse"] = (
            writer and v.status == VoucherStatus.POSTED and v.kind == VoucherKind.MANUAL and ctx["reversed_by"] is None
        )
        ctx["can_attach"] = writer and v.status in UNPOSTED
        ctx["attachment_form"] = AttachmentForm()
        return ctx


ACTIONS = {
    "post": lambda user, v: voucher_services.voucher_post(actor=user, voucher=v),
    "submit": lambda user, v: voucher_services.voucher_submit(actor=user, voucher=v),
    "delete": lambda user, v: voucher_services.voucher_delete(actor=user, voucher=v),
}
DONE = {
    "post": gettext_lazy("Posted."),
    "submit": gettext_lazy("Submitted for approval."),
    "delete": gettext_lazy("Draft deleted."),
}


class VoucherActionView(ScopedQuerysetMixin, View):
    """POST ``action`` = post | submit | delete; the service decides, the page shows its message."""

    model = Voucher
    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        voucher = get_object_or_404(self.get_queryset(), pk=pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, _("Choose what to do."))
            return HttpResponseRedirect(voucher.get_absolute_url())
        if not can(request.user, Voucher, "change", voucher.region_code):
            raise PermissionDenied
        try:
            ACTIONS[action](request.user, voucher)
        except BusinessError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
            return HttpResponseRedirect(voucher.get_absolute_url())
        messages.success(request, DONE[action])
        if action == "delete":
            return HttpResponseRedirect(reverse("finance:voucher_list") + f"?cooperative={voucher.cooperative_id}")
        return HttpResponseRedirect(voucher.get_absolute_url())


class VoucherReverseView(ScopedQuerysetMixin, TemplateView):
    """Correct a posted voucher with a red-ink reversal."""

    model = Voucher
    allowed_roles = STAFF_ROLES
    template_name = "finance/voucher_reverse.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.voucher = get_object_or_404(
                self.get_queryset().select_related("cooperative", "period"), pk=kwargs["pk"]
            )
            if not can(request.user, Voucher, "reverse", self.voucher.region_code):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["voucher"] = self.voucher
        ctx["cooperative"] = self.voucher.cooperative
        ctx["lines"] = self.voucher.lines.select_related("account").order_by("line_no")
        ctx.setdefault("form", ReverseForm())
        return ctx

    def post(self, request, pk):
        form = ReverseForm(request.POST)
        if form.is_valid():
            try:
                reversal = voucher_services.voucher_reverse(
                    actor=request.user,
                    voucher=self.voucher,
                    date=form.cleaned_data["date"],
                    summary=form.cleaned_data["summary"],
                )
            except BusinessError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Reversed by %(number)s.") % {"number": reversal.display_number})
                return HttpResponseRedirect(reversal.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class AttachmentUploadView(ScopedQuerysetMixin, View):
    model = Voucher
    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        voucher = get_object_or_404(self.get_queryset(), pk=pk)
        if not can(request.user, Voucher, "change", voucher.region_code):
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file."))
        else:
            try:
                voucher_services.attachment_add(actor=request.user, voucher=voucher, file=form.cleaned_data["file"])
            except BusinessError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Attachment added."))
        return HttpResponseRedirect(voucher.get_absolute_url())


# the file opens inside this site's own pages (the approval page shows a voucher's receipts), and
# inside no one else's
@method_decorator([xframe_options_sameorigin, csp_replace({"frame-ancestors": ["'self'"]})], name="get")
class AttachmentView(ScopedQuerysetMixin, View):
    """GET shows the file (inline); POST deletes it (unposted vouchers only)."""

    model = VoucherAttachment
    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        attachment = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404(_("The file is missing.")) from exc
        return FileResponse(handle, filename=attachment.original_name, content_type=attachment.content_type)

    def post(self, request, pk):
        attachment = get_object_or_404(self.get_queryset().select_related("voucher"), pk=pk)
        if not can(request.user, Voucher, "change", attachment.region_code):
            raise PermissionDenied
        try:
            voucher_services.attachment_delete(actor=request.user, attachment=attachment)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Attachment removed."))
        return HttpResponseRedirect(attachment.voucher.get_absolute_url())


class PeriodVoucherPrintView(ScopedQuerysetMixin, DetailView):
    """A month's posted vouchers in number order, one to a printed page (记账凭证 with its lines,
    total in capitals and signature row), to bind with the month's receipts."""

    model = Period
    allowed_roles = STAFF_ROLES
    template_name = "finance/period_print.html"
    context_object_name = "period"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        vouchers = list(
            self.object.vouchers.filter(status=VoucherStatus.POSTED)
            .select_related("created_by", "posted_by", "payee_member", "reverses__period", "period")
            .prefetch_related(
                Prefetch(
                    "lines",
                    queryset=VoucherLine.objects.select_related("account", "member", "project").order_by("line_no"),
                    to_attr="printed_lines",
                )
            )
            .order_by("number")
        )
        for voucher in vouchers:
            voucher.shown_payee_code = payee_code_shown(voucher, user)
        ctx["cooperative"] = self.object.cooperative
        ctx["vouchers"] = vouchers
        return ctx
