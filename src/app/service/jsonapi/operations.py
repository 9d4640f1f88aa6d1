"""The Atomic Operations extension at /api/operations: add, update, remove; all or nothing.

Operations run in order in one unit of work that commits once at the end, so a failing
operation leaves nothing behind. Its error points at it: ``/atomic:operations/<index>/...``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from starlette.requests import Request
from starlette.responses import Response

from app.service.jsonapi import bodies, media
from app.service.jsonapi.context import authorise, endpoint, unit_of_work
from app.service.jsonapi.documents import base_path, resource_object, respond
from app.service.jsonapi.errors import (
    JsonApiError,
    Problem,
    bad_request,
    field_pointer,
    from_domain,
)
from app.service.jsonapi.resources import ResourceType, ResourceTypes
from app.service.limits import MAX_OPERATIONS
from domain import DomainError, InvalidInput, UnitOfWork

OPERATIONS = "atomic:operations"
RESULTS = "atomic:results"
_EXTENSIONS = frozenset({media.ATOMIC})


def _kind(types: ResourceTypes, value: Any, pointer: str) -> ResourceType:
    name = bodies.member(value, "type", pointer, str)
    kind = types.get(name)
    if kind is None:
        raise bad_request(
            f"unknown resource type {name!r} (types: {', '.join(types)})", pointer=pointer
        )
    return kind


def _ref(types: ResourceTypes, op: dict[str, Any], base: str) -> tuple[ResourceType, UUID]:
    """The target of an update or remove: ``ref`` if given, else the ``data`` identifier."""
    holder = "ref" if "ref" in op else "data"
    target = bodies.member(op, holder, f"{base}/{holder}", dict)
    kind = _kind(types, target, f"{base}/{holder}/type")
    raw = bodies.member(target, "id", f"{base}/{holder}/id", str)
    return kind, bodies.parse_uuid(raw, f"{base}/{holder}/id")


async def _apply(
    types: ResourceTypes, uow: UnitOfWork, op: Any, base: str, prefix: str, *, versions: bool
) -> dict[str, Any]:
    """Apply one operation; ``versions``: updates and removes must name their version."""
    if not isinstance(op, dict):
        raise bad_request(f"{base} must be an operation object", pointer=base)
    name = bodies.member(op, "op", f"{base}/op", str)
    if name == "add":
        data = bodies.member(op, "data", f"{base}/data", dict)
        kind = _kind(types, data, f"{base}/data/type")
        fields = bodies.resource_fields(kind, data, f"{base}/data", creating=True)
        fields.setdefault("id", uuid4())
        entity = bodies.validate(kind.entity, fields, f"{base}/data")
        stored = await _run(kind.repo(uow).add(entity), f"{base}/data")
        return {"data": resource_object(kind, stored, prefix)}
    if name == "update":
        kind, id = _ref(types, op, base)
        data = bodies.member(op, "data", f"{base}/data", dict)
        fields = bodies.resource_fields(kind, data, f"{base}/data", creating=False)
        if fields["id"] != id:
            raise bad_request("ref.id and data.id differ", pointer=f"{base}/data/id")
        if versions and "version" not in fields:
            raise _version_required(f"{base}/data/meta/version")
        # Without a version the update applies to the one stored, in this same transaction.
        repo = kind.repo(uow)
        current = await _run(repo.get(id), f"{base}/data")
        entity = bodies.validate(kind.entity, bodies.merged(current, fields), f"{base}/data")
        stored = await _run(repo.update(entity), f"{base}/data")
        return {"data": resource_object(kind, stored, prefix)}
    if name == "remove":
        kind, id = _ref(types, op, base)
        meta = bodies.member(op, "meta", f"{base}/meta", dict, required=False) or {}
        version = bodies.member(meta, "version", f"{base}/meta/version", int, required=False)
        repo = kind.repo(uow)
        if version is None:
            if versions:
                raise _version_required(f"{base}/meta/version")
            version = (await _run(repo.get(id), base)).version
        await _run(repo.remove(id, version), base)
        return {}
    raise bad_request(f"op must be add, update or remove, got {name!r}", pointer=f"{base}/op")


def _version_required(pointer: str) -> JsonApiError:
    return JsonApiError(
        Problem(
            428,
            "precondition_required",
            "this service requires the version an update or remove applies to: meta.version",
            pointer=pointer,
        )
    )


async def _run(step: Any, base: str) -> Any:
    try:
        return await step
    except DomainError as exc:
        pointer = field_pointer(exc.field, base) if base.endswith("/data") else base
        raise from_domain(exc, pointer=pointer) from None


def _check_count(ops: list[Any]) -> None:
    """422 before anything runs when there are more operations than one request may carry.

    The same cap as GraphQL ``applyChanges``: 15,000 operations took 5.35 s in one transaction.
    """
    if len(ops) > MAX_OPERATIONS:
        error = InvalidInput(
            f"{OPERATIONS}: at most {MAX_OPERATIONS:,} per request, got {len(ops):,}",
            field=OPERATIONS,
        )
        raise from_domain(error, pointer=f"/{OPERATIONS}")


def operations_endpoint(types: ResourceTypes) -> Any:
    """POST /api/operations over the resource types of one catalog."""

    @endpoint
    async def operations(request: Request) -> Response:
        """POST /api/operations: apply the operations in order, atomically; 200 with results."""
        authorise(request, write=True)
        media.require_content_type(request, extensions=_EXTENSIONS)
        media.require_acceptable(request, extensions=_EXTENSIONS)
        body = await bodies.read_json(request)
        if not isinstance(body, dict):
            raise bad_request("the body must be a JSON object", pointer="")
        ops = bodies.member(body, OPERATIONS, f"/{OPERATIONS}", list)
        _check_count(ops)
        prefix = base_path(request)
        versions = request.app.state.container.settings.service.require_versions
        async with unit_of_work(request)() as uow:
            results = [
                await _apply(types, uow, op, f"/{OPERATIONS}/{i}", prefix, versions=versions)
                for i, op in enumerate(ops)
            ]
            try:
                await uow.commit()
            except DomainError as exc:
                # Sources that check at commit cannot say which operation failed.
                raise from_domain(exc, pointer=f"/{OPERATIONS}") from None
        doc = {"jsonapi": {"version": "1.1", "ext": [media.ATOMIC]}, RESULTS: results}
        return respond(doc, media_type=media.ATOMIC_MEDIA_TYPE)

    return operations
