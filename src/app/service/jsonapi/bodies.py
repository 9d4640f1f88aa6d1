"""Request bodies: JSON, resource objects and their validation into entities.

Malformed JSON and members of the wrong JSON type or shape are 400; values the domain
refuses (a title too long, an unknown currency) are 422. Every problem points at its member.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

import pydantic_core
from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from app.service.json_input import BadJson, parse_json
from app.service.jsonapi.errors import (
    JsonApiError,
    Problem,
    bad_request,
    field_pointer,
    pointer_token,
)
from app.service.jsonapi.resources import ResourceType, ToMany, ToOne
from app.service.limits import MAX_ERRORS
from domain import Entity

# pydantic error types that mean "wrong JSON type or shape" rather than "bad value".
_SHAPE_ERRORS = frozenset({"missing", "extra_forbidden", "model_type", "dict_type", "list_type"})


async def read_json(request: Request) -> Any:
    """The parsed request body, or 400 when it is not UTF-8 JSON, too deep, or no Unicode text."""
    body = await request.body()
    try:
        return parse_json(body)
    except BadJson as exc:
        raise bad_request(exc.detail, pointer=exc.pointer) from None


def member(
    container: Any, name: str, pointer: str, kind: type | tuple[type, ...], *, required: bool = True
) -> Any:
    """``container[name]`` checked for JSON type ``kind``; 400 naming ``pointer`` otherwise."""
    if not isinstance(container, dict) or name not in container:
        if required:
            raise bad_request(f"{pointer} is required", pointer=pointer)
        return None
    value = container[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        raise bad_request(f"{pointer} must be a JSON {_json_name(expected)}", pointer=pointer)
    return value


def _json_name(python: str) -> str:
    return {"dict": "object", "str": "string", "int": "integer", "list": "array"}.get(
        python, python
    )


def status_of(kind: str) -> int:
    """400 when the first problem's ``kind`` is a wrong type or shape, 422 for a bad value."""
    if kind in _SHAPE_ERRORS or kind.endswith(("_type", "_parsing")):
        return 400
    return 422


def validation_error(exc: ValidationError, base: str = "/data") -> JsonApiError:
    """The error document of a pydantic failure: an error object per problem, up to the cap.

    The objects past ``MAX_ERRORS`` are never built (150,000 invalid genres cost seconds of CPU
    and 41 MB of response); the document counts them instead.
    """
    errors = exc.errors(include_url=False)  # costly for many errors: asked once
    status = status_of(errors[0]["type"])
    problems = []
    for error in errors[:MAX_ERRORS]:
        field = ".".join(str(p) for p in error["loc"])
        problems.append(
            Problem(
                status,
                "bad_request" if status == 400 else "invalid_input",
                f"{field or 'resource'}: {error['msg']}",
                pointer=field_pointer(field, base),
            )
        )
    return JsonApiError(*problems, total=len(errors))


def validate(model: type[BaseModel], fields: Mapping[str, Any], base: str = "/data") -> Any:
    """Validate ``fields`` into ``model`` or raise the 400/422 error document."""
    try:
        # Strict JSON validation: "2028" is not a year and 5 is not a title, as on the wire.
        return model.model_validate_json(pydantic_core.to_json(fields), strict=True)
    except ValidationError as exc:
        raise validation_error(exc, base) from None


def resource_fields(
    kind: ResourceType, data: Any, base: str = "/data", *, creating: bool
) -> dict[str, Any]:
    """The entity fields a resource object carries: id, attributes, to-one links, version.

    409 when ``type`` is not ``kind`` (the spec's rule for a collection of another type).
    """
    if not isinstance(data, dict):
        raise bad_request(f"{base} must be a resource object", pointer=base)
    type_name = member(data, "type", f"{base}/type", str)
    if type_name != kind.name:
        raise JsonApiError(
            Problem(
                409,
                "conflict.type_mismatch",
                f"expected type {kind.name!r}, got {type_name!r}",
                pointer=f"{base}/type",
            )
        )
    unknown = set(data) - {"type", "id", "lid", "attributes", "relationships", "meta", "links"}
    if unknown:
        name = sorted(unknown)[0]
        # Member names come from the client: escaped, or the pointer is not one (found by fuzzing).
        raise bad_request(
            f"a resource object has no member {name!r}", pointer=f"{base}/{pointer_token(name)}"
        )
    fields: dict[str, Any] = {}
    id_value = member(data, "id", f"{base}/id", str, required=not creating)
    if id_value is not None:
        fields["id"] = parse_uuid(id_value, f"{base}/id")
    attributes = member(data, "attributes", f"{base}/attributes", dict, required=False) or {}
    for name in attributes:
        if name not in kind.attributes:
            raise bad_request(
                f"{kind.name} has no attribute {name!r}",
                pointer=f"{base}/attributes/{pointer_token(name)}",
            )
    fields.update(attributes)
    relationships = (
        member(data, "relationships", f"{base}/relationships", dict, required=False) or {}
    )
    for name, value in relationships.items():
        relation = kind.relation(name)
        pointer = f"{base}/relationships/{pointer_token(name)}"
        if isinstance(relation, ToMany) and isinstance(value, dict) and "data" not in value:
            continue  # echoed back from a read (links only): it asks to change nothing
        if not isinstance(relation, ToOne):
            raise bad_request(f"{kind.name} has no writable relationship {name!r}", pointer=pointer)
        linkage = (
            member(value, "data", f"{pointer}/data", dict) if isinstance(value, dict) else None
        )
        if linkage is None:
            raise bad_request(f"{pointer} must be an object with data", pointer=pointer)
        if member(linkage, "type", f"{pointer}/data/type", str) != relation.target:
            raise bad_request(
                f"{pointer}/data/type must be {relation.target!r}", pointer=f"{pointer}/data/type"
            )
        fields[relation.field] = parse_uuid(
            member(linkage, "id", f"{pointer}/data/id", str), f"{pointer}/data/id"
        )
    meta = member(data, "meta", f"{base}/meta", dict, required=False) or {}
    # Optional on updates too: without it the write applies to the stored version
    # (app.service.jsonapi.preconditions).
    version = member(meta, "version", f"{base}/meta/version", int, required=False)
    if version is not None:
        fields["version"] = version
    return fields


def parse_uuid(value: str, pointer: str) -> UUID:
    """A UUID from a string member, or 400 naming it."""
    try:
        return UUID(value)
    except ValueError:
        raise bad_request(f"{pointer} is not a UUID: {value!r}", pointer=pointer) from None


def merged(stored: Entity, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The stored entity's fields with ``changes`` applied (a PATCH may be partial)."""
    return {**stored.model_dump(mode="json"), **changes}
