"""Draft the medium domain's next Alembic revision by autogenerate; then review it by hand.

    .venv/bin/python examples/medium_graph/scripts/draft_revision.py medium_0002 "what changed"

A scratch SQLite database is migrated to the current head, then Alembic compares it with the
tables the catalog derives (``schema_of(MEDIUM).metadata``) and writes the difference into
``hexstudio_medium/migrations/``. Autogenerate misses what it cannot see (MariaDB table
options, data moves), so every draft is read and cleaned before it is committed.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from adapters.sql import migrate
from adapters.sql.tables import schema_of
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from hexstudio_medium import DOMAIN, MEDIUM


async def draft(rev_id: str, message: str) -> None:
    """Write the revision ``rev_id`` taking a database at head to the derived schema."""
    assert DOMAIN.migrations is not None
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'draft.db'}"
        await migrate.upgrade(url, versions=DOMAIN.migrations)  # a no-op before the first
        cfg = migrate.config(versions=DOMAIN.migrations)
        cfg.attributes["metadata"] = schema_of(MEDIUM).metadata

        def revise(connection: Connection) -> None:
            metadata = cfg.attributes["metadata"]
            if not compare_metadata(MigrationContext.configure(connection), metadata):
                print("the migrations already build the derived tables: nothing to draft")
                return
            cfg.attributes["connection"] = connection
            command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)

        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(revise)
        finally:
            await engine.dispose()


def main() -> None:
    """Parse the command line and draft the revision."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev_id", help="the new revision's id, prefixed medium_ (medium_0002)")
    parser.add_argument("message", help="what the revision changes, one line")
    arguments = parser.parse_args()
    asyncio.run(draft(arguments.rev_id, arguments.message))


if __name__ == "__main__":
    main()
