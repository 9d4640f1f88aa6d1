"""The Redis tier: versioned entries under one epoch, and stepping aside when Redis fails.

An entry is ``<epoch>|<version>|<kind>|<json>`` under ``<prefix><plural>:<id>``; kind ``e`` is
an entity, ``n`` a NotFound (version 0) and ``t`` a removal (the removed version + 1). Every
read fetches the epoch key in the same MGET, and an entry of another epoch is a miss: a cache
that comes back after an outage moves the epoch, so nothing written before it (when writes
could not invalidate) is served again. A fill is a Lua script that refuses to replace an entry
of the same epoch holding a version as new or newer: a slow reader cannot put back a value
older than a committed write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from adapters.cache.options import CacheOptions
from adapters.cache.stats import CacheStats
from domain import DataSourceUnavailable

logger = logging.getLogger(__name__)

ENTITY, NOT_FOUND, REMOVED = b"e", b"n", b"t"

_FILL = """
local epoch = redis.call('GET', KEYS[1]) or '0'
local old = redis.call('GET', KEYS[2])
if old and ARGV[3] ~= 'force' then
  local e, v = string.match(old, '^(%d+)|(%d+)|')
  if e == epoch and tonumber(v) >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[2], epoch .. '|' .. ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
return 1
"""
# ARGV: version, "<kind>|<json>", mode ("fill": only newer; "force": an add after a removal),
# time to live in ms. Reading the epoch inside the script keeps a fill in the epoch it checks.

# What counts as Redis being down or slow: refused, reset, timed out, or any client error.
_FAILURES = (RedisError, OSError, TimeoutError)


@dataclass(frozen=True, slots=True)
class Entry:
    """One decoded entry: its version, kind and JSON (empty unless an entity)."""

    version: int
    kind: bytes
    payload: bytes


@dataclass(frozen=True, slots=True)
class Put:
    """An entry to write: ``payload`` is an entity's JSON, empty for NotFound or removed."""

    plural: str
    id: UUID
    version: int
    kind: bytes
    payload: bytes = b""
    force: bool = False
    personal: bool = False
    """Personal data: never written to Redis (its flights are still ended after a commit)."""


