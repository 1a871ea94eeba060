"""The scoped base for every API viewset: GET→view, POST→add, PUT/PATCH→change, DELETE→delete."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="Refused by a rule; nothing was written."),
    403: OpenApiResponse(ErrorSerializer, description="Not permitted."),
    404: OpenApiResponse(ErrorSerializer, description="Not found (or outside your jurisdiction)."),
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the object's current state."),
}


def scope_action_for(request, view) -> str:
    """The tenancy action of a request: a viewset's ``scope_actions`` entry, else by method."""
    mapping = getattr(view, "scope_actions", {}) or {}
    if getattr(view, "action", None) in mapping:
        return mapping[view.action]
    return METHOD_ACTIONS.get(request.method, "view")


class TenantViewSetMixin:
    """``get_queryset`` through ``for_user``; a foreign id is therefore 404.

    A business operation (``@action`` submit, approve, post, …) may map itself to a tenancy action
    with ``scope_actions = {"approve": "view"}`` and leave the decision to its service.
    """

    queryset_model = None
    scope_actions: dict[str, str] = {}

    def get_base_queryset(self):
        return self.queryset_model.objects.all()

    def get_queryset(self):
        action = scope_action_for(self.request, self)
        return self.get_base_queryset().for_user(self.request.user, action)


class TenantReadOnlyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TenantModelViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    pass


__all__ = ["ERROR_RESPONSES", "TenantModelViewSet", "TenantReadOnlyViewSet", "extend_schema"]
