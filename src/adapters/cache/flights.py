"""Singleflight: concurrent reads of one id share one lookup (Redis, then the source).

groupcache's idea within a process: the first reader of a key leads and the others await its
result, so a thousand concurrent misses of one hot movie make one upstream read, and a batch
overlapping a batch in flight reads only the ids nobody is reading yet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable
from typing import Any


class Abandoned(Exception):
    """The leader was cancelled: a follower reads for itself instead."""


class Flights:
    """The lookups in flight, by key; a finished lookup leaves the table."""

    def __init__(self) -> None:
        self._table: dict[Hashable, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        """How many keys have a lookup in flight."""
        return len(self._table)

    def join(self, key: Hashable) -> asyncio.Future[Any] | None:
        """The lookup of ``key`` in flight, if any."""
        return self._table.get(key)

    def lead(self, keys: Iterable[Hashable]) -> asyncio.Future[Any]:
        """Start one lookup of all ``keys`` (one future: a batch costs one, not one per id).

        The caller must ``land`` it; its result maps each key's id to what was found.
        """
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        for key in keys:
            self._table[key] = future
        return future

    def land(self, keys: Iterable[Hashable], future: asyncio.Future[Any]) -> None:
        """End the lookup ``future`` of ``keys`` (a newer one after ``forget`` stays)."""
        table = self._table
        for key in keys:
            if table.get(key) is future:
                del table[key]

    def forget(self, key: Hashable) -> None:
        """Let later readers of ``key`` start afresh: a commit changed it after this started."""
        self._table.pop(key, None)
