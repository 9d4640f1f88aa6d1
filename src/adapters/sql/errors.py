"""Map database and driver failures onto domain errors; nothing from SQLAlchemy escapes.

Integrity violations are recognised by the constraint names of ``tables.NAMING_CONVENTION``
(PostgreSQL and MariaDB quote them) or by the columns SQLite lists, looked up in the schema of
the catalog being written.
"""

from __future__ import annotations

import asyncio
import re

from sqlalchemy import exc as sa

from adapters.sql.tables import Schema
from domain import (
    Conflict,
    DataSourceError,
    DataSourceUnavailable,
    DomainError,
    RuleViolation,
)

# Deadlocks, serialisation failures and lock waits: the whole transaction may be retried.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_RETRYABLE_MYSQL_CODES = frozenset({1205, 1213})
_RETRYABLE_SQLITE = ("database is locked", "database table is locked")
# The schema is missing or different: retrying will not help, migrating will.
_SCHEMA_PROBLEMS = (
    "no such table",
    "no such column",
    "undefined",
    "doesn't exist",
    "unknown column",
)
_MYSQL_CONNECTION_CODES = frozenset({2002, 2003, 2005, 2006, 2013, 2055})
_SQLITE_ID = re.compile(r"unique constraint failed: \w+\.id$")
_SCHEMA_HINT = "; is the schema migrated? run `hexstudio db upgrade`"


def _code(exc: sa.DBAPIError) -> str | int | None:
    """The driver's error code: a SQLSTATE (asyncpg) or a MySQL error number (asyncmy)."""
    orig = exc.orig
    code = getattr(orig, "pgcode", None) or getattr(orig, "sqlstate", None)
    if code is None and orig is not None and orig.args and isinstance(orig.args[0], int):
        return orig.args[0]
    return code if isinstance(code, str) else None


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a deadlock, serialisation failure or lock timeout."""
    if not isinstance(exc, sa.DBAPIError):
        return False
    code = _code(exc)
    message = str(exc.orig).lower()
    return (
        code in _RETRYABLE_SQLSTATES
        or code in _RETRYABLE_MYSQL_CODES
        or any(text in message for text in _RETRYABLE_SQLITE)
    )


def translate(
    exc: BaseException, entity: str, operation: str = "read", schema: Schema | None = None
) -> DomainError:
    """The domain error for a failure of ``operation`` (read, add, update, remove) on ``entity``.

    ``schema`` names the constraints an integrity violation may be about.
    """
    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, sa.IntegrityError):
        return _integrity(exc, entity, operation, schema)
    if is_retryable(exc):
        return DataSourceUnavailable(
            f"the database gave up on a conflicting transaction ({_first_line(exc)}); retry",
            entity=entity,
        )
    if isinstance(exc, sa.DBAPIError):
        return _dbapi(exc, entity)
    if isinstance(exc, OSError | asyncio.TimeoutError | TimeoutError | sa.TimeoutError):
        return DataSourceUnavailable(f"cannot reach the database: {exc}", entity=entity)
    return DataSourceError(f"unexpected database failure: {_first_line(exc)}", entity=entity)


def _dbapi(exc: sa.DBAPIError, entity: str) -> DomainError:
    message = _first_line(exc)
    code = _code(exc)
    if any(text in message.lower() for text in _SCHEMA_PROBLEMS) or code in {"42P01", "42703"}:
        return DataSourceError(message + _SCHEMA_HINT, entity=entity)
    if (
        exc.connection_invalidated
        or isinstance(exc, sa.OperationalError | sa.InterfaceError)
        or code in _MYSQL_CONNECTION_CODES
        or (isinstance(code, str) and code[:2] in {"08", "53", "57"})
    ):
        return DataSourceUnavailable(f"the database is unavailable: {message}", entity=entity)
    return DataSourceError(f"the database refused the statement: {message}", entity=entity)


def _integrity(
    exc: sa.IntegrityError, entity: str, operation: str, schema: Schema | None
) -> DomainError:
    message = str(exc.orig).lower()
    for rule in schema.unique_rules if schema is not None else ():
        if rule.constraint in message or rule.sqlite_columns in message:
            return Conflict(
                f"{rule.entity.label} {rule.key.name} is taken: another "
                f"{rule.entity.label} has the same {', '.join(rule.key.fields)}",
                entity=rule.entity.label,
                field=rule.key.fields[0],
                reason=rule.key.reason,
            )
    if "foreign key" in message:
        return _foreign_key(message, entity, operation, schema.foreign_keys if schema else {})
    if "pk_" in message or "primary" in message or _SQLITE_ID.search(message):
        return Conflict(
            f"a {entity} with this id already exists",
            entity=entity,
            field="id",
            reason="duplicate_id",
        )
    return Conflict(f"{entity} breaks a constraint: {_first_line(exc)}", entity=entity)


def _foreign_key(
    message: str, entity: str, operation: str, foreign_keys: dict[str, tuple[str, str]]
) -> DomainError:
    if operation == "remove":
        holder = next((table for name, (table, _) in foreign_keys.items() if name in message), None)
        return RuleViolation(
            f"{entity} is still referenced" + (f" by {holder}" if holder else ""),
            entity=entity,
            field="id",
            reason="still_referenced",
        )
    # SQLite does not say which key failed; PostgreSQL and MariaDB name the constraint.
    field = next((column for name, (_, column) in foreign_keys.items() if name in message), None)
    return RuleViolation(
        f"{entity} refers to a {field or 'related entity'} that does not exist",
        entity=entity,
        field=field,
        reason="unknown_reference",
    )


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc) or type(exc).__name__
    return text.strip().splitlines()[0]
