"""Books pages: the finance home, one cooperative's books, accounts, projects, years and months."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from cooperatives.models import Cooperative
from core.choices import STAFF_ROLES, ApprovalState
from core.exceptions import BusinessError
from core.models import ApprovalRequest
from core.views.lists import ScopedListView
from core.views.mixins import ScopedQuerysetMixin
from finance.choices import UNPOSTED, PeriodStatus, VoucherStatus
from finance.filters import AccountFilter, PeriodFilter, ProjectFilter
from finance.forms import (
    AccountCreateForm,
    AccountEditForm,
    LineFormSet,
    ProjectForm,
    YearForm,
    member_choices,
    project_choices,
)
from finance.models import Account, CooperativeBooks, FiscalYear, OpeningBalance, Period, Project, Voucher
from finance.selectors.ledgers import cash_and_bank
from finance.selectors.tieout import cooperative_tie_out
from finance.services import books as book_services
from finance.services.closing import (
    fiscal_year_close,
    period_close,
    period_close_preview,
    period_may_reopen,
    period_reopen_request,
)
from finance.views.base import CooperativeMixin, can


def _members(cooperative):
    from members.models import Member

    return list(Member.objects.filter(cooperative=cooperative).order_by("number"))


class FinanceHomeView(ScopedQuerysetMixin, ListView):
    """The books of every cooperative in the jurisdiction: chart, current month, unposted vouchers."""

    model = Cooperative
    allowed_roles = STAFF_ROLES
    template_name = "finance/home.html"
    paginate_by = 25

    def get_queryset(self):
        open_period = Period.objects.filter(cooperative=OuterRef("pk"), status=PeriodStatus.OPEN).order_by("start_date")
        unposted = (
            Voucher.objects.filter(cooperative=OuterRef("pk"), status__in=UNPOSTED)
            .order_by()
            .values("cooperative")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset()
            .select_related("village__parent")
            .annotate(
                has_books=Exists(CooperativeBooks.objects.filter(cooperative=OuterRef("pk"))),
                open_month=Subquery(open_period.values("start_date")[:1]),
                unposted=Subquery(unposted),
            )
            .order_by("region_code", "name")
        )


class BooksDetailView(CooperativeMixin, TemplateView):
    """One cooperative's books: years and months, cash and bank, what waits, where to go."""

    template_name = "finance/books_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        coop = self.cooperative
        ctx["can_write"] = can(user, Voucher, "add", coop.region_code)
        ctx["year_form"] = YearForm(initial={"year": 2026})
        if self.books is not None:
            ctx["years"] = FiscalYear.objects.filter(cooperative=coop).order_by("-year")
            ctx["status"] = cash_and_bank(coop, self.books)
            ctx["statements"] = self.books.chart.statements.order_by("order")
            ctx["pending"] = Voucher.objects.filter(cooperative=coop, status__in=UNPOSTED).count()
            ctx["tie"] = cooperative_tie_out(coop)
            latest = ctx["years"].first()
            ctx["next_year"] = latest.year + 1 if latest else None
        return ctx


class BooksOpenView(CooperativeMixin, FormView):
    """Open the books: the chart matching the cooperative's kind and a first fiscal year."""

    write_model = CooperativeBooks
    form_class = YearForm
    template_name = "finance/books_open.html"

    def form_valid(self, form):
        try:
            book_services.books_open(
                actor=self.request.user, cooperative=self.cooperative, year=form.cleaned_data["year"]
            )
        except BusinessError as exc:
            form.add_error("year", exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The books are open."))
        return HttpResponseRedirect(reverse("finance:books_detail", args=[self.cooperative.pk]))


class FiscalYearOpenView(CooperativeMixin, View):
    """POST: open the year after the latest one."""

    write_model = FiscalYear

    def post(self, request, pk):
        latest = FiscalYear.objects.filter(cooperative=self.cooperative).order_by("-year").first()
        year = latest.year + 1 if latest else None
        try:
            if year is None:
                raise BusinessError(_("Open the books of this cooperative first."), code="books_not_open")
            book_services.fiscal_year_open(actor=request.user, cooperative=self.cooperative, year=year)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Fiscal year %(year)s is open.") % {"year": year})
        return HttpResponseRedirect(reverse("finance:books_detail", args=[pk]))


class AccountListView(ScopedListView):
    model = Account
    allowed_roles = STAFF_ROLES
    filterset_class = AccountFilter
    template_name = "finance/account_list.html"
    paginate_by = 100
    export_name = gettext_lazy("accounts")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Code"), "code"),
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("Level"), "level"),
        (gettext_lazy("Category"), "category"),
        (gettext_lazy("Normal balance"), "balance_side"),
        (gettext_lazy("Pinyin initials"), "pinyin"),
        (gettext_lazy("In use"), lambda a: _("yes") if a.is_active else _("no")),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "member").order_by("cooperative_id", "code")


