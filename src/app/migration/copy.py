"""Backfill one source from another, idempotently, versions kept, resumable, parents first.

Each page of the ``from`` source is looked up by id on the ``to`` source in the same unit of
work, its absent entities are added as they are (``Repository.add`` stores the version it is
given on every built-in source: copying is no update, so no version moves) and the unit is
committed. The adds of a page are one batch (``domain.ports.bulk_add``) where the target
offers ``BulkAdds`` (SQL: one executemany per table), one ``add`` each where it does not,
and the next page is read from the ``from`` source meanwhile (two pages in memory at most).
An entity already there at the same version is skipped; at another version it is reported
and counted, never overwritten: two stores that disagree need a person, not a copy.

Resuming: after each committed page the cursor of the next page is written to a small
checkpoint file in the working directory (``CHECKPOINTS``), keyed by from, to and repository;
an interrupted copy starts again from there, and a finished repository's entry is removed,
so the next run walks everything again and skips what is there (idempotent by id and
version). The checkpoint only saves time: a row added to the ``from`` source behind the
cursor meanwhile is picked up by the next full run.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import ConfigError
from domain import MAX_PAGE_SIZE, Catalog, Entity, EntityType, Page, PageRequest, UnitOfWork
from domain.ports import bulk_add

CHECKPOINTS = Path(".hexstudio-copy.json")
"""Where an interrupted copy left off, per from/to/repository (working directory)."""

AnyEntityType = EntityType[Any, Any]


@dataclass(frozen=True)
class Diverged:
    """An entity both sides hold at different versions: left as it is on the ``to`` side."""

    repository: str
    entity: Entity
    """The ``from`` side's entity."""
    there: int
    """The version the ``to`` side holds."""


@dataclass
class Copied:
    """What a copy of one repository did."""

    repository: str
    read: int = 0
    added: int = 0
    skipped: int = 0
    """Already on the ``to`` side at the same version."""
    diverged: int = 0
    """On the ``to`` side at another version (reported, not overwritten)."""
    resumed: bool = False
    """Started from a checkpoint rather than from the first page."""


@dataclass
class Checkpoints:
    """The cursor each unfinished copy reached, in a JSON file; written atomically."""

    path: Path = field(default_factory=lambda: CHECKPOINTS)

    def _all(self) -> dict[str, str]:
        if not self.path.is_file():
            return {}
        found = json.loads(self.path.read_text(encoding="utf-8"))
        return found if isinstance(found, dict) else {}

    @staticmethod
    def key(source: str, target: str, repository: str) -> str:
        """The entry of one copy: ``legacy->sql:movies``."""
        return f"{source}->{target}:{repository}"

    def get(self, key: str) -> str | None:
        """The cursor to resume ``key`` from, or None to start at the first page."""
        cursor = self._all().get(key)
        return cursor if isinstance(cursor, str) else None

    def set(self, key: str, cursor: str | None) -> None:
        """Record that ``key`` is copied up to ``cursor`` (None: finished, entry removed)."""
        entries = self._all()
        if cursor is None:
            if key not in entries:
                return
            del entries[key]
        else:
            entries[key] = cursor
        if not entries:
            self.path.unlink(missing_ok=True)
            return
        # A crash mid-write must not leave half a file: write aside, then rename over it.
        scratch = self.path.with_name(self.path.name + ".tmp")
        scratch.write_text(json.dumps(entries, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(scratch, self.path)


def dependency_order(catalog: Catalog, plurals: Iterable[str] | None = None) -> list[AnyEntityType]:
    """The catalog's types (or those named), each after the types its references point to.

    A child's foreign key needs its parent stored first. Among types with no order between
    them, the catalog's declaration order is kept. A reference of a type to itself is left
    out (its rows would need an order within the type); a cycle between types is refused.
    """
    wanted = [catalog[p] for p in (catalog.plurals if plurals is None else plurals)]
    chosen = {e.plural for e in wanted}
    ordered: list[AnyEntityType] = []
    state: dict[str, str] = {}

    def visit(entity: AnyEntityType, path: tuple[str, ...]) -> None:
        if state.get(entity.plural) == "done":
            return
        if state.get(entity.plural) == "visiting":
            cycle = " -> ".join((*path, entity.plural))
            raise ConfigError(
                f"references form a cycle ({cycle}): no copy order puts parents first"
            )
        state[entity.plural] = "visiting"
        for ref in entity.references:
            target = catalog.target(ref)
            if target.plural != entity.plural:
                visit(target, (*path, entity.plural))
        state[entity.plural] = "done"
        if entity.plural in chosen:
            ordered.append(entity)

    for entity in wanted:
        visit(entity, ())
    return ordered


async def copy(
    source: Callable[[], UnitOfWork],
    target: Callable[[], UnitOfWork],
    entity: AnyEntityType,
    *,
    size: int = MAX_PAGE_SIZE,
    cursor: str | None = None,
    checkpoint: Callable[[str | None], None] = lambda _: None,
    diverged: Callable[[Diverged], None] = lambda _: None,
    progress: Callable[[int], None] = lambda _: None,
) -> Copied:
    """Copy ``entity``'s repository from ``source`` to ``target``, a page per unit of work.

    Starts after ``cursor`` (a checkpoint's); ``checkpoint`` is told the cursor of the next
    page after each commit (None when done), ``diverged`` each entity left alone because the
    target holds another version, ``progress`` how many entities each page read.
    """
    done = Copied(entity.plural, resumed=cursor is not None)
    # The next page is read while this one is written: the two sources work at once, and
    # at most two pages are in memory. The checkpoint still follows each commit.
    ahead: asyncio.Task[Page[Entity]] | None = _read_ahead(source, entity, size, cursor)
    try:
        while ahead is not None:
            page = await ahead
            ahead = None
            if page.next_cursor is not None:
                ahead = _read_ahead(source, entity, size, page.next_cursor)
            if page.items:
                await _write(target, entity, page.items, done, diverged)
            done.read += len(page.items)
            checkpoint(page.next_cursor)
            progress(len(page.items))
        return done
    finally:
        if ahead is not None:  # the write failed: the page read ahead is not wanted
            ahead.cancel()
            # Awaited, so its unit of work is closed before the caller closes the sources;
            # its own error, if any, is dropped: the write's is the one raised.
            await asyncio.gather(ahead, return_exceptions=True)


def _read_ahead(
    source: Callable[[], UnitOfWork], entity: AnyEntityType, size: int, cursor: str | None
) -> asyncio.Task[Page[Entity]]:
    """Read the page after ``cursor`` in a task, in a unit of work of its own."""

    async def read() -> Page[Entity]:
        async with source() as uow:
            return await uow.repository(entity).list(
                entity.query(), PageRequest(size=size, cursor=cursor)
            )

    return asyncio.ensure_future(read())


async def _write(
    target: Callable[[], UnitOfWork],
    entity: AnyEntityType,
    items: Sequence[Entity],
    done: Copied,
    diverged: Callable[[Diverged], None],
) -> None:
    """Add the page's entities ``target`` lacks, in one unit of work, and count the rest."""
    async with target() as uow:
        repository = uow.repository(entity)
        there = await repository.get_many([item.id for item in items])
        absent: list[Entity] = []
        for item in items:
            held = there.get(item.id)
            if held is None:
                absent.append(item)
            elif held.version == item.version:
                done.skipped += 1
            else:
                done.diverged += 1
                diverged(Diverged(entity.plural, item, held.version))
        # One batch where the target offers BulkAdds, one add each where it does not.
        await bulk_add(repository, absent)
        await uow.commit()
        done.added += len(absent)
