"""Serializers of the dividends API."""

from decimal import Decimal

from rest_framework import serializers

from cooperatives.models import Cooperative
from core.api.fields import ModelSerializer, PlainDecimalField
from dividends.choices import PayoutMethod
from dividends.models import DistributionPlan, DistributionPolicy, MemberAllocation, Payout
from finance.api.serializers import ScopedFieldsMixin

RATE = {"max_digits": 6, "decimal_places": 4, "min_value": Decimal(0), "max_value": Decimal(1), "required": False}
AMOUNT = {"max_digits": 18, "decimal_places": 2, "required": False, "allow_null": True}


class PolicyStepSerializer(serializers.Serializer):
    kind = serializers.CharField()
    rate = serializers.CharField(allow_null=True)
    mode = serializers.CharField()
    base = serializers.CharField()
    basis = serializers.CharField(allow_blank=True)


class PolicySerializer(ModelSerializer):
    steps = PolicyStepSerializer(many=True, read_only=True)

    class Meta:
        model = DistributionPolicy
        fields = ["id", "code", "name", "source", "law_applies", "steps"]


class StepAmountSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    kind = serializers.CharField()
    rate = serializers.CharField(allow_null=True)
    mode = serializers.CharField()
    base = PlainDecimalField(max_digits=18, decimal_places=2)
    amount = PlainDecimalField(max_digits=18, decimal_places=2)
    basis = serializers.CharField(allow_blank=True)


class PlanSerializer(ModelSerializer):
    steps = StepAmountSerializer(many=True, read_only=True)
    policy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    voucher_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    major_matter = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    previous = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = DistributionPlan
        fields = [
            "id",
            "cooperative",
            "year",
            "version",
            "policy",
            "state",
            "surplus_source",
            "surplus",
            "prior_loss",
            "distributable",
            "undistributed",
            "reserve_to_capital",
            "record_date",
            "steps",
            "member_count",
            "no_transactions",
            "leaver_share",
            "reserve_basis",
            "note",
            "previous",
            "major_matter",
            "executed_on",
            "voucher_ids",
        ]
        read_only_fields = fields


class PlanWriteSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"cooperative": (Cooperative, "view")}

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    policy = serializers.SlugRelatedField(
        slug_field="code", queryset=DistributionPolicy.objects.all(), required=False, allow_null=True
    )
    surplus = PlainDecimalField(**AMOUNT)
    prior_loss = PlainDecimalField(**AMOUNT, min_value=Decimal(0))
    record_date = serializers.DateField(required=False, allow_null=True)
    rewards_rate = PlainDecimalField(**RATE, allow_null=True)
    reserve_rate = PlainDecimalField(**RATE, allow_null=True)
    patronage_rate = PlainDecimalField(**RATE, allow_null=True)
    reserve_to_capital = PlainDecimalField(**AMOUNT, min_value=Decimal(0))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def overrides(self) -> dict:
        d = self.validated_data
        return {k: d[f"{k}_rate"] for k in ("rewards", "reserve", "patronage") if d.get(f"{k}_rate") is not None}


class MemberResultSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="holder.member_id")
    number = serializers.IntegerField(source="holder.number")
    name = serializers.CharField(source="holder.name")
    share_weight = PlainDecimalField(max_digits=18, decimal_places=2)
    patronage_refund = PlainDecimalField(max_digits=18, decimal_places=2)
    share_dividend = PlainDecimalField(max_digits=18, decimal_places=2)
    total = PlainDecimalField(max_digits=18, decimal_places=2)


class PreviewSerializer(serializers.Serializer):
    surplus = PlainDecimalField(max_digits=18, decimal_places=2)
    prior_loss = PlainDecimalField(max_digits=18, decimal_places=2)
    distributable = PlainDecimalField(max_digits=18, decimal_places=2)
    undistributed = PlainDecimalField(max_digits=18, decimal_places=2)
    no_transactions = serializers.BooleanField(help_text="No member traded with the cooperative in the year.")
    law_shortfall = PlainDecimalField(
        max_digits=18,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text="Where the cooperative law binds the cooperative: how much less than 60% of the distributable "
        "surplus the plan refunds by transactions (a plan with a shortfall cannot be drafted).",
    )
    law_message = serializers.CharField(default="", allow_blank=True)
    steps = serializers.SerializerMethodField()
    members = MemberResultSerializer(many=True)

    def get_steps(self, obj) -> list[dict]:
        return [s.as_dict() for s in obj.steps]


class CompareSerializer(serializers.Serializer):
    a = PreviewSerializer()
    b = PreviewSerializer()


class CompareWriteSerializer(PlanWriteSerializer):
    policy_b = serializers.SlugRelatedField(slug_field="code", queryset=DistributionPolicy.objects.all())


class ExecuteSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)


class ExecuteResultSerializer(serializers.Serializer):
    executed = serializers.BooleanField()
    detail = serializers.CharField()
    plan = PlanSerializer()


class FileSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AllocationSerializer(ModelSerializer):
    member_number = serializers.IntegerField(source="member.number", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)

    class Meta:
        model = MemberAllocation
        fields = [
            "id",
            "plan",
            "year",
            "member",
            "member_number",
            "member_name",
            "ordinary",
            "collective",
            "poverty",
            "share_weight",
            "share_ratio",
            "patronage_basis",
            "patronage_refund",
            "share_dividend",
            "capital_conversion",
            "total",
        ]
        read_only_fields = fields


class PayoutSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    paid_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Payout
        fields = [
            "id",
            "plan",
            "member",
            "member_name",
            "amount",
            "method",
            "bank_account",
            "status",
            "paid_on",
            "signed_by",
            "voucher",
        ]
        read_only_fields = fields


class PayoutPaidSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PayoutMethod.choices)
    bank_account = serializers.CharField(required=False, allow_blank=True, max_length=40)
    paid_on = serializers.DateField()
    signed_by = serializers.CharField(max_length=50)
    paid_from = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="Code of the cash or bank account the payment leaves; empty for the chart's cash or bank account.",
    )
