"""Kernel API: me, regions, approvals."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox import views as knox_views
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.serializers import (
    ApprovalDecisionSerializer,
    ApprovalRequestSerializer,
    MeSerializer,
    RegionSerializer,
)
from core.api.viewsets import ERROR_RESPONSES, TenantReadOnlyViewSet
from core.approvals import approval_policies
from core.exceptions import NotPermitted
from core.models import ApprovalRequest, Region
from core.selectors import approval_inbox
from core.services import approvals as approval_services
from core.services.tokens import tokens_of

TokenSerializer = inline_serializer("Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()})


class TokenLoginView(knox_views.LoginView):
    """A new API token for a username and password (``Authorization: Token <token>``).

    The token is shown once and stored only as a hash; it expires (``REST_KNOX["TOKEN_TTL"]``) and
    dies with a password change, a logout of the web session, ``auth/logout/`` (this token) and
    ``auth/logout-all/`` (all of the user's). Failed attempts count toward the login lockout.
    """

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer, **ERROR_RESPONSES})
    def post(self, request, format=None):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        user = credentials.validated_data["user"]
        limit = self.get_token_limit_per_user()
        if limit is not None and tokens_of(user).count() >= limit:
            raise NotPermitted(
                _("You hold %(n)s API tokens, the most allowed; end one on the page “API tokens” first.")
                % {"n": limit},
                code="too_many_tokens",
            )
        request.user = user
        return super().post(request, format=format)


class TokenLogoutView(knox_views.LogoutView):
    """End the token of this request."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


class TokenLogoutAllView(knox_views.LogoutAllView):
    """End every token of the user."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


class MeView(generics.RetrieveAPIView):
    """The logged-in user, their roles and the region prefixes they may see."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class RegionViewSet(TenantReadOnlyViewSet):
    """The region tree within the caller's jurisdiction (filter by ``level`` or ``parent``)."""

    queryset_model = Region
    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent", "code"]

    def get_base_queryset(self):
        return Region.objects.select_related("parent")


class ApprovalRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Approval requests within the jurisdiction; ``/inbox/`` lists those waiting on the caller.

    Decisions are operations: ``POST …/{id}/approve/`` (and ``return``, ``reject``, ``submit``,
    ``withdraw``) with an optional ``comment``; the engine checks state and role.
    """

    serializer_class = ApprovalRequestSerializer
    filterset_fields = ["state", "kind"]

    def get_queryset(self):
        if self.action == "inbox":
            return approval_inbox(self.request.user).prefetch_related("steps__actor")
        return (
            ApprovalRequest.objects.for_user(self.request.user, "view")
            .select_related("requested_by", "subject_type")
            .prefetch_related("steps__actor")
            .order_by("-updated_at", "-pk")
        )

    @extend_schema(responses=ApprovalRequestSerializer(many=True))
    @action(detail=False)
    def inbox(self, request):
        """Requests waiting on the caller's decision, oldest first."""
        return self.list(request)

    def _decide(self, request, pk, service):
        approval = get_object_or_404(self.get_queryset(), pk=pk)
        data = ApprovalDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = {"actor": request.user, "request": approval, "comment": data.validated_data["comment"]}
        if service in (
            approval_services.approval_approve,
            approval_services.approval_return,
            approval_services.approval_reject,
        ):
            kwargs["details"] = data.validated_data["details"]
        approval = service(**kwargs)
        approval = self.get_queryset().get(pk=approval.pk)
        return Response(self.get_serializer(approval).data)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: ApprovalRequestSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        approval = get_object_or_404(self.get_queryset(), pk=pk)
        return self._decide(request, pk, approval_policies.get(approval.kind).submit)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: ApprovalRequestSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, approval_services.approval_approve)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: ApprovalRequestSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._decide(request, pk, approval_services.approval_return)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: ApprovalRequestSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, approval_services.approval_reject)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: ApprovalRequestSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._decide(request, pk, approval_services.approval_withdraw)
