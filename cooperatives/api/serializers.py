"""Serializers of the cooperatives API."""

from rest_framework import serializers

from cooperatives.choices import OperatingMode
from cooperatives.models import Cooperative
from core.models import Region


class CooperativeSerializer(serializers.ModelSerializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    village_name = serializers.CharField(source="village.name", read_only=True)
    township_name = serializers.CharField(source="village.parent.name", read_only=True, default=None)
    operating_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=OperatingMode.choices), required=False
    )

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "name",
            "kind",
            "village",
            "village_name",
            "township_name",
            "region_code",
            "uscc",
            "legal_representative",
            "chair_name",
            "chair_is_branch_secretary",
            "chair_exception_reason",
            "flagged",
            "flag_reasons",
            "registered_capital",
            "business_scope",
            "main_industry",
            "business_type",
            "operating_modes",
            "founding_date",
            "status",
            "classification",
            "address",
            "phone",
            "created_at",
            "updated_at",
        ]
        # the classification changes only through the classification service (dated, with who and why)
        read_only_fields = ["region_code", "flagged", "flag_reasons", "classification", "created_at", "updated_at"]
        # uniqueness is the service's rule (with a clear message), not the serializer's
        validators = []
        extra_kwargs = {"uscc": {"validators": []}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # only regions the caller may see are acceptable ids; the service then checks "add"
            self.fields["village"].queryset = Region.objects.for_user(request.user)
