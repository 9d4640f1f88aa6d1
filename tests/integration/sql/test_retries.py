"""Deadlocks and serialisation failures: retried while nothing was written, then unavailable."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import exc, text

from adapters.sql.errors import translate
from adapters.sql.transaction import MAX_ATTEMPTS, Transaction
from domain import Conflict, DataSourceError, DataSourceUnavailable


class _DriverError(Exception):
    def __init__(self, message: str, pgcode: str | None = None) -> None:
        super().__init__(message)
        self.pgcode = pgcode


def _deadlock() -> exc.OperationalError:
    return exc.OperationalError("UPDATE ...", {}, _DriverError("deadlock detected", "40P01"))


class _Connection:
    """Fails the first ``failures`` statements with ``error``, then succeeds."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures, self.error = failures, error
        self.statements = 0
        self.rollbacks = 0

    async def execute(self, statement: Any, parameters: Any = None) -> str:
        self.statements += 1
        if self.statements <= self.failures:
            raise self.error
        return "result"

    async def rollback(self) -> None:
        self.rollbacks += 1

    async def commit(self) -> None: ...

    async def close(self) -> None: ...


class _Engine:
    def __init__(self, connection: _Connection) -> None:
        self.connection = connection
        self.dialect = type("Dialect", (), {"name": "postgresql"})()

    async def connect(self) -> _Connection:
        return self.connection


def _transaction(connection: _Connection) -> Transaction:
    return Transaction(_Engine(connection))  # type: ignore[arg-type]


async def test_a_deadlocked_read_is_retried_in_a_fresh_transaction() -> None:
    connection = _Connection(failures=MAX_ATTEMPTS - 1, error=_deadlock())
    result = await _transaction(connection).execute(text("SELECT 1"), entity="Movie")
    assert result == "result"
    assert (connection.statements, connection.rollbacks) == (MAX_ATTEMPTS, MAX_ATTEMPTS - 1)


async def test_retries_are_bounded_then_the_source_is_unavailable() -> None:
    connection = _Connection(failures=100, error=_deadlock())
    with pytest.raises(DataSourceUnavailable, match="retry"):
        await _transaction(connection).execute(text("SELECT 1"), entity="Movie")
    assert connection.statements == MAX_ATTEMPTS


async def test_after_a_write_a_deadlock_is_not_retried() -> None:
    connection = _Connection(failures=0, error=_deadlock())
    tx = _transaction(connection)
    await tx.execute(text("INSERT ..."), entity="Movie", operation="add")
    connection.failures = 2  # the next statement fails once
    with pytest.raises(DataSourceUnavailable):
        await tx.execute(text("UPDATE ..."), entity="Movie", operation="update")
    assert connection.statements == 2


def test_mariadb_deadlocks_and_lock_timeouts_are_unavailable() -> None:
    for code in (1213, 1205):
        error = exc.OperationalError("UPDATE ...", {}, _DriverError.__new__(_DriverError))
        error.orig.args = (code, "Deadlock found when trying to get lock")  # type: ignore[union-attr]
        assert isinstance(translate(error, "Movie", "update"), DataSourceUnavailable)


def test_an_unknown_integrity_error_is_still_a_domain_error() -> None:
    error = exc.IntegrityError("INSERT ...", {}, _DriverError("CHECK constraint failed: x"))
    assert isinstance(translate(error, "Movie", "add"), Conflict)


def test_an_unexpected_exception_becomes_a_data_source_error() -> None:
    assert isinstance(translate(RuntimeError("boom"), "Movie"), DataSourceError)
