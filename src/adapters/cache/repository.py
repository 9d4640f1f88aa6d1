"""The cache's repository: reads through Redis and singleflight, writes to the wrapped one."""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from uuid import UUID

from adapters.cache.flights import Abandoned
from adapters.cache.pages import page_digest, page_types
from adapters.cache.redis_tier import ENTITY, NOT_FOUND, REMOVED, Put
from domain import Entity, EntityType, NotFound, Page, PageRequest, Query, Repository, UniqueKey
from domain.catalog import Plan
from domain.ports import bulk_add, planned_get, planned_list

if TYPE_CHECKING:
    from adapters.cache.data_source import CacheDataSource

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])

Written = dict[tuple[str, UUID], Put]
"""The entries a unit of work's writes will replace at commit, by (plural, id)."""


def cached_in_redis(kind: EntityType[Any, Any]) -> bool:
    """Whether entities of ``kind`` may go to Redis: never if they hold personal data."""
    return not kind.holds_personal_data


class CacheRepository(Generic[E, Q]):
    """Implements ``domain.ports.Repository`` and ``PlannedReads`` over the wrapped one's.

    A planned read is passed on to the wrapped source (``planned_get`` / ``planned_list``), so
    a source that plans (json_api) fetches the relatives in the same round trip, and the reads
    that follow, missing in Redis, are answered from what it brought back (and fill Redis).
    """

    def __init__(
        self,
        inner: Repository[E, Q],
        kind: EntityType[E, Q],
        cache: CacheDataSource,
        written: Written,
    ) -> None:
        self._inner = inner
        self._kind = kind
        self._cache = cache
        self._written = written

    async def get(self, id: UUID) -> E:
        """The entity from Redis, else from the wrapped source (NotFound is cached briefly)."""
        found = await self._read([id], single=True)
        if id not in found:
            raise NotFound.of(self._kind.label, id)
        return found[id]

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """One MGET, and one upstream ``get_many`` of the ids neither Redis nor a flight has.

        While Redis is known down the batch goes around it (``_around_redis``): per-id
        singleflight costs about a dict operation per id per step, 1.3x a 100-id SQLite read
        (bench/cache_reads.py), and the goal is ~0 over no cache. A single ``get`` of one hot
        id, the herd that hurts a source, is still coalesced.
        """
        cache = self._cache
        unique = _unique(ids)  # once, for both paths
        if cache.tier.stepping_aside:
            return await self._around_redis(unique)
        return await self._read(list(unique), single=False)

    async def _around_redis(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """``get_many`` while Redis is known down: hot ids in-process, the rest in one read.

        No singleflight per id (bench/cache_reads.py: 1.24x a 100-id SQLite read with it, with
        the default hot tier on); the hot tier still counts, answers and keeps its hot ids, so
        an outage does not turn a hot key's herd onto the source.
        """
        cache, plural = self._cache, self._kind.plural
        hot, stats, mine = cache.hot, cache.stats, cache.stats.of(plural)
        found: dict[UUID, E] = {}
        rest: builtins.list[UUID] = []
        heating: builtins.list[UUID] = []
        now = hot.clock()
        if hot.enabled:
            for id in ids:
                key = (plural, id)
                if hot.touch(key, now):
                    held = hot.get(key, now)
                    if held is not None:
                        found[id] = held
                        continue
                    heating.append(id)
                rest.append(id)
            stats.hot_hits += len(found)
            mine.hot_hits += len(found)
        else:
            rest = builtins.list(ids)
        stats.skipped += 1
        stats.misses += len(rest)
        mine.misses += len(rest)
        if rest:
            stats.upstream_reads += 1
            read = await self._inner.get_many(rest)
            found.update(read)
            for id in heating:
                entity = read.get(id)
                if entity is not None:
                    hot.hold((plural, id), entity, entity.version, now)
        return found

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """From the cache if the type's pages are declared safe (``lists``), else passed through."""
        plurals = (self._kind.plural,)
        if not self._pages_cached(plurals):
            return await self._inner.list(query, page)
        digest = page_digest(query, page)
        found: Page[E] = await self._cache.pages.read(
            self._kind, plurals, digest, lambda: self._inner.list(query, page)
        )
        return found

    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        """``get``; on a miss, the wrapped source's planned read, so relatives come along.

        A root found in Redis is not read upstream, plan or not: its relatives are then read
        through the cache one by one (hits once warm; lists still go upstream).
        """
        found = await self._read([id], single=True, plan=plan)
        if id not in found:
            raise NotFound.of(self._kind.label, id)
        return found[id]

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        """Cached like ``list`` when every type the plan names is declared, else passed through.

        A cached planned page holds the roots only: the relatives are then read through the
        cache (entries, and the declared types' pages), and a commit to any of the plan's types
        outdates it, so it is never answered with less than an unplanned read would see. Passed
        through, the plan goes on, so a planning source brings the relatives in the same trip.
        """
        plurals = page_types(self._kind, plan)
        if not self._pages_cached(plurals):
            return await planned_list(self._inner, query, page, plan)
        digest = page_digest(query, page, plan)
        found: Page[E] = await self._cache.pages.read(
            self._kind, plurals, digest, lambda: planned_list(self._inner, query, page, plan)
        )
        return found

    def _pages_cached(self, plurals: tuple[str, ...]) -> bool:
        """Whether a page over ``plurals`` may come from the cache in this unit of work."""
        cache = self._cache
        if self._personal or not cache.pages.declared(plurals):
            return False  # personal pages never reach Redis; undeclared ones are never stale
        if cache.tier.stepping_aside and not cache.hot.enabled:
            return False  # Redis is known down: not even a digest to compute
        # This unit of work's own writes are not committed yet: only the source sees them.
        return not any(plural in plurals for plural, _ in self._written)

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """Passed through: unique-key lookups guard writes, so they read the source."""
        return await self._inner.find_by(key, values)

    async def add(self, entity: E) -> E:
        """Add upstream; its entry is written at commit (over a removal of the same id too)."""
        stored = await self._inner.add(entity)
        self._stage(stored, force=True)
        return stored

    async def add_many(self, entities: Sequence[E]) -> Sequence[E]:
        """``add`` of each: one batch upstream if the wrapped source can (``bulk_add``)."""
        stored = await bulk_add(self._inner, entities)
        for entity in stored:
            self._stage(entity, force=True)
        return stored

    async def update(self, entity: E) -> E:
        """Update upstream; its entry is replaced at commit."""
        stored = await self._inner.update(entity)
        self._stage(stored, force=False)
        return stored

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Remove upstream; its entry becomes a removal (a NotFound) at commit."""
        await self._inner.remove(id, expected_version)
        self._written[(self._kind.plural, id)] = Put(
            self._kind.plural, id, expected_version + 1, REMOVED, personal=self._personal
        )

    def _stage(self, stored: E, *, force: bool) -> None:
        self._written[(self._kind.plural, stored.id)] = Put(
            self._kind.plural,
            stored.id,
            stored.version,
            ENTITY,
            stored.model_dump_json().encode(),
            force=force,
            personal=self._personal,
        )

    @property
    def _personal(self) -> bool:
        return not cached_in_redis(self._kind)

    async def _read(
        self, ids: Sequence[UUID], *, single: bool, plan: Plan[E] | None = None
    ) -> dict[UUID, E]:
        """Lead the lookup of the ids nobody is reading, join the others' flights."""
        flights, stats, plural = self._cache.flights, self._cache.stats, self._kind.plural
        hot = self._cache.hot
        now = hot.clock()
        mine = stats.of(plural)
        joined: dict[UUID, asyncio.Future[Any]] = {}
        led: builtins.list[UUID] = []
        result: dict[UUID, E] = {}
        heating: list[UUID] = []
        for id in ids:
            if hot.enabled and hot.touch((plural, id), now):
                held = hot.get((plural, id), now)
                if held is not None:
                    result[id] = held
                    stats.hot_hits += 1
                    mine.hot_hits += 1
                    continue
                heating.append(id)
            future = flights.join((plural, id))
            if future is not None:
                joined[id] = future
            else:
                led.append(id)
        stats.coalesced += len(joined)
        mine.coalesced += len(joined)
        if led:
            keys = [(plural, id) for id in led]
            batch = flights.lead(keys)
            try:
                values = await self._lookup(led, single=single, plan=plan)
            except Exception as exc:
                batch.set_exception(exc)
                batch.exception()  # retrieved: not logged when nobody joined
                raise
            except BaseException:
                batch.set_exception(Abandoned())
                batch.exception()
                raise
            finally:
                flights.land(keys, batch)
            batch.set_result(values)
            for id in led:
                found = values[id]
                if found is not None:
                    result[id] = found
        for id, future in joined.items():
            try:
                value = (await asyncio.shield(future))[id]
            except Abandoned:
                value = (await self._lookup([id], single=single))[id]
            if value is not None:
                result[id] = value
        for id in heating:
            found = result.get(id)
            if found is not None:
                hot.hold((plural, id), found, found.version, now)
        return result

    async def _lookup(
        self, ids: builtins.list[UUID], *, single: bool, plan: Plan[E] | None = None
    ) -> dict[UUID, E | None]:
        """Redis first (one MGET), then one upstream read of the misses, then fill Redis.

        With ``plan``, a single miss is read with the plan: the fill is the same versioned fill
        as a plain read's, so a planned read can no more put back an outdated value.
        """
        tier, stats, kind = self._cache.tier, self._cache.stats, self._kind
        in_redis = cached_in_redis(kind)
        entries = await tier.get_many(kind.plural, ids) if in_redis else {}
        values: dict[UUID, E | None] = {}
        missing: builtins.list[UUID] = []
        for id in ids:
            entry = entries.get(id)
            if entry is None:
                missing.append(id)
            elif entry.kind == ENTITY:
                values[id] = kind.model.model_validate_json(entry.payload)
            else:
                values[id] = None  # a cached NotFound or removal
        mine = stats.of(kind.plural)
        stats.hits += len(ids) - len(missing)
        mine.hits += len(ids) - len(missing)
        if not missing:
            return values
        stats.misses += len(missing)
        mine.misses += len(missing)
        stats.upstream_reads += 1
        fetched: Mapping[UUID, E]
        if single and len(missing) == 1:
            try:
                one = missing[0]
                got = await (
                    self._inner.get(one) if plan is None else planned_get(self._inner, one, plan)
                )
                fetched = {one: got}
            except NotFound:
                fetched = {}
        else:
            fetched = await self._inner.get_many(missing)
        for id in missing:
            values[id] = fetched.get(id)
        # Serializing is most of a fill's cost: none while Redis is skipped anyway.
        if in_redis and not tier.stepping_aside:
            await tier.put(_fill(kind.plural, id, values[id]) for id in missing)
        return values


def _unique(ids: Collection[UUID]) -> Collection[UUID]:
    """``ids`` without repeats: as given when it has none, the usual case, checked cheaply.

    A set of the ids' ints costs a third of ``dict.fromkeys(ids)`` (UUID's ``__hash__`` is
    Python code; an int's is not): 2 µs for 100 ids, which is a hot path's budget.
    """
    if isinstance(ids, AbstractSet) or len({id.int for id in ids}) == len(ids):
        return ids
    return list(dict.fromkeys(ids))


def _fill(plural: str, id: UUID, found: Entity | None) -> Put:
    """The entry a read that missed puts in Redis: the entity, or a NotFound."""
    if found is None:
        return Put(plural, id, 0, NOT_FOUND)
    return Put(plural, id, found.version, ENTITY, found.model_dump_json().encode())
