"""aiosqlite through SQLAlchemy with one trip to the driver's thread per statement, not four.

aiosqlite runs every sqlite3 call on its own worker thread. SQLAlchemy's adapter makes four
trips there per statement (create the cursor, execute, fetch all rows, close the cursor), each a
wake-up of that thread and then of the event loop: ~50 µs idle, much more on a loaded machine.
This cursor does the four steps in one function on the worker thread. Rows are fetched eagerly,
as SQLAlchemy's adapter already did; server-side cursors are left as they were.

It is installed as the DBAPI ``module`` of SQLite engines (``engine.create_engine``), so the
dialect, URL and everything above the cursor stay SQLAlchemy's own.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_only

_Outcome = tuple[list[Any], Any, int, int | None]


class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose execute is one call on aiosqlite's thread."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        # No cursor is opened here (that was a trip of its own): each execute opens and
        # closes one on the worker thread.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._rows: collections.deque[Any] = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        """The description of the last statement's result (None when it returned no rows)."""
        return self._description

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        """The rowid of the last inserted row (0 before any)."""
        return self._lastrowid or 0

    @property
    def arraysize(self) -> int:
        """Rows ``fetchmany`` returns by default."""
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        """Run one statement and buffer its rows, in one trip to the driver's thread."""
        try:
            return await_only(self._run(operation, parameters, many=False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        """Run one statement for each parameter set, in one trip."""
        try:
            return await_only(self._run(operation, seq_of_parameters, many=True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _run(self, operation: Any, parameters: Any, *, many: bool) -> None:
        driver: Any = self._connection  # the aiosqlite.Connection

        def on_worker_thread() -> _Outcome:
            # Private aiosqlite API, as SQLAlchemy's own adapter uses for isolation levels.
            cursor: sqlite3.Cursor = driver._conn.cursor()
            try:
                if many:
                    cursor.executemany(operation, parameters)
                elif parameters is None:
                    cursor.execute(operation)
                else:
                    cursor.execute(operation, parameters)
                rows = cursor.fetchall() if cursor.description else []
                return rows, cursor.description, cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        async with self._adapt_connection._execute_mutex:
            outcome: _Outcome = await driver._execute(on_worker_thread)
        rows, self._description, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    def close(self) -> None:
        """Drop buffered rows (the sqlite3 cursor was closed on the worker thread)."""
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        """Nothing to close: the statement's cursor is already closed."""

    def fetchone(self) -> Any:
        """The next buffered row, or None."""
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        """Up to ``size`` (default ``arraysize``) buffered rows."""
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self._arraysize, len(rows)))]

    def fetchall(self) -> Sequence[Any]:
        """Every remaining buffered row."""
        rows = list(self._rows)
        self._rows.clear()
        return rows


class _Connection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection adapter, handing out one-trip cursors."""

    __slots__ = ()

    def cursor(self, server_side: bool = False) -> Any:
        """A one-trip cursor; a server-side cursor as SQLAlchemy makes it."""
        if server_side:
            return super().cursor(server_side=True)
        return _OneTripCursor(self)

    def rollback(self) -> None:
        """Roll back; no trip to the driver's thread when no transaction is open.

        The pool rolls back every connection it gets back, and a unit of work that only read
        has nothing to roll back: sqlite3 opens a transaction at the first write, never for a
        SELECT. ``in_transaction`` is a flag of the SQLite handle, safe to read from here.
        """
        driver = self._connection._connection  # the sqlite3 connection, None once closed
        if driver is not None and not driver.in_transaction:
            return
        super().rollback()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI shim whose connections use one-trip cursors."""

    def connect(self, *arg: Any, **kw: Any) -> Any:
        """Connect as SQLAlchemy does, then hand out our cursors (same object layout)."""
        connection = super().connect(*arg, **kw)
        connection.__class__ = _Connection
        return connection


def one_trip_dbapi() -> OneTripDBAPI | None:
    """The ``module`` argument for an aiosqlite engine, or None to keep SQLAlchemy's own.

    The one-trip cursor leans on aiosqlite's private ``_execute`` and ``_conn``: should a
    release rename them, SQLite keeps working through the stock adapter, only slower.
    """
    if not hasattr(aiosqlite.Connection, "_execute"):
        return None
    return OneTripDBAPI(aiosqlite, sqlite3)
