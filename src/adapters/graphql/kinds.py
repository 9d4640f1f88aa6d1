"""Per entity type: its documents, root fields, response shapes, filter variables and inputs.

All of it follows from the entity type's declaration: documents are named after its
singular and plural (``get_shoot_day``, ``get_many_shoot_days``, ``list_shoot_days``), root
fields after its GraphQL names, and values travel as GraphQL spells them (camelCase names,
upper-case enum values, ISO dates, decimals as strings).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from pydantic import BeforeValidator, TypeAdapter

from adapters.graphql import wire as w
from domain import Entity, EntityType, Query, UniqueKey
from domain.catalog import FieldKind, FieldSpec
from domain.catalog.names import camel

E = TypeVar("E", bound=Entity)


def wire_value(value: Any) -> Any:
    """One value as GraphQL variables carry it."""
    if isinstance(value, enum.Enum):
        return str(value.value).upper()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set | tuple | list):
        return sorted(wire_value(v) for v in value)
    return value


def _enum_fields(entity: EntityType[Any, Any]) -> tuple[str, ...]:
    return tuple(spec.name for spec in entity.fields if spec.is_enum)


def _lowering(names: tuple[str, ...]) -> Any:
    """A validator turning GraphQL enum names (``PRE_PRODUCTION``) into the domain's values."""

    def lower(value: Any) -> Any:
        if isinstance(value, dict):
            for name in names:
                found = value.get(name)
                if isinstance(found, str):
                    value[name] = found.lower()
                elif isinstance(found, list):
                    value[name] = [v.lower() if isinstance(v, str) else v for v in found]
        return value

    return lower


def _input_value(spec: FieldSpec, value: Any) -> Any:
    if spec.kind is FieldKind.VALUE and value is not None:
        return {camel(part.name): wire_value(getattr(value, part.name)) for part in spec.parts}
    return wire_value(value)


@dataclass(frozen=True)
class Kind(Generic[E]):
    """How one entity type travels: document names, root fields and shapes."""

    entity: EntityType[E, Any]
    node: Any = field(init=False)
    node_shape: TypeAdapter[E] = field(init=False)
    """One node from JSON values already decoded (the nodes of a planned read's tree)."""
    one_shape: TypeAdapter[w.Envelope[E]] = field(init=False)
    many_shape: TypeAdapter[w.Envelope[list[E]]] = field(init=False)
    page_shape: TypeAdapter[w.Envelope[w.Connection[E]]] = field(init=False)

    def __post_init__(self) -> None:
        enums = _enum_fields(self.entity)
        node: Any = self.entity.model
        if enums:
            node = Annotated[node, BeforeValidator(_lowering(enums))]
        object.__setattr__(self, "node", node)
        # Built once per type: a TypeAdapter compiles its validator.
        object.__setattr__(self, "node_shape", TypeAdapter(node))
        object.__setattr__(self, "one_shape", TypeAdapter(w.Envelope[node]))
        object.__setattr__(self, "many_shape", TypeAdapter(w.Envelope[list[node]]))
        object.__setattr__(self, "page_shape", TypeAdapter(w.Envelope[w.Connection[node]]))

    @property
    def label(self) -> str:
        """The entity's name in errors."""
        return self.entity.label

    @property
    def documents(self) -> tuple[str, str, str]:
        """The documents of get, get_many and list."""
        names = self.entity.names
        return (f"get_{names.singular}", f"get_many_{names.plural}", f"list_{names.plural}")

    def lookup_document(self, key: UniqueKey) -> str:
        """The document of ``find_by(key)``: ``shoot_day_bookings``."""
        return f"{self.entity.names.singular}_{key.read_name}"

    def lookup_field(self, key: UniqueKey) -> str:
        """The root field of ``find_by(key)``: ``shootDayBookings``."""
        return camel(self.lookup_document(key))

    def filters(self, query: Query[Any]) -> dict[str, Any]:
        """The ``filter`` variable of a list: only the filters set, camelCase."""
        return {camel(spec.name): wire_value(value) for spec, value in query.active()}

    def to_input(self, entity: E) -> dict[str, Any]:
        """``entity`` as its ``<Name>Input`` of ``applyChanges``."""
        return {
            camel(spec.name): _input_value(spec, getattr(entity, spec.name))
            for spec in self.entity.fields
        }


_KINDS: dict[EntityType[Any, Any], Kind[Any]] = {}


def kind_of(entity: EntityType[E, Any]) -> Kind[E]:
    """The Kind of ``entity``'s type, built once."""
    found = _KINDS.get(entity)
    if found is None:
        found = _KINDS[entity] = Kind(entity)
    return found
