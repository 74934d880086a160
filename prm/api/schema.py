"""The OpenAPI document's shared parts: the error answers every operation can give.

drf-spectacular documents each operation's success; this hook adds what a client meets on the
way there, in the same shape everywhere (``prm.api.errors``): 400 with ``{field: [messages]}``
or ``{"detail"}``, 401 without a valid token, 403 for a role that may not, 404 for what does not
exist here (another tenant's or partner's object included), 409 where a state forbids the change,
429 where a rate applies (the token endpoint, public applications), 503 with ``Retry-After`` when
the database or the job queue cannot be reached.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view

ERROR_SCHEMA = {
    "type": "object",
    "description": '{"detail": "…"} or {field: ["…"]} (imports: {"errors": [{"row", "field", "message"}]})',
    "additionalProperties": True,
}
ERRORS = {
    "400": "The request is not valid: every problem by field (or row)",
    "401": "No valid token: unknown, expired or revoked (detail says which and when)",
    "403": "Your role may not do this, or a read-only token may not write",
    "404": "Not found here (another tenant's or partner's object is not found either)",
    "409": "The object's state forbids this (e.g. an approved run), or the database refused the change",
    "503": "The database or the job queue cannot be reached just now: try again after Retry-After",
}
RATE_LIMITED = ("/auth/token/", "/applications/")
#: components made by ``seen_by_staff_or_partner`` (their "one of" becomes "any of" below)
AS_SEEN: list[str] = []
#: components made by ``sparse_rows``: name -> (the full row's component, properties it adds, description)
SPARSE: dict[str, tuple[str, dict, str]] = {}


def seen_by_staff_or_partner(component_name: str, staff_serializer, partner_serializer, *, detail_only=False):
    """Document a viewset whose list and detail answer staff with one serializer and partner users
    with a narrower one. The partner's view is a subset of the staff's, so a staff object matches
    both: the choice is "any of", not "one of". ``detail_only``: the list documents its rows itself
    (``sparse_rows``)."""

    AS_SEEN.append(component_name)
    either = PolymorphicProxySerializer(
        component_name=component_name,
        serializers=[staff_serializer, partner_serializer],
        resource_type_field_name=None,
    )
    if detail_only:
        return extend_schema_view(retrieve=extend_schema(responses=either))
    return extend_schema_view(list=extend_schema(responses=either), retrieve=extend_schema(responses=either))


def sparse_rows(component_name: str, *, of: str, adds: dict, description: str) -> dict:
    """The schema of a list's row when ``?fields=`` (``prm.api.sparse``) may choose its keys: every
    property of the component ``of`` (the staff's full row), plus ``adds``, none of them required
    (the hook builds it once ``of`` is built). For ``extend_schema(responses=...)`` of the list."""

    SPARSE[component_name] = (of, adds, description)
    return {"$ref": f"#/components/schemas/{component_name}"}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name in AS_SEEN:
        if "oneOf" in schemas.get(name, {}):
            schemas[name] = {"anyOf": schemas[name]["oneOf"]}
    for name, (full, adds, description) in SPARSE.items():
        if full in schemas:
            properties = {**schemas[full].get("properties", {}), **adds}
            schemas[name] = {"type": "object", "description": description, "properties": properties}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": error})
            # answered by the HTTP server in front (gunicorn) before the application sees the request
            responses.setdefault("414", {"description": "The URL (its query string) is too long"})
            if path.endswith(RATE_LIMITED):
                responses.setdefault(
                    "429", {"description": "Too many attempts: wait Retry-After seconds", "content": error}
                )
    return result
