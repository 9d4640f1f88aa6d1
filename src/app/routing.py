"""Which data source serves each repository's reads and writes, from ``[repositories]``.

``movies = "graphql"`` sends both to one source; ``movies = { read = "graphql", write =
"json_api" }`` splits them, as Netflix moved one entity's reads first. Unlisted repositories
use ``data_source.default``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.redact import mask
from app.errors import ConfigError
from domain import Catalog


@dataclass(frozen=True)
class Route:
    """The source names one repository reads from and writes to."""

    read: str
    write: str


def routes(
    default: str, table: Mapping[str, Any], known: set[str], catalog: Catalog
) -> dict[str, Route]:
    """Resolve every repository's route, or raise ConfigError naming key, value and choices.

    The repositories are the catalog's entity types, by plural.
    """
    repositories = catalog.plurals
    for name in table:
        if name not in repositories:
            raise ConfigError(
                f"repositories.{name}: unknown repository (choices: {', '.join(repositories)})"
            )
    _check_source("data_source.default", default, known)
    resolved: dict[str, Route] = {}
    for name in repositories:
        value = table.get(name, default)
        key = f"repositories.{name}"
        if isinstance(value, str):
            _check_source(key, value, known)
            resolved[name] = Route(read=value, write=value)
        elif isinstance(value, Mapping):
            extra = set(value) - {"read", "write"}
            if extra:
                raise ConfigError(f"{key}: unknown key {sorted(extra)[0]!r} (choices: read, write)")
            read, write = value.get("read", default), value.get("write", default)
            _check_source(f"{key}.read", read, known)
            _check_source(f"{key}.write", write, known)
            resolved[name] = Route(read=read, write=write)
        else:
            shown = mask(key, value)
            raise ConfigError(
                f"{key}: expected a source name or {{ read = ..., write = ... }}, got {shown!r}"
            )
    return resolved


def _check_source(key: str, value: object, known: set[str]) -> None:
    if not isinstance(value, str) or value not in known:
        shown = mask(key, value)  # a URL where a source name belongs: never show its password
        raise ConfigError(
            f"{key}: unknown data source {shown!r} (choices: {', '.join(sorted(known))})"
        )
