"""One database transaction: runs statements, retries what is safe to retry, maps errors."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.errors import is_retryable, translate
from adapters.sql.tables import Schema
from domain import DataSourceError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
"""How often a statement hit by a deadlock or lock timeout runs before DataSourceUnavailable."""


class Transaction:
    """The connection of one unit of work; every statement of the repositories goes through it.

    A deadlock or serialisation failure aborts the whole transaction, so a statement can only be
    retried (in a fresh transaction) while nothing has been written yet: reads run at READ
    COMMITTED, and a fresh transaction sees at least what the old one saw. After a write the
    failure surfaces as DataSourceUnavailable, which callers may retry as a whole.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self.dialect = engine.dialect
        """The engine's dialect (name and server version): some statements differ by engine."""
        self._connection: AsyncConnection | None = None
        self._wrote = False
        self.schema: Schema | None = None
        """The tables being written, to name the constraint an integrity error is about."""

    async def execute(
        self,
        statement: Executable,
        parameters: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
        *,
        entity: str,
        operation: str = "read",
    ) -> CursorResult[Any]:
        """Run ``statement`` in this transaction; raise only domain errors."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                connection = await self._connect()
                result = await connection.execute(statement, parameters)
            except Exception as exc:
                if is_retryable(exc) and not self._wrote and attempt < MAX_ATTEMPTS:
                    log.info("retrying %s of %s after: %s", operation, entity, exc)
                    await self._rollback_quietly()
                    continue
                raise translate(exc, entity, operation, self.schema) from exc
            self._wrote = self._wrote or operation != "read"
            return result
        raise DataSourceError("unreachable", entity=entity)  # pragma: no cover

    async def commit(self) -> None:
        """Commit what was written; the next statement starts a new transaction."""
        if self._connection is None:
            return
        try:
            await self._connection.commit()
        except Exception as exc:
            await self._rollback_quietly()
            raise translate(exc, "UnitOfWork", "commit", self.schema) from exc
        finally:
            self._wrote = False

    async def close(self) -> None:
        """Roll back whatever was not committed and give the connection back to the pool.

        Closing rolls the transaction back (one round trip, not an explicit rollback and then
        the pool's reset).
        """
        connection, self._connection = self._connection, None
        self._wrote = False
        if connection is None:
            return
        try:
            await connection.close()
        except Exception:  # never mask the exception that may be leaving the unit of work
            log.debug("closing a connection failed", exc_info=True)

    async def _connect(self) -> AsyncConnection:
        if self._connection is None:
            self._connection = await self._engine.connect()
        return self._connection

    async def _rollback_quietly(self) -> None:
        if self._connection is not None:
            try:
                await self._connection.rollback()
            except Exception:
                log.debug("rollback failed", exc_info=True)
