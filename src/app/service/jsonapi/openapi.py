"""OpenAPI descriptions of the JSON:API routes, which FastAPI cannot infer from handlers.

The handlers build bytes, so parameters, request bodies and response documents are described
here, with entity schemas from pydantic under ``components/schemas``. Written for client
generators (openapi-python-client types every answer from it): success bodies only in the
JSON:API media type, a bearer scheme on writes, no id required on create, and none of the
validation responses FastAPI would add for handlers that never send them (``tidy``).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic.json_schema import models_json_schema
from starlette.responses import Response

from app.service.jsonapi.errors import MEDIA_TYPE
from app.service.jsonapi.media import ATOMIC_MEDIA_TYPE
from app.service.jsonapi.resources import ResourceType, ResourceTypes
from domain import MAX_PAGE_SIZE

_REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _singular(kind: ResourceType) -> str:
    """The entity's name in snake case (``ShootDay`` -> ``shoot_day``): operation ids use it."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind.entity.__name__).lower()


def _schema_name(kind: ResourceType, suffix: str) -> str:
    return f"{kind.entity.__name__}{suffix}"


def components(types: ResourceTypes) -> dict[str, Any]:
    """Schemas of every resource object, document and error document."""
    _, top = models_json_schema(
        [(kind.entity, "serialization") for kind in types.values()], ref_template=_REF
    )
    schemas: dict[str, Any] = dict(top.get("$defs", {}))
    identifier = {
        "type": "object",
        "required": ["type", "id"],
        "properties": {"type": {"type": "string"}, "id": {"type": "string", "format": "uuid"}},
    }
    schemas["ResourceIdentifier"] = identifier
    for kind in types.values():
        entity = schemas[kind.entity.__name__]
        required = set(entity.get("required", ()))
        # No defaults here: a PATCH leaves out what it does not change, and a client whose
        # model filled in a default ("" for a logline) would overwrite the stored value.
        attributes = {
            n: {k: v for k, v in entity["properties"][n].items() if k != "default"}
            for n in kind.attributes
        }
        relationships = {
            name: {
                "type": "object",
                "properties": {
                    "data": _ref("ResourceIdentifier")
                    if name in {r.name for r in kind.to_one}
                    else {"type": "array", "items": _ref("ResourceIdentifier")},
                    "links": {"type": "object"},
                },
            }
            for name in kind.relationships
        }
        meta = {"type": "object", "properties": {"version": {"type": "integer"}}}
        schemas[_schema_name(kind, "Resource")] = {
            "type": "object",
            "required": ["type", "id"],
            "properties": {
                "type": {"type": "string", "enum": [kind.name]},
                "id": {"type": "string", "format": "uuid"},
                "attributes": {"type": "object", "properties": attributes},
                "relationships": {"type": "object", "properties": relationships},
                "meta": meta,
                "links": {"type": "object"},
            },
        }
        # On create the server assigns the id (a client may choose one) and applies defaults;
        # what the entity cannot do without is required.
        new_attributes: dict[str, Any] = {
            "type": "object",
            "properties": {n: entity["properties"][n] for n in kind.attributes},
        }
        if required & set(kind.attributes):
            new_attributes["required"] = [n for n in kind.attributes if n in required]
        new_relationships: dict[str, Any] = {
            "type": "object",
            "properties": {r.name: relationships[r.name] for r in kind.to_one},
        }
        if any(r.field in required for r in kind.to_one):
            new_relationships["required"] = [r.name for r in kind.to_one if r.field in required]
        schemas[_schema_name(kind, "NewResource")] = {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": [kind.name]},
                "id": {"type": "string", "format": "uuid"},
                "attributes": new_attributes,
                "relationships": new_relationships,
                "meta": meta,
            },
        }
        resource = _ref(_schema_name(kind, "Resource"))
        schemas[_schema_name(kind, "Document")] = _document(resource)
        schemas[_schema_name(kind, "CollectionDocument")] = _document(
            {"type": "array", "items": resource}
        )
    schemas["ErrorDocument"] = {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "string"},
                        "code": {"type": "string"},
                        "title": {"type": "string"},
                        "detail": {"type": "string"},
                        "source": {"type": "object"},
                    },
                },
            }
        },
    }
    schemas["AtomicResults"] = {
        "type": "object",
        "required": ["atomic:results"],
        "properties": {"atomic:results": {"type": "array", "items": {"type": "object"}}},
    }
    return schemas


