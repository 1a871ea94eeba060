"""API errors: always ``{"code": "...", "detail": "..."}``, plus ``errors`` per field when a form failed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import BusinessError


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def _codes(detail):
    if isinstance(detail, dict):
        return {k: _codes(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_codes(v) for v in detail]
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, BusinessError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["errors"] = {exc.field: [exc.message]}
        if getattr(exc, "errors", None) and isinstance(exc.errors, list):
            body["rows"] = [{"row": e.row, "column": e.column, "message": e.message} for e in exc.errors]
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": _first_message(exc.detail) or _("The request is not valid."),
            "errors": _codes(exc.detail) if isinstance(exc.detail, dict) else {"non_field_errors": _codes(exc.detail)},
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        response.data = {"code": code, "detail": _first_message(exc.detail)}
    return response
