"""The state of every migration route as one JSON-able report (``GET /_migration``).

Per repository: its route, shadow comparisons with the mismatch and noise rates, shed and
failed shadow reads, fallbacks; per source: its breaker; per mirror: the changes it has still
to receive and what its relay did; how often a shadow worker process died; and the last
differences kept. What
``hexstudio migration status`` prints and a promotion gate reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from app.migration.state import MigrationState
from app.routing import Route


def report(state: MigrationState, routes: Mapping[str, Route]) -> dict[str, Any]:
    """The report of ``state`` for ``routes``."""
    repositories = {}
    for name, route in routes.items():
        counts = state.of(name)
        repositories[name] = {
            "route": route.describe(),
            **asdict(counts),
            "mismatch_rate": round(counts.mismatch_rate, 6),
            "noise_rate": round(counts.noise_rate, 6),
        }
    return {
        "repositories": repositories,
        "breakers": {
            source: {"state": b.state.value, "failures": b.failures, "transitions": b.transitions}
            for source, b in sorted(state.breakers.items())
        },
        "mirrors": {name: relay.figures() for name, relay in sorted(state.relays.items())},
        "shadow_worker_deaths": state.worker_deaths,
        "differences": [asdict(d) for d in state.differences],
    }
