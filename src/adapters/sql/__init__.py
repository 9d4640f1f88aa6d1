"""The SQL data source: SQLAlchemy Core over SQLite, PostgreSQL or MariaDB, with migrations."""

from adapters.sql.data_source import SqlDataSource, create_data_source
from adapters.sql.options import DEFAULT_URL, SqlOptions, parse_options
from adapters.sql.unit_of_work import SqlUnitOfWork

__all__ = [
    "DEFAULT_URL",
    "SqlDataSource",
    "SqlOptions",
    "SqlUnitOfWork",
    "create_data_source",
    "parse_options",
]
