"""Named data sources: ``[data_source.legacy] kind = "sql"`` beside ``[data_source.sql]``.

A source's name is what routes use (``[repositories]``, ``service.data_source``); its kind is
the registered adapter that builds it (``hexstudio.data_sources``). A table named after a kind
is that kind; any other table says its ``kind``. Two instances of one kind are what a migration
between two SQL databases, or two services of one protocol, needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from adapters.redact import mask, mask_text
from adapters.spi import CatalogChecked, DataSource, ServingSource, WrappingSource
from app import registry
from app.errors import ConfigError
from domain import Catalog, InvalidInput

KIND = "kind"
"""The key of a named table that says which registered adapter builds it."""


def instances(tables: Mapping[str, Any]) -> dict[str, str]:
    """Every usable source name and its kind: each registered kind, each named table."""
    kinds = set(registry.available())
    found = {kind: kind for kind in kinds}
    for name, table in tables.items():
        if not isinstance(table, Mapping):
            continue  # options() refuses it, naming the key, when the source is used
        kind = table.get(KIND)
        if kind is None:
            if name not in kinds:
                raise ConfigError(
                    f"data_source.{name}: not a registered data source; name its kind, "
                    f'e.g. kind = "sql" (kinds: {", ".join(sorted(kinds))})'
                )
            continue
        if not isinstance(kind, str) or kind not in kinds:
            shown = mask(f"data_source.{name}.{KIND}", kind)
            raise ConfigError(
                f"data_source.{name}.{KIND}: unknown data source kind {shown!r} "
                f"(kinds: {', '.join(sorted(kinds))})"
            )
        found[name] = kind
    return found


def create(
    tables: Mapping[str, Any],
    name: str,
    *,
    key: str,
    catalog: Catalog | None = None,
    _wrapping: tuple[str, ...] = (),
) -> DataSource:
    """Build the source called ``name`` from its table (without its ``kind``).

    A source that wraps another (``adapters.spi.WrappingSource``, like ``kind = "cache"``) is
    given the source its ``over`` option names, built here the same way. With ``catalog``,
    the domain's the source is used with, a source whose options name entity types
    (``adapters.spi.CatalogChecked``, a cache's ``lists``) is checked against it.
    """
    kind = instances(tables).get(name)
    if kind is None:
        return registry.create(name, {}, key=key)  # refused, naming key, value and choices
    table = tables.get(name, {})
    if not isinstance(table, Mapping):
        shown = mask(f"data_source.{name}", table)
        raise ConfigError(f"data_source.{name}: expected a table of options, got {shown!r}")
    options = {k: v for k, v in table.items() if k != KIND}
    source = registry.create(kind, options, key=key, name=name)
    if catalog is not None and isinstance(source, CatalogChecked):
        try:
            source.check_catalog(catalog)
        except InvalidInput as exc:
            raise ConfigError(f"data_source.{name}.{mask_text(exc.message)}") from None
    if isinstance(source, WrappingSource):
        over, wrapping = source.over, (*_wrapping, name)
        if over in wrapping:
            raise ConfigError(
                f"data_source.{name}.over: {over!r} wraps itself ({' -> '.join((*wrapping, over))})"
            )
        key = f"data_source.{name}.over"
        source.wrap(create(tables, over, key=key, catalog=catalog, _wrapping=wrapping))
    return source


def start_serving(opened: Iterable[DataSource]) -> None:
    """Start what only a serving process runs (``adapters.spi.ServingSource``), in its loop."""
    for source in opened:
        if isinstance(source, ServingSource):
            source.start_serving()
