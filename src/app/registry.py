"""Data sources by name, found through the entry-point group ``hexstudio.data_sources``.

The built-in sources register there exactly like third-party ones, so a user's adapter is a
peer: installing its distribution is all it takes to make its name configurable.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from adapters.redact import mask, mask_text
from adapters.spi import ENTRY_POINT_GROUP, DataSource, DataSourceFactory
from app.errors import ConfigError
from domain import InvalidInput


def available() -> dict[str, EntryPoint]:
    """Every registered data source, by name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def factory(name: str, *, key: str = "data_source.default") -> DataSourceFactory:
    """Load the factory registered as ``name``; ConfigError names ``key`` and the choices."""
    registered = available()
    if name not in registered:
        choices = ", ".join(sorted(registered)) or "none installed"
        # A URL put where a source name belongs is the usual mistake: never show its password.
        shown = mask(key, name)
        raise ConfigError(f"{key}: unknown data source {shown!r} (choices: {choices})")
    loaded: DataSourceFactory = registered[name].load()
    return loaded


def create(
    kind: str,
    options: Mapping[str, Any],
    *,
    key: str = "data_source.default",
    name: str | None = None,
) -> DataSource:
    """Build a data source of ``kind`` from its options, refusing bad options clearly.

    ``name`` is the configured instance (``[data_source.<name>]``), by default the kind.
    """
    build = factory(kind, key=key)
    try:
        source = build(options)
    except InvalidInput as exc:
        # Masked again here: a third-party source may echo a URL with its password.
        raise ConfigError(f"data_source.{name or kind}.{mask_text(exc.message)}") from None
    if not isinstance(source, DataSource):
        shown = mask_text(repr(source))
        raise ConfigError(f"{key}: {kind!r} did not build a data source (got {shown})")
    return source
