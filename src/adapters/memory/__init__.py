"""The memory data source: the reference semantics every other data source must match."""

from adapters.memory.data_source import MemoryDataSource, create_data_source
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork

__all__ = ["MemoryDataSource", "MemoryStore", "MemoryUnitOfWork", "create_data_source"]
