"""What the migration decorators keep between requests: breakers, comparisons, shadow work.

Everything here is bounded: counters per repository, the last ``KEPT`` differences, at most
``MAX_SHADOWS`` shadow reads in flight (more are shed and counted), so a busy service never
grows memory because a shadow is slow or wrong.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from app.migration.breaker import Breaker

KEPT = 50
"""How many of the latest differences are kept, across repositories."""
MAX_SHADOWS = 64
"""Shadow reads in flight at most; a read over the bound is not shadowed (and counted)."""


@dataclass
class Counts:
    """One repository's shadow and fallback figures."""

    comparisons: int = 0
    mismatches: int = 0
    noise_comparisons: int = 0
    noise_mismatches: int = 0
    shadow_failures: int = 0
    """Shadow reads that timed out or failed in a way no primary answer explains."""
    shed: int = 0
    fallbacks: int = 0

    @property
    def mismatch_rate(self) -> float:
        """Mismatches per comparison (0 before any)."""
        return self.mismatches / self.comparisons if self.comparisons else 0.0

    @property
    def noise_rate(self) -> float:
        """How often the primary disagrees with itself: the floor of the mismatch rate."""
        return self.noise_mismatches / self.noise_comparisons if self.noise_comparisons else 0.0


@dataclass(frozen=True)
class Difference:
    """One mismatch: where, on which read, and the differing field paths."""

    repository: str
    operation: str
    subject: str
    paths: tuple[str, ...]


@dataclass
class MigrationState:
    """The decorators' shared state, one per container."""

    random: random.Random = field(default_factory=random.Random)
    counts: dict[str, Counts] = field(default_factory=dict)
    differences: deque[Difference] = field(default_factory=lambda: deque(maxlen=KEPT))
    breakers: dict[str, Breaker] = field(default_factory=dict)
    max_shadows: int = MAX_SHADOWS
    relays: dict[str, Any] = field(default_factory=dict)
    """Each mirror's ``app.migration.mirror.Relay``, by source name."""
    workers: list[Any] = field(default_factory=list)
    """Shadow workers whose jobs run elsewhere (``app.migration.shadow_worker_process``)."""
    worker_deaths: int = 0
    """Times a shadow worker's process ended without being asked to (each one restarted)."""
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def of(self, repository: str) -> Counts:
        """The counts of ``repository``."""
        return self.counts.setdefault(repository, Counts())

    def breaker(self, source: str) -> Breaker:
        """The breaker of ``source``."""
        return self.breakers.setdefault(source, Breaker())

    def spawn(self, repository: str, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` off the caller's path, or shed it when too much is in flight."""
        if len(self._tasks) >= self.max_shadows:
            work.close()
            self.of(repository).shed += 1
            return
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)  # a reference, or the loop may collect the task mid-flight
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the shadow reads (here or in a worker) and mirror runs in flight."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        for worker in self.workers:
            await worker.drain()
        for relay in self.relays.values():
            await relay.drain()
