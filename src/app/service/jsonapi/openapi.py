"""OpenAPI descriptions of the JSON:API routes, which FastAPI cannot infer from handlers.

The handlers build bytes, so parameters, request bodies and response documents are described
here, with entity schemas from pydantic under ``components/schemas``.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from app.service.jsonapi.errors import MEDIA_TYPE
from app.service.jsonapi.media import ATOMIC_MEDIA_TYPE
from app.service.jsonapi.resources import ResourceType, ResourceTypes
from domain import MAX_PAGE_SIZE

_REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


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
        attributes = {n: entity["properties"][n] for n in kind.attributes}
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
        schemas[_schema_name(kind, "Resource")] = {
            "type": "object",
            "required": ["type", "id"],
            "properties": {
                "type": {"type": "string", "enum": [kind.name]},
                "id": {"type": "string", "format": "uuid"},
                "attributes": {"type": "object", "properties": attributes},
                "relationships": {"type": "object", "properties": relationships},
                "meta": {"type": "object", "properties": {"version": {"type": "integer"}}},
                "links": {"type": "object"},
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


_READ_ERRORS = (400, 401, 403, 406, 503)
_WRITE_ERRORS = (400, 401, 403, 404, 406, 409, 412, 413, 415, 422, 428, 503)


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
        "openapi_extra": {"parameters": parameters},
        "summary": f"List {kind.name}",
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
                **_content(_schema_name(kind, "Document")),
            },
            **_errors(*_READ_ERRORS, 404),
        },
        "openapi_extra": {"parameters": parameters},
        "summary": f"Get one of {kind.name}",
    }


def _body(schema: dict[str, Any], media_type: str = MEDIA_TYPE) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {media_type: {"schema": schema}}}}


def create_route(kind: ResourceType) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for POST /api/<type>."""
    body = {
        "type": "object",
        "required": ["data"],
        "properties": {"data": _ref(_schema_name(kind, "Resource"))},
    }
    return {
        "status_code": 201,
        "responses": {
            201: {"description": "Created.", **_content(_schema_name(kind, "Document"))},
            **_errors(*_WRITE_ERRORS),
        },
        "openapi_extra": _body(body),
        "summary": f"Create one of {kind.name}",
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
                **_content(_schema_name(kind, "Document")),
            },
            **_errors(*_WRITE_ERRORS),
        },
        "openapi_extra": {**_body(body), "parameters": [_IF_MATCH]},
        "summary": f"Update one of {kind.name}",
    }


def delete_route(kind: ResourceType) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for DELETE /api/<type>/<id>."""
    return {
        "status_code": 204,
        "responses": {
            204: {"description": "Deleted."},
            **_errors(400, 401, 403, 404, 409, 412, 428, 503),
        },
        "openapi_extra": {"parameters": [_IF_MATCH]},
        "summary": f"Delete one of {kind.name}",
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
        "openapi_extra": _body(body, ATOMIC_MEDIA_TYPE),
        "summary": "Apply atomic operations (all or nothing)",
    }


def use_case_route(summary: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    """Keyword arguments of ``add_api_route`` for a use-case endpoint."""
    return {
        "status_code": status,
        "responses": {
            status: {"description": summary, **_content("ProductionDocument")},
            **_errors(*_WRITE_ERRORS),
        },
        "openapi_extra": _body(body),
        "summary": summary,
    }
