"""Serializers of the cooperatives API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperatives.choices import AssemblyMeeting, CharterReviewItem, OperatingMode, ReviewResult
from cooperatives.models import BoardMember, BoardTerm, Charter, CharterAttachment, CharterItemReview, Cooperative
from cooperatives.models.charters import SECTION_FIELDS
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
        read_only_fields = ["region_code", "flagged", "flag_reasons", "created_at", "updated_at"]
        # uniqueness is the service's rule (with a clear message), not the serializer's
        validators = []
        extra_kwargs = {"uscc": {"validators": []}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # only regions the caller may see are acceptable ids; the service then checks "add"
            self.fields["village"].queryset = Region.objects.for_user(request.user)


# -- board, supervisory board and cross-serving --------------------------------------------------------------


class BoardMemberSerializer(serializers.ModelSerializer):
    term = serializers.PrimaryKeyRelatedField(queryset=BoardTerm.objects.none())

    class Meta:
        model = BoardMember
        fields = [
            "id",
            "term",
            "cooperative",
            "region_code",
            "name",
            "id_number",
            "position",
            "party_role",
            "committee_role",
            "phone",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["cooperative", "region_code", "created_at", "updated_at"]
        validators = []  # the service's rules, with its messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["term"].queryset = BoardTerm.objects.for_user(request.user)
        if self.instance is not None and hasattr(self.instance, "pk"):
            self.fields["term"].read_only = True  # a person moves to another term by a new row


class BoardTermSerializer(serializers.ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    members = BoardMemberSerializer(many=True, read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = BoardTerm
        fields = [
            "id",
            "cooperative",
            "region_code",
            "body",
            "number",
            "elected_on",
            "start_date",
            "end_date",
            "note",
            "is_current",
            "members",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["region_code", "created_at", "updated_at"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["cooperative"].queryset = Cooperative.objects.for_user(request.user)
        if self.instance is not None and hasattr(self.instance, "pk"):
            self.fields["cooperative"].read_only = True

    def get_is_current(self, term) -> bool:
        return term.is_current()


# -- charters ------------------------------------------------------------------------------------------------


class CharterItemReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.StringRelatedField()

    class Meta:
        model = CharterItemReview
        fields = ["round", "item", "result", "comment", "reviewer", "created_at"]
        read_only_fields = fields


class CharterAttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.StringRelatedField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CharterAttachment
        fields = [
            "id",
            "charter",
            "title",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "download_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        return reverse("api:charter-attachment-download", args=[attachment.pk])


class CharterSerializer(serializers.ModelSerializer):
    """A charter version with its sections; workflow fields are read-only (they move through the actions)."""

    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    filed_by = serializers.StringRelatedField(allow_null=True)
    # read-only choice fields lose allow_blank in DRF; say it, so the schema admits "" (not yet voted)
    meeting = serializers.ChoiceField(choices=AssemblyMeeting.choices, allow_blank=True, read_only=True)
    reviews = CharterItemReviewSerializer(many=True, read_only=True)
    attachments = CharterAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Charter
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "version",
            "state",
            "based_on",
            *SECTION_FIELDS,
            "amendment_note",
            "approval",
            "review_round",
            "submitted_at",
            "township_approved_at",
            "meeting",
            "vote_date",
            "members_total",
            "members_present",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "adopted_at",
            "filed_on",
            "filing_number",
            "filing_note",
            "filed_by",
            "superseded_at",
            "closed_at",
            "reviews",
            "attachments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [f for f in fields if f not in (*SECTION_FIELDS, "amendment_note", "cooperative")]
        validators = []
        extra_kwargs = {"distribution_policy": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["cooperative"].queryset = Cooperative.objects.for_user(request.user)
        if self.instance is not None and hasattr(self.instance, "pk"):
            self.fields["cooperative"].read_only = True


class CharterCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CharterReviewEntrySerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=CharterReviewItem.choices)
    result = serializers.ChoiceField(choices=ReviewResult.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CharterReviewSerializer(serializers.Serializer):
    """The township's checklist: one entry for each of the six items."""

    items = CharterReviewEntrySerializer(many=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_items(self, items):
        seen = [i["item"] for i in items]
        if len(seen) != len(set(seen)):
            raise serializers.ValidationError(_("Give each item once."))
        return items

    def checklist(self) -> dict:
        return {
            i["item"]: {"result": i["result"], "comment": i.get("comment", "")} for i in self.validated_data["items"]
        }


class CharterVoteSerializer(serializers.Serializer):
    vote_date = serializers.DateField()
    members_total = serializers.IntegerField(min_value=1)
    members_present = serializers.IntegerField(min_value=0)
    votes_for = serializers.IntegerField(min_value=0)
    votes_against = serializers.IntegerField(min_value=0, default=0)
    votes_abstain = serializers.IntegerField(min_value=0, default=0)


class CharterFileSerializer(serializers.Serializer):
    filed_on = serializers.DateField()
    filing_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CharterAmendSerializer(serializers.Serializer):
    amendment_note = serializers.CharField(required=False, allow_blank=True, default="")


class CharterAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
