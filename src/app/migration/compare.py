"""Compare one repository on two sources: a merge walk over both sides' page streams.

Every source lists an entity type in its declared stable order (``EntityType.order``, ending
with ``id``), so two streams of pages can be walked side by side like a merge, one page of
each in memory at a time. An entity whose sort key differs between the sides (a changed
``starts_on``) turns up at different places in the two streams: such one-sided entities are
held back a chunk at a time and looked up by id on the other side, so they are reported as
the field differences they are, not as a missing and an unexpected entity.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from app.migration.values import differences, outcome_of
from domain import MAX_PAGE_SIZE, Entity, EntityType, PageRequest, UnitOfWork

PENDING = 500
"""One-sided entities held before they are looked up on the other side, in one ``get_many``:
the bound on what compare keeps beyond one page of each side."""

AnyEntityType = EntityType[Any, Any]


class Kind(StrEnum):
    """How an entity differs between the two sides."""

    MISSING = "missing"
    """In the ``from`` source only."""
    UNEXPECTED = "unexpected"
    """In the ``to`` source only."""
    DIFFERS = "differs"
    """On both, with different fields (``paths``)."""


@dataclass(frozen=True)
class Finding:
    """One difference: the entity's id, how it differs, and the differing field paths."""

    repository: str
    id: UUID
    kind: Kind
    paths: tuple[str, ...] = ()


@dataclass
class Tally:
    """What a comparison saw: entities on each side, and differences found."""

    left: int = 0
    right: int = 0
    findings: int = 0


async def stream(
    units: Callable[[], UnitOfWork],
    entity: AnyEntityType,
    *,
    size: int = MAX_PAGE_SIZE,
    cursor: str | None = None,
) -> AsyncIterator[Entity]:
    """Every entity of ``entity``'s type in the stable order, after ``cursor`` if given.

    One unit of work per page, so no transaction stays open over a long walk.
    """
    while True:
        async with units() as uow:
            page = await uow.repository(entity).list(
                entity.query(), PageRequest(size=size, cursor=cursor)
            )
        for item in page.items:
            yield item
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


class _Side:
    """One side's stream, read one item ahead."""

    def __init__(self, items: AsyncIterator[Entity]) -> None:
        self._items = items
        self.head: Entity | None = None
        self.count = 0

    async def advance(self) -> None:
        try:
            self.head = await anext(self._items)
            self.count += 1
        except StopAsyncIteration:
            self.head = None


async def compare(
    left: Callable[[], UnitOfWork],
    right: Callable[[], UnitOfWork],
    entity: AnyEntityType,
    tally: Tally | None = None,
    *,
    size: int = MAX_PAGE_SIZE,
    pending: int = PENDING,
) -> AsyncIterator[Finding]:
    """The differences of ``entity``'s repository between ``left`` and ``right``, as found.

    Memory holds one page of each side plus at most ``pending`` one-sided entities per side.
    ``tally`` (if given) counts the entities seen on each side and the findings.
    """
    tally = tally if tally is not None else Tally()
    a, b = _Side(stream(left, entity, size=size)), _Side(stream(right, entity, size=size))
    only_left: dict[UUID, Entity] = {}
    only_right: dict[UUID, Entity] = {}
    await a.advance()
    await b.advance()
    while a.head is not None or b.head is not None:
        if b.head is None or (a.head is not None and a.head.sort_key < b.head.sort_key):
            assert a.head is not None
            only_left[a.head.id] = a.head
            await a.advance()
        elif a.head is None or b.head.sort_key < a.head.sort_key:
            only_right[b.head.id] = b.head
            await b.advance()
        else:
            paths = _paths(a.head, b.head)
            if paths:
                yield _found(tally, Finding(entity.plural, a.head.id, Kind.DIFFERS, paths))
            await a.advance()
            await b.advance()
        if len(only_left) >= pending or len(only_right) >= pending:
            async for finding in _resolve(left, right, entity, only_left, only_right):
                yield _found(tally, finding)
    async for finding in _resolve(left, right, entity, only_left, only_right):
        yield _found(tally, finding)
    tally.left, tally.right = a.count, b.count


async def _resolve(
    left: Callable[[], UnitOfWork],
    right: Callable[[], UnitOfWork],
    entity: AnyEntityType,
    only_left: dict[UUID, Entity],
    only_right: dict[UUID, Entity],
) -> AsyncIterator[Finding]:
    """Look the one-sided entities up by id on the other side, and empty both holds.

    An entity one side has where the other's stream did not show it either is missing there
    or sits at another sort key (its sort fields differ). The left side reports a moved pair;
    the right side's copy of the same pair is skipped, so each is reported once whichever
    side's stream reaches it first.
    """
    if only_left:
        async with right() as uow:
            there = await uow.repository(entity).get_many(list(only_left))
        for id, item in only_left.items():
            other = only_right.pop(id, None) or there.get(id)
            if other is None:
                yield Finding(entity.plural, id, Kind.MISSING)
            else:
                yield Finding(entity.plural, id, Kind.DIFFERS, _paths(item, other))
        only_left.clear()
    if only_right:
        async with left() as uow:
            here = await uow.repository(entity).get_many(list(only_right))
        for id in only_right:
            if id not in here:
                yield Finding(entity.plural, id, Kind.UNEXPECTED)
        only_right.clear()


def _paths(expected: Entity, got: Entity) -> tuple[str, ...]:
    return tuple(differences(outcome_of(expected), outcome_of(got)))


def _found(tally: Tally, finding: Finding) -> Finding:
    tally.findings += 1
    return finding
