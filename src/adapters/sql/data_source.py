"""The SQL data source: an engine per instance, handing out units of work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.spi import EVERY_FILTER, Capabilities
from adapters.sql.engine import create_engine
from adapters.sql.errors import translate
from adapters.sql.options import SqlOptions, parse_options
from adapters.sql.unit_of_work import SqlUnitOfWork


class SqlDataSource:
    """Implements ``adapters.spi.DataSource`` over SQLite, PostgreSQL or MariaDB."""

    name = "sql"
    capabilities = Capabilities(filters=EVERY_FILTER)

    def __init__(self, options: SqlOptions | None = None) -> None:
        self.options = options or SqlOptions()
        self.engine: AsyncEngine = create_engine(self.options)
        """The engine; exposed so tests can count statements with SQLAlchemy events."""

    def unit_of_work(self) -> SqlUnitOfWork:
        """Open a unit of work: one transaction, committed by ``commit()``."""
        return SqlUnitOfWork(self.engine)

    async def check(self) -> str:
        """Run ``SELECT 1`` and describe the database, or raise DataSourceUnavailable."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                version = connection.dialect.server_version_info or ()
        except Exception as exc:
            raise translate(exc, "DataSource") from exc
        dialect = self.engine.dialect.name
        shown = self.engine.url.render_as_string(hide_password=True)
        return f"{dialect} {'.'.join(map(str, version))} at {shown}"

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def create_data_source(options: Mapping[str, Any]) -> SqlDataSource:
    """Entry point of ``sql``: validate ``[data_source.sql]`` and build the source."""
    return SqlDataSource(parse_options(options))
