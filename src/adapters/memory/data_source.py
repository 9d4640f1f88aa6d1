"""The memory data source: a private in-process store, for tests, demos and as the oracle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.spi import EVERY_FILTER, Capabilities
from domain import InvalidInput


class MemoryDataSource:
    """Implements ``adapters.spi.DataSource``; every instance has its own empty store."""

    name = "memory"
    capabilities = Capabilities(buffered_writes=True, filters=EVERY_FILTER)

    def __init__(self, store: MemoryStore | None = None) -> None:
        self.store = store or MemoryStore()

    def unit_of_work(self) -> MemoryUnitOfWork:
        """Open a unit of work on this source's store."""
        return MemoryUnitOfWork(self.store)

    async def check(self) -> str:
        """Describe the store; it is always reachable."""
        counts = ", ".join(f"{len(rows)} {name}" for name, rows in self.store.tables.items())
        return f"in-process store ({counts or 'empty'})"

    async def aclose(self) -> None:
        """Nothing to release."""


def create_data_source(options: Mapping[str, Any]) -> MemoryDataSource:
    """Entry point of ``memory``: it takes no options."""
    for key in options:
        raise InvalidInput(f"{key}: the memory data source takes no options", field=key)
    return MemoryDataSource()
