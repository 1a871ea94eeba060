"""Shares API: contributions, the register, ledger operations, withdrawals, certificates,
compliance (with a dry run of a proposed transaction) and the roster import."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.models import Cooperative
from core.api.parsers import JSONParserSafe
from core.api.viewsets import ERROR_RESPONSES, TenantViewSetMixin
from core.choices import STAFF_ROLES
from shares import compliance, selectors
from shares.api.serializers import (
    CertificateSerializer,
    ConfirmBatchSerializer,
    ContributionSerializer,
    ConversionSerializer,
    CooperativeChoiceSerializer,
    DryRunSerializer,
    EvaluationSerializer,
    GiftSerializer,
    HoldingSerializer,
    ImportBatchSerializer,
    ImportUploadSerializer,
    MovementSerializer,
    OperationResultSerializer,
    RefundSerializer,
    ReverseSerializer,
    ShareEntrySerializer,
    WithdrawalSerializer,
    operation_result,
)
from shares.choices import ImportState
from shares.filters import CertificateFilter, ContributionFilter, EntryFilter, HoldingFilter, WithdrawalFilter
from shares.models import Contribution, Holding, ImportBatch, ShareCertificate, ShareEntry, ShareWithdrawal
from shares.services import (
    certificates_issue,
    contribution_cancel,
    contribution_confirm,
    contribution_create,
    contributions_confirm,
    entry_reverse,
    share_gift,
    share_reserve_convert,
    share_transfer,
    share_withdrawal_apply,
    share_withdrawal_cancel,
    share_withdrawal_execute,
)
from shares.services.contributions import FIELDS as CONTRIBUTION_FIELDS
from shares.services.imports import import_start


class ContributionViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Contributions. ``POST`` enters a draft; ``…/{id}/confirm/`` writes it into the share ledger;
    ``…/confirm-batch/`` confirms several (or all drafts of a cooperative) under one compliance check."""

    queryset_model = Contribution
    serializer_class = ContributionSerializer
    filterset_class = ContributionFilter
    scope_actions = {"confirm": "change", "cancel": "change", "confirm_batch": "change"}

    def get_base_queryset(self):
        return Contribution.objects.select_related("member").order_by("-pk")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in CONTRIBUTION_FIELDS}
        serializer.instance = contribution_create(
            actor=self.request.user, member=serializer.validated_data["member"], **data
        )

    @extend_schema(request=None, responses={200: OperationResultSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        result = contribution_confirm(actor=request.user, contribution=self.get_object())
        return Response(operation_result(result))

    @extend_schema(request=ReverseSerializer, responses={200: ContributionSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        obj = self.get_object()  # 404 for a foreign id before the payload is read
        body = ReverseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contribution = contribution_cancel(actor=request.user, contribution=obj, reason=body.validated_data["reason"])
        return Response(self.get_serializer(contribution).data)

    @extend_schema(request=ConfirmBatchSerializer, responses={200: OperationResultSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="confirm-batch")
    def confirm_batch(self, request):
        body = ConfirmBatchSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        cooperative = body.validated_data["cooperative"]
        chosen = None
        ids = body.validated_data.get("contributions")
        if ids:
            chosen = list(self.get_queryset().filter(pk__in=ids, cooperative=cooperative))
            if len(chosen) != len(set(ids)):
                from django.http import Http404

                raise Http404
        result = contributions_confirm(actor=request.user, cooperative=cooperative, contributions=chosen)
        return Response(operation_result(result))


class HoldingViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The share register: positive holdings (member × class); a member sees their own."""

    queryset_model = Holding
    serializer_class = HoldingSerializer
    filterset_class = HoldingFilter

    def get_base_queryset(self):
        return (
            Holding.objects.filter(amount__gt=0).select_related("member").order_by("cooperative_id", "member__number")
        )


class ShareEntryViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The append-only share ledger. Operations: ``transfer``, ``gift``, ``conversion`` (collection
    actions) and ``…/{id}/reverse/``; each writes its entries and the holdings in one transaction."""

    queryset_model = ShareEntry
    serializer_class = ShareEntrySerializer
    filterset_class = EntryFilter
    scope_actions = {"reverse": "add"}

    def get_base_queryset(self):
        return ShareEntry.objects.select_related("member").order_by("-pk")

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data, context={"request": self.request})
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=MovementSerializer, responses={201: OperationResultSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def transfer(self, request):
        d = self._body(MovementSerializer)
        result = share_transfer(actor=request.user, **d)
        return Response(operation_result(result), status=status.HTTP_201_CREATED)

    @extend_schema(request=GiftSerializer, responses={201: OperationResultSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def gift(self, request):
        d = self._body(GiftSerializer)
        result = share_gift(actor=request.user, **d)
        return Response(operation_result(result), status=status.HTTP_201_CREATED)

    @extend_schema(request=ConversionSerializer, responses={201: OperationResultSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def conversion(self, request):
        d = self._body(ConversionSerializer)
        allocations = {a["member"]: a["amount"] for a in d["allocations"]}
        result = share_reserve_convert(
            actor=request.user,
            cooperative=d["cooperative"],
            allocations=allocations,
            effective_on=d.get("effective_on"),
            note=d["note"],
        )
        return Response(operation_result(result), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReverseSerializer, responses={201: OperationResultSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        entry = self.get_object()
        d = self._body(ReverseSerializer)
        result = entry_reverse(actor=request.user, entry=entry, reason=d["reason"])
        return Response(operation_result(result), status=status.HTTP_201_CREATED)


class WithdrawalViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Withdrawal applications (law Art. 25): ``POST`` applies; ``…/{id}/execute/`` refunds once effective."""

    queryset_model = ShareWithdrawal
    serializer_class = WithdrawalSerializer
    filterset_class = WithdrawalFilter
    scope_actions = {"execute": "change", "cancel": "change"}

    def get_base_queryset(self):
        return ShareWithdrawal.objects.select_related("member").order_by("-pk")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = share_withdrawal_apply(
            actor=self.request.user,
            member=d["member"],
            amount=d["amount"],
            applied_on=d.get("applied_on"),
            share_class=d.get("share_class", "ordinary"),
            leaves_cooperative=d.get("leaves_cooperative", False),
            reason=d.get("reason", ""),
        )

    @extend_schema(request=RefundSerializer, responses={200: OperationResultSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        obj = self.get_object()  # 404 for a foreign id before the payload is read
        body = RefundSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = share_withdrawal_execute(
            actor=request.user,
            withdrawal=obj,
            refund_note=body.validated_data["refund_note"],
            refund_account=body.validated_data["refund_account"],
        )
        return Response(operation_result(result))

    @extend_schema(request=None, responses={200: WithdrawalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(
            self.get_serializer(share_withdrawal_cancel(actor=request.user, withdrawal=self.get_object())).data
        )


class CertificateViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Share certificates; ``…/issue/`` issues one to every holder of a cooperative without a valid one."""

    queryset_model = ShareCertificate
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter

    def get_base_queryset(self):
        return ShareCertificate.objects.select_related("member").order_by("-pk")

    @extend_schema(
        request=CooperativeChoiceSerializer, responses={201: CertificateSerializer(many=True), **ERROR_RESPONSES}
    )
    @action(detail=False, methods=["post"])
    def issue(self, request):
        body = CooperativeChoiceSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        issued = certificates_issue(actor=request.user, cooperative=body.validated_data["cooperative"])
        return Response(CertificateSerializer(issued, many=True).data, status=status.HTTP_201_CREATED)


class ComplianceView(APIView):
    """``GET``: the cooperative's share structure against its county's profile.
    ``POST``: a dry run — the same rules on the structure a proposed transaction would leave
    (``operation`` subscribe / transfer / gift / withdraw / conversion); nothing is written."""

    def _cooperative(self, request, pk):
        user = request.user
        if not (user.is_superuser or user.jurisdiction.roles & STAFF_ROLES):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        return get_object_or_404(Cooperative.objects.for_user(user), pk=pk)

    @extend_schema(responses={200: EvaluationSerializer, **ERROR_RESPONSES})
    def get(self, request, pk):
        cooperative = self._cooperative(request, pk)
        return Response(compliance.evaluate(cooperative).as_dict())

    @extend_schema(request=DryRunSerializer, responses={200: EvaluationSerializer, **ERROR_RESPONSES})
    def post(self, request, pk):
        cooperative = self._cooperative(request, pk)
        body = DryRunSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        d = body.validated_data
        changes = selectors.proposed_changes(cooperative=cooperative, **d)
        evaluation = compliance.evaluate(cooperative, changes=changes)
        data = evaluation.as_dict()
        if operation_is_exempt(d["operation"]):
            data["allowed"] = True  # a withdrawal is the member's right: warned, never refused
        return Response(data)


def operation_is_exempt(operation: str) -> bool:
    return operation == "withdraw"


class ImportViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Roster imports. ``POST`` (multipart: ``cooperative``, ``file``, ``confirm``) imports a workbook:
    201 when written, 202 when queued (large workbooks; poll ``GET …/{id}/``), 400 ``import_invalid``
    with ``rows`` (row, column, message) when any row is bad — then nothing is written."""

    queryset_model = ImportBatch
    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParserSafe]

    def get_base_queryset(self):
        return ImportBatch.objects.order_by("-pk")

    @extend_schema(
        request=ImportUploadSerializer,
        responses={201: ImportBatchSerializer, 202: ImportBatchSerializer, **ERROR_RESPONSES},
    )
    def create(self, request):
        body = ImportUploadSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        d = body.validated_data
        batch = import_start(actor=request.user, cooperative=d["cooperative"], file=d["file"], confirm=d["confirm"])
        code = status.HTTP_201_CREATED if batch.state == ImportState.DONE else status.HTTP_202_ACCEPTED
        return Response(ImportBatchSerializer(batch).data, status=code)
