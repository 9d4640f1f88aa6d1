"""The cache data source: Redis in front of any other source (docs/cache.md)."""

from adapters.cache.data_source import CacheDataSource, create_data_source
from adapters.cache.options import CacheOptions, parse_options
from adapters.cache.stats import CacheStats

__all__ = ["CacheDataSource", "CacheOptions", "CacheStats", "create_data_source", "parse_options"]