def _document(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": data,
            "included": {"type": "array", "items": {"type": "object"}},
            "links": {"type": "object"},
            "jsonapi": {"type": "object"},
        },
    }


def _content(schema: str, media_type: str = MEDIA_TYPE) -> dict[str, Any]:
    return {"content": {media_type: {"schema": _ref(schema)}}}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {"description": "A JSON:API error document.", **_content("ErrorDocument")}
        for s in statuses
    }


_READ_ERRORS = (400, 401, 403, 406, 502, 503)
_WRITE_ERRORS = (400, 401, 403, 404, 406, 409, 412, 413, 415, 422, 428, 502, 503)

BEARER = "bearer"
"""The name of the security scheme: ``Authorization: Bearer <token>``."""

SECURITY_SCHEMES = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "description": "service.token for writes; service.read_token (or the write token) for "
        "reads when one is set.",
    }
}
# On writes only: reads need a token just when service.read_token is set, which the document
# cannot know, and a generated client would otherwise demand a token for every read.
_WRITE_SECURITY: list[dict[str, list[str]]] = [{BEARER: []}]

_ETAG = {
    "ETag": {"description": 'The resource\'s version, e.g. "3".', "schema": {"type": "string"}}
}
_LOCATION = {"Location": {"description": "The new resource's URL.", "schema": {"type": "string"}}}


def _route(operation_id: str, summary: str) -> dict[str, Any]:
    """What every route passes to ``add_api_route``: no default JSON response of FastAPI's.

    ``response_class=Response`` has no media type, so FastAPI adds no ``application/json``
    entry with an empty schema beside the JSON:API one (generators typed answers ``dict``).
    """
    return {
        "operation_id": operation_id,
        "summary": summary,
        "response_class": Response,
    }


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def list_route(kind: ResourceType) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for GET /api/<type>."""
    filters = [
        _query(f"filter[{name}]", f"Only {kind.name} matching {name} (port filter).")
        for name in (*kind.query.model_fields, "id")
    ]
    filters += [
        _query(
            f"filter[{key.name}]",
            f"The {kind.name} holding {'@'.join(f'<{n}>' for n in key.fields)}, comma-separated.",
        )
        for key in kind.entity_type.unique
    ]
    parameters = [
        _query(
            "include", f"Related resources to include: {', '.join(kind.relationships) or 'none'}."
        ),
        *(_query(f"fields[{t}]", f"Sparse fieldset of {t}.") for t in kind.types),
        *filters,
        _query(
            "page[size]",
            "Items per page.",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        ),
        _query("page[after]", "The cursor of links.next."),
    ]
    return {
        "responses": {
            200: {
                "description": f"A page of {kind.name}.",
                **_content(_schema_name(kind, "CollectionDocument")),
            },
            **_errors(*_READ_ERRORS),
        },
        **_route(f"list_{kind.repository}", f"List {kind.name}"),
        "openapi_extra": {"parameters": parameters},
    }


def get_route(kind: ResourceType) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for GET /api/<type>/<id>."""
    parameters = [
        _query(
            "include", f"Related resources to include: {', '.join(kind.relationships) or 'none'}."
        ),
        *(_query(f"fields[{t}]", f"Sparse fieldset of {t}.") for t in kind.types),
    ]
    return {
        "responses": {
            200: {
                "description": f"One of {kind.name}.",
                "headers": _ETAG,
                **_content(_schema_name(kind, "Document")),
            },
            **_errors(*_READ_ERRORS, 404),
        },
        **_route(f"get_{_singular(kind)}", f"Get one of {kind.name}"),
        "openapi_extra": {"parameters": parameters},
    }


