"""Cooperatives API: CRUD through the registry services, scoped like the pages."""

from rest_framework import mixins, viewsets

from cooperatives.api.serializers import CooperativeSerializer
from cooperatives.filters import CooperativeFilter
from cooperatives.models import Cooperative
from cooperatives.services.registry import FIELDS, cooperative_create, cooperative_update
from core.api.viewsets import TenantViewSetMixin


class CooperativeViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Registered cooperatives within the caller's jurisdiction; filters as on the list page."""

    queryset_model = Cooperative
    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter

    def get_base_queryset(self):
        return Cooperative.objects.select_related("village__parent").order_by("region_code", "name")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in FIELDS}
        serializer.instance = cooperative_create(
            actor=self.request.user, village=serializer.validated_data["village"], **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in FIELDS}
        serializer.instance = cooperative_update(
            actor=self.request.user,
            cooperative=serializer.instance,
            village=serializer.validated_data.get("village"),
            **data,
        )
