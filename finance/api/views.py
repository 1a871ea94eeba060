"""Finance API: the same services as the pages, scoped by ``for_user``; operations are actions."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.serializers import ApprovalRequestSerializer
from core.api.viewsets import ERROR_RESPONSES, TenantViewSetMixin
from core.exceptions import BusinessError
from finance.api import serializers as s
from finance.filters import (
    AccountFilter,
    CollectiveIncomeFilter,
    ContractFilter,
    FiscalYearFilter,
    PatronageFilter,
    PeriodFilter,
    ProjectFilter,
    VoucherFilter,
)
from finance.models import (
    Account,
    CollectiveIncome,
    Contract,
    CooperativeBooks,
    FiscalYear,
    OpeningBalance,
    PatronageTransaction,
    Period,
    Project,
    Voucher,
)
from finance.selectors import ledgers, statements
from finance.selectors import members as member_selectors
from finance.selectors.collective import collective_income_by_village
from finance.selectors.contracts import with_payment_figures
from finance.services import books as book_services
from finance.services import collective as collective_services
from finance.services import contracts as contract_services
from finance.services import members as member_services
from finance.services import vouchers as voucher_services
from finance.services.closing import fiscal_year_close, period_close, period_reopen_request
from finance.views.base import can
from members.models import Member


def _require(user, model, action_name: str, region_code: str) -> None:
    if not can(user, model, action_name, region_code):
        raise PermissionDenied()


class AccountViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts of the cooperatives in the caller's jurisdiction; POST adds a sub-account."""

    queryset_model = Account
    serializer_class = s.AccountSerializer
    filterset_class = AccountFilter

    def get_base_queryset(self):
        return Account.objects.order_by("cooperative_id", "code")

    @extend_schema(request=s.AccountCreateSerializer, responses={201: s.AccountSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        data = s.AccountCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        account = book_services.account_create(actor=request.user, **data.validated_data)
        return Response(s.AccountSerializer(account).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AccountUpdateSerializer, responses={200: s.AccountSerializer, **ERROR_RESPONSES})
    def update(self, request, *args, **kwargs):
        account = self.get_object()
        data = s.AccountUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        account = book_services.account_update(actor=request.user, account=account, **data.validated_data)
        return Response(s.AccountSerializer(account).data)


class FiscalYearViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Fiscal years; POST opens the books (first year) or the next year; ``close`` closes the year;
    ``opening-balances`` reads (GET) or replaces (PUT) a first year's opening balances."""

    queryset_model = FiscalYear
    serializer_class = s.FiscalYearSerializer
    filterset_class = FiscalYearFilter
    scope_actions = {"close": "view", "opening_balances": "view"}

    def get_base_queryset(self):
        return FiscalYear.objects.order_by("cooperative_id", "-year")

    @extend_schema(request=s.FiscalYearCreateSerializer, responses={201: s.FiscalYearSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        data = s.FiscalYearCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        coop, year = data.validated_data["cooperative"], data.validated_data["year"]
        _require(request.user, FiscalYear, "add", coop.region_code)
        if CooperativeBooks.objects.filter(cooperative=coop).exists():
            fiscal_year = book_services.fiscal_year_open(actor=request.user, cooperative=coop, year=year)
        else:
            book_services.books_open(actor=request.user, cooperative=coop, year=year)
            fiscal_year = FiscalYear.objects.get(cooperative=coop, year=year)
        return Response(s.FiscalYearSerializer(fiscal_year).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.FiscalYearSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        fiscal_year = self.get_object()
        _require(request.user, FiscalYear, "close", fiscal_year.region_code)
        return Response(s.FiscalYearSerializer(fiscal_year_close(actor=request.user, fiscal_year=fiscal_year)).data)

    @extend_schema(
        methods=["GET"], request=None, responses={200: s.OpeningBalanceSerializer(many=True), **ERROR_RESPONSES}
    )
    @extend_schema(
        methods=["PUT"],
        request=s.OpeningBalancesSerializer,
        responses={200: s.OpeningBalanceSerializer(many=True), **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "put"], url_path="opening-balances")
    def opening_balances(self, request, pk=None):
        fiscal_year = self.get_object()
        if request.method == "PUT":
            _require(request.user, FiscalYear, "change", fiscal_year.region_code)
            data = s.OpeningBalancesSerializer(data=request.data, context={"request": request})
            data.is_valid(raise_exception=True)
            rows = [book_services.OpeningRow(**row) for row in data.validated_data["rows"]]
            book_services.opening_balances_set(actor=request.user, fiscal_year=fiscal_year, rows=rows)
        rows = (
            OpeningBalance.objects.filter(fiscal_year=fiscal_year).select_related("account").order_by("account__code")
        )
        return Response(s.OpeningBalanceSerializer(rows, many=True).data)


class PeriodViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Months; ``close`` refuses while a voucher of the month is unposted and lists them."""

    queryset_model = Period
    serializer_class = s.PeriodSerializer
    filterset_class = PeriodFilter
    scope_actions = {"close": "view", "reopen": "view"}

    def get_base_queryset(self):
        return Period.objects.select_related("fiscal_year").order_by("cooperative_id", "-start_date")

    @extend_schema(request=None, responses={200: s.PeriodSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        period = self.get_object()
        _require(request.user, Period, "close", period.region_code)
        period_close(actor=request.user, period=period)
        return Response(s.PeriodSerializer(self.get_queryset().get(pk=period.pk)).data)

    @extend_schema(request=s.PeriodReopenSerializer, responses={201: ApprovalRequestSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Ask the township to reopen the closed month; answers the approval request it opened."""
        period = self.get_object()
        _require(request.user, Period, "close", period.region_code)
        data = s.PeriodReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = period_reopen_request(actor=request.user, period=period, reason=data.validated_data["reason"])
        return Response(ApprovalRequestSerializer(approval).data, status=201)


def _payee_input(data) -> voucher_services.PayeeInput:
    return voucher_services.PayeeInput(
        member=data.get("payee_member"),
        name=data.get("payee_name", ""),
        code=data.get("payee_code", ""),
        account=data.get("payee_account", ""),
    )


def _line_inputs(rows) -> list[voucher_services.LineInput]:
    return [
        voucher_services.LineInput(
            account=row["account"],
            debit=row.get("debit") or 0,
            credit=row.get("credit") or 0,
            summary=row.get("summary", ""),
            member=row.get("member"),
            project=row.get("project"),
        )
        for row in rows
    ]


class VoucherViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """Vouchers. Writes change drafts only; ``post``, ``submit`` (for expenditure approval) and
    ``reverse`` (red-ink reversal) are operations. Posted vouchers never change."""

    queryset_model = Voucher
    serializer_class = s.VoucherSerializer
    filterset_class = VoucherFilter
    scope_actions = {"post": "view", "submit": "view", "reverse": "view"}

    def get_base_queryset(self):
        return (
            Voucher.objects.select_related("period", "payee_member")
            .prefetch_related("lines__account")
            .order_by("-date", "-pk")
        )

    def _out(self, voucher, code=status.HTTP_200_OK):
        row = self.get_base_queryset().get(pk=voucher.pk)
        return Response(s.VoucherSerializer(row, context={"request": self.request}).data, status=code)

    @extend_schema(request=s.VoucherWriteSerializer, responses={201: s.VoucherSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        data = s.VoucherWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        coop = data.validated_data.get("cooperative")
        if coop is None:
            raise BusinessError(_("Choose the cooperative."), code="required", field="cooperative")
        _require(request.user, Voucher, "add", coop.region_code)
        voucher = voucher_services.voucher_create(
            actor=request.user,
            cooperative=coop,
            date=data.validated_data["date"],
            summary=data.validated_data["summary"],
            attachment_count=data.validated_data["attachment_count"],
            lines=_line_inputs(data.validated_data["lines"]),
            payee=_payee_input(data.validated_data),
        )
        return self._out(voucher, status.HTTP_201_CREATED)

    @extend_schema(request=s.VoucherWriteSerializer, responses={200: s.VoucherSerializer, **ERROR_RESPONSES})
    def update(self, request, *args, **kwargs):
        voucher = self.get_object()
        data = s.VoucherWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        voucher = voucher_services.voucher_update(
            actor=request.user,
            voucher=voucher,
            date=data.validated_data["date"],
            summary=data.validated_data["summary"],
            attachment_count=data.validated_data["attachment_count"],
            lines=_line_inputs(data.validated_data["lines"]),
            payee=_payee_input(data.validated_data),
        )
        return self._out(voucher)

    @extend_schema(request=s.VoucherWriteSerializer, responses={200: s.VoucherSerializer, **ERROR_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        voucher_services.voucher_delete(actor=request.user, voucher=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: s.VoucherSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        return self._out(voucher_services.voucher_post(actor=request.user, voucher=self.get_object()))

    @extend_schema(request=s.CommentSerializer, responses={200: s.VoucherSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        voucher = self.get_object()
        data = s.CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        voucher_services.voucher_submit(actor=request.user, voucher=voucher, comment=data.validated_data["comment"])
        return self._out(voucher)

    @extend_schema(request=s.VoucherReverseSerializer, responses={201: s.VoucherSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        voucher = self.get_object()
        data = s.VoucherReverseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = voucher_services.voucher_reverse(
            actor=request.user,
            voucher=voucher,
            date=data.validated_data.get("date"),
            summary=data.validated_data["summary"],
        )
        return self._out(reversal, status.HTTP_201_CREATED)


class ContractViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Economic contracts; ``submit`` sends one to the township, ``file`` (township) makes it
    effective, ``payments`` lists (GET) or records (POST) payments against posted vouchers."""

    queryset_model = Contract
    serializer_class = s.ContractSerializer
    filterset_class = ContractFilter
    scope_actions = {"submit": "view", "file": "view", "payments": "view"}

    def get_base_queryset(self):
        return with_payment_figures(Contract.objects.prefetch_related("instalments")).order_by("-start_date", "-pk")

    def _out(self, contract, code=status.HTTP_200_OK):
        return Response(s.ContractSerializer(self.get_base_queryset().get(pk=contract.pk)).data, status=code)

    @staticmethod
    def _instalments(rows):
        return [contract_services.InstalmentInput(r["due_date"], r["amount"], r.get("note", "")) for r in rows]

    @extend_schema(request=s.ContractWriteSerializer, responses={201: s.ContractSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        data = s.ContractWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        coop = values.pop("cooperative", None)
        if coop is None:
            raise BusinessError(_("Choose the cooperative."), code="required", field="cooperative")
        _require(request.user, Contract, "add", coop.region_code)
        instalments = self._instalments(values.pop("instalments"))
        contract = contract_services.contract_create(
            actor=request.user, cooperative=coop, instalments=instalments, **values
        )
        return self._out(contract, status.HTTP_201_CREATED)

    @extend_schema(request=s.ContractWriteSerializer, responses={200: s.ContractSerializer, **ERROR_RESPONSES})
    def update(self, request, *args, **kwargs):
        contract = self.get_object()
        data = s.ContractWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("cooperative", None)
        instalments = self._instalments(values.pop("instalments"))
        contract = contract_services.contract_update(
            actor=request.user, contract=contract, instalments=instalments, **values
        )
        return self._out(contract)

    @extend_schema(request=s.ContractWriteSerializer, responses={200: s.ContractSerializer, **ERROR_RESPONSES})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(request=s.CommentSerializer, responses={200: s.ContractSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        contract = self.get_object()
        data = s.CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract_services.contract_submit(actor=request.user, contract=contract, comment=data.validated_data["comment"])
        return self._out(contract)

    @extend_schema(request=s.FileContractSerializer, responses={200: s.ContractSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        contract = self.get_object()
        data = s.FileContractSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract_services.contract_file(
            actor=request.user, contract=contract, filing_number=data.validated_data["filing_number"]
        )
        return self._out(contract)

    @extend_schema(
        methods=["GET"], request=None, responses={200: s.ContractPaymentSerializer(many=True), **ERROR_RESPONSES}
    )
    @extend_schema(
        methods=["POST"],
        request=s.ContractPaymentWriteSerializer,
        responses={201: s.ContractPaymentSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def payments(self, request, pk=None):
        contract = self.get_object()
        if request.method == "POST":
            _require(request.user, Contract, "change", contract.region_code)
            data = s.ContractPaymentWriteSerializer(data=request.data, context={"request": request})
            data.is_valid(raise_exception=True)
            payment = contract_services.contract_payment_record(
                actor=request.user, contract=contract, **data.validated_data
            )
            return Response(s.ContractPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
        return Response(s.ContractPaymentSerializer(contract.payments.order_by("paid_on", "pk"), many=True).data)


class PatronageViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """Members' transactions with the cooperative (交易量（额）), the basis of patronage refunds."""

    queryset_model = PatronageTransaction
    serializer_class = s.PatronageSerializer
    filterset_class = PatronageFilter

    def get_base_queryset(self):
        return PatronageTransaction.objects.order_by("-date", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        member = data.pop("member")
        _require(self.request.user, PatronageTransaction, "add", member.region_code)
        serializer.instance = member_services.patronage_create(actor=self.request.user, member=member, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = member_services.patronage_update(
            actor=self.request.user, record=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        member_services.patronage_delete(actor=self.request.user, record=instance)


class ProjectViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Projects (项目) a voucher line may name."""

    queryset_model = Project
    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilter

    def get_base_queryset(self):
        return Project.objects.order_by("cooperative_id", "code")

    def perform_create(self, serializer):
        data = serializer.validated_data
        _require(self.request.user, Project, "add", data["cooperative"].region_code)
        serializer.instance = book_services.project_create(
            actor=self.request.user,
            cooperative=data["cooperative"],
            code=data["code"],
            name=data["name"],
            note=data.get("note", ""),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = book_services.project_update(
            actor=self.request.user,
            project=serializer.instance,
            name=data.get("name"),
            is_active=data.get("is_active"),
            note=data.get("note"),
        )


class CollectiveIncomeViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The village collective's income from its cooperative; ``by-village`` sums it per village and year."""

    queryset_model = CollectiveIncome
    serializer_class = s.CollectiveIncomeSerializer
    filterset_class = CollectiveIncomeFilter

    def get_base_queryset(self):
        return CollectiveIncome.objects.order_by("region_code", "-year", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        _require(self.request.user, CollectiveIncome, "add", data["village"].code.ljust(12, "0"))
        serializer.instance = collective_services.collective_income_record(actor=self.request.user, **data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={200: s.CollectiveIncomeByVillageSerializer(many=True), **ERROR_RESPONSES},
    )
    @action(detail=False, url_path="by-village", filterset_class=None, pagination_class=None)
    def by_village(self, request):
        year = request.query_params.get("year")
        years = [int(year)] if year and year.isdigit() else None
        return Response(
            s.CollectiveIncomeByVillageSerializer(
                collective_income_by_village(request.user, years=years), many=True
            ).data
        )


RANGE_PARAMETERS = [
    OpenApiParameter("year", int, required=False),
    OpenApiParameter("period_from", int, required=False),
    OpenApiParameter("period_to", int, required=False),
]


class BooksViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The books of the cooperatives in the caller's jurisdiction (``?cooperative=<id>`` finds one
    cooperative's books) and their statements as JSON. Books are opened by POSTing a first fiscal
    year to ``/finance/fiscal-years/``."""

    queryset_model = CooperativeBooks
    serializer_class = s.BooksSerializer
    filterset_fields = ["cooperative"]

    def get_base_queryset(self):
        return CooperativeBooks.objects.select_related("cooperative", "chart").order_by("pk")

    def _status(self, books) -> dict:
        coop = books.cooperative
        status_ = ledgers.cash_and_bank(coop, books)
        return {
            "id": books.pk,
            "cooperative": coop.pk,
            "name": coop.name,
            "chart": books.chart.code,
            "fiscal_years": FiscalYear.objects.filter(cooperative=coop).order_by("-year"),
            "current_period": status_["current_period"].number if status_ and status_["current_period"] else None,
            "cash": status_["cash"] if status_ else None,
            "bank": status_["bank"] if status_ else None,
        }

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.BooksSerializer([self._status(b) for b in page], many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(s.BooksSerializer(self._status(self.get_object())).data)

    def _range(self, request, cooperative, serializer_class=s.RangeSerializer):
        params = serializer_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rng = ledgers.resolve_range(
            cooperative, year=data.get("year"), period_from=data.get("period_from"), period_to=data.get("period_to")
        )
        return rng, data

    def _statement(self, request, key):
        books = self.get_object()
        rng, _ = self._range(request, books.cooperative)
        return Response(s.StatementSerializer(statements.statement(books.cooperative, key, rng).as_dict()).data)

    @extend_schema(parameters=RANGE_PARAMETERS, responses={200: s.StatementSerializer, **ERROR_RESPONSES})
    @action(detail=True, url_path="balance-sheet")
    def balance_sheet(self, request, pk=None):
        """资产负债表 (会农社01表 on the cooperative chart)."""
        return self._statement(request, "balance_sheet")

    @extend_schema(parameters=RANGE_PARAMETERS, responses={200: s.StatementSerializer, **ERROR_RESPONSES})
    @action(detail=True, url_path="surplus-statement")
    def surplus_statement(self, request, pk=None):
        """盈余及盈余分配表 (会农社02表), or 收益及收益分配表 on the village collective chart."""
        return self._statement(request, "surplus")

    @extend_schema(parameters=RANGE_PARAMETERS, responses={200: s.StatementSerializer, **ERROR_RESPONSES})
    @action(detail=True, url_path="equity-statement")
    def equity_statement(self, request, pk=None):
        """成员权益变动表 (会农社03表; the cooperative chart only)."""
        return self._statement(request, "equity_changes")

    @extend_schema(parameters=RANGE_PARAMETERS, responses={200: s.TrialBalanceSerializer, **ERROR_RESPONSES})
    @action(detail=True, url_path="trial-balance")
    def trial_balance(self, request, pk=None):
        """科目余额表: opening, movement and closing per account; the totals balance."""
        books = self.get_object()
        rng, _ = self._range(request, books.cooperative)
        tb = ledgers.trial_balance(rng, level=3)
        data = {
            "range": rng.as_dict(),
            "rows": [r.as_dict() for r in tb.rows],
            "totals": tb.totals,
            "balanced": tb.is_balanced,
        }
        return Response(s.TrialBalanceSerializer(data).data)

    def _account(self, coop, code):
        account = Account.objects.filter(cooperative=coop, code=code).first()
        if account is None:
            raise BusinessError(_("No account with this code."), code="no_account", field="account")
        return account

    @extend_schema(
        parameters=[*RANGE_PARAMETERS, OpenApiParameter("account", str, required=False)],
        responses={200: s.GeneralLedgerSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, url_path="general-ledger")
    def general_ledger(self, request, pk=None):
        """总账 of one account (default: cash) per month."""
        books = self.get_object()
        coop = books.cooperative
        rng, params = self._range(request, coop, s.LedgerQuerySerializer)
        gl = ledgers.general_ledger(rng, self._account(coop, params.get("account") or books.chart.cash_code))
        data = {
            "range": rng.as_dict(),
            "account": str(gl["account"]),
            "opening": gl["opening"],
            "closing": gl["closing"],
            "months": [
                {
                    "month": m["period"].number,
                    "debit": m["debit"],
                    "credit": m["credit"],
                    "balance": m["balance"],
                    "year_debit": m["year_debit"],
                    "year_credit": m["year_credit"],
                }
                for m in gl["months"]
            ],
        }
        return Response(s.GeneralLedgerSerializer(data).data)

    @extend_schema(
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter("account", str, required=False),
            OpenApiParameter("member", int, required=False),
        ],
        responses={200: s.LedgerSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True)
    def ledger(self, request, pk=None):
        """明细账 of an account (with its sub-accounts), optionally for one member (default: cash)."""
        books = self.get_object()
        coop = books.cooperative
        rng, params = self._range(request, coop, s.LedgerQuerySerializer)
        account = self._account(coop, params.get("account") or books.chart.cash_code)
        member = None
        if params.get("member"):
            member = Member.objects.filter(cooperative=coop, pk=params["member"]).first()
        data = ledgers.ledger_lines(rng, account, member=member)
        out = {
            "range": rng.as_dict(),
            "account": str(account),
            "opening": data["opening"],
            "debit": data["debit"],
            "credit": data["credit"],
            "closing": data["closing"],
            "lines": [
                {
                    "date": line.voucher.date,
                    "voucher": line.voucher_id,
                    "number": line.voucher.display_number,
                    "account": line.account.code,
                    "summary": line.summary,
                    "debit": line.debit,
                    "credit": line.credit,
                    "balance": data["opening"] + line.running,
                    "member": line.member_id,
                }
                for line in data["lines"][:5000]
            ],
        }
        return Response(s.LedgerSerializer(out).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={200: s.MemberAccountSummarySerializer(many=True), **ERROR_RESPONSES},
    )
    @action(detail=True, url_path="member-accounts", pagination_class=None)
    def member_accounts(self, request, pk=None):
        """Every member's contribution (year end) and transaction amount for the year."""
        import datetime

        books = self.get_object()
        coop = books.cooperative
        params = s.YearSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or timezone.localdate().year
        amounts = member_selectors.patronage_amounts(coop, year)
        capital = member_selectors.contributions_by_member(coop, datetime.date(year, 12, 31))
        rows = [
            {
                "member": m.pk,
                "number": m.number,
                "name": m.name,
                "year": year,
                "contribution": capital.get(m.pk, 0),
                "transaction_amount": amounts.get(m.pk, 0),
            }
            for m in Member.objects.filter(cooperative=coop).order_by("number")
        ]
        return Response(s.MemberAccountSummarySerializer(rows, many=True).data)


class MemberAccountViewSet(TenantViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """成员账户 of one member for a year (``?year=``; default this year)."""

    queryset_model = Member
    serializer_class = s.MemberAccountSerializer

    def get_base_queryset(self):
        return Member.objects.order_by("pk")

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={200: s.MemberAccountSerializer, **ERROR_RESPONSES},
    )
    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        params = s.YearSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or timezone.localdate().year
        account = member_selectors.member_account(member, year)
        columns = member_selectors.member_account_columns(account["products"])
        data = {
            "member": member.pk,
            "name": member.name,
            "year": year,
            "columns": [{"key": k, "label": label} for k, label in columns],
            "opening": {k: v for k, v in account["opening"].items() if v is not None},
            "rows": account["rows"],
            "closing": {k: v for k, v in account["closing"].items() if v is not None},
            "transaction_amount": account["transaction_amount"],
        }
        return Response(s.MemberAccountSerializer(data).data)