class RedisTier:
    """Entries in Redis, or nothing while Redis is down (counted, warned once per outage)."""

    def __init__(self, options: CacheOptions, stats: CacheStats) -> None:
        self.options = options
        self.stats = stats
        self.client = aioredis.Redis.from_url(
            options.redis_url,
            socket_timeout=options.timeout,
            socket_connect_timeout=options.timeout,
        )
        self._fill = self.client.register_script(_FILL)
        self.epoch_key = f"{options.prefix}epoch"
        self.channel = f"{options.prefix}invalidate"
        self._down_until: float | None = None
        """While set, Redis is skipped until this monotonic time, then tried again."""
        self._stale = False
        """An error may have left entries a write could not replace: move the epoch first."""
        self.on_epoch: Callable[[], None] = lambda: None
        """Called when the epoch moved (the hot tier drops its copies then too)."""
        self.monotonic: Callable[[], float] = time.monotonic
        """The clock ``retry_after`` is measured by (tests replace it)."""

    def key(self, plural: str, id: UUID) -> str:
        """The Redis key of one entity."""
        return f"{self.options.prefix}{plural}:{id}"

    def page_key(self, plural: str, digest: str) -> str:
        """The Redis key of one cached page (under its type's: purged with its entries)."""
        return f"{self.options.prefix}{plural}:page:{digest}"

    def generation_key(self, plural: str) -> str:
        """The key of ``plural``'s generation, moved by every commit that writes the type.

        No ``:`` after the prefix: a purge or census of the type's entries leaves it alone.
        """
        return f"{self.options.prefix}generation.{plural}"

    @property
    def stepping_aside(self) -> bool:
        """Whether Redis is being skipped after an error (callers then skip building writes)."""
        return self._down_until is not None and self.monotonic() < self._down_until

    async def _usable(self) -> bool:
        """Whether to use Redis now; after an outage, first move the epoch.

        Once ``retry_after`` has run, one caller probes (the epoch's INCR) and every other
        caller keeps stepping aside until it answers: one attempt per ``retry_after`` for the
        source, however many reads arrive meanwhile.
        """
        if self._down_until is not None:
            now = self.monotonic()
            if now < self._down_until:
                self.stats.skipped += 1
                return False
            self._down_until = now + self.options.retry_after  # the others wait for the probe
        if self._stale:
            try:
                await self.client.incr(self.epoch_key)
            except _FAILURES as exc:
                self._failed(exc)
                return False
            self._stale = False
            self._down_until = None
            self.on_epoch()
            logger.info("cache: Redis is back; epoch moved, earlier entries are dropped")
        return True

    def _failed(self, exc: BaseException) -> None:
        self.stats.redis_errors += 1
        if not self._stale:  # one warning per outage, not one per request
            logger.warning(
                "cache: Redis at %s failed (%s: %s); reads go to the wrapped source, "
                "trying Redis again in %g s",
                self.options.redis_url,
                type(exc).__name__,
                exc,
                self.options.retry_after,
            )
        self._stale = True
        self._down_until = self.monotonic() + self.options.retry_after

    async def get_many(self, plural: str, ids: Sequence[UUID]) -> dict[UUID, Entry]:
        """The current-epoch entries among ``ids``, in one MGET (none while Redis is down)."""
        if not ids or not await self._usable():
            return {}
        try:
            raw = await self.client.mget([self.epoch_key, *(self.key(plural, i) for i in ids)])
        except _FAILURES as exc:
            self._failed(exc)
            return {}
        epoch = raw[0] or b"0"
        found: dict[UUID, Entry] = {}
        for id, value in zip(ids, raw[1:], strict=True):
            if value is None:
                continue
            # The client is built without decode_responses: values are bytes.
            assert isinstance(value, bytes)
            entry_epoch, version, kind, payload = value.split(b"|", 3)
            if entry_epoch == epoch:
                found[id] = Entry(int(version), kind, payload)
        return found

    async def get_page(self, plurals: Sequence[str], key: str) -> tuple[bytes, bytes | None] | None:
        """The label now (``<epoch>|<generation>,...``) and the entry under ``key``, one MGET.

        None while Redis is skipped or failing: the page is then neither served nor stored.
        """
        if not await self._usable():
            return None
        try:
            raw = await self.client.mget(
                [self.epoch_key, *(self.generation_key(p) for p in plurals), key]
            )
        except _FAILURES as exc:
            self._failed(exc)
            return None
        # The client is built without decode_responses: values are bytes.
        values = cast(list[bytes | None], raw)
        label = b"%s|%s" % (values[0] or b"0", b",".join(g or b"0" for g in values[1:-1]))
        return label, values[-1]

    async def put_page(self, key: str, value: bytes, ttl: float) -> None:
        """Store one page for ``ttl`` seconds (its label decides whether it is ever served)."""
        if not await self._usable():
            return
        try:
            await self.client.set(key, value, px=max(1, int(ttl * 1000)))
        except _FAILURES as exc:
            self._failed(exc)

    async def put(
        self, puts: Iterable[Put], announce: Sequence[str] = (), moved: Sequence[str] = ()
    ) -> None:
        """Write entries in one pipeline, each refused if Redis holds a newer version.

        ``announce``: invalidations to publish in the same round trip (commits send them);
        ``moved``: the types whose generation to increment first (their pages are outdated).
        """
        puts = list(puts)
        if not (puts or announce or moved) or not await self._usable():
            return
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                for plural in moved:
                    await pipe.incr(self.generation_key(plural))
                for put in puts:
                    ttl = self.options.ttl if put.kind != NOT_FOUND else self.options.not_found_ttl
                    args: list[Any] = [
                        put.version,
                        put.kind + b"|" + put.payload,
                        "force" if put.force else "fill",
                        int(ttl * 1000),
                    ]
                    await self._fill(
                        keys=[self.epoch_key, self.key(put.plural, put.id)], args=args, client=pipe
                    )
                for text in announce:
                    await pipe.publish(self.channel, text)
                await pipe.execute()
        except _FAILURES as exc:
            self._failed(exc)

    async def purge(self, plural: str) -> int:
        """Delete every entry of ``plural``; how many there were.

        Unlike reads and writes, a purge must not quietly step aside: DataSourceUnavailable.
        """
        deleted = 0
        try:
            async for key in self.client.scan_iter(match=f"{self.options.prefix}{plural}:*"):
                deleted += await self.client.delete(key)
        except _FAILURES as exc:
            raise DataSourceUnavailable(
                f"cache: Redis at {self.options.redis_url} failed ({type(exc).__name__}); "
                f"{deleted} {plural} entries removed before"
            ) from exc
        return deleted

    async def census(self) -> tuple[int, dict[str, int]]:
        """The epoch and the number of entries per entity type (a SCAN: for commands only)."""
        try:
            epoch = int(await self.client.get(self.epoch_key) or 0)
            counts: dict[str, int] = {}
            async for key in self.client.scan_iter(match=f"{self.options.prefix}*:*"):
                plural = key.decode().removeprefix(self.options.prefix).split(":")[0]
                counts[plural] = counts.get(plural, 0) + 1
        except _FAILURES as exc:
            raise DataSourceUnavailable(
                f"cache: Redis at {self.options.redis_url} failed ({type(exc).__name__})"
            ) from exc
        return epoch, counts

    async def ping(self) -> str:
        """One line about Redis for ``check``; an outage is described, not raised."""
        try:
            await self.client.ping()
        except _FAILURES as exc:
            self._failed(exc)
            return f"Redis at {self.options.redis_url} unreachable ({type(exc).__name__})"
        return f"Redis at {self.options.redis_url}"

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self.client.aclose()
