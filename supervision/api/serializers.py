"""Serializers of the supervision API (decimals as strings, nullable relations say so)."""

from rest_framework import serializers

from core.api.fields import ModelSerializer, PlainDecimalField
from core.money import MONEY
from supervision.models import Bulletin, Pairing, PairingVisit, StatisticsSnapshot, VillageSnapshot

MONEY_RO = {**MONEY, "read_only": True}


class StatisticsSnapshotSerializer(ModelSerializer):
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    income_per_member_household = PlainDecimalField(**MONEY_RO, allow_null=True)

    class Meta:
        model = StatisticsSnapshot
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "year",
            "quarter",
            "period_end",
            "is_branch_led",
            "members",
            "member_households",
            "village_households",
            "share_total",
            "share_ordinary",
            "share_collective",
            "share_poverty",
            "collective_income",
            "operating_income",
            "member_distributions",
            "income_per_member_household",
            "contracts",
            "approvals_waiting",
            "demonstration_level",
            "demonstration_awards",
            "certifications",
            "certification_awards",
            "model_points",
            "innovation_points",
            "computed_at",
        ]
        read_only_fields = fields


class VillageSnapshotSerializer(ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = VillageSnapshot
        fields = [
            "id",
            "village",
            "village_name",
            "region_code",
            "year",
            "quarter",
            "period_end",
            "households",
            "cooperatives",
            "member_households",
            "collective_income",
            "collective_income_prev",
            "tier",
            "reward_eligible",
            "computed_at",
        ]
        read_only_fields = fields


class PairingVisitSerializer(ModelSerializer):
    class Meta:
        model = PairingVisit
        fields = ["id", "pairing", "visited_on", "visitor", "content", "outcome"]
        read_only_fields = fields


class PairingSerializer(ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    cooperative = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    helper_cooperative = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "kind",
            "village",
            "village_name",
            "region_code",
            "cooperative",
            "helper",
            "helper_cooperative",
            "started_on",
            "ended_on",
            "status",
            "goals",
        ]
        read_only_fields = fields


class BulletinSerializer(ModelSerializer):
    generated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Bulletin
        fields = ["id", "county", "kind", "period_key", "year", "quarter", "content", "generated_at"]
        read_only_fields = fields


class RankedSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    previous_rank = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(allow_null=True)
    tied = serializers.BooleanField()
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    score = PlainDecimalField(max_digits=8, decimal_places=2)
    collective_income = PlainDecimalField(**MONEY, source="unit.income")


class RankingSerializer(serializers.Serializer):
    period = serializers.CharField()
    tie_rule = serializers.CharField()
    areas = RankedSerializer(many=True)
    cooperatives = RankedSerializer(many=True, help_text="One page of the cooperatives, best first.")
    cooperatives_count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
