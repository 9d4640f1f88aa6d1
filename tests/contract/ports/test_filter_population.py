"""The filter checks' population, over catalogs shaped to break it, and their teeth.

``GRAPH`` is a catalog of reference shapes the studio does not have: an edge whose unique
key is its two references (one per ordered pair, never a self-edge), a one-to-one type whose
single reference is its unique key, a type with two overlapping keys of references, and a
type with five references. Every generated filter check must pass on the memory source, and
a source that ignores any one filter must fail that filter's check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import combinations
from typing import Annotated, Any, ClassVar, Self
from uuid import UUID

import pytest
from pydantic import model_validator

from adapters.memory import MemoryDataSource, MemoryStore
from adapters.memory.repositories import MemoryRepository
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.testing import Check, Harness, Status, checks_filters, checks_for, run_check
from domain import STUDIO, Catalog, Entity, EntityType, Page, PageRequest, Repository
from domain.catalog import AtLeast, In, Query, References, Sample, UniqueKey

_DAY = dt.date(2030, 1, 1)


class Node(Entity):
    """What every reference below points to."""

    name: str


class NodeQuery(Query[Node]):
    """No filters: nodes are only parents here."""


class Edge(Entity):
    """A directed edge: one per ordered pair of nodes, and never from a node to itself."""

    source_id: Annotated[UUID, References("nodes", reverse="out_edges")]
    target_id: Annotated[UUID, References("nodes", reverse="in_edges")]

    @model_validator(mode="after")
    def _no_loop(self) -> Self:
        # Two references to one type: the population must never give both the same parent.
        if self.source_id == self.target_id:
            raise ValueError("an edge joins two different nodes")
        return self


class EdgeQuery(Query[Edge]):
    """Edges from one node, to one node, or to any of several."""

    source_id: UUID | None = None
    target_id: UUID | None = None
    target_ids: Annotated[frozenset[UUID] | None, In("target_id")] = None


class Badge(Entity):
    """At most one badge per node: its only reference is a unique key on its own."""

    node_id: Annotated[UUID, References("nodes", reverse="badges")]
    label: str


class BadgeQuery(Query[Badge]):
    """The badge of a node, and badges by label."""

    node_id: UUID | None = None
    label: str | None = None


class Triple(Entity):
    """Three references and two overlapping unique keys of references only."""

    x_id: Annotated[UUID, References("nodes", reverse="x_triples")]
    y_id: Annotated[UUID, References("nodes", reverse="y_triples")]
    z_id: Annotated[UUID, References("nodes", reverse="z_triples")]


class TripleQuery(Query[Triple]):
    """Triples by any of their references."""

    x_id: UUID | None = None
    y_id: UUID | None = None
    z_id: UUID | None = None


class Wide(Entity):
    """Five references and a date: more references than bits in the population's index."""

    ordering: ClassVar[tuple[str, ...]] = ("day", "id")

    r1_id: Annotated[UUID, References("nodes", reverse="wide_r1")]
    r2_id: Annotated[UUID, References("nodes", reverse="wide_r2")]
    r3_id: Annotated[UUID, References("nodes", reverse="wide_r3")]
    r4_id: Annotated[UUID, References("nodes", reverse="wide_r4")]
    r5_id: Annotated[UUID, References("nodes", reverse="wide_r5")]
    day: dt.date


class WideQuery(Query[Wide]):
    """Wides by any reference, from a day on."""

    r1_id: UUID | None = None
    r2_id: UUID | None = None
    r3_id: UUID | None = None
    r4_id: UUID | None = None
    r5_id: UUID | None = None
    day_from: Annotated[dt.date | None, AtLeast("day")] = None


def _refs(sample: Sample, *names: str) -> dict[str, UUID]:
    return {name: sample.ref(name) for name in names}


