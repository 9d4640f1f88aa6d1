"""The service-provider interface every data source implements, built-in or third-party.

A data source is registered under a name in the entry-point group ``hexstudio.data_sources``;
the entry point names a ``DataSourceFactory``. The app calls it with the options of
``[data_source.<name>]`` from the configuration and gets a ``DataSource``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from domain import Catalog, UnitOfWork

ENTRY_POINT_GROUP = "hexstudio.data_sources"

EVERY_FILTER: Literal["every"] = "every"
"""``Capabilities.filters`` of a source that answers whatever filter a query type declares."""


@dataclass(frozen=True)
class Capabilities:
    """What a data source promises; the conformance kit tests exactly what is declared."""

    writable: bool = True
    """False for a read-only source (like the GraphQL read service of the Netflix story)."""

    atomic_commit: bool = True
    """Writes to several repositories in one commit are all or nothing."""

    buffered_writes: bool = False
    """Writes wait for commit (HTTP sources, memory) rather than hold an open transaction.

    A unit of work spanning sources commits the unbuffered ones first: they hold locks that
    a buffered source's commit may need when both reach the same database.
    """

    filters: frozenset[str] | Literal["every"] = frozenset()
    """The query filters it answers, by qualified name (``movies.genre``; see
    ``EntityType.filter_names``), or ``EVERY_FILTER`` for a source that derives every filter
    from the query types' declarations and so answers filters added later too. Nothing is
    claimed by default: a source that answers a fixed list names it."""

    def supports(self, filter_name: str) -> bool:
        """Whether the source answers the filter named ``filter_name``."""
        return self.filters == EVERY_FILTER or filter_name in self.filters


@runtime_checkable
class DataSource(Protocol):
    """An open connection to one kind of storage, handing out units of work."""

    name: str
    capabilities: Capabilities

    def unit_of_work(self) -> UnitOfWork:
        """Open a new unit of work (so the bound method is a ``UnitOfWorkFactory``)."""
        ...

    async def check(self) -> str:
        """Reach the storage and describe it in one line, or raise DataSourceUnavailable."""
        ...

    async def aclose(self) -> None:
        """Release connections and clients."""
        ...


@runtime_checkable
class WrappingSource(Protocol):
    """A source in front of another one (a cache): built unwrapped, then given what it wraps.

    A factory sees only its own options, so the composition root builds the source named by
    ``over`` (any configured name) and calls ``wrap`` with it; the wrapper owns it from then
    on and closes it in its own ``aclose``.
    """

    over: str

    def wrap(self, inner: DataSource) -> None:
        """Put ``inner`` behind this source; called once, before any unit of work."""
        ...


@runtime_checkable
class ServingSource(Protocol):
    """A source with work of its own that only a serving process runs (a cache's reports).

    A unit of work is opened by every command, check, copy and worker process too; what must
    run only while a service serves is started by its lifespan calling ``start_serving``.
    """

    def start_serving(self) -> None:
        """Start it in the running event loop (once; later calls do nothing)."""
        ...


@runtime_checkable
class CatalogChecked(Protocol):
    """A source whose options name entity types (a cache's ``lists``).

    A factory sees only its own options, not the domain: the composition root, which knows
    the catalog the source is used with, calls ``check_catalog`` right after building it.
    """

    def check_catalog(self, catalog: Catalog) -> None:
        """Refuse options that ``catalog`` contradicts: InvalidInput naming the key."""
        ...


DataSourceFactory = Callable[[Mapping[str, Any]], DataSource]
"""What an entry point names: options of ``[data_source.<name>]`` in, a DataSource out.

Bad options raise ``domain.InvalidInput`` whose ``field`` names the option key.
"""
