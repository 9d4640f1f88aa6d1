"""Examples from the catalog's factories, with unique values so checks never collide.

Every entity a check stores comes from its type's example factory (``EntityType.example``):
``build`` also makes the entities it refers to, unless the check shares some on purpose.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID, uuid4

from domain import Catalog, Entity, EntityType, PageRequest, Repository, UnitOfWork
from domain import UnitOfWorkFactory as Factory
from domain.catalog import KEYS, AnyEntityType, FieldKind, FilterSpec, Query, Sample

E = TypeVar("E", bound=Entity)

_serial = itertools.count(1)
_TAG = uuid4().hex[:8]


def unique(label: str) -> str:
    """A readable value no other check uses."""
    return f"{label}-{next(_serial)}-{_TAG}"


def build(
    catalog: Catalog, entity: EntityType[E, Any], refs: Mapping[str, UUID] | None = None
) -> tuple[list[Entity], E]:
    """An example of ``entity``'s type, and everything to store for it, parents first.

    References not given in ``refs`` get a new example of their target each.
    """
    given = dict(refs or {})
    made: list[Entity] = []
    for ref in entity.references:
        if ref.name not in given:
            parents, parent = build(catalog, catalog.target(ref))
            made += parents
            given[ref.name] = parent.id
    example = entity.sample(Sample(next(_serial), _TAG, given))
    return [*made, example], example


def changed(catalog: Catalog, entity: E) -> E:
    """``entity`` with every attribute of another example (same id, version and references)."""
    kind = catalog.of(type(entity))
    refs = {ref.name: getattr(entity, ref.name) for ref in kind.references}
    _, other = build(catalog, kind, refs)
    names = [
        f.name for f in kind.fields if f.name not in KEYS and f.kind is not FieldKind.REFERENCE
    ]
    return entity.evolve(**{name: getattr(other, name) for name in names})


def repository_for(catalog: Catalog, uow: UnitOfWork, entity: Entity) -> Repository[Any, Any]:
    """The repository of ``uow`` that stores entities like ``entity``."""
    return uow.repository(catalog.of(type(entity)))


async def store(catalog: Catalog, writer: Factory, *entities: Entity) -> None:
    """Add ``entities`` in order and commit them in one unit of work."""
    async with writer() as uow:
        for entity in entities:
            await repository_for(catalog, uow, entity).add(entity)
        await uow.commit()


async def walk(repository: Repository[E, Any], query: Query[E], size: int) -> list[list[E]]:
    """Every page of ``query``, following cursors from the first page to the last."""
    pages: list[list[E]] = []
    cursor: str | None = None
    while True:
        page = await repository.list(query, PageRequest(size=size, cursor=cursor))
        pages.append(list(page.items))
        if page.next_cursor is None:
            return pages
        assert len(pages) < 100_000, "pagination never ends"
        cursor = page.next_cursor


def scope_filter(entity: AnyEntityType, besides: str | None = None) -> FilterSpec | None:
    """An equality filter on a reference: lists the children of one parent (None if none).

    Checks scope their lists with it, so they read what they stored, not the whole store;
    ``besides`` names a field the scope must not be on (the one a check is testing).
    """
    for spec in entity.filters:
        on_reference = entity.field(spec.field).kind is FieldKind.REFERENCE
        if spec.op == "eq" and on_reference and besides not in (spec.name, spec.field):
            return spec
    return None
