"""Dual writes: a relay sends a mirror the primary's committed changes, until it holds them.

Idempotent by entity id and version, so a change sent twice (the relay stopped after the
mirror committed it, before the journal said so) is applied once: an add or update the mirror
holds at that version or later is skipped, a removal of what is gone too. A mirror that is
down keeps its changes in the journal; the next run, after a commit or at start, catches up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from uuid import UUID

from app.migration.outbox import Entry, Outbox
from app.migration.roles import ROLE, Role
from domain import Catalog, DomainError, NotFound, UnitOfWork


class Behind(DomainError):
    """The mirror holds an older version than the change follows: an earlier one is missing."""

    code = "mirror_behind"


class Relay:
    """Sends ``mirror`` its ready changes, in order, one unit of work each."""

    def __init__(
        self,
        mirror: str,
        units: Callable[[], UnitOfWork],
        catalog: Catalog,
        outbox: Outbox,
    ) -> None:
        self.mirror, self._units, self._catalog, self._outbox = mirror, units, catalog, outbox
        self.applied = 0
        self.skipped = 0
        self.failures = 0
        self.last_error: str | None = None
        self._running: asyncio.Task[None] | None = None
        self._again = False

    def figures(self) -> dict[str, object]:
        """What the report shows of this relay."""
        return {
            "pending": self._outbox.count(self.mirror),
            "applied": self.applied,
            "skipped": self.skipped,
            "failures": self.failures,
            "last_error": self.last_error,
        }

    def kick(self) -> None:
        """Run now (or once more after the run in progress)."""
        if self._running is not None and not self._running.done():
            self._again = True
            return
        self._running = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            self._again = False
            await self.run_once()
            if not self._again:
                return

    async def drain(self) -> None:
        """Wait for the run in progress (tests, shutdown)."""
        while self._running is not None and not self._running.done():
            await asyncio.gather(self._running, return_exceptions=True)

    async def run_once(self) -> int:
        """Apply every ready change the mirror takes now; stop at the first it cannot."""
        # Its port calls are the mirror's, whoever kicked it: telemetry labels them so.
        token = ROLE.set(Role.MIRROR)
        try:
            return await self._send()
        finally:
            ROLE.reset(token)

    async def _send(self) -> int:
        sent = 0
        while batch := self._outbox.next(self.mirror):
            for entry in batch:
                try:
                    await self._apply(entry)
                except DomainError as exc:
                    # Unavailable, behind, or refused: the change stays in the journal, in
                    # order, and is retried by the next run (its error is in the report).
                    self.failures += 1
                    self.last_error = f"{type(exc).__name__}: {exc.message}"
                    return sent
                self._outbox.done([entry.seq])
                sent += 1
        self.last_error = None
        return sent

    async def _apply(self, entry: Entry) -> None:
        change = entry.change
        kind = self._catalog[change.repository]
        async with self._units() as uow:
            repository = uow.repository(kind)
            try:
                current = await repository.get(UUID(change.id))
            except NotFound:
                current = None
            if change.operation == "remove":
                if current is None:
                    self.skipped += 1
                    return
                if current.version < change.version:
                    raise Behind(f"{change.repository} {change.id} at {current.version}")
                await repository.remove(current.id, current.version)
            else:
                entity = kind.model.model_validate(change.entity)
                if current is not None and current.version >= entity.version:
                    self.skipped += 1  # applied already: a change is sent at least once
                    return
                if current is None:
                    await repository.add(entity)
                elif current.version == entity.version - 1:
                    await repository.update(entity.evolve(version=current.version))
                else:
                    raise Behind(f"{change.repository} {change.id} at {current.version}")
            await uow.commit()
            self.applied += 1


async def recover(
    outbox: Outbox, primaries: Mapping[str, Callable[[], UnitOfWork]], catalog: Catalog
) -> None:
    """Decide the changes staged by a process that ended before saying the primary committed.

    The primary holds the entity at the change's version (or, for a removal, no longer holds
    it): it committed, send it; otherwise it did not, drop it.
    """
    token = ROLE.set(Role.MIRROR)  # the relay's bookkeeping, not a request's read
    try:
        await _recover(outbox, primaries, catalog)
    finally:
        ROLE.reset(token)


async def _recover(
    outbox: Outbox, primaries: Mapping[str, Callable[[], UnitOfWork]], catalog: Catalog
) -> None:
    for entry in outbox.staged():
        change = entry.change
        kind = catalog[change.repository]
        async with primaries[change.repository]() as uow:
            try:
                stored = await uow.repository(kind).get(UUID(change.id))
            except NotFound:
                stored = None
        committed = (
            stored is None
            if change.operation == "remove"
            else stored is not None and stored.version >= change.version
        )
        (outbox.ready if committed else outbox.drop)([entry.seq])
