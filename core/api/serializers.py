"""Serializers of the kernel API."""

from rest_framework import serializers

from core.api.fields import ModelSerializer
from core.models import ApprovalRequest, ApprovalStep, Region, User


class GrantSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    role = serializers.CharField()
    prefix = serializers.CharField()
    region_id = serializers.IntegerField()
    region_name = serializers.CharField()
    level = serializers.CharField()


class MeSerializer(ModelSerializer):
    roles = serializers.SerializerMethodField()
    jurisdiction = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "phone", "is_superuser", "roles", "jurisdiction"]

    def get_roles(self, user) -> list[dict]:
        return GrantSerializer(user.all_grants, many=True).data

    def get_jurisdiction(self, user) -> list[str]:
        return user.jurisdiction.prefixes()


class RegionSerializer(ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "level", "name", "parent", "parent_code", "prefix", "households", "urban_rural_class"]
        read_only_fields = fields


class ApprovalStepSerializer(ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ApprovalStep
        fields = [
            "id",
            "action",
            "from_state",
            "to_state",
            "stage_index",
            "actor",
            "actor_role",
            "comment",
            "details",
            "created_at",
        ]


class ApprovalRequestSerializer(ModelSerializer):
    subject_type = serializers.CharField(source="subject_type.model", read_only=True)
    requested_by = serializers.StringRelatedField()
    steps = ApprovalStepSerializer(many=True, read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "kind",
            "title",
            "state",
            "region_code",
            "subject_type",
            "subject_id",
            "stages",
            "stage_index",
            "decider_role",
            "decider_prefix",
            "amount",
            "reason",
            "requested_by",
            "submitted_at",
            "decided_at",
            "created_at",
            "steps",
        ]
        read_only_fields = fields


class ApprovalDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    details = serializers.DictField(required=False, default=dict)