class AccountCreateView(CooperativeMixin, FormView):
    """Add a sub-account (a bank account under 102, a member under 114, …)."""

    write_model = Account
    form_class = AccountCreateForm
    template_name = "finance/account_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.accounts = list(Account.objects.filter(cooperative=self.cooperative).order_by("code"))
        self.members = _members(self.cooperative)
        kwargs.update(accounts=self.accounts, members=self.members)
        parent = self.request.GET.get("parent")
        if parent and parent.isdigit():
            kwargs.setdefault("initial", {})["parent"] = int(parent)
        return kwargs

    def form_valid(self, form):
        parent = next((a for a in self.accounts if a.pk == form.cleaned_data["parent"]), None)
        member = next((m for m in self.members if m.pk == form.cleaned_data.get("member")), None)
        try:
            account = book_services.account_create(
                actor=self.request.user,
                parent=parent,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                member=member,
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Account %(account)s added.") % {"account": account})
        return HttpResponseRedirect(reverse("finance:account_list") + f"?cooperative={self.cooperative.pk}")


class AccountDetailView(ScopedQuerysetMixin, DetailView):
    model = Account
    allowed_roles = STAFF_ROLES
    template_name = "finance/account_detail.html"
    context_object_name = "account"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "parent", "member")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["children"] = self.object.children.order_by("code")
        ctx["can_change"] = can(self.request.user, Account, "change", self.object.region_code)
        return ctx


class AccountUpdateView(ScopedQuerysetMixin, FormView):
    model = Account
    allowed_roles = STAFF_ROLES
    scope_action = "change"
    form_class = AccountEditForm
    template_name = "finance/account_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.account = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"name": self.account.name, "is_active": self.account.is_active}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["account"] = self.account
        return ctx

    def form_valid(self, form):
        try:
            book_services.account_update(
                actor=self.request.user,
                account=self.account,
                name=form.cleaned_data["name"],
                is_active=form.cleaned_data["is_active"],
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.account.get_absolute_url())


class AccountSearchView(ScopedQuerysetMixin, View):
    """``?cooperative=<id>&q=…``: leaf accounts in use whose code, pinyin initials or name match (JSON)."""

    model = Account
    allowed_roles = STAFF_ROLES

    def get(self, request):
        coop = request.GET.get("cooperative", "")
        q = (request.GET.get("q") or "").strip()[:40]
        if not coop.isdigit():
            return JsonResponse({"results": []})
        qs = self.get_queryset().filter(cooperative_id=int(coop), is_leaf=True, is_active=True)
        if q:
            qs = qs.filter(Q(code__startswith=q) | Q(pinyin__startswith=q.upper()) | Q(name__icontains=q))
        results = [
            {"id": a.pk, "code": a.code, "name": a.name, "pinyin": a.pinyin, "label": f"{a.code} {a.name}"}
            for a in qs.order_by("code")[:20]
        ]
        return JsonResponse({"results": results})


