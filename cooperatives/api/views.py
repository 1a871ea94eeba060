"""Cooperatives API: CRUD through the registry services, scoped like the pages."""

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperatives.api.serializers import (
    ArchivedDocumentSerializer,
    BoardMemberSerializer,
    BoardTermSerializer,
    CharterAmendSerializer,
    CharterAttachmentSerializer,
    CharterAttachmentUploadSerializer,
    CharterCommentSerializer,
    CharterFileSerializer,
    CharterReviewSerializer,
    CharterSerializer,
    CharterVoteSerializer,
    ClassificationChangeSerializer,
    CooperativeSerializer,
    DemonstrationAwardSerializer,
    ExpertAssignSerializer,
    ExpertReviewSerializer,
    ExpertSerializer,
    FederationMembershipSerializer,
    FederationSerializer,
    MajorMatterSerializer,
    MajorMatterStepInputSerializer,
    MembershipRemoveSerializer,
    ProductCertificationSerializer,
    ProjectProposalSerializer,
    ProposalDecisionSerializer,
    SealConfirmSerializer,
    SealUseSerializer,
)
from cooperatives.choices import FEDERATION_KINDS
from cooperatives.files import download_response
from cooperatives.filters import (
    ArchivedDocumentFilter,
    BoardMemberFilter,
    BoardTermFilter,
    CertificationFilter,
    CharterFilter,
    ClassificationChangeFilter,
    CooperativeFilter,
    DemonstrationFilter,
    ExpertFilter,
    FederationFilter,
    MajorMatterFilter,
    ProjectProposalFilter,
    SealUseFilter,
)
from cooperatives.models import (
    ArchivedDocument,
    BoardMember,
    BoardTerm,
    Charter,
    CharterAttachment,
    ClassificationChange,
    Cooperative,
    DemonstrationAward,
    Expert,
    ExpertReview,
    FederationMembership,
    MajorMatter,
    ProductCertification,
    ProjectProposal,
    SealUse,
)
from cooperatives.services import charters as charter_services
from cooperatives.services.archive import DOCUMENT_FIELDS, document_archive, seal_use_confirm, seal_use_record
from cooperatives.services.board import (
    MEMBER_FIELDS,
    TERM_FIELDS,
    board_member_create,
    board_member_delete,
    board_member_update,
    board_term_create,
    board_term_delete,
    board_term_update,
)
from cooperatives.services.charters import EDIT_FIELDS
from cooperatives.services.classification import certification_record, cooperative_classify, demonstration_grant
from cooperatives.services.federations import (
    MemberEntry,
    federation_create,
    federation_member_add,
    federation_member_remove,
    federation_member_update,
)
from cooperatives.services.major_matters import major_matter_open, major_matter_record_step
from cooperatives.services.projects import (
    PROPOSAL_FIELDS,
    expert_create,
    expert_review_record,
    expert_update,
    project_experts_assign,
    project_proposal_approve,
    project_proposal_create,
    project_proposal_refuse,
    project_proposal_return,
    project_proposal_submit,
    project_proposal_update,
)
from cooperatives.services.registry import FIELDS, cooperative_create, cooperative_update
from core.api.viewsets import ERROR_RESPONSES, TenantViewSetMixin


class CooperativeViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Registered cooperatives within the caller's jurisdiction; filters as on the list page."""

    queryset_model = Cooperative
    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter

    def get_base_queryset(self):
        return Cooperative.objects.select_related("village__parent").order_by("region_code", "name")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in FIELDS}
        serializer.instance = cooperative_create(
            actor=self.request.user, village=serializer.validated_data["village"], **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in FIELDS}
        serializer.instance = cooperative_update(
            actor=self.request.user,
            cooperative=serializer.instance,
            village=serializer.validated_data.get("village"),
            **data,
        )


# -- board, supervisory board and cross-serving --------------------------------------------------------------


class BoardTermViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """Board and supervisory terms with their people; writes go through ``services.board``."""

    queryset_model = BoardTerm
    serializer_class = BoardTermSerializer
    filterset_class = BoardTermFilter
    # the services answer 403 to a role that may see the row but not change it
    scope_actions = {"update": "view", "partial_update": "view", "destroy": "view"}

    def get_base_queryset(self):
        return BoardTerm.objects.prefetch_related("members").order_by("cooperative_id", "body", "-start_date")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in TERM_FIELDS}
        serializer.instance = board_term_create(
            actor=self.request.user, cooperative=serializer.validated_data["cooperative"], **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in TERM_FIELDS}
        serializer.instance = board_term_update(actor=self.request.user, term=serializer.instance, **data)

    def perform_destroy(self, instance):
        board_term_delete(actor=self.request.user, term=instance)


class BoardMemberViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """People on terms, with their village two-committee posts; law Art. 33 is checked by the service."""

    queryset_model = BoardMember
    serializer_class = BoardMemberSerializer
    filterset_class = BoardMemberFilter
    scope_actions = {"update": "view", "partial_update": "view", "destroy": "view"}

    def get_base_queryset(self):
        return BoardMember.objects.order_by("term_id", "pk")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in MEMBER_FIELDS}
        serializer.instance = board_member_create(
            actor=self.request.user, term=serializer.validated_data["term"], **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in MEMBER_FIELDS}
        serializer.instance = board_member_update(actor=self.request.user, member=serializer.instance, **data)

    def perform_destroy(self, instance):
        board_member_delete(actor=self.request.user, member=instance)


# -- charters ------------------------------------------------------------------------------------------------


class CharterViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Charter versions within the caller's jurisdiction (``?cooperative=<id>`` lists one cooperative's versions).

    ``POST /charters/`` drafts version 1 of a cooperative without a charter in force; ``PATCH`` edits a
    draft or returned version. Each step is its own operation calling one service: ``submit``,
    ``review`` (the township's checklist), ``vote`` (the member assembly), ``file`` (the county),
    ``amend`` (opens the next version), ``withdraw``, ``attachments`` (upload), ``versions``.
    """

    queryset_model = Charter
    serializer_class = CharterSerializer
    filterset_class = CharterFilter
    # look the version up by "view"; the service then says 403 to a role whose step it is not
    scope_actions = dict.fromkeys(
        (
            "update",
            "partial_update",
            "submit",
            "withdraw",
            "review",
            "vote",
            "file",
            "amend",
            "attachments",
            "versions",
        ),
        "view",
    )

    def get_base_queryset(self):
        return (
            Charter.objects.select_related("cooperative", "filed_by")
            .prefetch_related("reviews__reviewer", "attachments__uploaded_by")
            .order_by("region_code", "-version")
        )

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in EDIT_FIELDS}
        serializer.instance = charter_services.charter_create(
            actor=self.request.user, cooperative=serializer.validated_data["cooperative"], **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in EDIT_FIELDS}
        serializer.instance = charter_services.charter_update(
            actor=self.request.user, charter=serializer.instance, **data
        )

    def _respond(self, charter, status_code=200):
        charter = self.get_base_queryset().get(pk=charter.pk)
        return Response(CharterSerializer(charter, context=self.get_serializer_context()).data, status=status_code)

    def _input(self, serializer_class):
        # the object first: a foreign or missing charter is 404 whatever the payload holds
        self.get_object()
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data

    @extend_schema(request=CharterCommentSerializer, responses={200: CharterSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = self._input(CharterCommentSerializer)
        charter = charter_services.charter_submit(
            actor=request.user, charter=self.get_object(), comment=data.validated_data["comment"]
        )
        return self._respond(charter)

    @extend_schema(request=CharterCommentSerializer, responses={200: CharterSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = self._input(CharterCommentSerializer)
        charter = charter_services.charter_withdraw(
            actor=request.user, charter=self.get_object(), comment=data.validated_data["comment"]
        )
        return self._respond(charter)

    @extend_schema(request=CharterReviewSerializer, responses={200: CharterSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = self._input(CharterReviewSerializer)
        charter = charter_services.charter_review(
            actor=request.user,
            charter=self.get_object(),
            items=data.checklist(),
            comment=data.validated_data["comment"],
        )
        return self._respond(charter)

    @extend_schema(request=CharterVoteSerializer, responses={200: CharterSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        data = self._input(CharterVoteSerializer)
        charter = charter_services.charter_record_vote(
            actor=request.user, charter=self.get_object(), **data.validated_data
        )
        return self._respond(charter)

    @extend_schema(request=CharterFileSerializer, responses={200: CharterSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        data = self._input(CharterFileSerializer)
        charter = charter_services.charter_file(actor=request.user, charter=self.get_object(), **data.validated_data)
        return self._respond(charter)

    @extend_schema(request=CharterAmendSerializer, responses={201: CharterSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        data = self._input(CharterAmendSerializer)
        charter = charter_services.charter_amend(
            actor=request.user, charter=self.get_object(), amendment_note=data.validated_data["amendment_note"]
        )
        return self._respond(charter, status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": CharterAttachmentUploadSerializer},
        responses={201: CharterAttachmentSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        data = self._input(CharterAttachmentUploadSerializer)
        attachment = charter_services.charter_attachment_add(
            actor=request.user,
            charter=self.get_object(),
            file=data.validated_data["file"],
            title=data.validated_data["title"],
        )
        return Response(CharterAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CharterSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """Every version of this charter's cooperative the caller may see, newest first."""
        charter = self.get_object()
        qs = self.get_queryset().filter(cooperative_id=charter.cooperative_id).order_by("-version")
        return Response(CharterSerializer(qs, many=True, context=self.get_serializer_context()).data)


class CharterAttachmentViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Files of charter versions; ``download`` returns the stored file to those who may see its version."""

    queryset_model = CharterAttachment
    serializer_class = CharterAttachmentSerializer
    filterset_fields = ["charter"]
    scope_actions = {"destroy": "view"}

    def get_base_queryset(self):
        return CharterAttachment.objects.select_related("uploaded_by").order_by("charter_id", "pk")

    def perform_destroy(self, instance):
        charter_services.charter_attachment_remove(actor=self.request.user, attachment=instance)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )


# -- governance -------------------------------------------------------------------------------------


def _payload(serializer, names):
    return {k: v for k, v in serializer.validated_data.items() if k in names}


class FederationViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Federations (联合社) with their current members; POST registers one with three or more members."""

    queryset_model = Cooperative
    serializer_class = FederationSerializer
    filterset_class = FederationFilter

    def get_base_queryset(self):
        return (
            Cooperative.objects.filter(kind__in=FEDERATION_KINDS)
            .select_related("village__parent")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=FederationMembership.objects.filter(left_on__isnull=True).select_related(
                        "federation", "member"
                    ),
                    to_attr="active_memberships",
                )
            )
            .order_by("region_code", "name")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = federation_create(
            actor=self.request.user,
            village=data["village"],
            members=[MemberEntry(m["cooperative"], m["contribution"]) for m in data["members"]],
            joined_on=data["joined_on"],
            **_payload(serializer, FIELDS),
        )


class FederationMembershipViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Memberships: seen by the federation's region and the member's village. POST admits a member;
    PATCH changes the contribution or note; ``POST …/{id}/remove/`` with ``left_on`` records a
    leaving (refused below three members)."""

    queryset_model = FederationMembership
    serializer_class = FederationMembershipSerializer
    filterset_fields = ["federation", "member"]
    scope_actions = {"remove": "change"}

    def get_base_queryset(self):
        return FederationMembership.objects.select_related("federation", "member").order_by("federation_id", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = federation_member_add(
            actor=self.request.user,
            federation=data["federation"],
            member=data["member"],
            joined_on=data["joined_on"],
            contribution=data.get("contribution", 0),
            note=data.get("note", ""),
        )

    def perform_update(self, serializer):
        membership = serializer.instance
        serializer.instance = federation_member_update(
            actor=self.request.user,
            membership=membership,
            contribution=serializer.validated_data.get("contribution", membership.contribution),
            note=serializer.validated_data.get("note", membership.note),
        )

    @extend_schema(
        request=MembershipRemoveSerializer, responses={200: FederationMembershipSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        membership = self.get_object()
        body = MembershipRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = federation_member_remove(
            actor=request.user, membership=membership, left_on=body.validated_data["left_on"]
        )
        return Response(self.get_serializer(membership).data)


class ClassificationChangeViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Classification history; POST gives or changes a cooperative's type (dated, with the reason)."""

    queryset_model = ClassificationChange
    serializer_class = ClassificationChangeSerializer
    filterset_class = ClassificationChangeFilter

    def get_base_queryset(self):
        return ClassificationChange.objects.select_related("changed_by")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = cooperative_classify(
            actor=self.request.user,
            cooperative=d["cooperative"],
            classification=d["classification"],
            changed_on=d["changed_on"],
            reason=d["reason"],
        )


class DemonstrationAwardViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Demonstration-cooperative titles; the award amount comes from the county's policy profile."""

    queryset_model = DemonstrationAward
    serializer_class = DemonstrationAwardSerializer
    filterset_class = DemonstrationFilter

    def get_base_queryset(self):
        return DemonstrationAward.objects.select_related("cooperative")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = demonstration_grant(
            actor=self.request.user,
            cooperative=d["cooperative"],
            level=d["level"],
            year=d["year"],
            document_number=d.get("document_number", ""),
        )


class ProductCertificationViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Product certifications; the award amount comes from the county's policy profile."""

    queryset_model = ProductCertification
    serializer_class = ProductCertificationSerializer
    filterset_class = CertificationFilter

    def get_base_queryset(self):
        return ProductCertification.objects.select_related("cooperative")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = certification_record(
            actor=self.request.user,
            cooperative=d["cooperative"],
            kind=d["kind"],
            product=d["product"],
            certificate_number=d["certificate_number"],
            certified_on=d["certified_on"],
        )


class MajorMatterViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Major matters (四议两公开) with their steps; ``POST …/{id}/steps/`` records the next step
    (multipart for an attachment)."""

    queryset_model = MajorMatter
    serializer_class = MajorMatterSerializer
    filterset_class = MajorMatterFilter
    scope_actions = {"steps": "change"}

    def get_base_queryset(self):
        return MajorMatter.objects.select_related("cooperative").prefetch_related("steps__recorded_by")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = major_matter_open(
            actor=self.request.user,
            cooperative=d["cooperative"],
            title=d["title"],
            category=d["category"],
            amount=d.get("amount"),
            description=d.get("description", ""),
        )

    @extend_schema(request=MajorMatterStepInputSerializer, responses={201: MajorMatterSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        matter = self.get_object()
        body = MajorMatterStepInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        major_matter_record_step(actor=request.user, matter=matter, **body.validated_data)
        matter = self.get_base_queryset().get(pk=matter.pk)
        return Response(self.get_serializer(matter).data, status=status.HTTP_201_CREATED)


class ExpertViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Expert pools: a county's pool is visible to its townships."""

    queryset_model = Expert
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter

    def get_base_queryset(self):
        return Expert.objects.select_related("region")

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        serializer.instance = expert_create(actor=self.request.user, **d)

    def perform_update(self, serializer):
        d = {k: v for k, v in serializer.validated_data.items() if k != "region"}
        serializer.instance = expert_update(actor=self.request.user, expert=serializer.instance, **d)


class ProjectProposalViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Project proposals. Operations: ``submit`` (village), ``assign-experts``, ``approve``, ``refuse``
    (with ``reasons``), ``return`` (township)."""

    queryset_model = ProjectProposal
    serializer_class = ProjectProposalSerializer
    filterset_class = ProjectProposalFilter
    scope_actions = {
        "submit": "change",
        "assign_experts": "view",
        "approve": "view",
        "refuse": "view",
        "return_": "view",
    }

    def get_base_queryset(self):
        return ProjectProposal.objects.select_related("cooperative", "approval").prefetch_related("reviews__expert")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = project_proposal_create(
            actor=self.request.user,
            cooperative=d["cooperative"],
            market_study_file=d.get("market_study_file"),
            **_payload(serializer, PROPOSAL_FIELDS),
        )

    def perform_update(self, serializer):
        serializer.instance = project_proposal_update(
            actor=self.request.user,
            proposal=serializer.instance,
            market_study_file=serializer.validated_data.get("market_study_file"),
            **_payload(serializer, PROPOSAL_FIELDS),
        )

    def _done(self, proposal):
        return Response(self.get_serializer(self.get_base_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=ProposalDecisionSerializer, responses={200: ProjectProposalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        obj = self.get_object()  # 404 for a foreign id before the payload is read
        body = ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = project_proposal_submit(actor=request.user, proposal=obj, comment=body.validated_data["comment"])
        return self._done(proposal)

    @extend_schema(request=ExpertAssignSerializer, responses={200: ProjectProposalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="assign-experts")
    def assign_experts(self, request, pk=None):
        proposal = self.get_object()
        body = ExpertAssignSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        project_experts_assign(actor=request.user, proposal=proposal, experts=body.validated_data["experts"])
        return self._done(proposal)

    @extend_schema(request=ProposalDecisionSerializer, responses={200: ProjectProposalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        obj = self.get_object()  # 404 for a foreign id before the payload is read
        body = ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = project_proposal_approve(actor=request.user, proposal=obj, comment=body.validated_data["comment"])
        return self._done(proposal)

    @extend_schema(request=ProposalDecisionSerializer, responses={200: ProjectProposalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        obj = self.get_object()  # 404 for a foreign id before the payload is read
        body = ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = project_proposal_refuse(
            actor=request.user,
            proposal=obj,
            reasons=body.validated_data["reasons"],
            comment=body.validated_data["comment"],
        )
        return self._done(proposal)

    @extend_schema(request=ProposalDecisionSerializer, responses={200: ProjectProposalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        obj = self.get_object()  # 404 for a foreign id before the payload is read
        body = ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = project_proposal_return(actor=request.user, proposal=obj, comment=body.validated_data["comment"])
        return self._done(proposal)


class ExpertReviewViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Expert reviews; PUT/PATCH records one on the expert's behalf (the township of the proposal)."""

    queryset_model = ExpertReview
    serializer_class = ExpertReviewSerializer
    filterset_fields = ["proposal", "expert"]

    def get_base_queryset(self):
        return ExpertReview.objects.select_related("expert", "proposal")

    def perform_update(self, serializer):
        d = serializer.validated_data
        review = serializer.instance
        serializer.instance = expert_review_record(
            actor=self.request.user,
            review=review,
            feasibility=d.get("feasibility", review.feasibility),
            risk=d.get("risk", review.risk),
            expected_return=d.get("expected_return", review.expected_return),
            market=d.get("market", review.market),
            recommendation=d.get("recommendation", review.recommendation),
            opinion=d.get("opinion", review.opinion),
            reviewed_on=d.get("reviewed_on", review.reviewed_on),
        )


class ArchivedDocumentViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The township archive; POST multipart with ``file``; ``…/{id}/download/`` sends the file."""

    queryset_model = ArchivedDocument
    serializer_class = ArchivedDocumentSerializer
    filterset_class = ArchivedDocumentFilter
    scope_actions = {"download": "view"}

    def get_base_queryset(self):
        return ArchivedDocument.objects.select_related("cooperative", "archived_by")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = document_archive(
            actor=self.request.user,
            cooperative=d["cooperative"],
            file=d["file"],
            **_payload(serializer, DOCUMENT_FIELDS),
        )

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        return download_response(document.file, document.file_name)


class SealUseViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The seal-use log; ``POST …/{id}/confirm/`` with ``role`` = handler or chair."""

    queryset_model = SealUse
    serializer_class = SealUseSerializer
    filterset_class = SealUseFilter
    scope_actions = {"confirm": "confirm"}

    def get_base_queryset(self):
        return SealUse.objects.select_related("handler", "chair_confirmed_by")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = seal_use_record(
            actor=self.request.user,
            cooperative=d["cooperative"],
            used_on=d["used_on"],
            purpose=d["purpose"],
            document_title=d["document_title"],
            handler=d["handler"],
            copies=d.get("copies", 1),
            document=d.get("document"),
        )

    @extend_schema(request=SealConfirmSerializer, responses={200: SealUseSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        obj = self.get_object()  # 404 for a foreign id before the payload is read
        body = SealConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = seal_use_confirm(actor=request.user, entry=obj, as_chair=body.validated_data["role"] == "chair")
        return Response(self.get_serializer(entry).data)
