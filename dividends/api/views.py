"""API of surplus distribution: policies, plans (draft, preview, compare, submit, check, file,
revise, execute), member allocations (a member reads their own) and payouts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ERROR_RESPONSES, TenantViewSetMixin, extend_schema
from dividends.api import serializers as s
from dividends.filters import PlanFilter
from dividends.models import DistributionPlan, DistributionPolicy, MemberAllocation, Payout
from dividends.services import execution, plans
from dividends.views import member_scope
from finance.views.base import can


def _require(user, model, action_name: str, region_code: str) -> None:
    if not can(user, model, action_name, region_code):
        raise PermissionDenied()


class PolicyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The distribution policies (the same for everyone)."""

    queryset = DistributionPolicy.objects.order_by("code")
    serializer_class = s.PolicySerializer
    pagination_class = None


class PlanViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset_model = DistributionPlan
    serializer_class = s.PlanSerializer
    filterset_class = PlanFilter
    scope_actions = {
        "preview": "view",
        "compare": "view",
        "submit": "view",
        "check": "view",
        "file": "view",
        "revise": "view",
        "execute": "view",
    }

    def get_base_queryset(self):
        return DistributionPlan.objects.select_related("policy").order_by("-year", "cooperative_id", "-version")

    def _input(self, request, serializer_class=s.PlanWriteSerializer):
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        return data, plans.plan_input(
            cooperative=d["cooperative"],
            year=d["year"],
            policy=d.get("policy"),
            surplus=d.get("surplus"),
            prior_loss=d.get("prior_loss"),
            record_date=d.get("record_date"),
            overrides=data.overrides(),
            reserve_to_capital=d.get("reserve_to_capital"),
        )

    def _out(self, plan, code=status.HTTP_200_OK):
        return Response(s.PlanSerializer(self.get_base_queryset().get(pk=plan.pk)).data, status=code)

    @extend_schema(request=s.PlanWriteSerializer, responses={201: s.PlanSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        data, plan_input = self._input(request)
        _require(request.user, DistributionPlan, "add", plan_input.cooperative.region_code)
        plan = plans.plan_create(actor=request.user, data=plan_input, note=data.validated_data.get("note", ""))
        return self._out(plan, status.HTTP_201_CREATED)

    @extend_schema(request=s.PlanWriteSerializer, responses={200: s.PreviewSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """Compute a plan without saving it (every member's holding and payout: for who drafts plans)."""
        _data, plan_input = self._input(request)
        _require(request.user, DistributionPlan, "add", plan_input.cooperative.region_code)
        return Response(s.PreviewSerializer(plans.plan_assess(plan_input)).data)

    @extend_schema(request=s.CompareWriteSerializer, responses={200: s.CompareSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def compare(self, request):
        """What-if: the same year under ``policy`` and ``policy_b``."""
        data, plan_input = self._input(request, s.CompareWriteSerializer)
        _require(request.user, DistributionPlan, "add", plan_input.cooperative.region_code)
        a = plans.plan_assess(plan_input)
        plan_input.policy = data.validated_data["policy_b"]
        plan_input.overrides = {}
        b = plans.plan_assess(plan_input)
        return Response(s.CompareSerializer({"a": a, "b": b}).data)

    def _step(self, request, scope: str, run):
        plan = self.get_object()
        _require(request.user, DistributionPlan, scope, plan.region_code)
        return self._out(run(plan))

    @extend_schema(request=None, responses={200: s.PlanSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, "change", lambda plan: plans.plan_submit(actor=request.user, plan=plan))

    @extend_schema(request=None, responses={200: s.PlanSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return self._step(request, "check", lambda plan: plans.plan_check(actor=request.user, plan=plan))

    @extend_schema(request=s.FileSerializer, responses={200: s.PlanSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        plan = self.get_object()
        data = s.FileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _require(request.user, DistributionPlan, "file", plan.region_code)
        return self._out(plans.plan_file(actor=request.user, plan=plan, comment=data.validated_data.get("comment", "")))

    @extend_schema(request=None, responses={200: s.PlanSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self._step(request, "change", lambda plan: plans.plan_revise(actor=request.user, plan=plan))

    @extend_schema(request=s.ExecuteSerializer, responses={200: s.ExecuteResultSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        """Carry the plan out; a second call posts nothing and answers ``executed: false``."""
        plan = self.get_object()
        data = s.ExecuteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _require(request.user, DistributionPlan, "execute", plan.region_code)
        result = execution.plan_execute(actor=request.user, plan=plan, on=data.validated_data.get("on"))
        plan = self.get_base_queryset().get(pk=plan.pk)
        return Response(
            s.ExecuteResultSerializer({"executed": result.executed, "detail": result.message, "plan": plan}).data
        )


class AllocationViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Member amounts of the plans; a member reads their own once the township filed the plan."""

    queryset_model = MemberAllocation
    serializer_class = s.AllocationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return MemberAllocation.objects.none()
        qs = super().get_queryset().select_related("member", "plan").order_by("plan_id", "member__number")
        return member_scope(self.request.user, qs)


class PayoutViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset_model = Payout
    serializer_class = s.PayoutSerializer
    scope_actions = {"paid": "view"}

    def get_base_queryset(self):
        return Payout.objects.select_related("member").order_by("plan_id", "member__number")

    @extend_schema(request=s.PayoutPaidSerializer, responses={200: s.PayoutSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def paid(self, request, pk=None):
        payout = self.get_object()
        data = s.PayoutPaidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _require(request.user, Payout, "change", payout.region_code)
        payout = execution.payout_mark_paid(actor=request.user, payout=payout, **data.validated_data)
        return Response(s.PayoutSerializer(self.get_base_queryset().get(pk=payout.pk)).data)


__all__ = ["AllocationViewSet", "PayoutViewSet", "PlanViewSet", "PolicyViewSet"]