class ProjectListView(ScopedListView):
    model = Project
    allowed_roles = STAFF_ROLES
    filterset_class = ProjectFilter
    template_name = "finance/project_list.html"
    export_name = gettext_lazy("projects")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Code"), "code"),
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("In use"), lambda p: _("yes") if p.is_active else _("no")),
        (gettext_lazy("Note"), "note"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")


class ProjectCreateView(CooperativeMixin, FormView):
    write_model = Project
    form_class = ProjectForm
    template_name = "finance/project_form.html"

    def form_valid(self, form):
        try:
            book_services.project_create(
                actor=self.request.user,
                cooperative=self.cooperative,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("finance:project_list") + f"?cooperative={self.cooperative.pk}")


class ProjectUpdateView(ScopedQuerysetMixin, FormView):
    model = Project
    allowed_roles = STAFF_ROLES
    scope_action = "change"
    form_class = ProjectForm
    template_name = "finance/project_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_object_or_404(self.get_queryset().select_related("cooperative"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        p = self.project
        return {"code": p.code, "name": p.name, "is_active": p.is_active, "note": p.note}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["code"].disabled = True
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["project"] = self.project
        ctx["cooperative"] = self.project.cooperative
        return ctx

    def form_valid(self, form):
        try:
            book_services.project_update(
                actor=self.request.user,
                project=self.project,
                name=form.cleaned_data["name"],
                is_active=form.cleaned_data["is_active"],
                note=form.cleaned_data["note"],
            )
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("finance:project_list") + f"?cooperative={self.project.cooperative_id}")


class FiscalYearDetailView(ScopedQuerysetMixin, DetailView):
    """A fiscal year: its months with their vouchers and state, the opening balances, the closes."""

    model = FiscalYear
    allowed_roles = STAFF_ROLES
    template_name = "finance/fiscalyear_detail.html"
    context_object_name = "fiscal_year"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "carried_from")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fy = self.object
        ctx["cooperative"] = fy.cooperative
        ctx["periods"] = fy.periods.annotate(
            posted=Count("vouchers", filter=Q(vouchers__status=VoucherStatus.POSTED)),
            unposted=Count("vouchers", filter=Q(vouchers__status__in=UNPOSTED)),
        ).order_by("number")
        ctx["openings"] = OpeningBalance.objects.filter(fiscal_year=fy).select_related("account", "member", "project")
        ctx["can_close"] = can(self.request.user, FiscalYear, "close", fy.region_code)
        return ctx


