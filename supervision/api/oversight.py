"""API of disclosures, audits, spot checks and alerts: scoped reads, operations as actions calling
the same services as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.parsers import JSONParserSafe
from core.api.viewsets import ERROR_RESPONSES, TenantViewSetMixin, extend_schema
from core.choices import Role
from core.models import Region, User
from supervision.api import serializers_oversight as s
from supervision.filters_oversight import AlertFilter, AuditFilter, DisclosureFilter, FindingFilter, SpotCheckFilter
from supervision.models import Alert, Audit, AuditFinding, Disclosure, SpotCheckDraw
from supervision.services import alerts as alert_services
from supervision.services import audits as audit_services
from supervision.services import disclosures as disclosure_services

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet)


class DisclosureViewSet(TenantViewSetMixin, *_READ):
    """Quarterly disclosures; ``text`` writes the plan and operations of a draft, ``refresh`` takes the
    figures again, ``publish`` (the supervisory board) makes it final."""

    queryset_model = Disclosure
    serializer_class = s.DisclosureSerializer
    filterset_class = DisclosureFilter
    scope_actions = {"text": "view", "refresh": "view", "publish": "view"}

    def get_base_queryset(self):
        return Disclosure.objects.select_related("cooperative").order_by("-year", "-quarter", "pk")

    @extend_schema(request=s.DisclosureTextSerializer, responses={200: s.DisclosureSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def text(self, request, pk=None):
        disclosure = self.get_object()
        data = s.DisclosureTextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disclosure = disclosure_services.disclosure_update(
            actor=request.user, disclosure=disclosure, **data.validated_data
        )
        return Response(s.DisclosureSerializer(disclosure).data)

    @extend_schema(request=None, responses={200: s.DisclosureSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        disclosure = disclosure_services.disclosure_refresh(actor=request.user, disclosure=self.get_object())
        return Response(s.DisclosureSerializer(disclosure).data)

    @extend_schema(request=None, responses={200: s.DisclosureSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        disclosure = disclosure_services.disclosure_publish(actor=request.user, disclosure=self.get_object())
        return Response(s.DisclosureSerializer(disclosure).data)


class AuditViewSet(TenantViewSetMixin, mixins.CreateModelMixin, *_READ):
    """Audits with their findings; POST opens one; ``findings`` adds a finding, ``report`` records
    the conclusion and the report to the member assembly, ``close`` closes it."""

    queryset_model = Audit
    serializer_class = s.AuditSerializer
    filterset_class = AuditFilter
    scope_actions = {"findings": "view", "report": "view", "close": "view"}

    def get_base_queryset(self):
        return (
            Audit.objects.select_related("cooperative").prefetch_related("findings__evidence").order_by("-year", "pk")
        )

    @extend_schema(request=s.AuditCreateSerializer, responses={201: s.AuditSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        data = s.AuditCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        audit = audit_services.audit_create(actor=request.user, **data.validated_data)
        return Response(s.AuditSerializer(audit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FindingWriteSerializer, responses={201: s.FindingSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        audit = self.get_object()
        data = s.FindingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = audit_services.finding_add(actor=request.user, audit=audit, **data.validated_data)
        return Response(s.FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AuditReportSerializer, responses={200: s.AuditSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        audit = self.get_object()
        data = s.AuditReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        audit_services.audit_report(actor=request.user, audit=audit, **data.validated_data)
        return Response(s.AuditSerializer(self.get_base_queryset().get(pk=audit.pk)).data)

    @extend_schema(request=None, responses={200: s.AuditSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        audit = audit_services.audit_close(actor=request.user, audit=self.get_object())
        return Response(s.AuditSerializer(self.get_base_queryset().get(pk=audit.pk)).data)


class FindingViewSet(TenantViewSetMixin, *_READ):
    """Audit findings; ``evidence`` uploads a document (multipart), ``rectified`` reports the
    rectification, ``close`` (the auditor) accepts it."""

    queryset_model = AuditFinding
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilter
    scope_actions = {"evidence": "view", "rectified": "view", "close": "view"}

    def get_base_queryset(self):
        return AuditFinding.objects.prefetch_related("evidence").order_by("audit_id", "pk")

    @extend_schema(request=s.EvidenceUploadSerializer, responses={201: s.EvidenceSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        finding = self.get_object()
        data = s.EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = audit_services.evidence_add(actor=request.user, finding=finding, **data.validated_data)
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NoteSerializer, responses={200: s.FindingSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], parser_classes=[JSONParserSafe, FormParser])
    def rectified(self, request, pk=None):
        finding = self.get_object()
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = audit_services.finding_rectified(
            actor=request.user, finding=finding, note=data.validated_data["note"]
        )
        return Response(s.FindingSerializer(finding).data)

    @extend_schema(request=None, responses={200: s.FindingSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        finding = audit_services.finding_close(actor=request.user, finding=self.get_object())
        return Response(s.FindingSerializer(finding).data)


class SpotCheckViewSet(TenantViewSetMixin, mixins.CreateModelMixin, *_READ):
    """The county's spot-check draws; POST draws a sample (seed recorded) and opens its audits."""

    queryset_model = SpotCheckDraw
    serializer_class = s.SpotCheckSerializer
    filterset_class = SpotCheckFilter

    def get_base_queryset(self):
        return SpotCheckDraw.objects.order_by("-year", "-pk")

    @extend_schema(request=s.SpotCheckCreateSerializer, responses={201: s.SpotCheckSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        data = s.SpotCheckCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grants = request.user.jurisdiction.grants_for(Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN)
        county = Region.objects.filter(pk__in=[g.region_id for g in grants], level="county").first()
        if county is None:
            raise PermissionDenied()
        draw = audit_services.spot_check_draw(actor=request.user, county=county, **data.validated_data)
        return Response(s.SpotCheckSerializer(draw).data, status=status.HTTP_201_CREATED)


class AlertViewSet(TenantViewSetMixin, *_READ):
    """The problem list; ``acknowledge``, ``assign`` and ``resolve`` work it to closure."""

    queryset_model = Alert
    serializer_class = s.AlertSerializer
    filterset_class = AlertFilter
    scope_actions = {"acknowledge": "view", "resolve": "view", "assign": "view"}

    def get_base_queryset(self):
        return Alert.objects.order_by("status", "-first_seen_at", "-pk")

    def _with_note(self, request, service):
        alert = self.get_object()
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert = service(actor=request.user, alert=alert, note=data.validated_data["note"])
        return Response(s.AlertSerializer(alert).data)

    @extend_schema(request=s.NoteSerializer, responses={200: s.AlertSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._with_note(request, alert_services.alert_acknowledge)

    @extend_schema(request=s.NoteSerializer, responses={200: s.AlertSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._with_note(request, alert_services.alert_resolve)

    @extend_schema(request=s.AssignSerializer, responses={200: s.AlertSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        alert = self.get_object()
        data = s.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignee_id = data.validated_data["assignee"]
        assignee = get_object_or_404(User, pk=assignee_id, is_active=True) if assignee_id is not None else None
        alert = alert_services.alert_assign(actor=request.user, alert=alert, assignee=assignee)
        return Response(s.AlertSerializer(alert).data)
