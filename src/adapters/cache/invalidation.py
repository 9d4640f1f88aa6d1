"""Other workers' in-process tiers, told through Redis pub/sub (LINE's pattern).

A commit publishes ``<plural>|<id>|<version>`` for each id it wrote on ``<prefix>invalidate``;
every cache source listens there and drops its hot copy (a purge publishes ``<plural>|*|0``:
every copy of the type). While the subscription is down, the copies still expire after
``hot_ttl``, and every copy is dropped when it comes back (messages may have been missed in
between).
"""

from __future__ import annotations

import asyncio
import logging
from uuid import UUID

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from adapters.cache.hot import HotTier
from adapters.cache.options import CacheOptions

logger = logging.getLogger(__name__)


def message(plural: str, id: UUID, version: int) -> str:
    """What a commit publishes for one id it wrote."""
    return f"{plural}|{id}|{version}"


EVERY_ID = "*"


def purged(plural: str) -> str:
    """What a purge publishes: every worker drops its copies of the type."""
    return f"{plural}|{EVERY_ID}|0"


class Listener:
    """A background task applying the published invalidations to one hot tier."""

    def __init__(self, options: CacheOptions, hot: HotTier, channel: str) -> None:
        self.options = options
        self.channel = channel
        self.hot = hot
        self.received = 0
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()
        """Set once subscribed (tests wait for it before publishing)."""

    def start(self) -> None:
        """Start listening in the running loop (once; later calls do nothing)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        # A client of its own, without the socket timeout: a quiet channel is not a slow Redis.
        client = aioredis.Redis.from_url(
            self.options.redis_url, socket_connect_timeout=self.options.timeout
        )
        try:
            while True:
                try:
                    async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                        await pubsub.subscribe(self.channel)
                        self.hot.clear()  # what was missed while not subscribed is unknown
                        self.ready.set()
                        # get_message, not the listen() async generator: a generator cancelled
                        # mid-iteration cannot be closed cleanly (a flaky "aclose(): asynchronous
                        # generator is already running" when the source closed mid-read).
                        while True:
                            raw = await pubsub.get_message(
                                ignore_subscribe_messages=True, timeout=1.0
                            )
                            if raw is not None:
                                self._apply(raw["data"])
                except (RedisError, OSError) as exc:
                    self.ready.clear()
                    logger.debug("cache: invalidation channel down (%s); retrying", exc)
                    await asyncio.sleep(self.options.retry_after)
        finally:
            await client.aclose()

    def _apply(self, data: bytes) -> None:
        try:
            plural, id, version = data.decode().split("|")
            if id == EVERY_ID:
                self.hot.drop(plural)
            else:
                self.hot.invalidate((plural, UUID(id)), int(version), self.hot.clock())
        except ValueError:
            logger.warning("cache: ignored a malformed invalidation %r", data[:80])
            return
        self.received += 1

    async def aclose(self) -> None:
        """Stop listening."""
        if self._task is not None:
            self._task.cancel()
            # Bounded: closing must not hang on a pub/sub connection that does not answer.
            await asyncio.wait({self._task}, timeout=self.options.timeout + 1)