class OpeningBalanceView(ScopedQuerysetMixin, TemplateView):
    """The opening balances of a first fiscal year, entered in the same grid as a voucher."""

    model = FiscalYear
    allowed_roles = STAFF_ROLES
    scope_action = "change"
    template_name = "finance/opening_form.html"
    BLANK_ROWS = 6

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.fiscal_year = get_object_or_404(self.get_queryset().select_related("cooperative"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _setup(self):
        coop = self.fiscal_year.cooperative
        self.accounts = {a.code: a for a in Account.objects.filter(cooperative=coop, is_leaf=True)}
        self.members = {m.pk: m for m in _members(coop)}
        self.projects = {p.pk: p for p in Project.objects.filter(cooperative=coop)}
        return {
            "accounts_by_code": self.accounts,
            "member_choices": member_choices(self.members.values()),
            "project_choices": project_choices(self.projects.values()),
        }

    def get_formset(self, data=None):
        kwargs = self._setup()
        initial = [
            {
                "account": f"{o.account.code} {o.account.name}",
                "debit": o.amount if o.amount > 0 else None,
                "credit": -o.amount if o.amount < 0 else None,
                "member": o.member_id,
                "project": o.project_id,
            }
            for o in OpeningBalance.objects.filter(fiscal_year=self.fiscal_year)
            .select_related("account")
            .order_by("account__code", "pk")
        ] + [{} for _ in range(self.BLANK_ROWS)]
        return LineFormSet(data, initial=None if data else initial, prefix="lines", form_kwargs=kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["fiscal_year"] = self.fiscal_year
        ctx["cooperative"] = self.fiscal_year.cooperative
        ctx.setdefault("formset", self.get_formset())
        return ctx

    def post(self, request, pk):
        formset = self.get_formset(request.POST)
        if formset.is_valid():
            rows = [
                book_services.OpeningRow(
                    account=f.cleaned_data["account"],
                    debit=f.cleaned_data.get("debit") or 0,
                    credit=f.cleaned_data.get("credit") or 0,
                    member=self.members.get(f.cleaned_data.get("member")),
                    project=self.projects.get(f.cleaned_data.get("project")),
                )
                for f in formset.forms
                if not f.is_blank
            ]
            try:
                book_services.opening_balances_set(actor=request.user, fiscal_year=self.fiscal_year, rows=rows)
            except BusinessError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Opening balances saved."))
                return HttpResponseRedirect(self.fiscal_year.get_absolute_url())
        return self.render_to_response(self.get_context_data(formset=formset))


class FiscalYearCloseView(ScopedQuerysetMixin, View):
    model = FiscalYear
    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        fiscal_year = get_object_or_404(self.get_queryset(), pk=pk)
        if not can(request.user, FiscalYear, "close", fiscal_year.region_code):
            raise PermissionDenied
        try:
            fiscal_year_close(actor=request.user, fiscal_year=fiscal_year)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Fiscal year %(year)s is closed; its balances open the next year.") % {"year": fiscal_year.year},
            )
        return HttpResponseRedirect(fiscal_year.get_absolute_url())


_unposted_count = (
    Voucher.objects.filter(period=OuterRef("pk"), status__in=UNPOSTED)
    .order_by()
    .values("period")
    .annotate(n=Count("pk"))
    .values("n")
)


class PeriodListView(ScopedListView):
    model = Period
    allowed_roles = STAFF_ROLES
    filterset_class = PeriodFilter
    template_name = "finance/period_list.html"
    export_name = gettext_lazy("periods")
    export_columns = [
        (gettext_lazy("Cooperative"), "cooperative.name"),
        (gettext_lazy("Year"), "fiscal_year.year"),
        (gettext_lazy("Month"), "number"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Vouchers"), "last_voucher_number"),
        (gettext_lazy("Closed at"), "closed_at"),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("cooperative", "fiscal_year")
            # a correlated count, evaluated for the page's rows only (a join + GROUP BY aggregated
            # every period of the county before the LIMIT: 5 s over 10,848 periods)
            .annotate(unposted=Coalesce(Subquery(_unposted_count), 0))
            .order_by("cooperative_id", "-start_date")
        )


class PeriodDetailView(ScopedQuerysetMixin, DetailView):
    model = Period
    allowed_roles = STAFF_ROLES
    template_name = "finance/period_detail.html"
    context_object_name = "period"

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative", "fiscal_year")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period = self.object
        ctx["cooperative"] = period.cooperative
        ctx["vouchers"] = period.vouchers.order_by("status", "number", "date", "pk")
        ctx["unposted"] = [v for v in ctx["vouchers"] if v.status in UNPOSTED]
        ctx["can_close"] = can_close = can(self.request.user, Period, "close", period.region_code)
        ctx["reopen_request"] = reopen = (
            ApprovalRequest.objects.filter(
                kind="period_reopen",
                subject_type=ContentType.objects.get_for_model(Period),
                subject_id=period.pk,
                state=ApprovalState.SUBMITTED,
            ).first()
            if not period.is_open
            else None
        )
        ctx["can_reopen"] = can_close and reopen is None and period_may_reopen(period)
        return ctx


class PeriodCloseView(ScopedQuerysetMixin, TemplateView):
    """GET: what closing the month will do, and the button; POST: close it (refused, with the
    list, while a voucher of it is unposted)."""

    model = Period
    allowed_roles = STAFF_ROLES
    template_name = "finance/period_close.html"

    def _period(self, pk) -> Period:
        period = get_object_or_404(self.get_queryset().select_related("cooperative", "fiscal_year"), pk=pk)
        if not can(self.request.user, Period, "close", period.region_code):
            raise PermissionDenied
        return period

    def get(self, request, pk):
        period = self._period(pk)
        if not period.is_open:
            return HttpResponseRedirect(period.get_absolute_url())
        return self.render_to_response(
            self.get_context_data(period=period, cooperative=period.cooperative, preview=period_close_preview(period))
        )

    def post(self, request, pk):
        period = self._period(pk)
        try:
            period_close(actor=request.user, period=period)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(period)s is closed.") % {"period": period.label})
        return HttpResponseRedirect(period.get_absolute_url())


class PeriodReopenView(ScopedQuerysetMixin, View):
    """POST ``reason``: ask the township to reopen the closed month."""

    model = Period
    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        period = get_object_or_404(self.get_queryset(), pk=pk)
        if not can(request.user, Period, "close", period.region_code):
            raise PermissionDenied
        try:
            period_reopen_request(actor=request.user, period=period, reason=request.POST.get("reason", ""))
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The request to reopen %(period)s went to the township.") % {"period": period.label}
            )
        return HttpResponseRedirect(period.get_absolute_url())
