"""Resource objects and documents, serialised straight to bytes (no response_model pass).

The entities of a batch become JSON-native dicts in one call into pydantic's core (UUIDs,
dates, ``Money`` and sorted genres included), resource objects are assembled from those dicts,
and ``pydantic_core.to_json`` writes the whole document in one pass: together ~3x cheaper than
converting values in Python and ``json.dumps`` (see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any
from uuid import UUID

from pydantic_core import to_json
from starlette.requests import Request
from starlette.responses import Response

from app.service.jsonapi.errors import MEDIA_TYPE
from app.service.jsonapi.params import Include, ReadParams
from app.service.jsonapi.resources import ResourceType, ToMany, ToOne
from app.service.origin import ORIGIN, below_root, link
from domain import Entity, PageRequest, UnitOfWork

JSONAPI = {"version": "1.1"}
"""The top-level ``jsonapi`` member of every document."""


def base_path(request: Request) -> str:
    """The absolute URL of the JSON:API routes on the request's trusted origin.

    Worked out once per request: resource links append to it, never to the request's Host.
    """
    return f"{request.scope[ORIGIN]}/api"


def json_values(kind: ResourceType, entities: Sequence[Entity]) -> list[dict[str, Any]]:
    """Every field of each entity as JSON-native values, converted in one pass in Rust."""
    batch = entities if isinstance(entities, list) else list(entities)
    values: list[dict[str, Any]] = kind.dumper.dump_python(batch, mode="json")
    return values


def attributes(
    kind: ResourceType, entity: Entity, fieldset: frozenset[str] | None
) -> dict[str, Any]:
    """The attributes of ``entity`` as JSON values, limited to ``fieldset`` when given."""
    values = json_values(kind, [entity])[0]
    return {name: values[name] for name in kind.sparse(fieldset)}


@dataclass
class Linkage:
    """Resource identifiers of included to-many relationships, by (owner id, relationship)."""

    to_many: dict[tuple[UUID, str], list[UUID]] = field(default_factory=dict)


def resource_object(
    kind: ResourceType,
    entity: Entity,
    prefix: str,
    fieldset: frozenset[str] | None = None,
    linkage: Linkage | None = None,
) -> dict[str, Any]:
    """The resource object of ``entity`` with its relationships and ``meta.version``."""
    return resource_objects(kind, [entity], prefix, fieldset, linkage)[0]


def resource_objects(
    kind: ResourceType,
    entities: Sequence[Entity],
    prefix: str,
    fieldset: frozenset[str] | None = None,
    linkage: Linkage | None = None,
) -> list[dict[str, Any]]:
    """The resource objects of ``entities`` (all of ``kind``), converted as one batch."""
    sparse = None if fieldset is None else kind.sparse(fieldset)
    # Link prefixes and member names worked out once per batch, not once per resource.
    to_one = [
        (r.name, r.field, r.target, f"{prefix}/{r.target}/")
        for r in kind.to_one
        if fieldset is None or r.name in fieldset
    ]
    to_many = [
        (r.name, r.target, f"{prefix}/{r.target}?{r.filter_parameter}=")
        for r in kind.to_many
        if fieldset is None or r.name in fieldset
    ]
    foreign_keys = [r.field for r in kind.to_one]
    type_name, own = kind.name, f"{prefix}/{kind.name}/"
    # Most documents include no to-many relationship: then no (id, name) key is built and
    # hashed per resource and relationship (UUID hashing is Python code).
    linked = linkage.to_many if linkage is not None and linkage.to_many else None
    objects = []
    for entity, values in zip(entities, json_values(kind, entities), strict=True):
        # ``values`` is ours: take id, version and foreign keys out, and the rest (in field
        # order) is the attributes member.
        id, version = values.pop("id"), values.pop("version")
        keys = {field: values.pop(field) for field in foreign_keys}
        obj: dict[str, Any] = {
            "type": type_name,
            "id": id,
            "attributes": values if sparse is None else {n: values[n] for n in sparse},
            "meta": {"version": version},
            "links": {"self": own + id},
        }
        if to_one or to_many:
            relationships: dict[str, Any] = {}
            for name, field, target, related in to_one:
                key = keys[field]
                relationships[name] = {
                    "data": {"type": target, "id": key},
                    "links": {"related": related + key},
                }
            for name, target, related in to_many:
                member: dict[str, Any] = {"links": {"related": related + id}}
                ids = linked.get((entity.id, name)) if linked is not None else None
                if ids is not None:
                    member["data"] = [{"type": target, "id": str(i)} for i in ids]
                relationships[name] = member
            obj["relationships"] = relationships
        objects.append(obj)
    return objects


async def _all(kind: ResourceType, uow: UnitOfWork, query: Any) -> list[Entity]:
    items: list[Entity] = []
    cursor: str | None = None
    while True:
        page = await kind.repo(uow).list(query, PageRequest(size=500, cursor=cursor))
        items.extend(page.items)
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor


async def include(
    uow: UnitOfWork, kind: ResourceType, primary: Sequence[Entity], tree: Include
) -> tuple[list[tuple[ResourceType, Entity]], Linkage]:
    """Fetch what ``tree`` includes for ``primary``: one batch per to-one relationship.

    Returns the included resources (each once, never one of the primary data) and the linkage
    of included to-many relationships.
    """
    seen: set[tuple[str, UUID]] = {(kind.name, e.id) for e in primary}
    included: list[tuple[ResourceType, Entity]] = []
    linkage = Linkage()

    async def walk(owner: ResourceType, entities: Sequence[Entity], node: Include) -> None:
        for name, child in node.tree.items():
            relation = owner.relation(name)
            target = owner.types[relation.target]  # type: ignore[union-attr]
            if isinstance(relation, ToOne):
                wanted = {getattr(e, relation.field) for e in entities}
                related = list((await target.repo(uow).get_many(wanted)).values())
            else:
                assert isinstance(relation, ToMany)
                related = []
                for entity in entities:
                    query = target.query.model_validate({relation.field: entity.id})
                    children = await _all(target, uow, query)
                    linkage.to_many[(entity.id, name)] = [c.id for c in children]
                    related.extend(children)
            for entity in related:
                if (target.name, entity.id) not in seen:
                    seen.add((target.name, entity.id))
                    included.append((target, entity))
            if child:
                await walk(target, related, child)

    await walk(kind, primary, tree)
    return included, linkage


def document(
    request: Request,
    kind: ResourceType,
    data: Entity | Sequence[Entity],
    read: ReadParams,
    included: Iterable[tuple[ResourceType, Entity]] = (),
    linkage: Linkage | None = None,
    links: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The top-level document of ``data`` (one resource or a collection) and its includes."""
    prefix = base_path(request)
    fields = read.fields
    if isinstance(data, Entity):
        primary: Any = resource_object(kind, data, prefix, fields.get(kind.name), linkage)
    else:
        primary = resource_objects(kind, data, prefix, fields.get(kind.name), linkage)
    doc: dict[str, Any] = {"jsonapi": JSONAPI, "data": primary}
    if read.include:
        # Consecutive resources of one type (include() yields them so) convert as one batch.
        doc["included"] = [
            obj
            for name, group in groupby(included, key=lambda pair: pair[0].name)
            for obj in resource_objects(
                kind.types[name], [e for _, e in group], prefix, fields.get(name), linkage
            )
        ]
    scope = request.scope
    doc["links"] = {"self": link(scope, below_root(scope), scope["query_string"])}
    if links:
        doc["links"].update(links)
    return doc


def respond(
    doc: Mapping[str, Any],
    status: int = 200,
    *,
    headers: Mapping[str, str] | None = None,
    media_type: str = MEDIA_TYPE,
) -> Response:
    """Serialise ``doc`` in one pass and answer it with the JSON:API media type."""
    all_headers = {"Vary": "Accept", **(headers or {})}
    # One pass in Rust; UTF-8 as is, like json.dumps(ensure_ascii=False) with compact separators.
    body = to_json(doc)
    return Response(body, status_code=status, media_type=media_type, headers=all_headers)
