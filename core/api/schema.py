"""OpenAPI postprocessing: every operation documents the error envelope for its error statuses."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from core.api.fields import PlainDecimalField

ERROR_STATUSES = {
    "400": "Refused by a rule or invalid input; nothing was written.",
    "401": "Not logged in.",
    "403": "Not permitted.",
    "404": "Not found, or outside your jurisdiction.",
    "409": "Not allowed in the object's current state.",
}

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Stable machine-readable error code."},
        "detail": {"type": "string", "description": "A message a person can act on."},
        "errors": {"type": "object", "additionalProperties": True, "description": "Messages per field."},
        "rows": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    },
    "required": ["code", "detail"],
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                if status not in responses:
                    responses[status] = {"description": description, "content": {"application/json": {"schema": ref}}}
    return result


def _model_field(field):
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except Exception:  # a property or method, not a model field
        return None


def _plain_pattern(field) -> str:
    """The pattern of ``core.money.plain_decimal`` within the field's digits: ASCII digits, an optional
    leading minus and decimal point (drf-spectacular's ``\\d`` would allow any script's digits)."""
    whole = "[0-9]+" if field.max_whole_digits is None else f"[0-9]{{1,{max(field.max_whole_digits, 1)}}}"
    places = "" if field.decimal_places == 0 else f"(?:\\.[0-9]{{1,{field.decimal_places or ''}}})?"
    return f"^-?{whole}{places}$"


class LingbanAutoSchema(AutoSchema):
    """DRF drops ``allow_blank``/``allow_null`` from read-only model fields (and a
    ``StringRelatedField`` never has them); the schema restores them from the model, so a read-only
    value that may be empty ("not classified yet", "not confirmed by the chair yet") is documented.
    A decimal's pattern is the plain rule the API applies (``core.api.fields.PlainDecimalField``)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if field.read_only:
            model_field = _model_field(field)
            if model_field is not None:
                if isinstance(field, serializers.ChoiceField | serializers.CharField):
                    field.allow_blank = field.allow_blank or bool(model_field.blank)
                field.allow_null = field.allow_null or bool(model_field.null)
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, PlainDecimalField) and "pattern" in schema:
            schema["pattern"] = _plain_pattern(field)
        return schema
