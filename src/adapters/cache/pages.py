"""List pages declared safe to cache (``lists = { shoot_days = 5 }``), never past ``max_staleness``.

A page is keyed by its entity type, a canonical encoding of the query, the page request and,
for a planned read, the plan's paths. Each entity type it depends on (the root; for a planned
page every type the plan names too) has a generation number in Redis that a commit through the
cache increments, in the pipeline that replaces its entries. A page is stored with the epoch and
the generations read *before* its upstream read, and every lookup reads them again in the same
MGET: a page older than a commit to one of its types no longer matches and is a miss. A hot page
is kept in-process too, dropped by the pub/sub invalidations of its types (and by any local
commit); every copy, in Redis or in-process, is refused once it is ``max_staleness`` old.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_jsonable_python

from adapters.cache.flights import Abandoned, Flights
from adapters.cache.hot import HotTier
from adapters.cache.options import CacheOptions
from adapters.cache.redis_tier import RedisTier
from adapters.cache.stats import CacheStats
from domain import Entity, EntityType, Page, PageRequest, Query
from domain.catalog import Plan


def page_types(kind: EntityType[Any, Any], plan: Plan[Any] | None) -> tuple[str, ...]:
    """The plurals a page of ``kind`` depends on: its own, and every type ``plan`` names."""
    plurals = [kind.plural]
    if plan is not None:
        plurals += (hop.target.plural for path in plan.hops for hop in path)
    return tuple(dict.fromkeys(plurals))


def canonical(value: Any) -> Any:
    """``value`` as plain JSON that does not depend on set order (a filter's ``frozenset``)."""
    if isinstance(value, set | frozenset):
        items = [canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    return to_jsonable_python(value)


def page_digest(query: Query[Any], page: PageRequest, plan: Plan[Any] | None = None) -> str:
    """A stable name of one page request: the same query and page give the same digest."""
    described = {
        "query": f"{type(query).__module__}.{type(query).__qualname__}",
        "filters": {spec.name: canonical(value) for spec, value in query.active()},
        "size": page.size,
        "cursor": page.cursor,
        "plan": [list(path) for path in plan.paths] if plan is not None else None,
    }
    text = json.dumps(described, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(slots=True)
class _Held:
    page: Page[Any]
    plurals: tuple[str, ...]
    until: float
    """Clock time it is dropped at: within hot_ttl, and max_staleness of its fetch."""


HELD_PAGES = 1000
"""The most hot pages one worker keeps in-process: the least recently used makes room."""

_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _items_adapter(model: type[Entity]) -> TypeAdapter[Any]:
    found = _ADAPTERS.get(model)
    if found is None:
        found = _ADAPTERS[model] = TypeAdapter(tuple[model, ...])  # type: ignore[valid-type]
    return found


class PageCache:
    """The declared types' pages: in Redis under generations, hot ones in-process."""

    def __init__(
        self,
        options: CacheOptions,
        tier: RedisTier,
        hot: HotTier,
        stats: CacheStats,
        clock: Callable[[], float],
    ) -> None:
        self.ttls = options.lists
        self.max_staleness = options.max_staleness or 0.0
        self.hot_ttl = options.hot_ttl
        self.tier = tier
        self.hot = hot
        self.stats = stats
        self.clock = clock
        self._held: dict[str, _Held] = {}
        """Hot pages by key, least recently used first (at most ``max_held``)."""
        self.max_held = HELD_PAGES
        self._sweep_at = 0.0
        """Clock time after which the next page held first drops every expired one."""
        self.flights = Flights()
        """Upstream reads of missed pages in flight, by key and the label they were read under;
        each one's result is the page and its fetch time."""
        self._moves: dict[str, int] = {}
        """Per type, how many commits this process saw (its own, and published ones)."""

    def declared(self, plurals: Iterable[str]) -> bool:
        """Whether every type in ``plurals`` is declared safe to cache its pages."""
        return all(plural in self.ttls for plural in plurals)

    def moved(self, plural: str) -> None:
        """A commit wrote ``plural`` (here or in another worker): drop its hot pages."""
        self._moves[plural] = self._moves.get(plural, 0) + 1
        for key in [k for k, held in self._held.items() if plural in held.plurals]:
            del self._held[key]

    def clear(self) -> None:
        """Drop every hot page (invalidations may have been missed)."""
        self._held.clear()

    async def read(
        self,
        kind: EntityType[Any, Any],
        plurals: tuple[str, ...],
        digest: str,
        fetch: Callable[[], Awaitable[Page[Any]]],
    ) -> Page[Any]:
        """The page from the hot tier or Redis if fresh enough, else ``fetch``'s, stored."""
        now = self.clock()  # wall-clock: pages' ages are compared across workers
        key = self.tier.page_key(kind.plural, digest)
        # The hot tier counts by its own clock, the one entity reads count by.
        heating = self.hot.enabled and self.hot.touch(key, self.hot.clock())
        if heating:
            held = self._held.get(key)
            if held is not None:
                if now <= held.until:
                    self.stats.page_hot_hits += 1
                    self._held[key] = self._held.pop(key)  # now the most recently used
                    return held.page
                del self._held[key]
        moves = self._snapshot(plurals)
        # Each type's TTL bounds a page; max_staleness >= every TTL (checked with the options).
        ttl = min(self.ttls[p] for p in plurals)
        looked = await self.tier.get_page(plurals, key)
        page: Page[Any] | None = None
        fetched_at = now
        if looked is not None:
            label, raw = looked
            if raw is not None:
                page, fetched_at = self._decode(kind, label, raw, now, ttl)
        if page is not None:
            self.stats.page_hits += 1
        elif looked is None:  # Redis skipped: nothing to store, no label to share a read by
            self.stats.page_misses += 1
            page = await fetch()
        else:
            # A joined read's page is as old as its leader's: its age counts from then.
            page, fetched_at = await self._fetch_once(key, looked[0], ttl, fetched_at, fetch)
        if heating and moves == self._snapshot(plurals):
            # No commit to its types was seen while it was read: a copy cannot undercut one.
            until = min(now + self.hot_ttl, fetched_at + self.max_staleness)
            self._hold(key, _Held(page, plurals, until), now)
        return page

    def _hold(self, key: str, held: _Held, now: float) -> None:
        """Keep ``held``; at most ``max_held`` pages, and none long past its expiry.

        A page that is not read again would stay until evicted: once per ``hot_ttl`` an
        addition sweeps the expired ones, and a full table drops its least recently used.
        """
        table = self._held
        table.pop(key, None)
        if now >= self._sweep_at:
            self._sweep_at = now + self.hot_ttl
            for old in [k for k, h in table.items() if h.until < now]:
                del table[old]
        while table and len(table) >= self.max_held:
            del table[next(iter(table))]
        table[key] = held

    async def _fetch_once(
        self,
        key: str,
        label: bytes,
        ttl: float,
        fetched_at: float,
        fetch: Callable[[], Awaitable[Page[Any]]],
    ) -> tuple[Page[Any], float]:
        """Read a missed page upstream and store it; concurrent misses share the one read.

        Only a reader that saw the same label joins: no generation moved between the leader's
        MGET and its own, so every commit that finished before it looked is in the leader's
        upstream read, which came after the leader's MGET.
        """
        flight = (key, label)  # the singleflight of entity reads, keyed by page and label
        future = self.flights.join(flight)
        if future is not None:
            self.stats.page_coalesced += 1
            try:
                found: tuple[Page[Any], float] = await asyncio.shield(future)
            except Abandoned:
                pass  # the leader was cancelled: read for itself below
            else:
                return found
        self.stats.page_misses += 1
        future = self.flights.lead((flight,))
        try:
            page = await fetch()
            if not self.tier.stepping_aside:
                await self.tier.put_page(key, self._encode(label, fetched_at, page), ttl)
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: not logged when nobody joined
            raise
        except BaseException:
            future.set_exception(Abandoned())
            future.exception()
            raise
        finally:
            self.flights.land((flight,), future)
        future.set_result((page, fetched_at))
        return page, fetched_at

    def _snapshot(self, plurals: Sequence[str]) -> tuple[int, ...]:
        return tuple(self._moves.get(p, 0) for p in plurals)

    @staticmethod
    def _encode(label: bytes, fetched_at: float, page: Page[Any]) -> bytes:
        """``<label>|<fetched at>|<next cursor>|[<item>,...]``: the label read before ``fetch``."""
        items = b",".join(item.model_dump_json().encode() for item in page.items)
        cursor = (page.next_cursor or "").encode()
        return b"%s|%r|%s|[%s]" % (label, fetched_at, cursor, items)

    def _decode(
        self, kind: EntityType[Any, Any], label: bytes, raw: bytes, now: float, ttl: float
    ) -> tuple[Page[Any] | None, float]:
        """The page in ``raw`` if it carries ``label`` and is younger than ``ttl``."""
        if not raw.startswith(label + b"|"):
            return None, now  # another epoch or generation: a commit came after it
        fetched, cursor, items = raw[len(label) + 1 :].split(b"|", 2)
        fetched_at = float(fetched)
        if now - fetched_at > ttl:
            return None, now
        values = _items_adapter(kind.model).validate_json(items)
        return Page(items=values, next_cursor=cursor.decode() or None), fetched_at
