"""Checks of planned reads: a plan changes round trips, never answers.

Every source passes them: one that implements ``domain.ports.PlannedReads`` answers the planned
read and the reads of the relatives after it (served from what came along, on json_api) as a
unit of work without a plan does; one that does not is read through the plain port.
"""

from __future__ import annotations

from typing import Any

from adapters.testing import fixtures as f
from adapters.testing.kit import Harness, check, seedable
from domain import MAX_PAGE_SIZE, Entity, PageRequest, UnitOfWork
from domain.catalog import AnyEntityType, Hop, Plan
from domain.catalog.plan import hops
from domain.ports import planned_get, planned_list


def _every_path(entity: AnyEntityType) -> list[tuple[str, ...]]:
    """Each relationship of ``entity``, and each one of theirs: paths of one and two hops."""
    paths: list[tuple[str, ...]] = []
    for name, hop in hops(entity).items():
        paths.append((name,))
        paths += [(name, second) for second in hops(hop.target)]
    return paths


def _scope(hop: Hop) -> str | None:
    """The target's equality filter on the hop's reference field (None if it has none)."""
    return next(
        (s.name for s in hop.target.filters if s.op == "eq" and s.field == hop.field.name), None
    )


async def _relatives(uow: UnitOfWork, plan: Plan[Any], root: Entity) -> list[list[Entity]]:
    """What a caller reads after the root, path by path: gets, get_many and child lists."""
    found: list[list[Entity]] = []
    for path in plan.hops:
        at: list[Entity] = [root]
        for hop in path:
            repository = uow.repository(hop.target)
            if not hop.to_many:
                ids = {getattr(e, hop.field.name) for e in at}
                if len(ids) == 1:
                    at = [await repository.get(ids.pop())]
                else:
                    at = sorted((await repository.get_many(ids)).values(), key=lambda e: e.id)
                continue
            scope = _scope(hop)
            if scope is None:
                break
            children: list[Entity] = []
            for parent in at:
                query = hop.target.query.model_validate({scope: parent.id})
                page = await repository.list(query, PageRequest(size=MAX_PAGE_SIZE))
                children += page.items
            at = children
        found.append(at)
    return found


async def _family(h: Harness, entity: AnyEntityType) -> Entity:
    """Store an example of ``entity`` with two children through each reverse relationship."""
    stored, root = f.build(h.catalog, entity)
    family: Entity = root
    for reverse in h.catalog.reverses(entity):
        for _ in range(2):
            made, _child = f.build(h.catalog, reverse.source, {reverse.field.name: root.id})
            stored += made
    await f.store(h.catalog, h.writer, *stored)
    return family


@check("reads", seedable)
async def planned_get_answers_as_plain_reads(h: Harness) -> None:
    """A get with a plan, and the reads of its relatives after it, answer as without a plan."""
    for entity in h.catalog:
        plan = Plan(entity, *_every_path(entity))
        if not plan.paths:
            continue
        root = await _family(h, entity)
        async with h.uow() as uow:
            planned = await planned_get(uow.repository(entity), root.id, plan)
            after = await _relatives(uow, plan, planned)
        async with h.uow() as uow:
            plain = await uow.repository(entity).get(root.id)
            expected = await _relatives(uow, plan, plain)
        assert planned == plain, f"{entity.plural}: planned get returned {planned!r}"
        for path, got, want in zip(plan.dotted(), after, expected, strict=True):
            assert got == want, f"{entity.plural} plan {path}: read {got!r}, expected {want!r}"


@check("reads", seedable)
async def planned_list_answers_as_plain_reads(h: Harness) -> None:
    """A list with a plan returns the page a plain list does; the relatives' reads agree."""
    for entity in h.catalog:
        plan = Plan(entity, *_every_path(entity))
        scope = f.scope_filter(entity)
        if not plan.paths or scope is None:
            continue
        stored, parent = f.build(h.catalog, h.catalog.target(entity.field(scope.field)))
        for _ in range(3):
            stored += f.build(h.catalog, entity, {scope.field: parent.id})[0]
        await f.store(h.catalog, h.writer, *stored)
        query = entity.query.model_validate({scope.name: parent.id})
        async with h.uow() as uow:
            planned = await planned_list(uow.repository(entity), query, PageRequest(size=2), plan)
            after = [await _relatives(uow, plan, e) for e in planned.items]
        async with h.uow() as uow:
            plain = await uow.repository(entity).list(query, PageRequest(size=2))
            expected = [await _relatives(uow, plan, e) for e in plain.items]
        assert planned.items == plain.items, f"{entity.plural}: planned list {planned.items!r}"
        assert (planned.next_cursor is None) == (plain.next_cursor is None), entity.plural
        assert after == expected, f"{entity.plural}: relatives after a planned list differ"
