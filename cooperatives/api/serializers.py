"""Serializers of the cooperatives API."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperatives.choices import (
    FEDERATION_KINDS,
    AssemblyMeeting,
    CharterReviewItem,
    OperatingMode,
    RefusalReason,
    ReviewResult,
)
from cooperatives.models import (
    ArchivedDocument,
    BoardMember,
    BoardTerm,
    Charter,
    CharterAttachment,
    CharterItemReview,
    ClassificationChange,
    Cooperative,
    DemonstrationAward,
    Expert,
    ExpertReview,
    FederationMembership,
    MajorMatter,
    MajorMatterStep,
    ProductCertification,
    ProjectProposal,
    SealUse,
)
from cooperatives.models.charters import SECTION_FIELDS
from core.api.fields import ModelSerializer, PlainDecimalField
from core.models import Region, User
from core.privacy import full_id_checker, person_data
from core.scoping import regions_for_action


class CooperativeSerializer(ModelSerializer):
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


# -- board, supervisory board and cross-serving --------------------------------------------------------------


class BoardMemberSerializer(ModelSerializer):
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

    def to_representation(self, instance):
        """A board member is a person: ID number and phone as the viewer may see them (core.privacy)."""
        request = self.context.get("request")
        if not hasattr(self, "_shows_full"):
            self._shows_full = full_id_checker(request.user if request is not None else None)
        return person_data(super().to_representation(instance), full=self._shows_full(instance))


class BoardTermSerializer(ModelSerializer):
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


class CharterItemReviewSerializer(ModelSerializer):
    reviewer = serializers.StringRelatedField()

    class Meta:
        model = CharterItemReview
        fields = ["round", "item", "result", "comment", "reviewer", "created_at"]
        read_only_fields = fields


class CharterAttachmentSerializer(ModelSerializer):
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


class CharterSerializer(ModelSerializer):
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


# -- governance -------------------------------------------------------------------------------------


class _ScopedRelatedMixin:
    """Limit related-field choices to what the caller may see: ``scoped_related = {"field": Model}``."""

    scoped_related: dict = {}

    def get_fields(self):
        # resolved when the fields are first used, so a nested serializer sees the root's request
        fields = super().get_fields()
        request = self.context.get("request")
        for name, (model, extra) in self.scoped_related.items():
            if name in fields:
                qs = model.objects.for_user(request.user, "view") if request is not None else model.objects.none()
                if extra:
                    qs = qs.filter(**extra)
                fields[name].queryset = qs
        return fields


class FederationMembershipSerializer(_ScopedRelatedMixin, ModelSerializer):
    federation = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    member = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    scoped_related = {
        "federation": (Cooperative, {"kind__in": FEDERATION_KINDS}),
        "member": (Cooperative, None),
    }

    class Meta:
        model = FederationMembership
        fields = [
            "id",
            "federation",
            "federation_name",
            "member",
            "member_name",
            "member_region_code",
            "joined_on",
            "left_on",
            "contribution",
            "note",
        ]
        read_only_fields = ["member_region_code", "left_on"]


class FederationMemberEntrySerializer(_ScopedRelatedMixin, serializers.Serializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    contribution = PlainDecimalField(max_digits=18, decimal_places=2, min_value=0, default=Decimal("0.00"))
    scoped_related = {"cooperative": (Cooperative, None)}


class FederationSerializer(CooperativeSerializer):
    """A federation: registration facts; on write ``members`` (three or more) and ``joined_on``;
    on read ``members`` lists the current memberships."""

    members = FederationMemberEntrySerializer(many=True, write_only=True)
    joined_on = serializers.DateField(write_only=True)

    class Meta(CooperativeSerializer.Meta):
        fields = [*CooperativeSerializer.Meta.fields, "members", "joined_on"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        memberships = getattr(instance, "active_memberships", None)
        if memberships is None:
            memberships = instance.memberships.filter(left_on__isnull=True).select_related("federation", "member")
        data["members"] = FederationMembershipSerializer(memberships, many=True, context=self.context).data
        return data


class MembershipRemoveSerializer(serializers.Serializer):
    left_on = serializers.DateField()


class ClassificationChangeSerializer(_ScopedRelatedMixin, ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    changed_by = serializers.StringRelatedField()
    scoped_related = {"cooperative": (Cooperative, None)}

    class Meta:
        model = ClassificationChange
        fields = ["id", "cooperative", "previous", "classification", "changed_on", "reason", "changed_by", "created_at"]
        read_only_fields = ["previous", "changed_by", "created_at"]


class DemonstrationAwardSerializer(_ScopedRelatedMixin, ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    scoped_related = {"cooperative": (Cooperative, None)}

    class Meta:
        model = DemonstrationAward
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "level",
            "year",
            "document_number",
            "award_amount",
            "award_basis",
            "created_at",
        ]
        read_only_fields = ["region_code", "award_amount", "award_basis", "created_at"]
        validators = []  # the one-title-per-level rule is the service's, with a clear message


class ProductCertificationSerializer(_ScopedRelatedMixin, ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    scoped_related = {"cooperative": (Cooperative, None)}

    class Meta:
        model = ProductCertification
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "kind",
            "product",
            "certificate_number",
            "certified_on",
            "award_amount",
            "award_basis",
            "created_at",
        ]
        read_only_fields = ["region_code", "award_amount", "award_basis", "created_at"]
        validators = []


class MajorMatterStepSerializer(ModelSerializer):
    """A step as read; ``attachment`` is the download URL."""

    attachment = serializers.SerializerMethodField()
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = MajorMatterStep
        fields = [
            "id",
            "step",
            "held_on",
            "minutes",
            "outcome",
            "attachment",
            "attachment_name",
            "expected_attendance",
            "present",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "passed",
            "recorded_by",
        ]

    def get_attachment(self, obj) -> str | None:
        if not obj.attachment:
            return None
        return reverse("cooperatives:majormatterstep_attachment", args=[obj.pk])


class MajorMatterStepInputSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    held_on = serializers.DateField()
    minutes = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False, allow_null=True, default=None)
    expected_attendance = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    present = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    votes_for = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    votes_against = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    votes_abstain = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)


class MajorMatterSerializer(_ScopedRelatedMixin, ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    steps = MajorMatterStepSerializer(many=True, read_only=True)
    scoped_related = {"cooperative": (Cooperative, None)}

    class Meta:
        model = MajorMatter
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "title",
            "category",
            "amount",
            "description",
            "status",
            "current_step",
            "steps",
            "created_at",
        ]
        read_only_fields = ["region_code", "status", "current_step", "created_at"]


class ExpertSerializer(ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none())
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Expert
        fields = ["id", "region", "region_name", "name", "field", "organisation", "title", "phone", "is_active"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["region"].queryset = regions_for_action(
                request.user, Expert, "add", levels=["county", "township"]
            )


class ExpertReviewSerializer(ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    expert_field = serializers.CharField(source="expert.field", read_only=True)
    total_score = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ExpertReview
        fields = [
            "id",
            "proposal",
            "expert",
            "expert_name",
            "expert_field",
            "feasibility",
            "risk",
            "expected_return",
            "market",
            "total_score",
            "recommendation",
            "opinion",
            "reviewed_on",
        ]
        read_only_fields = ["proposal", "expert"]
        extra_kwargs = {
            # required in a request; null in a response until the review is recorded (the service
            # refuses a missing score with its own message)
            name: {"required": True}
            for name in ("feasibility", "risk", "expected_return", "market", "reviewed_on")
        } | {"recommendation": {"required": True}, "opinion": {"required": True}}


class ProjectProposalSerializer(_ScopedRelatedMixin, ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    reviews = ExpertReviewSerializer(many=True, read_only=True)
    market_study_file = serializers.FileField(required=False, allow_null=True, write_only=True)
    market_study_attachment = serializers.SerializerMethodField()
    scoped_related = {"cooperative": (Cooperative, None)}

    class Meta:
        model = ProjectProposal
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "title",
            "main_business",
            "scale",
            "total_investment",
            "own_funds",
            "fiscal_funds",
            "debt_amount",
            "other_funds",
            "financing_note",
            "expected_annual_return",
            "market_study",
            "market_study_file",
            "market_study_attachment",
            "risks",
            "status",
            "refusal_reasons",
            "decision_comment",
            "decided_at",
            "approval",
            "reviews",
            "created_at",
        ]
        read_only_fields = [
            "region_code",
            "status",
            "refusal_reasons",
            "decision_comment",
            "decided_at",
            "approval",
            "created_at",
        ]

    def get_market_study_attachment(self, obj) -> str | None:
        if not obj.market_study_file:
            return None
        return reverse("cooperatives:projectproposal_market_study", args=[obj.pk])


class ExpertAssignSerializer(serializers.Serializer):
    experts = serializers.PrimaryKeyRelatedField(many=True, queryset=Expert.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["experts"].child_relation.queryset = Expert.objects.for_user(request.user, "view")


class ProposalDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=RefusalReason.choices), required=False, default=list
    )


class ArchivedDocumentSerializer(_ScopedRelatedMixin, ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    file = serializers.FileField(write_only=True)
    download = serializers.SerializerMethodField()
    archived_by = serializers.StringRelatedField()
    scoped_related = {"cooperative": (Cooperative, None)}

    class Meta:
        model = ArchivedDocument
        fields = [
            "id",
            "cooperative",
            "cooperative_name",
            "region_code",
            "doc_type",
            "title",
            "number",
            "doc_date",
            "keeper",
            "location",
            "note",
            "file",
            "file_name",
            "file_size",
            "download",
            "archived_by",
            "created_at",
        ]
        read_only_fields = ["region_code", "file_name", "file_size", "archived_by", "created_at"]

    def get_download(self, obj) -> str:
        return reverse("cooperatives:archiveddocument_download", args=[obj.pk])


class SealUseSerializer(_ScopedRelatedMixin, ModelSerializer):
    cooperative = serializers.PrimaryKeyRelatedField(queryset=Cooperative.objects.none())
    document = serializers.PrimaryKeyRelatedField(
        queryset=ArchivedDocument.objects.none(), required=False, allow_null=True
    )
    handler = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    handler_name = serializers.CharField(source="handler.display_name", read_only=True)
    chair_confirmed_by = serializers.StringRelatedField()
    scoped_related = {"cooperative": (Cooperative, None), "document": (ArchivedDocument, None)}

    class Meta:
        model = SealUse
        fields = [
            "id",
            "cooperative",
            "region_code",
            "used_on",
            "purpose",
            "document_title",
            "document",
            "copies",
            "handler",
            "handler_name",
            "handler_confirmed_at",
            "chair_confirmed_by",
            "chair_confirmed_at",
            "status",
        ]
        read_only_fields = ["region_code", "handler_confirmed_at", "chair_confirmed_at", "status"]


class SealConfirmSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=[("handler", "handler"), ("chair", "chair")])
