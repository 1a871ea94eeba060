"""OpenAPI postprocessing: every operation documents the error envelope for its error statuses."""

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
