"""Supervision API: snapshots, pairings and bulletins (read-only), and the rankings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.api.viewsets import ERROR_RESPONSES, TenantReadOnlyViewSet
from core.choices import STAFF_ROLES
from core.models import Region
from supervision import periods
from supervision.api import serializers as s
from supervision.filters import BulletinFilter, PairingFilter
from supervision.models import Bulletin, Pairing, PairingVisit, StatisticsSnapshot, VillageSnapshot
from supervision.services.dashboards import default_region
from supervision.services.rankings import rankings_for


class StatisticsSnapshotViewSet(TenantReadOnlyViewSet):
    queryset_model = StatisticsSnapshot
    serializer_class = s.StatisticsSnapshotSerializer

    def get_base_queryset(self):
        return StatisticsSnapshot.objects.select_related("cooperative").order_by(
            "region_code", "-year", "-quarter", "pk"
        )


class VillageSnapshotViewSet(TenantReadOnlyViewSet):
    queryset_model = VillageSnapshot
    serializer_class = s.VillageSnapshotSerializer

    def get_base_queryset(self):
        return VillageSnapshot.objects.select_related("village").order_by("region_code", "-year", "-quarter", "pk")


class PairingViewSet(TenantReadOnlyViewSet):
    queryset_model = Pairing
    serializer_class = s.PairingSerializer
    filterset_class = PairingFilter

    def get_base_queryset(self):
        return Pairing.objects.select_related("village").order_by("region_code", "pk")


class PairingVisitViewSet(TenantReadOnlyViewSet):
    queryset_model = PairingVisit
    serializer_class = s.PairingVisitSerializer

    def get_base_queryset(self):
        return PairingVisit.objects.order_by("-visited_on", "-pk")


class BulletinViewSet(TenantReadOnlyViewSet):
    queryset_model = Bulletin
    serializer_class = s.BulletinSerializer
    filterset_class = BulletinFilter

    def get_base_queryset(self):
        return Bulletin.objects.order_by("-generated_at", "-pk")


class RankingAPIView(GenericAPIView):
    """Areas (townships of a county, counties of a city) ranked for a period, and the cooperatives
    ranked, one page (``?page=``, 100 a page) at a time."""

    serializer_class = s.RankingSerializer
    pagination_class = None
    page_size = 100
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, required=False, description="Region code (default: your widest)."),
            OpenApiParameter("period", str, required=False, description="2026Q3, or 2026 for the year."),
            OpenApiParameter("page", int, required=False, description="Page of the cooperatives (100 a page)."),
        ],
        responses={200: s.RankingSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, *args, **kwargs):
        user = request.user
        if not user.is_superuser and not (user.jurisdiction.roles & STAFF_ROLES):
            raise PermissionDenied  # the rankings page's roles (a member has none of them)
        code = request.query_params.get("region")
        region = Region.objects.for_user(user).filter(code=code).first() if code else default_region(user)
        if region is None:
            raise Http404
        year, quarter = periods.parse(request.query_params.get("period"), periods.current_period())
        board = rankings_for(user, region, year, quarter)
        page = Paginator(board["cooperatives"], self.page_size).get_page(request.query_params.get("page"))
        data = {
            **board,
            "period": board["period_label"],
            "cooperatives": page.object_list,
            "cooperatives_count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
        }
        return Response(s.RankingSerializer(data).data)
