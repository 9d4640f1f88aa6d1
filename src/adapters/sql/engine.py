"""Build the async engine for the configured URL, tuned per backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.sql.options import SqlOptions, async_url
from adapters.sql.sqlite_driver import one_trip_dbapi
from domain import DataSourceError


def create_engine(options: SqlOptions, *, create_file: bool = False) -> AsyncEngine:
    """A new engine (never shared, never built at import): its pool belongs to one data source.

    A SQLite file that does not exist is refused at the first connection, naming the command
    that creates it, unless ``create_file`` (migrations make it; a data source never does, or
    every command run in the wrong directory would leave an empty database behind).
    """
    url = async_url(options.url)
    backend = url.get_backend_name()
    kwargs: dict[str, Any] = {"echo": options.echo, "pool_pre_ping": options.pool_pre_ping}
    for name in ("pool_size", "max_overflow", "pool_timeout", "pool_recycle"):
        if getattr(options, name) is not None:
            kwargs[name] = getattr(options, name)
    if backend == "postgresql":
        kwargs["connect_args"] = {"timeout": options.connect_timeout}
    elif backend in ("mysql", "mariadb"):
        # READ COMMITTED as on PostgreSQL: reads see what others committed, and InnoDB takes no
        # gap locks, which would otherwise deadlock concurrent bookings of nearby slots.
        kwargs["isolation_level"] = "READ COMMITTED"
        kwargs["connect_args"] = {"connect_timeout": options.connect_timeout}
        if "charset" not in url.query:
            url = url.update_query_dict({"charset": "utf8mb4"})
    elif backend == "sqlite":
        # One trip to aiosqlite's thread per statement instead of four (sqlite_driver.py).
        module = one_trip_dbapi()
        if module is not None:
            kwargs["module"] = module
    engine = create_async_engine(url, **kwargs)
    if backend == "sqlite":
        _tune_sqlite(engine, options.busy_timeout_ms)
        if not create_file:
            _refuse_missing_file(engine)
    return engine


def _refuse_missing_file(engine: AsyncEngine) -> None:
    """Before SQLite would create the database file, raise DataSourceError instead."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return  # in memory, or a URI whose mode says what to do

    @event.listens_for(engine.sync_engine, "do_connect")
    def _exists(*_: Any) -> None:
        path = Path(database)
        # A missing folder (an unmounted volume, say) stays SQLite's own failure: unavailable.
        if not path.exists() and path.parent.is_dir():
            raise DataSourceError(
                f"no database file at {database}: run `hexstudio db upgrade` to create it"
            )


def _tune_sqlite(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    """Foreign keys on; WAL so readers never block the writer; writers wait, not fail."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
