"""What a cache source counts, per process: ``CacheDataSource.stats``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CacheStats:
    """Counters of one cache source since it was built."""

    hits: int = 0
    """Ids answered from Redis."""
    hot_hits: int = 0
    """Ids answered from the in-process tier of hot keys."""
    misses: int = 0
    """Ids read from the wrapped source."""
    coalesced: int = 0
    """Reads that joined another read of the same id in flight instead of starting one."""
    upstream_reads: int = 0
    """Calls of the wrapped source's ``get`` and ``get_many``."""
    writes: int = 0
    """Entries replaced after a commit through the cache."""
    redis_errors: int = 0
    """Redis calls that failed or timed out (each one made the cache step aside)."""
    skipped: int = 0
    """Redis calls not made because the cache was stepping aside."""
    page_hits: int = 0
    """List pages answered from Redis (types declared in ``lists``)."""
    page_hot_hits: int = 0
    """List pages answered from the in-process tier."""
    page_misses: int = 0
    """List pages of declared types read from the wrapped source."""
    page_coalesced: int = 0
    """Missed pages that joined another reader's upstream read of the same page."""
    kinds: dict[str, KindStats] = field(default_factory=dict)
    """The per-id counters again, per entity type (plural): bounded by the catalog."""

    def of(self, plural: str) -> KindStats:
        """The counters of one entity type, made on its first read or write."""
        found = self.kinds.get(plural)
        if found is None:
            found = self.kinds[plural] = KindStats()
        return found


@dataclass
class KindStats:
    """One entity type's share of ``CacheStats``'s per-id counters."""

    hits: int = 0
    hot_hits: int = 0
    misses: int = 0
    coalesced: int = 0
    writes: int = 0
    """Entries replaced after a commit through the cache (the invalidations it made)."""
