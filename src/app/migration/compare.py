"""Compare one repository on two sources: a merge walk over both sides' page streams.

Every source lists an entity type in its declared stable order (``EntityType.order``, ending
with ``id``), so two streams of pages can be walked side by side like a merge, a page of
each in memory and the next on its way. An entity whose sort key differs between the sides
(a changed ``starts_on``) turns up at different places in the two streams: such one-sided
entities are held back a chunk at a time and looked up by id on the other side, so they are
reported as the field differences they are, not as a missing and an unexpected entity.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from app.migration.values import differences, outcome_of
from domain import MAX_PAGE_SIZE, Entity, EntityType, Page, PageRequest, UnitOfWork

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


async def _page(
    units: Callable[[], UnitOfWork], entity: AnyEntityType, size: int, cursor: str | None
) -> Page[Entity]:
    """One page in the stable order, in a unit of work of its own (none stays open)."""
    async with units() as uow:
        return await uow.repository(entity).list(
            entity.query(), PageRequest(size=size, cursor=cursor)
        )


class _Side:
    """One side's stream in the stable order, one entity at a time, the next page on its way.

    The next page is fetched while this one is walked (a task of its own), so each side's
    round trip overlaps the work on the other's: at most two pages per side in memory.
    """

    def __init__(self, units: Callable[[], UnitOfWork], entity: AnyEntityType, size: int) -> None:
        self._units, self._entity, self._size = units, entity, size
        self._items: tuple[Entity, ...] = ()
        self._at = 0
        self._next: asyncio.Task[Page[Entity]] | None = self._fetch(None)
        self.head: Entity | None = None
        self.key: tuple[str, ...] = ()
        """The head's sort key, computed once per entity (it is compared several times)."""
        self.count = 0

    def _fetch(self, cursor: str | None) -> asyncio.Task[Page[Entity]]:
        return asyncio.ensure_future(_page(self._units, self._entity, self._size, cursor))

    async def advance(self) -> None:
        """Move to the next entity; ``head`` is None once the stream is done."""
        while self._at >= len(self._items):
            if self._next is None:
                self.head = None
                return
            page = await self._next
            self._next = None if page.next_cursor is None else self._fetch(page.next_cursor)
            self._items, self._at = page.items, 0
        self.head = self._items[self._at]
        self._at += 1
        self.key = self.head.sort_key
        self.count += 1

    async def close(self) -> None:
        """Cancel the page on its way, if any (a walk stopped early), and wait for its end.

        Awaited, so its unit of work is closed before the caller closes the sources; its own
        error, if any, is dropped: the walk's is the one raised.
        """
        if self._next is not None:
            self._next.cancel()
            await asyncio.gather(self._next, return_exceptions=True)
            self._next = None


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

    Memory holds two pages of each side (the one walked, the next on its way) plus at most
    ``pending`` one-sided entities per side.
    ``tally`` (if given) counts the entities seen on each side and the findings.
    """
    tally = tally if tally is not None else Tally()
    a, b = _Side(left, entity, size), _Side(right, entity, size)
    only_left: dict[UUID, Entity] = {}
    only_right: dict[UUID, Entity] = {}
    try:
        await a.advance()
        await b.advance()
        while a.head is not None or b.head is not None:
            if b.head is None or (a.head is not None and a.key < b.key):
                assert a.head is not None
                only_left[a.head.id] = a.head
                await a.advance()
            elif a.head is None or b.key < a.key:
                only_right[b.head.id] = b.head
                await b.advance()
            else:
                # Equal entities (the rule after a copy) need no walk of their fields.
                paths = () if a.head == b.head else _paths(a.head, b.head)
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
    finally:
        await a.close()
        await b.close()


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
