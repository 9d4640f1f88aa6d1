"""Query parameters of reads: include, fields[TYPE], filter[NAME], page[size], page[after].

Everything here is syntax: an unknown name, a malformed value or an oversized page is a 400
whose ``source.parameter`` names the parameter.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import QueryParams

from app.service.jsonapi.errors import bad_request
from app.service.jsonapi.resources import INCLUDE_DEPTH, ResourceType, ResourceTypes
from domain import MAX_PAGE_SIZE, DomainError, PageRequest, UniqueKey
from domain.catalog import Query
from domain.paging import DEFAULT_PAGE_SIZE

_FAMILY = re.compile(r"^(?P<family>[a-z]+)\[(?P<name>[^\[\]]*)\]$")
"""Filters whose value is a comma-separated list."""


@dataclass(frozen=True)
class Include:
    """A validated include tree: relationship name -> nested includes."""

    tree: dict[str, Include] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tree)


@dataclass(frozen=True)
class ReadParams:
    """What a GET asks for beyond the resource: includes and sparse fieldsets."""

    include: Include
    fields: dict[str, frozenset[str]]


@dataclass(frozen=True)
class ListParams:
    """A collection GET: the port query, the page, batch ids and slots."""

    read: ReadParams
    query: Query[Any]
    page: PageRequest
    ids: tuple[UUID, ...] | None = None
    lookup: tuple[UniqueKey, tuple[tuple[Any, ...], ...]] | None = None
    """``filter[<unique key>]=a@b,...``: the key and the values asked for (slots...)."""
    raw: dict[str, str] = field(default_factory=dict)
    """The parameters to repeat in the next link (everything but ``page[...]``)."""
    paged: bool = False
    """Whether the request gave any ``page[...]`` parameter."""


def _families(params: QueryParams, allowed: frozenset[str]) -> dict[str, dict[str, str]]:
    """Group ``family[name]=value`` parameters; refuse unknown or repeated parameters."""
    grouped: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    for key, value in params.multi_items():
        if key in seen:
            raise bad_request(f"{key} is given more than once", parameter=key)
        seen.add(key)
        if key == "include":
            grouped.setdefault("include", {})[""] = value
            continue
        match = _FAMILY.match(key)
        if match is None or match["family"] not in allowed:
            raise bad_request(f"unknown query parameter {key}", parameter=key)
        grouped.setdefault(match["family"], {})[match["name"]] = value
    if "include" in grouped and "include" not in allowed:
        raise bad_request("include is not supported here", parameter="include")
    return grouped


def _include(kind: ResourceType, value: str) -> Include:
    root = Include()
    for path in value.split(","):
        if not path:
            raise bad_request("include has an empty path", parameter="include")
        segments = path.split(".")
        if len(segments) > INCLUDE_DEPTH:
            raise bad_request(
                f"include path {path!r} is deeper than {INCLUDE_DEPTH}", parameter="include"
            )
        node, current = root, kind
        for segment in segments:
            relation = current.relation(segment)
            if relation is None:
                raise bad_request(
                    f"{current.name} has no relationship {segment!r} (include path {path!r})",
                    parameter="include",
                )
            node = node.tree.setdefault(segment, Include())
            current = current.types[relation.target]
    return root


def _fields(types: ResourceTypes, values: dict[str, str]) -> dict[str, frozenset[str]]:
    fieldsets: dict[str, frozenset[str]] = {}
    for type_name, value in values.items():
        parameter = f"fields[{type_name}]"
        kind = types.get(type_name)
        if kind is None:
            raise bad_request(f"unknown resource type {type_name!r}", parameter=parameter)
        names = frozenset(n for n in value.split(",") if n) if value else frozenset()
        unknown = names - kind.fields
        if unknown:
            raise bad_request(
                f"{type_name} has no field {', '.join(sorted(unknown))} "
                f"(fields: {', '.join(sorted(kind.fields))})",
                parameter=parameter,
            )
        fieldsets[type_name] = names
    return fieldsets


def parse_read(kind: ResourceType, params: QueryParams) -> ReadParams:
    """Parse the parameters of a single-resource GET."""
    grouped = _families(params, frozenset({"include", "fields"}))
    return _read(kind, grouped)


def _read(kind: ResourceType, grouped: dict[str, dict[str, str]]) -> ReadParams:
    include = _include(kind, grouped["include"][""]) if "include" in grouped else Include()
    return ReadParams(include=include, fields=_fields(kind.types, grouped.get("fields", {})))


def parse_list(kind: ResourceType, params: QueryParams) -> ListParams:
    """Parse the parameters of a collection GET into a port query and a page request."""
    grouped = _families(params, frozenset({"include", "fields", "filter", "page"}))
    read = _read(kind, grouped)
    filters = dict(grouped.get("filter", {}))
    ids = _ids(filters.pop("id")) if "id" in filters else None
    key = next((k for k in kind.entity_type.unique if k.name in filters), None)
    lookup = None if key is None else (key, _key_values(kind, key, filters.pop(key.name)))
    query = _query(kind, filters)
    page = _page(kind, grouped.get("page", {}))
    raw = {k: v for k, v in params.items() if not k.startswith("page[")}
    paged = "page" in grouped
    return ListParams(read, query, page, ids=ids, lookup=lookup, raw=raw, paged=paged)


def _query(kind: ResourceType, filters: dict[str, str]) -> Query[Any]:
    offered = set(kind.query.model_fields)
    sets = {spec.name for spec in kind.query.filters() if spec.op == "in"}
    values: dict[str, Any] = {}
    for name, value in filters.items():
        if name not in offered:
            keys = {key.name for key in kind.entity_type.unique}
            choices = ", ".join(sorted(offered | {"id"} | keys))
            raise bad_request(
                f"{kind.name} cannot be filtered by {name!r} (filters: {choices})",
                parameter=f"filter[{name}]",
            )
        values[name] = value.split(",") if name in sets else value
    try:
        return kind.query.model_validate(values)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        name = str(error["loc"][0]) if error["loc"] else "?"
        raise bad_request(f"filter[{name}]: {error['msg']}", parameter=f"filter[{name}]") from None


def _ids(value: str) -> tuple[UUID, ...]:
    try:
        return tuple(UUID(part) for part in value.split(",") if part)
    except ValueError:
        raise bad_request(
            "filter[id] must be comma-separated UUIDs", parameter="filter[id]"
        ) from None


def _key_values(kind: ResourceType, key: UniqueKey, value: str) -> tuple[tuple[Any, ...], ...]:
    """The values of ``filter[<key>]``: comma-separated, each key field's part joined by ``@``."""
    adapters = [_adapter(kind.entity_type.field(name).type) for name in key.fields]
    found = []
    for item in value.split(","):
        parts = item.split("@")
        try:
            if len(parts) != len(adapters):
                raise ValueError(item)
            found.append(tuple(a.validate_python(p) for a, p in zip(adapters, parts, strict=True)))
        except (ValueError, ValidationError):
            shape = "@".join(f"<{name}>" for name in key.fields)
            raise bad_request(
                f"filter[{key.name}] must be comma-separated {shape}",
                parameter=f"filter[{key.name}]",
            ) from None
    return tuple(found)


@functools.cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _page(kind: ResourceType, values: dict[str, str]) -> PageRequest:
    unknown = set(values) - {"size", "after"}
    if unknown:
        name = sorted(unknown)[0]
        raise bad_request(
            f"unknown page parameter page[{name}] (use page[size], page[after])",
            parameter=f"page[{name}]",
        )
    size = DEFAULT_PAGE_SIZE
    if "size" in values:
        raw = values["size"]
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise bad_request(
                f"page[size] must be an integer from 1 to {MAX_PAGE_SIZE}, got {raw!r}",
                parameter="page[size]",
            )
        size = int(raw)
    cursor = values.get("after")
    if cursor is not None:
        try:
            kind.entity.cursor_key(cursor)
        except DomainError:
            raise bad_request(
                "page[after] is not a cursor this server made", parameter="page[after]"
            ) from None
    return PageRequest(size=size, cursor=cursor)
