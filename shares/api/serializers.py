"""Serializers of the shares API."""

from __future__ import annotations

from rest_framework import serializers

from cooperatives.models import Cooperative
from core.api.fields import ModelSerializer, PlainDecimalField
from members.models import Member
from shares.choices import ShareClass
from shares.models import Contribution, Holding, ImportBatch, ShareCertificate, ShareEntry, ShareWithdrawal


class ScopedMemberField(serializers.PrimaryKeyRelatedField):
    """A member id the caller may act on; any other id is "does not exist" (never a leak)."""

    def __init__(self, *, action: str = "add", **kwargs):
        self.scope_action = action
        super().__init__(queryset=Member.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Member.objects.none()
        return Member.objects.for_user(request.user, self.scope_action).select_related("cooperative")


class ScopedCooperativeField(serializers.PrimaryKeyRelatedField):
    def __init__(self, *, model=ShareEntry, action: str = "add", **kwargs):
        self.model, self.scope_action = model, action
        super().__init__(queryset=Cooperative.objects.none(), **kwargs)

    def get_queryset(self):
        from members.selectors import cooperatives_for

        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Cooperative.objects.none()
        return cooperatives_for(request.user, self.model, self.scope_action)


class ContributionSerializer(ModelSerializer):
    member = ScopedMemberField()
    member_name = serializers.CharField(source="member.name", read_only=True)
    amount = PlainDecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "cooperative",
            "member",
            "member_name",
            "kind",
            "share_class",
            "state",
            "amount",
            "contributed_on",
            "area_mu",
            "location",
            "term_years",
            "value_per_mu",
            "appraiser",
            "appraisal_date",
            "evidence",
            "description",
            "booked_to",
            "confirmed_at",
            "cancelled_at",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = [
            "cooperative",
            "share_class",
            "state",
            "confirmed_at",
            "cancelled_at",
            "cancel_reason",
            "created_at",
        ]


class HoldingSerializer(ModelSerializer):
    member_number = serializers.IntegerField(source="member.number", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Holding
        fields = ["id", "cooperative", "member", "member_number", "member_name", "share_class", "amount", "updated_at"]
        read_only_fields = fields


class ShareEntrySerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ShareEntry
        fields = [
            "id",
            "cooperative",
            "member",
            "member_name",
            "share_class",
            "entry_type",
            "amount",
            "balance_after",
            "effective_on",
            "operation",
            "counterparty",
            "contribution",
            "withdrawal",
            "reverses",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class MovementSerializer(serializers.Serializer):
    source = ScopedMemberField()
    target = ScopedMemberField()
    share_class = serializers.ChoiceField(choices=ShareClass.choices, default=ShareClass.ORDINARY)
    amount = PlainDecimalField(max_digits=18, decimal_places=2, min_value=0)
    effective_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GiftSerializer(MovementSerializer):
    target_class = serializers.ChoiceField(choices=ShareClass.choices, required=False, allow_null=True)


class AllocationSerializer(serializers.Serializer):
    member = ScopedMemberField()
    amount = PlainDecimalField(max_digits=18, decimal_places=2, min_value=0)


class ConversionSerializer(serializers.Serializer):
    cooperative = ScopedCooperativeField()
    allocations = AllocationSerializer(many=True)
    effective_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField()


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RuleSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    enforcement = serializers.CharField()
    actual = serializers.CharField(allow_null=True)
    actual_display = serializers.CharField()
    threshold = serializers.CharField(allow_null=True)
    threshold_display = serializers.CharField()
    message = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    profile = serializers.DictField()
    total = serializers.CharField()
    classes = serializers.DictField()
    holders = serializers.IntegerField()
    results = RuleSerializer(many=True)
    before = RuleSerializer(many=True, allow_null=True)
    refused = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    allowed = serializers.BooleanField()


class PostedVoucherSerializer(serializers.Serializer):
    """An entry the books posted for a share operation (finance.Voucher, read through the slot)."""

    id = serializers.IntegerField()
    date = serializers.DateField()
    number = serializers.IntegerField()
    summary = serializers.CharField()
    total = PlainDecimalField(max_digits=18, decimal_places=2, source="total_debit")


class OperationResultSerializer(serializers.Serializer):
    operation = serializers.UUIDField()
    entries = ShareEntrySerializer(many=True)
    warnings = serializers.ListField(child=serializers.DictField())
    vouchers = PostedVoucherSerializer(many=True)


def operation_result(result) -> dict:
    return {
        "operation": result.operation,
        "entries": ShareEntrySerializer(result.entries, many=True).data,
        "warnings": [w.as_dict() for w in result.warnings],
        "vouchers": PostedVoucherSerializer(result.vouchers, many=True).data,
    }


class DryRunSerializer(serializers.Serializer):
    """A proposed transaction to evaluate without writing it."""

    OPERATIONS = ["subscribe", "transfer", "gift", "withdraw", "conversion"]
    operation = serializers.ChoiceField(choices=OPERATIONS)
    member = ScopedMemberField(action="view", required=False, allow_null=True)
    source = ScopedMemberField(action="view", required=False, allow_null=True)
    target = ScopedMemberField(action="view", required=False, allow_null=True)
    share_class = serializers.ChoiceField(choices=ShareClass.choices, default=ShareClass.ORDINARY)
    target_class = serializers.ChoiceField(choices=ShareClass.choices, required=False, allow_null=True)
    amount = PlainDecimalField(max_digits=18, decimal_places=2, min_value=0)


class WithdrawalSerializer(ModelSerializer):
    member = ScopedMemberField()
    member_name = serializers.CharField(source="member.name", read_only=True)
    applied_on = serializers.DateField(required=False)

    class Meta:
        model = ShareWithdrawal
        fields = [
            "id",
            "cooperative",
            "member",
            "member_name",
            "share_class",
            "amount",
            "applied_on",
            "effective_on",
            "leaves_cooperative",
            "state",
            "reason",
            "refund_note",
            "refund_account",
            "executed_at",
            "created_at",
        ]
        read_only_fields = [
            "cooperative",
            "effective_on",
            "state",
            "refund_note",
            "refund_account",
            "executed_at",
            "created_at",
        ]


class RefundSerializer(serializers.Serializer):
    refund_note = serializers.CharField(required=False, allow_blank=True, default="")
    refund_account = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=12,
        help_text="Code of the cash or bank account paid from, or of 成员往来 (owed); empty for the cash account.",
    )


class CertificateSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ShareCertificate
        fields = [
            "id",
            "cooperative",
            "member",
            "member_name",
            "number",
            "issued_on",
            "ordinary_amount",
            "collective_amount",
            "poverty_amount",
            "total_amount",
            "cooperative_total",
            "state",
            "voided_on",
            "void_reason",
            "replaces",
        ]
        read_only_fields = fields


class CooperativeChoiceSerializer(serializers.Serializer):
    cooperative = ScopedCooperativeField()


class ConfirmBatchSerializer(serializers.Serializer):
    cooperative = ScopedCooperativeField(model=Contribution, action="change")
    contributions = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)


class ImportBatchSerializer(ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "cooperative",
            "original_name",
            "state",
            "confirm_contributions",
            "total_rows",
            "processed_rows",
            "percent",
            "errors",
            "created_members",
            "created_households",
            "created_contributions",
            "message",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    cooperative = ScopedCooperativeField(model=Member, action="add")
    file = serializers.FileField()
    confirm = serializers.BooleanField(required=False, default=False)
