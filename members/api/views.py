"""Members API: CRUD through the member services, scoped like the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ERROR_RESPONSES, TenantViewSetMixin
from members.api.serializers import HouseholdSerializer, MemberLeaveSerializer, MemberSerializer
from members.filters import HouseholdFilter, MemberFilter
from members.models import Household, Member
from members.services import (
    FIELDS,
    HOUSEHOLD_FIELDS,
    household_create,
    household_update,
    member_create,
    member_delete,
    member_leave,
    member_update,
)


class MemberViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members within the caller's jurisdiction (a member sees their own record); filters as on the roster.

    Resident ID numbers are masked (``371323********001X``) unless the caller keeps the roster.
    """

    queryset_model = Member
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    scope_actions = {"leave": "change"}

    def get_base_queryset(self):
        return Member.objects.select_related("cooperative").order_by("cooperative_id", "number")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in FIELDS}
        serializer.instance = member_create(
            actor=self.request.user, cooperative=serializer.validated_data["cooperative"], **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in FIELDS}
        serializer.instance = member_update(actor=self.request.user, member=serializer.instance, **data)

    def perform_destroy(self, instance):
        member_delete(actor=self.request.user, member=instance)

    @extend_schema(request=MemberLeaveSerializer, responses={200: MemberSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        member = self.get_object()
        body = MemberLeaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = member_leave(
            actor=request.user,
            member=member,
            left_on=body.validated_data["left_on"],
            reason=body.validated_data["leave_reason"],
            note=body.validated_data["leave_note"],
        )
        return Response(self.get_serializer(member).data, status=status.HTTP_200_OK)


class HouseholdViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Households of the villages within the caller's jurisdiction."""

    queryset_model = Household
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_base_queryset(self):
        return Household.objects.order_by("region_code", "number")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in HOUSEHOLD_FIELDS}
        serializer.instance = household_create(
            actor=self.request.user, village=serializer.validated_data["village"], **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in HOUSEHOLD_FIELDS}
        serializer.instance = household_update(actor=self.request.user, household=serializer.instance, **data)
