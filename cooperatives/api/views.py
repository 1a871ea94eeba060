"""Cooperatives API: CRUD through the registry services, scoped like the pages."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperatives.api.serializers import (
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
    CooperativeSerializer,
)
from cooperatives.filters import BoardMemberFilter, BoardTermFilter, CharterFilter, CooperativeFilter
from cooperatives.models import BoardMember, BoardTerm, Charter, CharterAttachment, Cooperative
from cooperatives.services import charters as charter_services
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
