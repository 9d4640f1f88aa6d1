"""A circuit breaker per data source: closed, open after consecutive failures, half open.

Consecutive ``DataSourceUnavailable`` answers open it; while open, reads go to the fallback
at once, without waiting on a source known to be down; after ``cooldown`` seconds one trial
read is let through, and its success closes the breaker again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

FAILURES = 3
"""Consecutive failures that open a breaker."""
COOLDOWN = 5.0
"""Seconds an open breaker waits before it lets one trial read through."""


class State(StrEnum):
    """Where a breaker is."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class Breaker:
    """The breaker of one source; ``transitions`` counts each change of state."""

    def __init__(
        self,
        failures: int = FAILURES,
        cooldown: float = COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold, self.cooldown, self._clock = failures, cooldown, clock
        self.state = State.CLOSED
        self.failures = 0
        self.transitions = 0
        self._opened_at = 0.0

    def allow(self) -> bool:
        """Whether a read may try the source now (half open: one trial at a time)."""
        if self.state is State.CLOSED:
            return True
        if self.state is State.OPEN and self._clock() - self._opened_at >= self.cooldown:
            self._move(State.HALF_OPEN)
            return True
        return False

    def succeeded(self) -> None:
        """A read of the source answered: close."""
        self.failures = 0
        if self.state is not State.CLOSED:
            self._move(State.CLOSED)

    def failed(self) -> None:
        """A read of the source was unavailable: open after enough in a row, or a failed trial."""
        self.failures += 1
        if self.state is State.HALF_OPEN or self.failures >= self.threshold:
            self._opened_at = self._clock()
            if self.state is not State.OPEN:
                self._move(State.OPEN)

    def _move(self, state: State) -> None:
        self.state = state
        self.transitions += 1
