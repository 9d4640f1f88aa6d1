"""How big a reliability test runs: bounded in ``make test``, long in ``make soak``.

``make soak`` sets ``HYPOTHESIS_PROFILE=soak`` (the profile tests/property registers); the
tests here read it to size themselves, as test_fuzz_service does. A bounded run draws from a
fixed seed, so CI sees the same schedule every time; a soak run draws a new seed, printed at
the end of the run, and ``HEXSTUDIO_SOAK_SEED=N`` replays one.
"""

from __future__ import annotations

import os
import random

from tests.reliability.figures import SEEDS

SOAK = os.environ.get("HYPOTHESIS_PROFILE") == "soak"
"""True under ``make soak``."""

BOUNDED_SEED = 14
"""The seed of every bounded run."""


def sized(bounded: int, soak: int) -> int:
    """``soak`` under make soak, else ``bounded``."""
    return soak if SOAK else bounded


def seeded(test: str) -> random.Random:
    """A random generator for ``test``: the bounded seed, or a new one recorded for the summary."""
    given = os.environ.get("HEXSTUDIO_SOAK_SEED")
    seed = (
        int(given) if given else (random.SystemRandom().randrange(2**32) if SOAK else BOUNDED_SEED)
    )
    SEEDS[test] = seed
    return random.Random(seed)
