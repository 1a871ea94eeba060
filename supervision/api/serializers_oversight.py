"""Serializers of the disclosure, audit and alert API. Money is a string with two places."""

from __future__ import annotations

from rest_framework import serializers

from cooperatives.models import Cooperative
from core.api.fields import ModelSerializer
from finance.api.serializers import ScopedFieldsMixin
from supervision.choices_oversight import AuditKind, Severity
from supervision.models import Alert, Audit, AuditFinding, Disclosure, RectificationEvidence, SpotCheckDraw


class DisclosureSerializer(ModelSerializer):
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "year",
            "quarter",
            "status",
            "plan_summary",
            "operations_summary",
            "income_total",
            "expenditure_total",
            "deadline",
            "generated_at",
            "published_at",
            "published_by",
            "content",
        ]
        read_only_fields = fields


class DisclosureTextSerializer(serializers.Serializer):
    plan_summary = serializers.CharField(allow_blank=True, required=False, default="")
    operations_summary = serializers.CharField(allow_blank=True, required=False, default="")


class EvidenceSerializer(ModelSerializer):
    class Meta:
        model = RectificationEvidence
        fields = ["id", "finding", "original_name", "size", "content_type", "note", "uploaded_by", "created_at"]
        read_only_fields = fields


class FindingSerializer(ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = AuditFinding
        fields = [
            "id",
            "audit",
            "region_code",
            "title",
            "description",
            "severity",
            "rectification_required",
            "rectification_deadline",
            "status",
            "rectification_note",
            "closed_at",
            "closed_by",
            "evidence",
        ]
        read_only_fields = fields


class FindingWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MEDIUM)
    rectification_required = serializers.BooleanField(default=True)
    rectification_deadline = serializers.DateField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)


class AuditSerializer(ModelSerializer):
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "kind",
            "year",
            "status",
            "scope",
            "auditor_region",
            "spot_check",
            "cadre_name",
            "office_from",
            "office_to",
            "started_on",
            "conclusion",
            "reported_on",
            "assembly_reported_on",
            "assembly_minutes",
            "closed_at",
            "findings",
        ]
        read_only_fields = fields


class AuditCreateSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"cooperative": (Cooperative, "view")}

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    kind = serializers.ChoiceField(choices=AuditKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    scope = serializers.CharField(max_length=2000)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    cadre_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    office_from = serializers.DateField(required=False, allow_null=True, default=None)
    office_to = serializers.DateField(required=False, allow_null=True, default=None)


class AuditReportSerializer(serializers.Serializer):
    conclusion = serializers.CharField(max_length=5000)
    reported_on = serializers.DateField()
    assembly_reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    assembly_minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class SpotCheckSerializer(ModelSerializer):
    class Meta:
        model = SpotCheckDraw
        fields = ["id", "county", "region_code", "year", "seed", "sample_size", "population", "drawn", "drawn_by"]
        read_only_fields = fields


class SpotCheckCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    size = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True, default=None)
    seed = serializers.IntegerField(min_value=0, max_value=2**62, required=False, allow_null=True, default=None)


class AlertSerializer(ModelSerializer):
    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "subject_key",
            "period",
            "cooperative",
            "region_code",
            "severity",
            "title",
            "detail",
            "evidence_url",
            "status",
            "assignee",
            "first_seen_at",
            "last_seen_at",
            "resolved_at",
            "resolved_by",
            "note",
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(allow_null=True)
