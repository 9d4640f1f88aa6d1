"""A private key prefix on the test Redis, or a skip saying how to get one.

The URL comes from HEXSTUDIO_TEST_REDIS_URL (default the local server, redis://127.0.0.1:6379/0).
A test that cannot reach it skips, naming the URL; where HEXSTUDIO_TEST_REQUIRE_SERVERS is set
(CI), tests/conftest.py turns that skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import redis.asyncio as aioredis
from redis.exceptions import RedisError

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """The test server's URL."""
    return os.environ.get("HEXSTUDIO_TEST_REDIS_URL", DEFAULT_URL)


@asynccontextmanager
async def prefix_or_reason(label: str = "test") -> AsyncIterator[tuple[str | None, str]]:
    """A prefix no other test (or xdist worker) uses, its keys deleted afterwards; or None and
    the reason no Redis answers (the caller skips, fails or runs without it)."""
    url = redis_url()
    client = aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        try:
            await client.ping()
        except (RedisError, OSError) as exc:
            yield None, f"no Redis answers at {url} ({exc}); set HEXSTUDIO_TEST_REDIS_URL"
            return
        prefix = f"hexstudio:{label}:{uuid.uuid4().hex[:12]}:"
        try:
            yield prefix, ""
        finally:
            keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
            if keys:
                await client.delete(*keys)
    finally:
        await client.aclose()


@asynccontextmanager
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of the test's own (``prefix_or_reason``), or a skip naming the URL."""
    async with prefix_or_reason() as (prefix, reason):
        if prefix is None:
            pytest.skip(reason)
        yield prefix


async def keys_under(prefix: str) -> list[str]:
    """The keys that start with ``prefix`` (decoded)."""
    client = aioredis.Redis.from_url(redis_url(), decode_responses=True)
    try:
        return [key async for key in client.scan_iter(match=f"{prefix}*")]
    finally:
        await client.aclose()
