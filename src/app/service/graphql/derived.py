"""The GraphQL types of a catalog: objects, enums, filters, entity inputs and root fields.

Every entity type becomes an object type named as its model, whose fields are the model's
(camelCased by strawberry), with a field per reference (``Production.movie``) and a
connection per reverse reference (``Movie.productions``, its arguments the child query's
filters but the one on the parent). The root has, per type, one by id, a batch by ids and a
connection filtered by ``<Name>Filter``, and one lookup per unique key
(``shootDayBookings(slots: [SlotInput!]!)``); ``applyChanges`` takes ``<Name>Input``s.
Nothing here names an entity: the types are read from the declarations.

Resolvers receive the domain entities themselves as ``root`` and read scalar fields straight
off them; relationships go through the request's DataLoaders (``loaders``).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

import strawberry
from pydantic import BaseModel
from strawberry.types.nodes import SelectedField, Selection

from app.service.graphql.loaders import loaded_now, prefetch
from app.service.graphql.paging import page_args, to_uuid, to_uuids
from app.service.graphql.types import Connection, Ctx, connection
from domain import Catalog, Entity, InvalidInput, NotFound, UniqueKey, UnitOfWork
from domain.catalog import KEYS, AnyEntityType, FieldKind, FieldSpec, FilterSpec, Reverse
from domain.catalog.names import camel, pascal, plural
from domain.validation import parse

MAX_IDS = 1000
"""Largest batch ``*ByIds`` and the unique-key lookups accept in one request."""

_SCALARS: dict[Any, Any] = {
    str: str,
    int: int,
    float: float,
    bool: bool,
    Decimal: Decimal,
    dt.date: dt.date,
    dt.datetime: dt.datetime,
    UUID: strawberry.ID,
}


def _words(name: str) -> str:
    """``shoot_days`` -> ``shoot days``, for descriptions."""
    return name.replace("_", " ")


def _doc(kind: type) -> str:
    """The first line of a class's docstring: the GraphQL description."""
    return (inspect.getdoc(kind) or kind.__name__).splitlines()[0]


