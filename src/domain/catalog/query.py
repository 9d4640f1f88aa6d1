"""The base of every query type: optional filters whose semantics come from their markers.

A query type lists its filters as optional fields; each field's marker (``Equals`` when it
has none) says which entity field it restricts and how, and ``matches`` — the reference
semantics every data source is checked against — follows from those declarations alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from domain.catalog.fields import unwrap
from domain.catalog.markers import Equals, Filter
from domain.model.base import Entity

E = TypeVar("E", bound=Entity)


@dataclass(frozen=True)
class FilterSpec:
    """One filter of a query type: its name, the entity field it restricts, and how."""

    name: str
    """The query field (``movie_ids``)."""
    field: str
    """The entity field compared (``movie_id``)."""
    rule: Filter
    type: Any
    """The query field's value type, without ``| None`` (``frozenset[UUID]``)."""

    @property
    def op(self) -> str:
        """The comparison (``eq``, ``in``, ``has``, ``ge``, ``le``)."""
        return self.rule.op


class Query(BaseModel, Generic[E]):
    """A conjunction of optional filters; a filter left at None does not restrict."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def filters(cls) -> tuple[FilterSpec, ...]:
        """Every filter this query type offers, in declaration order."""
        found = _FILTERS.get(cls)
        if found is None:
            found = _FILTERS[cls] = tuple(_spec(n, i) for n, i in cls.model_fields.items())
        return found

    def active(self) -> Iterator[tuple[FilterSpec, Any]]:
        """The filters this query sets, with their values."""
        for spec in self.filters():
            value = getattr(self, spec.name)
            if value is not None:
                yield spec, value

    def matches(self, entity: E) -> bool:
        """Whether ``entity`` passes every filter set (the reference the conformance kit uses)."""
        return all(
            spec.rule.test(getattr(entity, spec.field), value) for spec, value in self.active()
        )


_FILTERS: dict[type[Query[Any]], tuple[FilterSpec, ...]] = {}
"""Each query type's filters, read from its fields once."""


def _spec(name: str, info: Any) -> FilterSpec:
    rule = next((m for m in info.metadata if isinstance(m, Filter)), None) or Equals()
    value_type, _ = unwrap(info.annotation)
    return FilterSpec(name, rule.field or name, rule, value_type)
