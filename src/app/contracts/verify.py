"""Verify a running provider against the committed Pact files (ours or a user's provider).

Provider states are set up through the domain, over a seeding data source that reaches the
provider's storage (our SQL store, or the provider's own API through our json_api source).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adapters.spi import DataSource
from app.bootstrap import Interactors
from app.contracts.states import StateSetup, load_all

PROVIDER = "hexstudio-service"
"""The provider name every consumer pact of this project uses."""


def default_pact_dir() -> Path:
    """The committed pacts: shipped in the package, or in the source tree of a checkout."""
    shipped = Path(__file__).with_name("pacts")
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[3] / "tests" / "contract" / "pacts"


@dataclass
class Verification:
    """The outcome of one verification run."""

    passed: bool
    interactions: int
    output: str
    state_problems: list[str] = field(default_factory=list)


def verify_provider(
    provider_url: str,
    pacts: Sequence[Path],
    *,
    seed: Callable[[], DataSource] | None,
    token: str | None = None,
) -> Verification:
    """Replay every interaction of ``pacts`` against the provider at ``provider_url``.

    ``seed`` builds the data source that provider states are written through (None: the
    provider sets its own states up). Never raises for a failed verification: see the result.
    """
    # The Pact core otherwise logs an anonymous-usage warning on every run.
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    from pact import Verifier  # imported late: the FFI library is large and only needed here

    states = load_all()
    problems: list[str] = []

    def handler(state: str, action: str, parameters: dict[str, Any] | None = None) -> None:
        # Never raise here: the verifier retries a failing state call for minutes.
        if action != "setup" or not state:
            return  # an interaction without ``given`` needs no set-up
        setup = states.get(state)
        if setup is None:
            problems.append(f"unknown provider state {state!r}")
        elif seed is not None:
            try:
                asyncio.run(_set_up(seed, setup, parameters or {}))
            except Exception as exc:
                problems.append(f"state {state!r}: {type(exc).__name__}: {exc}")

    split = urlsplit(provider_url)
    verifier = (
        Verifier(PROVIDER, host=split.hostname)
        .add_transport(url=f"{split.scheme}://{split.netloc}")
        .state_handler(handler, teardown=False)
        .set_coloured_output(enabled=False)
    )
    if token:
        verifier.add_custom_header("Authorization", f"Bearer {token}")
    for pact in pacts:
        verifier.add_source(str(pact))
    try:
        verifier.verify()
        passed = True
    except RuntimeError:
        passed = False
    results = verifier.results.get("interactionResults", []) if verifier.results else []
    count = len(results) if isinstance(results, list) else 0
    return Verification(
        passed=passed and count > 0 and not problems,
        interactions=count,
        output=str(verifier.output(strip_ansi=True)),
        state_problems=problems,
    )


async def _set_up(
    seed: Callable[[], DataSource], setup: StateSetup, params: Mapping[str, Any]
) -> None:
    source = seed()
    try:
        await setup(Interactors(source.unit_of_work), params)
    finally:
        await source.aclose()