@dataclass
class CatalogTypes:
    """The strawberry types of one catalog, built once."""

    catalog: Catalog
    enums: dict[type[enum.Enum], Any] = field(default_factory=dict)
    values: dict[type[BaseModel], tuple[Any, Any]] = field(default_factory=dict)
    """A value object's output and input types (``Money``, ``MoneyInput``)."""
    objects: dict[str, Any] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    lookups: dict[UniqueKey, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entity in self.catalog:
            self.objects[entity.plural] = type(entity.model.__name__, (), {})
        for entity in self.catalog:
            self._object(entity)
            self.filters[entity.plural] = self._filter(entity)
            self.inputs[entity.plural] = self._input(entity)
            for key in entity.unique:
                self.lookups[key] = self._lookup_input(entity, key)

    # --- scalars, enums, value objects -----------------------------------------------------

    def enum_type(self, kind: type[enum.Enum]) -> Any:
        """The GraphQL enum of a domain enum: the members' names, the domain's values.

        A separate class keeps strawberry's markers off the domain; resolvers keep returning
        the domain's members, whose values these share.
        """
        found = self.enums.get(kind)
        if found is None:
            mirror = enum.Enum(kind.__name__, {m.name: m.value for m in kind})  # type: ignore[misc]
            found = self.enums[kind] = strawberry.enum(mirror, description=_doc(kind))
        return found

    def _value_types(self, model: type[BaseModel]) -> tuple[Any, Any]:
        found = self.values.get(model)
        if found is None:
            hints = {name: self._scalar(part) for name, part in _parts(model)}
            output = type(model.__name__, (), {"__annotations__": hints})
            given = type(f"{model.__name__}Input", (), {"__annotations__": dict(hints)})
            found = self.values[model] = (
                strawberry.type(output, description=_doc(model)),
                strawberry.input(given, description=_doc(model)),
            )
        return found

    def _scalar(self, spec: FieldSpec) -> Any:
        if spec.is_enum:
            return self.enum_type(spec.type)
        if spec.kind is FieldKind.VALUE:
            raise TypeError(f"{spec.name}: a value object inside a value object")
        return _SCALARS[spec.type]

    def _field_type(self, spec: FieldSpec, *, given: bool) -> Any:
        """The GraphQL type of a model field, for output or (``given``) input."""
        if spec.kind is FieldKind.COLLECTION:
            kind: Any = list[self._scalar(spec)]  # type: ignore[misc]
        elif spec.kind is FieldKind.VALUE:
            kind = self._value_types(spec.type)[1 if given else 0]
        elif spec.kind is FieldKind.REFERENCE:
            kind = strawberry.ID
        else:
            kind = self._scalar(spec)
        return kind | None if spec.optional else kind

    # --- object types -----------------------------------------------------------------------

    def _object(self, entity: AnyEntityType) -> None:
        cls = self.objects[entity.plural]
        cls.__annotations__ = {
            spec.name: self._field_type(spec, given=False) for spec in entity.fields
        }
        for ref in entity.references:
            target = self.catalog.target(ref)
            resolver = _to_one(entity, ref, target, self.objects[target.plural])
            setattr(cls, ref.relationship, resolver)
        for reverse in self.catalog.reverses(entity):
            resolver = self._to_many(entity, reverse)
            if resolver is not None:
                setattr(cls, reverse.name, resolver)
        cls.__doc__ = _doc(entity.model)
        strawberry.type(cls, description=_doc(entity.model))

    def _to_many(self, parent: AnyEntityType, reverse: Reverse) -> Any:
        """The connection of ``parent``'s children by one reference, or None if unqueryable."""
        child = reverse.source
        scope = _filter_on(child, reverse.field.name, "eq")
        if scope is None:
            return None
        own = [s for s in child.filters if s.field != reverse.field.name]
        arguments = _arguments(self, own)

        async def children(root: Any, info: Ctx, **given: Any) -> Any:
            args = page_args(given.pop("first"), given.pop("after"))
            values = _query_values(child, own, given, prefix="")
            query = parse(child.query, {scope.name: root.id, **values})
            # One batched read for the first pages of every parent of this level.
            page = await info.context.loaders.pages(child).load((query, args))
            return connection(page)

        _sign(
            children,
            [
                _root(parent),
                _INFO,
                *_page_parameters(),
                *arguments,
            ],
            Connection[self.objects[child.plural]],  # type: ignore[name-defined]
        )
        return strawberry.field(
            resolver=children,
            description=f"The {_words(child.plural)} of this {_words(parent.names.singular)}, "
            "in their stable order.",
        )

    # --- inputs -----------------------------------------------------------------------------

    def _filter(self, entity: AnyEntityType) -> Any:
        """The connection's ``filter`` input, or None for a query without filters.

        GraphQL has no empty input objects.
        """
        if not entity.filters:
            return None
        hints = {spec.name: _filter_type(self, spec) | None for spec in entity.filters}
        cls = type(
            entity.names.graphql_filter,
            (),
            {"__annotations__": hints, **{name: None for name in hints}},
        )

        def to_query(self: Any) -> Any:
            given = {spec.name: getattr(self, spec.name) for spec in entity.filters}
            values = _query_values(entity, entity.filters, given, "filter.")
            return parse(entity.query, values, prefix="filter.")

        cls.to_query = to_query  # type: ignore[attr-defined]
        return strawberry.input(cls, description=_doc(entity.query))

    def _input(self, entity: AnyEntityType) -> Any:
        hints: dict[str, Any] = {}
        defaults: dict[str, Any] = {}
        for spec in entity.fields:
            hints[spec.name] = self._field_type(spec, given=True)
            if not spec.required and spec.name not in KEYS:
                info = entity.model.model_fields[spec.name]
                default = info.get_default(call_default_factory=True)
                if isinstance(default, frozenset | set | tuple | list):
                    defaults[spec.name] = strawberry.field(default_factory=list)
                elif isinstance(default, enum.Enum):
                    defaults[spec.name] = self.enum_type(type(default))[default.name]
                else:
                    defaults[spec.name] = default
        cls = type(entity.names.graphql_input, (), {"__annotations__": hints, **defaults})
        return strawberry.input(
            cls,
            description=f"A whole {_words(entity.names.singular)}, at the version the caller read.",
        )

    def _lookup_input(self, entity: AnyEntityType, key: UniqueKey) -> Any:
        hints = {name: self._field_type(entity.field(name), given=True) for name in key.fields}
        cls = type(f"{pascal(key.name)}Input", (), {"__annotations__": hints})
        return strawberry.input(cls, description=f"One {key.name}: {', '.join(key.fields)}.")

    # --- the root ---------------------------------------------------------------------------

    @functools.cached_property
    def query_type(self) -> Any:
        """The ``Query`` root: per type one by id, a batch by ids, a connection; lookups."""
        namespace: dict[str, Any] = {}
        for entity in self.catalog:
            names, node = entity.names, self.objects[entity.plural]
            namespace[names.graphql_one] = _one(entity, node)
            namespace[names.graphql_by_ids] = _by_ids(entity, node)
            namespace[names.graphql_many] = _page(entity, node, self.filters[entity.plural])
            for key in entity.unique:
                field_name = camel(f"{names.singular}_{key.read_name}")
                namespace[field_name] = _lookup(entity, key, node, self.lookups[key])
        return strawberry.type(type("Query", (), namespace), description="Reads.")

    def decode(self, entity: AnyEntityType, given: Any, where: str) -> Entity:
        """The entity an ``<Name>Input`` describes, validated (InvalidInput names the field)."""
        fields = {spec.name: _decoded(spec, getattr(given, spec.name)) for spec in entity.fields}
        found: Entity = parse(entity.model, fields, prefix=f"{where}.")
        return found


# --- resolvers -------------------------------------------------------------------------------

_INFO = inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Ctx)


