"""Serializers of the members API. Resident ID numbers come out masked unless the caller keeps the roster."""

from rest_framework import serializers

from cooperatives.models import Cooperative
from core.api.fields import ModelSerializer
from core.models import Region
from core.privacy import full_id_checker, person_data
from members.models import Household, Member


class HouseholdSerializer(ModelSerializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none())

    class Meta:
        model = Household
        fields = ["id", "village", "region_code", "number", "head_name", "size", "address", "created_at", "updated_at"]
        read_only_fields = ["region_code", "created_at", "updated_at"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["village"].queryset = Region.objects.for_user(request.user).filter(level="village")


class MemberSerializer(ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none(), allow_null=True, required=False)
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    id_number_masked = serializers.BooleanField(read_only=True, default=False)
    # read from the ID number; its month and day are the part the mask hides (core.privacy)
    birth_date = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="YYYY-MM-DD; the year alone (YYYY) where the ID number is masked.",
    )
    number = serializers.IntegerField(required=False, min_value=1)

    class Meta:
        model = Member
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "number",
            "kind",
            "name",
            "id_number",
            "id_number_masked",
            "gender",
            "birth_date",
            "household",
            "uscc",
            "legal_representative",
            "phone",
            "address",
            "is_party_member",
            "is_branch_member",
            "is_village_cadre",
            "is_poverty_registered",
            "vulnerability",
            "is_farmer",
            "joined_on",
            "left_on",
            "leave_reason",
            "leave_note",
            "user",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "region_code",
            "gender",
            "birth_date",
            "left_on",
            "leave_reason",
            "leave_note",
            "created_at",
            "updated_at",
        ]
        validators = []  # uniqueness is the service's rule, with a clear message
        extra_kwargs = {"uscc": {"validators": []}, "user": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            from members.selectors import cooperatives_for

            self.fields["cooperative"].queryset = cooperatives_for(request.user, Member, "add")
            self.fields["household"].queryset = Household.objects.for_user(request.user)
            self._shows_full = full_id_checker(request.user)
        else:
            self._shows_full = lambda m: False
        if (
            self.instance is not None
            and not isinstance(self.instance, list | tuple)
            and getattr(self.instance, "pk", None)
        ):
            self.fields["cooperative"].read_only = True

    def to_representation(self, instance):
        return person_data(super().to_representation(instance), full=self._shows_full(instance))


class MemberLeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField()
    leave_reason = serializers.CharField()
    leave_note = serializers.CharField(required=False, allow_blank=True, default="")
