"""Reliability tests print their figures at the end of the run (quoted by docs/reliability.md)."""

from __future__ import annotations

import pytest

from tests.reliability.figures import FIGURES, SEEDS, seeds, summary


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line: faults injected, commits checked, data lost... counted by this run."""
    if FIGURES:
        terminalreporter.write_line(f"reliability figures: {summary()}")
    if SEEDS:  # HEXSTUDIO_SOAK_SEED=N replays a run of one test
        terminalreporter.write_line(f"reliability seeds: {seeds()}")
