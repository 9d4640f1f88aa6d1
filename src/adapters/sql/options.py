"""The options of ``[data_source.sql]``, validated before any engine exists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from adapters.redact import mask
from domain import InvalidInput

DEFAULT_URL = "sqlite+aiosqlite:///hexstudio.db"
"""A SQLite file in the working directory: the zero-configuration default."""

ASYNC_DRIVERS = {
    "sqlite": "aiosqlite",
    "postgresql": "asyncpg",
    "mysql": "asyncmy",
    "mariadb": "asyncmy",
}
"""The async driver of each supported backend; a URL without one gets it."""


class SqlOptions(BaseModel):
    """Options of the SQL data source (``HEXSTUDIO_DATA_SOURCE__SQL__<KEY>``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = DEFAULT_URL
    echo: bool = False
    pool_size: Annotated[int, Field(ge=1)] | None = None
    max_overflow: Annotated[int, Field(ge=0)] | None = None
    pool_timeout: Annotated[float, Field(gt=0)] | None = None
    pool_recycle: int | None = None
    pool_pre_ping: bool = False
    connect_timeout: Annotated[float, Field(gt=0)] = 10.0
    busy_timeout_ms: Annotated[int, Field(ge=0)] = 5000
    """SQLite only: how long a writer waits for another writer's lock."""

    @field_validator("url")
    @classmethod
    def _async_url(cls, value: str) -> str:
        return async_url(value).render_as_string(hide_password=False)


def async_url(value: str) -> URL:
    """Parse ``value`` and give it the async driver of its backend (ValueError if unsupported)."""
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        # Not the value: it may hold a password; parse_options shows it masked.
        raise ValueError("not a database URL (expected e.g. sqlite+aiosqlite:///file.db)") from None
    backend = url.get_backend_name()
    if backend not in ASYNC_DRIVERS:
        choices = ", ".join(sorted(ASYNC_DRIVERS))
        raise ValueError(f"unsupported database {backend!r} (choices: {choices})")
    driver = ASYNC_DRIVERS[backend]
    if "+" in url.drivername and url.get_driver_name() != driver:
        raise ValueError(f"{url.drivername!r} is not async; use {backend}+{driver}")
    return url.set(drivername=f"{backend}+{driver}")


def parse_options(options: Mapping[str, Any]) -> SqlOptions:
    """Validate the options; InvalidInput("<key>: ...", field=<key>) names the first bad one."""
    try:
        return SqlOptions.model_validate(dict(options))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        key = ".".join(str(part) for part in error["loc"]) or "sql"
        if error["type"] == "extra_forbidden":
            # No value: a misspelt ``pasword`` is a secret all the same.
            message = f"unknown option (choices: {', '.join(SqlOptions.model_fields)})"
        else:
            shown = mask(key, error.get("input"))
            message = f"{error['msg'].removeprefix('Value error, ')} (got {shown!r})"
        raise InvalidInput(f"{key}: {message}", field=key) from None
