"""The in-process tier for hot keys: groupcache's hot replication, bounded by a short TTL.

Every read of an id counts; an id read ``threshold`` times within one ``window`` is hot, and
its entity is then kept in-process for ``ttl`` seconds, so the hottest movie costs no Redis
round trip (the article's "Jonathan Yap" problem). Commits anywhere publish the ids and
versions they wrote (``adapters.cache.invalidation``); each worker then drops its copy and
remembers the version as a floor that a lookup already in flight cannot undercut.

Every ``now`` passed in is a reading of the tier's one ``clock`` (monotonic seconds): entity
reads, page reads and invalidations must count in the same windows.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

_PEAKS_PER_WINDOW = 20
"""Keys per window that ``peaks`` remembers: twice what a report shows."""


@dataclass(frozen=True, slots=True)
class _Held:
    value: Any
    version: int
    until: float


class HotTier:
    """Hit counters per key, and the hot keys' entities until their TTL."""

    def __init__(
        self,
        threshold: int,
        ttl: float,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.ttl = ttl
        self.window = window
        self.clock = clock
        """The one clock of every ``now`` given to this tier (tests inject one)."""
        self._counts: dict[Hashable, int] = {}
        self._window_ends = clock() + window
        self._peaks: dict[Hashable, int] = {}
        """The busiest keys' largest count in one window since the last ``peaks()`` (reports)."""
        self._held: dict[Hashable, _Held] = {}
        self._floors: dict[Hashable, tuple[int, float]] = {}
        """Versions committed lately, until when: no copy older than one is kept."""
        self.on_invalidate: Callable[[str], None] = lambda plural: None
        """Told the type of every invalidation (the hot pages of that type are dropped)."""
        self.on_clear: Callable[[], None] = lambda: None
        """Told when every copy is dropped (hot pages too)."""

    @property
    def enabled(self) -> bool:
        """Whether any key can become hot (``hot_threshold = 0`` turns the tier off)."""
        return self.threshold > 0

    def get(self, key: Hashable, now: float) -> Any | None:
        """The held entity of ``key`` if it has not expired."""
        held = self._held.get(key)
        if held is None:
            return None
        if held.until < now:
            del self._held[key]
            return None
        return held.value

    def touch(self, key: Hashable, now: float) -> bool:
        """Count one read of ``key``; whether it is hot now."""
        if now > self._window_ends:  # a new window: yesterday's hot keys must earn it again
            self._fold()
            self._counts = {}
            self._window_ends = now + self.window
        count = self._counts[key] = self._counts.get(key, 0) + 1
        return count >= self.threshold

    def hottest(self, n: int = 10) -> list[tuple[Hashable, int]]:
        """The ``n`` most read keys of the current window, with their counts."""
        return sorted(self._counts.items(), key=lambda item: -item[1])[:n]

    def peaks(self, n: int) -> list[tuple[Hashable, int]]:
        """The ``n`` keys read most within one window since the last call, and that count.

        For reports: the busiest second of each interval (the window under way counts too,
        so a report never misses a burst); then it starts over.
        """
        self._fold()
        top = sorted(self._peaks.items(), key=lambda item: -item[1])[:n]
        self._peaks = {}
        return top

    def _fold(self) -> None:
        """Keep the current window's busiest keys in ``_peaks``: a few per window, bounded."""
        for key, count in heapq.nlargest(_PEAKS_PER_WINDOW, self._counts.items(), lambda i: i[1]):
            if count > self._peaks.get(key, 0):
                self._peaks[key] = count

    def drop(self, plural: str) -> int:
        """Drop every copy of one entity type (``(plural, id)`` keys: a purge); how many."""
        keys = [k for k in self._held if isinstance(k, tuple) and k[0] == plural]
        for key in keys:
            del self._held[key]
        self.on_invalidate(plural)  # its hot pages too
        return len(keys)

    def hold(self, key: Hashable, value: Any, version: int, now: float) -> None:
        """Keep ``value`` of a hot key, unless a newer version was committed lately."""
        floor = self._floors.get(key)
        if floor is not None:
            if floor[1] < now:
                del self._floors[key]
            elif version < floor[0]:
                return
        self._held[key] = _Held(value, version, now + self.ttl)

    def invalidate(self, key: Hashable, version: int, now: float) -> None:
        """A commit wrote ``version`` of ``key``: drop the copy, keep the floor for a TTL."""
        self._held.pop(key, None)
        if isinstance(key, tuple):  # (plural, id): every page of the type is outdated too
            self.on_invalidate(key[0])
        old = self._floors.get(key)
        if old is None or old[0] < version:
            # Longer than a copy lives: a lookup that started before the commit may land late.
            self._floors[key] = (version, now + max(10 * self.ttl, 5.0))

    def clear(self) -> None:
        """Drop every copy (invalidations may have been missed); floors and counts stay."""
        self._held.clear()
        self.on_clear()

    def __len__(self) -> int:
        return len(self._held)
