"""Each worker's counters in Redis, so that ``hexstudio cache stats`` sums a fleet's.

Every ``stats_every`` seconds (5) a worker that serves writes one key, ``<prefix>worker.<id>``: its
``CacheStats`` since it started, its hottest keys since the last report (reads in their
busiest second, ``HotTier.peaks``) and when it wrote them, as JSON, with a time to live of
three intervals, so a worker that stopped ages out. One SET per interval (and a last one when
the source closes), never one per read. The key has no ``:`` after the prefix: a census or a
purge of entries leaves it alone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from redis.exceptions import RedisError

from adapters.cache.hot import HotTier
from adapters.cache.redis_tier import RedisTier
from adapters.cache.stats import CacheStats
from domain import DataSourceUnavailable

logger = logging.getLogger(__name__)

REPORT_EVERY = 5.0
"""Seconds between two reports of one worker, unless ``stats_every`` says otherwise."""
HOTTEST = 10
"""How many hot keys a worker reports."""
_FAILURES = (RedisError, OSError, TimeoutError)


def worker_id() -> str:
    """A source's name in reports: host, process and a random part.

    The random part makes two sources in one process two workers.
    """
    return f"{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:6]}"


@dataclass
class Report:
    """What one worker wrote: its counters and hot keys, and when."""

    worker: str
    at: float
    """When it was written (wall-clock seconds, ``time.time()``)."""
    counters: dict[str, int] = field(default_factory=dict)
    """``CacheStats``'s totals since the worker started (``hits``, ``misses``...)."""
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)
    """The per-id counters per entity type (``KindStats``), by plural."""
    hot: dict[str, int] = field(default_factory=dict)
    """Its hottest keys (``movies:<id>``) since its last report: reads in their busiest
    second."""

    @property
    def hit_rate(self) -> float | None:
        """Ids answered by the cache (Redis or in-process) over ids read; None if none."""
        return hit_rate(self.counters)


def hit_rate(counters: dict[str, int]) -> float | None:
    """``(hits + hot_hits) / (hits + hot_hits + misses)``, None when nothing was read."""
    answered = counters.get("hits", 0) + counters.get("hot_hits", 0)
    read = answered + counters.get("misses", 0)
    return answered / read if read else None


def snapshot(worker: str, stats: CacheStats, hot: HotTier, prefix: str, now: float) -> Report:
    """The report of one worker now."""
    counters = {k: v for k, v in asdict(stats).items() if isinstance(v, int)}
    kinds = {plural: asdict(kind) for plural, kind in stats.kinds.items()}
    busiest = hot.peaks(HOTTEST) if hot.enabled else []
    return Report(worker, now, counters, kinds, {_name(k, prefix): n for k, n in busiest})


def _name(key: Hashable, prefix: str) -> str:
    """A hot key as a reader knows it: ``movies:<id>`` (a page's key without the prefix)."""
    if isinstance(key, tuple):
        return ":".join(str(part) for part in key)
    return str(key).removeprefix(prefix)


class Reporter:
    """Writes one worker's report every ``every`` seconds while its source serves."""

    def __init__(
        self,
        tier: RedisTier,
        stats: CacheStats,
        hot: HotTier,
        every: float = REPORT_EVERY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.tier = tier
        self.stats = stats
        self.hot = hot
        self.every = every
        self.clock = clock
        self.worker = worker_id()
        self.key = f"{tier.options.prefix}worker.{self.worker}"
        self.flushed = 0
        """Reports written (tests wait on it)."""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start reporting in the running loop (once; later calls do nothing)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            await self.flush()

    async def flush(self) -> bool:
        """Write the report now; False if Redis is skipped or failed (the next one retries)."""
        if self.tier.stepping_aside:
            return False  # the tier counts and warns about outages; a report adds nothing
        report = snapshot(self.worker, self.stats, self.hot, self.tier.options.prefix, self.clock())
        ttl = int(self.every * 3 * 1000)
        try:
            await self.tier.client.set(self.key, json.dumps(asdict(report)), px=ttl)
        except _FAILURES as exc:
            logger.debug("cache: stats report of %s not written (%s)", self.worker, exc)
            return False
        self.flushed += 1
        return True

    async def aclose(self) -> None:
        """Stop; a worker that reported writes its last figures first."""
        if self._task is None:
            return
        self._task.cancel()
        await asyncio.wait({self._task}, timeout=self.tier.options.timeout + 1)
        self._task = None
        await self.flush()


async def reports(tier: RedisTier) -> list[Report]:
    """Every live worker's last report under the tier's prefix (a SCAN: for commands only)."""
    try:
        keys = [k async for k in tier.client.scan_iter(match=f"{tier.options.prefix}worker.*")]
        raw = await tier.client.mget(keys) if keys else []
    except _FAILURES as exc:
        raise DataSourceUnavailable(
            f"cache: Redis at {tier.options.redis_url} failed ({type(exc).__name__})"
        ) from exc
    found = []
    for value in raw:
        if value is None:  # expired between the SCAN and the MGET
            continue
        try:
            found.append(Report(**json.loads(value)))
        except (ValueError, TypeError):
            logger.warning("cache: ignored a malformed stats report %r", value[:80])
    return sorted(found, key=lambda r: r.worker)


@dataclass
class Fleet:
    """Reports summed: counters, per-type counters and hot keys' reads over the workers."""

    workers: int
    newest: float | None
    """Seconds since the freshest report (None when no worker reported)."""
    oldest: float | None
    counters: dict[str, int]
    kinds: dict[str, dict[str, int]]
    hot: list[tuple[str, int]]
    """The hottest keys, their reads in the busiest second summed over the workers, most
    read first."""

    @property
    def hit_rate(self) -> float | None:
        """The fleet's ``hit_rate``."""
        return hit_rate(self.counters)


def summed(found: Sequence[Report], now: float, hottest: int = HOTTEST) -> Fleet:
    """The fleet's figures: every report's counters added up, ages measured from ``now``."""
    counters: dict[str, int] = {}
    kinds: dict[str, dict[str, int]] = {}
    hot: dict[str, int] = {}
    for report in found:
        _add(counters, report.counters)
        for plural, figures in report.kinds.items():
            _add(kinds.setdefault(plural, {}), figures)
        _add(hot, report.hot)
    ages = [max(0.0, now - r.at) for r in found]
    return Fleet(
        workers=len(found),
        newest=min(ages, default=None),
        oldest=max(ages, default=None),
        counters=counters,
        kinds=dict(sorted(kinds.items())),
        hot=sorted(hot.items(), key=lambda item: (-item[1], item[0]))[:hottest],
    )


def _add(total: dict[str, int], more: dict[str, Any]) -> None:
    for name, value in more.items():
        if isinstance(value, int):
            total[name] = total.get(name, 0) + value
