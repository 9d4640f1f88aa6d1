"""Checks of every filter a query type declares, made from the declarations themselves.

For each filter the check stores a population of examples whose references follow a
pattern (so parents are shared), picks a value that some of them match and some do not,
and compares the list with the reference semantics, ``Query.matches``: every result must
match, and each example must be found exactly when it matches.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from adapters.testing import fixtures as f
from adapters.testing.kit import Check, Harness, generator, seedable, supports
from domain import Catalog, Entity, PageRequest
from domain.catalog import AnyEntityType, FieldKind, FilterSpec, Query

POPULATION = 8
"""How many examples of its type each filter check stores (their parents come on top)."""


def _primes() -> Iterator[int]:
    found: list[int] = []
    for n in itertools.count(2):
        if all(n % p for p in found):
            found.append(n)
            yield n


def parents_per_reference(entity: AnyEntityType) -> dict[str, int]:
    """How many parents each reference of ``entity`` cycles through in the population.

    Example ``i`` refers to parent ``i % m`` of a reference with ``m`` parents. The counts are
    distinct primes, so by the Chinese remainder theorem:

    - the references of any set take distinct combinations over the first examples, as many
      as the product of their counts: a unique key made of references only (one follow per
      pair of people) gets a product of at least ``POPULATION``, so no example repeats it;
    - among the children of one parent (the examples ``i`` with ``i % m`` fixed), any other
      reference varies as soon as there are two children: a filter scoped to one parent
      sees some of them match and some not. (A reference that is alone a unique key gets
      ``POPULATION`` parents or more, so one child each.)

    A unique key holding any other field is the example factory's to vary (see
    ``EntityType.example``). Counts stay small (2, 3, 5...) so that parents are shared.
    """
    primes = _primes()
    counts = {ref.name: next(primes) for ref in entity.references}
    for key in entity.unique:
        if not all(entity.field(name).kind is FieldKind.REFERENCE for name in key.fields):
            continue
        while math.prod(counts[name] for name in key.fields) < POPULATION:
            # Replacing the smallest count by a larger prime keeps every count distinct.
            smallest = min(key.fields, key=counts.__getitem__)
            counts[smallest] = next(primes)
    return counts


async def _population(h: Harness, entity: AnyEntityType) -> list[Entity]:
    """``POPULATION`` examples sharing parents as ``parents_per_reference`` says.

    Each reference has parents of its own, each built with its own ancestors, so no two
    references of an example share a parent: rules such as "no one follows themselves" or
    "no one recommends their own post" hold whoever enforces them.
    """
    stored: list[Entity] = []
    parents: dict[str, list[UUID]] = {}
    for ref, count in zip(entity.references, parents_per_reference(entity).values(), strict=True):
        parents[ref.name] = []
        for _ in range(min(count, POPULATION)):  # parents past the last example stay unused
            made, parent = f.build(h.catalog, h.catalog.target(ref))
            stored += made
            parents[ref.name].append(parent.id)
    examples = []
    for i in range(POPULATION):
        refs = {name: ids[i % len(ids)] for name, ids in parents.items()}
        made, example = f.build(h.catalog, entity, refs)
        stored += made
        examples.append(example)
    await f.store(h.catalog, h.writer, *stored)
    return examples


def filter_values(spec: FilterSpec, examples: list[Entity]) -> Iterator[Any]:
    """Values of the filter to try, from the examples' own fields."""
    stored = [getattr(e, spec.field) for e in examples]
    present = [v for v in stored if v is not None]
    if spec.op == "has":
        yield from sorted({item for collection in present for item in collection}, key=str)
    elif spec.op == "in":
        distinct = sorted(set(present), key=str)
        for i, first in enumerate(distinct):
            yield frozenset({first})
            for second in distinct[i + 1 :]:
                yield frozenset({first, second})
    else:
        yield from sorted(set(present), key=str)


def _query(entity: AnyEntityType, **filters: Any) -> Query[Any]:
    query: Query[Any] = entity.query(**filters)
    return query


