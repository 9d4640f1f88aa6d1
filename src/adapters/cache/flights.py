"""Singleflight: concurrent reads of one id share one lookup (Redis, then the source).

groupcache's idea within a process: the first reader of a key leads and the others await its
result, so a thousand concurrent misses of one hot movie make one upstream read, and a batch
overlapping a batch in flight reads only the ids nobody is reading yet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Any


class Abandoned(Exception):
    """The leader was cancelled: a follower reads for itself instead."""


class Flights:
    """The lookups in flight, by key; a finished lookup leaves the table."""

    def __init__(self) -> None:
        self._table: dict[Hashable, asyncio.Future[Any]] = {}

    def join(self, key: Hashable) -> asyncio.Future[Any] | None:
        """The lookup of ``key`` in flight, if any."""
        return self._table.get(key)

    def lead(self, key: Hashable) -> asyncio.Future[Any]:
        """Start the lookup of ``key``: the caller must ``land`` it."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        # Retrieved here so a failure nobody joined is not logged as never retrieved.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._table[key] = future
        return future

    def land(self, key: Hashable, future: asyncio.Future[Any]) -> None:
        """End the lookup ``future`` of ``key`` (a newer one after ``forget`` stays)."""
        if self._table.get(key) is future:
            del self._table[key]

    def forget(self, key: Hashable) -> None:
        """Let later readers of ``key`` start afresh: a commit changed it after this started."""
        self._table.pop(key, None)
