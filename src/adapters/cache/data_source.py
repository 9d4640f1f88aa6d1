"""The cache data source: any other source behind Redis, built with ``over = "<source>"``.

Its factory only sees its own options, so it is built unwrapped and the composition root
calls ``wrap`` with the source named by ``over`` (``adapters.spi.WrappingSource``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from redis.exceptions import RedisError

from adapters.cache.flights import Flights
from adapters.cache.hot import HotTier
from adapters.cache.invalidation import Listener, message, purged
from adapters.cache.options import CacheOptions, check_lists, parse_options
from adapters.cache.pages import PageCache
from adapters.cache.redis_tier import Put, RedisTier
from adapters.cache.report import Reporter
from adapters.cache.stats import CacheStats
from adapters.cache.unit_of_work import CacheUnitOfWork
from adapters.spi import Capabilities, DataSource, ServingSource
from domain import Catalog, DataSourceUnavailable


class Purged(NamedTuple):
    """What ``CacheDataSource.purge`` did."""

    entries: int
    """Redis entries deleted."""
    workers: int
    """Workers listening for invalidations that were told to drop their copies."""


class CacheDataSource:
    """A ``DataSource``, ``WrappingSource``, ``ServingSource`` and ``CatalogChecked`` (spi).

    It owns what it wraps.
    """

    name = "cache"

    def __init__(self, options: CacheOptions, clock: Callable[[], float] = time.time) -> None:
        """``clock``: wall-clock seconds, which pages' ages are measured by (tests inject one).

        Only pages use it (their ``fetched_at`` is compared across workers): hot counts, copies
        and floors go by the hot tier's own monotonic clock, ``hot.clock``, for every caller.
        """
        self.options = options
        self.over = options.over
        self.stats = CacheStats()
        self.flights = Flights()
        self.tier = RedisTier(options, self.stats)
        self.hot = HotTier(options.hot_threshold, options.hot_ttl)
        self.tier.on_epoch = self.hot.clear
        self.pages = PageCache(options, self.tier, self.hot, self.stats, clock)
        self.hot.on_invalidate = self.pages.moved
        self.hot.on_clear = self.pages.clear
        self.listener = Listener(options, self.hot, self.tier.channel)
        self.reporter = Reporter(self.tier, self.stats, self.hot, every=options.stats_every)
        """Writes this worker's counters to Redis every few seconds (``hexstudio cache stats``).

        Only once ``start_serving`` is called: a command's or a check's reads report nothing.
        """
        self.capabilities = Capabilities()
        self._inner: DataSource | None = None

    def wrap(self, inner: DataSource) -> None:
        """Put ``inner`` behind the cache; the cache promises what it promises."""
        self._inner = inner
        self.capabilities = inner.capabilities

    def check_catalog(self, catalog: Catalog) -> None:
        """``lists`` names types of ``catalog`` (the domain it serves), none of them personal."""
        check_lists(self.options.lists, catalog)

    @property
    def inner(self) -> DataSource:
        """The wrapped source; RuntimeError before ``wrap``."""
        if self._inner is None:
            raise RuntimeError(f"cache over {self.over!r}: wrap(source) was not called")
        return self._inner

    def unit_of_work(self) -> CacheUnitOfWork:
        """A unit of work of the wrapped source, read through the cache."""
        if self.hot.enabled:
            # Started by the first unit of work: a source is built before its event loop runs.
            self.listener.start()
        return CacheUnitOfWork(self.inner.unit_of_work(), self)

    def start_serving(self) -> None:
        """Report this worker's counters to Redis from now on (a service's lifespan calls it).

        Not a unit of work's side effect: a CLI read, serve's configuration check, a migration
        copy or a shadow worker process would each write a report that counts for 15 s.
        """
        self.reporter.start()
        if isinstance(self._inner, ServingSource):
            self._inner.start_serving()

    async def committed(self, written: Iterable[Put]) -> None:
        """After a commit upstream: replace the entries, then end the flights they outdate."""
        written = list(written)
        now = self.hot.clock()
        for put in written:
            # A lookup that started before the commit may answer the old value: later readers
            # must not join it, nor keep it as a hot copy.
            self.flights.forget((put.plural, put.id))
            self.hot.invalidate((put.plural, put.id), put.version, now)
        # Personal entities are not written, but other workers may hold them hot: announce all.
        announce = [message(p.plural, p.id, p.version) for p in written] if self.hot.enabled else []
        # Every declared type written: its pages' generation moves, in the same round trip.
        moved = [p for p in dict.fromkeys(put.plural for put in written) if p in self.pages.ttls]
        await self.tier.put((p for p in written if not p.personal), announce, moved)
        for plural in moved:
            # Again after the bump: a page read from Redis in between was of the old generation.
            self.pages.moved(plural)
        self.stats.writes += len(written)
        for put in written:
            self.stats.of(put.plural).writes += 1

    async def purge(self, plural: str) -> Purged:
        """Delete every Redis entry of ``plural`` and tell every worker to drop its copies.

        DataSourceUnavailable if Redis fails: unlike reads, a purge must not quietly step aside.
        """
        deleted = await self.tier.purge(plural)
        self.hot.drop(plural)
        try:
            told = await self.tier.client.publish(self.tier.channel, purged(plural))
        except (RedisError, OSError) as exc:
            raise DataSourceUnavailable(
                f"cache: {deleted} {plural} entries removed from {self.options.redis_url}, but "
                f"the workers could not be told ({type(exc).__name__}): their in-process copies "
                f"expire within hot_ttl ({self.options.hot_ttl:g} s)"
            ) from exc
        return Purged(deleted, int(told))

    async def check(self) -> str:
        """The wrapped source's line and Redis's; an unreachable Redis is said, not raised."""
        inner = await self.inner.check()
        return f"cache over {self.over} ({await self.tier.ping()}): {inner}"

    async def aclose(self) -> None:
        """Close Redis's connections and the wrapped source (after a last stats report)."""
        await self.reporter.aclose()
        await self.listener.aclose()
        await self.tier.aclose()
        if self._inner is not None:
            await self._inner.aclose()


def create_data_source(options: Mapping[str, Any]) -> CacheDataSource:
    """Entry point of ``cache``: ``over`` names the source to wrap; see docs/cache.md."""
    return CacheDataSource(parse_options(options))
