"""Resource CRUD: GET collection and resource, POST, PATCH, DELETE for each resource type.

These are the data-source API (the ports over HTTP): writes go straight to the repositories
of one unit of work. Domain actions have their own endpoints (``usecases.py``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from starlette.requests import Request
from starlette.responses import Response

from app.service.jsonapi import bodies, media
from app.service.jsonapi.context import authorise, endpoint, unit_of_work
from app.service.jsonapi.documents import base_path, document, include, resource_object, respond
from app.service.jsonapi.errors import (
    JsonApiError,
    Problem,
    bad_request,
    field_pointer,
    from_domain,
)
from app.service.jsonapi.params import ListParams, parse_list, parse_read
from app.service.jsonapi.preconditions import (
    Condition,
    applying,
    etag,
    parse_if_match,
    require_version,
)
from app.service.jsonapi.resources import ResourceType
from app.service.origin import below_root, link
from domain import MAX_PAGE_SIZE, DomainError, Entity, NotFound, UnitOfWork


def path_id(kind: ResourceType, raw: str) -> UUID:
    """The id in a resource URL; a malformed one names no resource, so 404."""
    try:
        return UUID(raw)
    except ValueError:
        raise from_domain(
            NotFound(f"{kind.entity.__name__} {raw!r} not found: not a UUID", field="id")
        ) from None


async def _items(
    kind: ResourceType, uow: UnitOfWork, params: ListParams
) -> tuple[list[Entity], str | None]:
    repo = kind.repo(uow)
    if params.ids is not None or params.lookup is not None:
        if params.paged:
            batch = "filter[id]" if params.lookup is None else f"filter[{params.lookup[0].name}]"
            raise bad_request(
                f"a batch fetch ({batch}) is one page: drop page[...]", parameter="page[size]"
            )
        if params.ids is not None:
            if len(params.ids) > MAX_PAGE_SIZE:
                raise bad_request(
                    f"filter[id] takes at most {MAX_PAGE_SIZE} ids", parameter="filter[id]"
                )
            found = list((await repo.get_many(params.ids)).values())
        else:
            assert params.lookup is not None
            key, values = params.lookup
            if len(values) > MAX_PAGE_SIZE:
                parameter = f"filter[{key.name}]"
                raise bad_request(
                    f"{parameter} takes at most {MAX_PAGE_SIZE} values", parameter=parameter
                )
            found = list(await repo.find_by(key, values))
        matching = [e for e in found if params.query.matches(e)]
        return sorted(matching, key=lambda e: e.sort_key), None
    page = await repo.list(params.query, params.page)
    return list(page.items), page.next_cursor


def _next_link(request: Request, params: ListParams, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = {**params.raw, "page[size]": str(params.page.size), "page[after]": cursor}
    return link(request.scope, below_root(request.scope), urlencode(query))


def list_endpoint(kind: ResourceType) -> Any:
    """GET /api/<type>: one page, filtered, with includes and sparse fieldsets."""

    @endpoint
    async def list_resources(request: Request) -> Response:
        media.require_acceptable(request)
        authorise(request, write=False)
        params = parse_list(kind, request.query_params)
        async with unit_of_work(request)() as uow:
            items, cursor = await _items(kind, uow, params)
            included, linkage = await include(uow, kind, items, params.read.include)
        links = {"next": _next_link(request, params, cursor)}
        return respond(document(request, kind, items, params.read, included, linkage, links))

    list_resources.__name__ = f"list_{kind.repository}"
    return list_resources


def get_endpoint(kind: ResourceType) -> Any:
    """GET /api/<type>/<id>: one resource with its includes."""

    @endpoint
    async def get_resource(request: Request, id: str) -> Response:
        media.require_acceptable(request)
        authorise(request, write=False)
        read = parse_read(kind, request.query_params)
        entity_id = path_id(kind, id)
        async with unit_of_work(request)() as uow:
            entity = await kind.repo(uow).get(entity_id)
            included, linkage = await include(uow, kind, [entity], read.include)
        doc = document(request, kind, entity, read, included, linkage)
        return respond(doc, headers={"ETag": etag(entity.version)})

    get_resource.__name__ = f"get_{kind.repository}"
    return get_resource


async def _write_guard(request: Request) -> Any:
    authorise(request, write=True)
    media.require_content_type(request)
    media.require_acceptable(request)
    body = await bodies.read_json(request)
    return bodies.member(body, "data", "/data", dict)


def _single(request: Request, kind: ResourceType, entity: Entity, status: int = 200) -> Response:
    """The document of one resource, with its version as the ETag (and Location when new)."""
    headers = {"ETag": etag(entity.version)}
    if status == 201:
        headers["Location"] = f"{base_path(request)}/{kind.name}/{entity.id}"
    doc = {"jsonapi": {"version": "1.1"}, "data": resource_object(kind, entity, base_path(request))}
    return respond(doc, status, headers=headers)


def create_endpoint(kind: ResourceType) -> Any:
    """POST /api/<type>: store a new resource (client-generated ids welcome); 201 + Location."""

    @endpoint
    async def create_resource(request: Request) -> Response:
        data = await _write_guard(request)
        fields = bodies.resource_fields(kind, data, creating=True)
        fields.setdefault("id", uuid4())
        entity = bodies.validate(kind.entity, fields)
        try:
            async with unit_of_work(request)() as uow:
                stored = await kind.repo(uow).add(entity)
                await uow.commit()
        except DomainError as exc:
            raise from_domain(exc, pointer=field_pointer(exc.field)) from None
        return _single(request, kind, stored, 201)

    create_resource.__name__ = f"create_{kind.repository}"
    return create_resource


def update_endpoint(kind: ResourceType) -> Any:
    """PATCH /api/<type>/<id>: change the members sent, at the version named or the stored one."""

    @endpoint
    async def update_resource(request: Request, id: str) -> Response:
        entity_id = path_id(kind, id)
        data = await _write_guard(request)
        fields = bodies.resource_fields(kind, data, creating=False)
        if fields["id"] != entity_id:
            raise JsonApiError(
                Problem(
                    409,
                    "conflict.id_mismatch",
                    "data.id differs from the URL's id",
                    pointer="/data/id",
                )
            )
        condition = Condition(parse_if_match(request), fields.pop("version", None))
        require_version(request, condition)

        async def write() -> Entity:
            # Read, merge and write in one unit of work: the update's version guard refuses
            # it if another write came in between, so no field the client left out is lost.
            async with unit_of_work(request)() as uow:
                repo = kind.repo(uow)
                current = await repo.get(entity_id)
                changes = {**fields, "version": condition.version_for(current.version)}
                entity = bodies.validate(kind.entity, bodies.merged(current, changes))
                stored: Entity = await repo.update(entity)
                await uow.commit()
            return stored

        try:
            stored = await applying(condition, write)
        except DomainError as exc:
            raise condition.overtaken(exc) or from_domain(
                exc, pointer=field_pointer(exc.field)
            ) from None
        return _single(request, kind, stored)

    update_resource.__name__ = f"update_{kind.repository}"
    return update_resource


def delete_endpoint(kind: ResourceType) -> Any:
    """DELETE /api/<type>/<id>: 204, at the If-Match version or the stored one."""

    @endpoint
    async def delete_resource(request: Request, id: str) -> Response:
        authorise(request, write=True)
        entity_id = path_id(kind, id)
        condition = Condition(parse_if_match(request))
        require_version(request, condition, body=False)

        async def remove() -> None:
            async with unit_of_work(request)() as uow:
                repo = kind.repo(uow)
                await repo.remove(
                    entity_id, condition.version_for((await repo.get(entity_id)).version)
                )
                await uow.commit()

        try:
            await applying(condition, remove)
        except DomainError as exc:
            raise condition.overtaken(exc) or from_domain(exc) from None
        return Response(status_code=204, headers={"Vary": "Accept"})

    delete_resource.__name__ = f"delete_{kind.repository}"
    return delete_resource
