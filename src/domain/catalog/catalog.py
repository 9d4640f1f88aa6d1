"""A catalog: the entity types of one domain, checked together once at declaration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.catalog.entity_type import EntityType
from domain.catalog.fields import FieldKind, FieldSpec

AnyEntityType = EntityType[Any, Any]

_SORTS_AS_TEXT = (str, dt.date, UUID)
"""Types whose text sorts as their values do (ISO dates, lowercase UUIDs)."""


class CatalogError(ValueError):
    """A declaration contradicts itself; the message names the type and the field."""


@dataclass(frozen=True)
class Reverse:
    """A to-many relationship seen from the referenced type: its referrers by one field."""

    name: str
    """The relationship's name on the referenced type (``productions``, ``shoot_days``)."""
    source: AnyEntityType
    """The type holding the reference."""
    field: FieldSpec
    """The reference field (``Production.movie_id``)."""


class Catalog:
    """The entity types of a domain, by plural, model and wire names."""

    def __init__(self, name: str, entities: Iterable[AnyEntityType]) -> None:
        self.name = name
        self.entities: tuple[AnyEntityType, ...] = tuple(entities)
        self._by_plural = _index(self.entities, lambda e: e.plural, "plural")
        _index(self.entities, lambda e: e.names.jsonapi_type, "JSON:API type")
        _index(self.entities, lambda e: e.names.graphql_type, "GraphQL type")
        self._by_model = {e.model: e for e in self.entities}
        for entity in self.entities:
            self._check(entity)
        for entity in self.entities:
            names = [r.name for r in self.reverses(entity)]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise CatalogError(
                    f"{entity.label} is referenced twice as {twice[0]!r}: name the reverse "
                    "relationships, References(..., reverse='...')"
                )
        keys = [(key.name, entity) for entity in self.entities for key in entity.unique]
        for name, entity in keys:
            holders = [e.label for n, e in keys if n == name]
            if len(holders) > 1:
                # The name is the key's wire name: GraphQL's lookup input (SlotInput) above all.
                raise CatalogError(
                    f"unique key {name!r} is declared by {' and '.join(holders)}: name each "
                    f"key apart in a catalog, e.g. '{entity.names.singular}_{name}'"
                )
        for entity in self.entities:
            if "catalog" in entity.__dict__:
                raise CatalogError(f"{entity.label} is declared in {entity.catalog.name} already")
            object.__setattr__(entity, "catalog", self)

    def __iter__(self) -> Iterator[AnyEntityType]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, plural: object) -> bool:
        return plural in self._by_plural

    def __getitem__(self, plural: str) -> AnyEntityType:
        """The type whose plural is ``plural``; KeyError lists the choices."""
        try:
            return self._by_plural[plural]
        except KeyError:
            raise KeyError(
                f"{self.name} has no entity type {plural!r} "
                f"(choices: {', '.join(sorted(self._by_plural))})"
            ) from None

    @property
    def plurals(self) -> tuple[str, ...]:
        """Every type's plural, in declaration order."""
        return tuple(self._by_plural)

    def of(self, model: type[Any]) -> AnyEntityType:
        """The type declared for ``model``."""
        return self._by_model[model]

    def by_jsonapi_type(self, name: str) -> AnyEntityType | None:
        """The type whose JSON:API type is ``name``, or None."""
        return next((e for e in self.entities if e.names.jsonapi_type == name), None)

    def target(self, field: FieldSpec) -> AnyEntityType:
        """The type a reference field points to."""
        assert field.references is not None, field
        return self[field.references.target]

    def reverses(self, entity: AnyEntityType) -> tuple[Reverse, ...]:
        """Every reference to ``entity`` from the catalog's types, as to-many relationships."""
        return tuple(
            Reverse(ref.references.reverse or source.plural, source, ref)
            for source in self.entities
            for ref in source.references
            if ref.references is not None and ref.references.target == entity.plural
        )

    @property
    def filter_names(self) -> frozenset[str]:
        """Every qualified filter name of every type."""
        return frozenset().union(*(e.filter_names for e in self.entities))

    def _check(self, entity: AnyEntityType) -> None:
        fields = {f.name: f for f in entity.fields}
        where = entity.label
        for ref in entity.references:
            assert ref.references is not None
            if ref.references.target not in self._by_plural:
                raise CatalogError(
                    f"{where}.{ref.name} references {ref.references.target!r}, which is not "
                    f"declared (choices: {', '.join(sorted(self._by_plural))})"
                )
        for spec in entity.filters:
            target = fields.get(spec.field)
            if target is None:
                raise CatalogError(
                    f"{entity.query.__name__}.{spec.name} filters on {where}.{spec.field}, "
                    "which does not exist"
                )
            if spec.op == "has" and target.kind is not FieldKind.COLLECTION:
                raise CatalogError(f"{entity.query.__name__}.{spec.name}: Has() needs a collection")
        for key in entity.unique:
            missing = [name for name in key.fields if name not in fields]
            if missing:
                raise CatalogError(f"{where} unique key {key.name!r}: no field {missing[0]!r}")
        for name in entity.order:
            if name not in fields:
                raise CatalogError(f"{where}.ordering names {name!r}, which is not a field")
            if fields[name].type not in _SORTS_AS_TEXT or fields[name].optional:
                raise CatalogError(
                    f"{where}.ordering: {name!r} must be a required str, date or UUID "
                    "(cursors compare the sort key as text)"
                )
        if entity.order[-1] != "id":
            raise CatalogError(f"{where}.ordering must end with 'id' to be a total order")


def _index(entities: tuple[AnyEntityType, ...], key: Any, what: str) -> dict[str, AnyEntityType]:
    found: dict[str, AnyEntityType] = {}
    for entity in entities:
        name = key(entity)
        if name in found:
            raise CatalogError(f"{entity.label} and {found[name].label} share the {what} {name!r}")
        found[name] = entity
    return found
