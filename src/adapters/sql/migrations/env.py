"""Alembic environment: runs on the connection ``adapters.sql.migrate`` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from adapters.sql.tables import NAMING_CONVENTION


def _target(connection: Connection) -> MetaData:
    """The metadata autogenerate compares with (the caller's schema), or just our names.

    Its naming convention is what ``op`` applies to the constraints migrations create.
    """
    if connection.dialect.name != "mysql":
        given = context.config.attributes.get("metadata")
        return (
            given if isinstance(given, MetaData) else MetaData(naming_convention=NAMING_CONVENTION)
        )
    # MariaDB names every primary key PRIMARY and warns about any other name.
    return MetaData(naming_convention={k: v for k, v in NAMING_CONVENTION.items() if k != "pk"})


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=_target(connection))
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through adapters.sql.migrate, which passes a connection")
_run(connection)