async def _assert_results(h: Harness, candidates: list[Entity], query: Query[Any]) -> None:
    """Every result matches; each candidate is found exactly when it matches."""
    entity = h.catalog.of(type(candidates[0])) if candidates else None
    assert entity is not None
    async with h.uow() as uow:
        pages = await f.walk(uow.repository(entity), query, size=200)
    found = [item for page in pages for item in page]
    wrong = [item for item in found if not query.matches(item)]
    assert not wrong, f"{query!r} returned {len(wrong)} item(s) it excludes, e.g. {wrong[0]!r}"
    found_ids = {item.id for item in found}
    for candidate in candidates:
        should = query.matches(candidate)
        assert (candidate.id in found_ids) == should, (
            f"{query!r} {'missed' if should else 'returned'} {candidate!r}"
        )


def _filter_check(entity: AnyEntityType, spec: FilterSpec) -> Check:
    scope = f.scope_filter(entity, besides=spec.field)
    if scope is not None and parents_per_reference(entity)[scope.field] >= POPULATION:
        # Each parent has one child (a reference that is alone a unique key): scoped to one,
        # no value could match some candidates and not others. Unscoped, the list also reads
        # other checks' data, which the comparison tolerates: it judges only this population.
        scope = None
    names = [entity.filter_name(spec.name)]
    if scope is not None:
        names.append(entity.filter_name(scope.name))

    async def run(h: Harness) -> None:
        examples = await _population(h, entity)
        scoping: dict[str, Any] = {}
        candidates = examples
        if scope is not None:  # the children of one parent: what this check stored only
            scoping = {scope.name: getattr(examples[0], scope.field)}
            candidates = [e for e in examples if getattr(e, scope.field) == scoping[scope.name]]
        for value in filter_values(spec, candidates):
            query = _query(entity, **scoping, **{spec.name: value})
            matching = sum(query.matches(e) for e in candidates)
            if 0 < matching < len(candidates):
                await _assert_results(h, candidates, query)
                break
        else:
            raise AssertionError(
                f"{entity.label}'s example factory gives no value of {spec.field} that some "
                f"examples match and others do not: {entity.plural}.{spec.name} is unchecked"
            )
        if spec.op == "in":  # an empty set is a valid filter that matches nothing
            async with h.uow() as uow:
                page = await uow.repository(entity).list(
                    _query(entity, **scoping, **{spec.name: frozenset()}), PageRequest()
                )
            assert page.items == (), f"{spec.name}=() matched {len(page.items)} items"
            assert page.next_cursor is None

    doc = f"{entity.plural}.{spec.name} ({spec.op} on {spec.field}) returns exactly what matches"
    run.__doc__ = doc
    requires = (seedable, supports(*names))
    return Check(f"filter_{entity.plural}_by_{spec.name}", "filters", doc, run, requires)


def _and_check(entity: AnyEntityType, first: FilterSpec, second: FilterSpec) -> Check:
    async def run(h: Harness) -> None:
        examples = await _population(h, entity)
        target = next(
            (
                e
                for e in examples
                if None not in (getattr(e, first.field), getattr(e, second.field))
            ),
            None,
        )
        assert target is not None, f"no example of {entity.label} sets both filters' fields"
        values = [next(filter_values(s, [target])) for s in (first, second)]
        query = _query(entity, **{first.name: values[0], second.name: values[1]})
        await _assert_results(h, examples, query)

    doc = f"{entity.plural}.{first.name} and .{second.name} together return what matches both"
    run.__doc__ = doc
    requires = (
        seedable,
        supports(entity.filter_name(first.name), entity.filter_name(second.name)),
    )
    return Check(f"filters_of_{entity.plural}_combine_as_and", "filters", doc, run, requires)


@generator
def filter_checks(catalog: Catalog) -> list[Check]:
    """One check per declared filter, and one of two filters together per type."""
    checks = []
    for entity in catalog:
        for spec in entity.filters:
            checks.append(_filter_check(entity, spec))
        pair = [s for s in entity.filters if s.op in ("eq", "has")]
        fields = {s.field for s in pair}
        if len(fields) >= 2:
            second = next(s for s in pair if s.field != pair[0].field)
            checks.append(_and_check(entity, pair[0], second))
    return checks