GRAPH = Catalog(
    "graph",
    (
        EntityType(Node, NodeQuery, example=lambda s: Node(name=s.text("node"))),
        EntityType(
            Edge,
            EdgeQuery,
            unique=(UniqueKey("pair", ("source_id", "target_id"), reason="edge_exists"),),
            example=lambda s: Edge(**_refs(s, "source_id", "target_id")),
        ),
        EntityType(
            Badge,
            BadgeQuery,
            unique=(UniqueKey("node", ("node_id",), reason="node_has_a_badge"),),
            # Labels repeat every third sample, so a label selects some badges and not others.
            example=lambda s: Badge(node_id=s.ref("node_id"), label=f"badge-{s.n % 3}"),
        ),
        EntityType(
            Triple,
            TripleQuery,
            unique=(
                UniqueKey("xy", ("x_id", "y_id"), reason="xy_taken"),
                UniqueKey("yz", ("y_id", "z_id"), reason="yz_taken"),
            ),
            example=lambda s: Triple(**_refs(s, "x_id", "y_id", "z_id")),
        ),
        EntityType(
            Wide,
            WideQuery,
            example=lambda s: Wide(
                **_refs(s, *(f"r{i}_id" for i in range(1, 6))),
                day=_DAY + dt.timedelta(days=s.n),
            ),
        ),
    ),
)
"""Reference shapes that a population of two parents per reference gets wrong."""


def _filter_checks(catalog: Catalog) -> list[Check]:
    return [c for c in checks_for(catalog) if c.capability == "filters"]


@pytest.mark.parametrize("check", _filter_checks(GRAPH), ids=lambda c: c.name)
async def test_every_filter_check_passes_on_the_reference_source(check: Check) -> None:
    source = MemoryDataSource()
    result = await run_check(Harness(source.unit_of_work, source.capabilities, GRAPH), check)
    assert result.status is Status.PASS, result.detail


@pytest.mark.parametrize("entity", [e for e in GRAPH if e.references], ids=lambda e: e.plural)
async def test_the_population_keeps_keys_and_varies_every_pair_of_references(
    entity: EntityType[Any, Any],
) -> None:
    source = MemoryDataSource()
    harness = Harness(source.unit_of_work, source.capabilities, GRAPH)
    examples = await checks_filters._population(harness, entity)
    names = [ref.name for ref in entity.references]
    for name in names:
        assert len({getattr(e, name) for e in examples}) >= 2, f"{name} never varies"
    for scope, other in (p for pair in combinations(names, 2) for p in (pair, pair[::-1])):
        siblings = [e for e in examples if getattr(e, scope) == getattr(examples[0], scope)]
        if len(siblings) > 1:  # a one-to-one reference has no siblings to vary among
            assert len({getattr(e, other) for e in siblings}) >= 2, (scope, other)


class _IgnoringRepository(MemoryRepository[Any, Any]):
    """Answers every list as if the query's filter ``ignored`` were not set."""

    ignored = ""

    async def list(self, query: Any, page: PageRequest) -> Page[Any]:
        if self.ignored in type(query).model_fields:
            query = query.model_copy(update={self.ignored: None})
        return await super().list(query, page)


class _IgnoringUnitOfWork(MemoryUnitOfWork):
    def __init__(self, store: MemoryStore, kind: type[_IgnoringRepository]) -> None:
        super().__init__(store)
        self._kind = kind

    def repository(self, entity: EntityType[Any, Any]) -> Repository[Any, Any]:
        found = self._repositories.get(entity)
        if found is None:
            found = self._repositories[entity] = self._kind(self._store, entity, self._pending)
        return found


def _mutants() -> Iterator[tuple[Catalog, EntityType[Any, Any], str, Check]]:
    for catalog in (STUDIO, GRAPH):
        for check in _filter_checks(catalog):
            for entity in catalog:
                for spec in entity.filters:
                    if check.name == f"filter_{entity.plural}_by_{spec.name}":
                        yield catalog, entity, spec.name, check


@pytest.mark.parametrize(
    ("catalog", "entity", "ignored", "check"),
    list(_mutants()),
    ids=[f"{c.name}-{e.plural}.{name}" for c, e, name, _ in _mutants()],
)
async def test_a_source_ignoring_a_filter_fails_its_check(
    catalog: Catalog, entity: EntityType[Any, Any], ignored: str, check: Check
) -> None:
    kind = type("Ignoring", (_IgnoringRepository,), {"ignored": ignored})
    source = MemoryDataSource()
    store = source.store
    harness = Harness(lambda: _IgnoringUnitOfWork(store, kind), source.capabilities, catalog)
    result = await run_check(harness, check)
    assert result.status is Status.FAIL, f"{entity.plural}.{ignored} ignored, yet {check.name}"