def _root(entity: AnyEntityType) -> inspect.Parameter:
    return inspect.Parameter(
        "root",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=strawberry.Parent[entity.model],  # type: ignore[misc,name-defined]
    )


def _keyword(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> Any:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _page_parameters() -> list[inspect.Parameter]:
    return [_keyword("first", int, 50), _keyword("after", str | None, None)]


def _sign(fn: Callable[..., Any], parameters: list[inspect.Parameter], returns: Any) -> None:
    """Give ``fn`` the signature strawberry reads its arguments and type from."""
    fn.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": returns}


async def _read(info: Ctx, read: Callable[[UnitOfWork], Awaitable[Any]]) -> Any:
    async with info.context.uow() as uow:
        return await read(uow)


def _ids(ids: Sequence[str], name: str = "ids") -> list[UUID]:
    if len(ids) > MAX_IDS:
        raise InvalidInput(f"{name}: at most {MAX_IDS} per request, got {len(ids)}", field=name)
    return to_uuids(ids, name)


def _one(entity: AnyEntityType, node: Any) -> Any:
    async def one(info: Ctx, id: str) -> Any:
        key = to_uuid(id, "id")
        try:
            return await _read(info, lambda u: u.repository(entity).get(key))
        except NotFound:
            # GraphQL clients read null as "no such entity"; an error entry makes Apollo throw.
            return None

    _sign(one, [_INFO, _keyword("id", strawberry.ID)], node | None)
    return strawberry.field(
        resolver=one,
        description=f"A {_words(entity.names.singular)} by id, or null when there is none.",
    )


def _by_ids(entity: AnyEntityType, node: Any) -> Any:
    async def by_ids(info: Ctx, ids: list[str]) -> Any:
        keys = _ids(ids)
        return list((await _read(info, lambda u: u.repository(entity).get_many(keys))).values())

    _sign(by_ids, [_INFO, _keyword("ids", list[strawberry.ID])], list[node])
    return strawberry.field(
        resolver=by_ids,
        description=f"{_words(entity.plural).capitalize()} by id, in one read; missing ids are "
        "left out.",
    )


def _page(entity: AnyEntityType, node: Any, filter_type: Any) -> Any:
    to_one = [(ref.relationship, ref, entity.catalog.target(ref)) for ref in entity.references]
    field_name = entity.names.graphql_many

    async def page(info: Ctx, first: int, after: str | None, filter: Any = None) -> Any:
        args = page_args(first, after)
        query = filter.to_query() if filter else entity.query()
        found = await _read(info, lambda u: u.repository(entity).list(query, args))
        for name, ref, target in to_one:
            if _selects(info.selected_fields, (field_name, "edges", "node", name)):
                # The batched load the nodes' fields would make, made before they resolve.
                ids = {getattr(item, ref.name) for item in found.items}
                await prefetch(info.context.loaders.by_id(target), ids)
        return connection(found)

    parameters = _page_parameters()
    if filter_type is not None:
        parameters.append(_keyword("filter", filter_type | None, None))
    _sign(page, [_INFO, *parameters], Connection[node])
    order = ", ".join(camel(name) for name in entity.order)
    return strawberry.field(
        resolver=page,
        description=f"{_words(entity.plural).capitalize()} in ({order}) order, one page.",
    )


def _lookup(entity: AnyEntityType, key: UniqueKey, node: Any, given: Any) -> Any:
    argument = plural(key.name)

    async def lookup(info: Ctx, **values: Any) -> Any:
        items = values[argument]
        if len(items) > MAX_IDS:
            raise InvalidInput(f"{argument}: at most {MAX_IDS} per request", field=argument)
        wanted = [
            tuple(
                _decoded(entity.field(name), getattr(item, name), f"{argument}[{i}].{camel(name)}")
                for name in key.fields
            )
            for i, item in enumerate(items)
        ]
        found = await _read(info, lambda u: u.repository(entity).find_by(key, wanted))
        return sorted(found, key=lambda e: e.sort_key)

    _sign(lookup, [_INFO, _keyword(argument, list[given])], list[node])
    return strawberry.field(
        resolver=lookup,
        description=f"The {_words(entity.plural)} holding any of these {argument}, in one read.",
    )


def _to_one(entity: AnyEntityType, ref: FieldSpec, target: AnyEntityType, node: Any) -> Any:
    def one(root: Any, info: Ctx) -> Any:
        """Synchronous when a page resolver already loaded it, else the batched load."""
        id = getattr(root, ref.name)
        found = loaded_now(info.context.loaders.by_id(target), id)
        if inspect.isawaitable(found):
            return _found_later(found, target.label, id)
        return _found(found, target.label, id)

    _sign(one, [_root(entity), _INFO], node)
    return strawberry.field(
        resolver=one, description=f"The {_words(target.names.singular)} referred to."
    )


def _found(entity: Any, kind: str, id: object) -> Any:
    if entity is None:
        # Foreign keys make this impossible on one database; say so rather than return null.
        raise NotFound.of(kind, id)
    return entity


async def _found_later(pending: Awaitable[Any], kind: str, id: object) -> Any:
    return _found(await pending, kind, id)


def _selects(selections: Sequence[Selection], path: tuple[str, ...]) -> bool:
    """Whether ``selections`` reach the field ``path`` (through fragments too)."""
    if not path:
        return True
    for selection in selections:
        if not isinstance(selection, SelectedField):  # inline fragment or fragment spread
            if _selects(selection.selections, path):
                return True
        elif selection.name == path[0] and _selects(selection.selections, path[1:]):
            return True
    return False


# --- conversions -----------------------------------------------------------------------------


def _parts(model: type[BaseModel]) -> list[tuple[str, FieldSpec]]:
    from domain.catalog.fields import describe_model

    return [(spec.name, spec) for spec in describe_model(model)]


def _filter_on(entity: AnyEntityType, field_name: str, op: str) -> FilterSpec | None:
    return next((s for s in entity.filters if s.field == field_name and s.op == op), None)


def _filter_type(types: CatalogTypes, spec: FilterSpec) -> Any:
    kind = spec.type
    if spec.op == "in":
        (item,) = getattr(kind, "__args__", (Any,))
        return list[_value_scalar(types, item)]  # type: ignore[misc]
    return _value_scalar(types, kind)


def _value_scalar(types: CatalogTypes, kind: Any) -> Any:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return types.enum_type(kind)
    return _SCALARS[kind]


def _arguments(types: CatalogTypes, specs: Sequence[FilterSpec]) -> list[inspect.Parameter]:
    return [_keyword(s.name, _filter_type(types, s) | None, None) for s in specs]


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _query_values(
    entity: AnyEntityType, specs: Sequence[FilterSpec], given: dict[str, Any], prefix: str
) -> dict[str, Any]:
    """Filter arguments as the query type takes them: UUIDs checked, enums by value."""
    values: dict[str, Any] = {}
    for spec in specs:
        value = given.get(spec.name)
        if value is None:
            continue
        where = f"{prefix}{camel(spec.name)}"
        item = spec.type
        if spec.op == "in":
            (item,) = getattr(spec.type, "__args__", (Any,))
            values[spec.name] = to_uuids(value, where) if item is UUID else _plain(value)
        else:
            values[spec.name] = to_uuid(value, where) if item is UUID else _plain(value)
    return values


def _decoded(spec: FieldSpec, value: Any, where: str | None = None) -> Any:
    """An input field's value as the domain model takes it."""
    if value is None:
        return None
    if spec.kind is FieldKind.VALUE:
        return {name: getattr(value, name) for name, _ in _parts(spec.type)}
    if where is not None and spec.type is UUID:
        return to_uuid(value, where)
    return _plain(value)
