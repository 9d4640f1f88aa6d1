"""Counters the reliability tests fill and the end of the run prints (docs/reliability.md)."""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()
"""Figures by name: faults injected, commits checked, data lost, retries..."""


SEEDS: dict[str, int] = {}
"""The random seed each seeded test drew (``tests.reliability.soak.seeded``), by test."""


def count(name: str, amount: int = 1) -> None:
    """Add ``amount`` to the figure ``name``."""
    FIGURES[name] += amount


def summary() -> str:
    """One line with every figure, in a stable order (empty when nothing ran)."""
    return ", ".join(f"{name} = {FIGURES[name]}" for name in sorted(FIGURES))


def seeds() -> str:
    """``test = seed`` for every seeded test that ran (empty when none did)."""
    return ", ".join(f"{test} = {SEEDS[test]}" for test in sorted(SEEDS))