def _body(schema: dict[str, Any], media_type: str = MEDIA_TYPE) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {media_type: {"schema": schema}}}}


def create_route(kind: ResourceType) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for POST /api/<type>."""
    body = {
        "type": "object",
        "required": ["data"],
        "properties": {"data": _ref(_schema_name(kind, "NewResource"))},
    }
    return {
        "status_code": 201,
        "responses": {
            201: {
                "description": "Created.",
                "headers": {**_ETAG, **_LOCATION},
                **_content(_schema_name(kind, "Document")),
            },
            **_errors(*_WRITE_ERRORS),
        },
        **_route(f"create_{_singular(kind)}", f"Create one of {kind.name}"),
        "openapi_extra": {**_body(body), "security": _WRITE_SECURITY},
    }


_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag (version) the write applies to, e.g. "3": 412 when stale.',
}


def update_route(kind: ResourceType) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for PATCH /api/<type>/<id>."""
    body = {
        "type": "object",
        "required": ["data"],
        "properties": {"data": _ref(_schema_name(kind, "Resource"))},
    }
    return {
        "responses": {
            200: {
                "description": "Updated (version + 1).",
                "headers": _ETAG,
                **_content(_schema_name(kind, "Document")),
            },
            **_errors(*_WRITE_ERRORS),
        },
        **_route(f"update_{_singular(kind)}", f"Update one of {kind.name}"),
        "openapi_extra": {**_body(body), "parameters": [_IF_MATCH], "security": _WRITE_SECURITY},
    }


def delete_route(kind: ResourceType) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for DELETE /api/<type>/<id>."""
    return {
        "status_code": 204,
        "responses": {
            204: {"description": "Deleted."},
            **_errors(400, 401, 403, 404, 409, 412, 428, 502, 503),
        },
        **_route(f"delete_{_singular(kind)}", f"Delete one of {kind.name}"),
        "openapi_extra": {"parameters": [_IF_MATCH], "security": _WRITE_SECURITY},
    }


def operations_route() -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for POST /api/operations."""
    body = {
        "type": "object",
        "required": ["atomic:operations"],
        "properties": {"atomic:operations": {"type": "array", "items": {"type": "object"}}},
    }
    return {
        "responses": {
            200: {
                "description": "Every operation applied.",
                **_content("AtomicResults", ATOMIC_MEDIA_TYPE),
            },
            **_errors(*_WRITE_ERRORS),
        },
        **_route("apply_operations", "Apply atomic operations (all or nothing)"),
        "openapi_extra": {**_body(body, ATOMIC_MEDIA_TYPE), "security": _WRITE_SECURITY},
    }


def use_case_route(
    operation_id: str, summary: str, body: dict[str, Any], status: int = 200
) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for a use-case endpoint."""
    return {
        "status_code": status,
        "responses": {
            status: {
                "description": summary,
                "headers": _ETAG,
                **_content("ProductionDocument"),
            },
            **_errors(*_WRITE_ERRORS),
        },
        **_route(operation_id, summary),
        "openapi_extra": {**_body(body), "security": _WRITE_SECURITY},
    }


def tidy(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document of ``/api`` alone, without FastAPI's validation responses.

    The handlers read requests themselves, so FastAPI's 422 ``HTTPValidationError`` (added
    for any route with a path parameter) is never sent; and GraphQL describes itself by
    introspection at ``/graphql``, not here.
    """
    document["paths"] = {p: v for p, v in document["paths"].items() if p.startswith("/api/")}
    for operations in document["paths"].values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            fastapi_422 = responses.get("422", {}).get("content", {}).get("application/json")
            if fastapi_422 is not None:
                del responses["422"]
    components = document.setdefault("components", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.get("schemas", {}).pop(name, None)
    components["securitySchemes"] = SECURITY_SCHEMES
    return document
