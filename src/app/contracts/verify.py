"""Verify a running provider against the committed Pact files (ours or a user's provider).

Provider states are set up either by the provider itself, through its state endpoint
(``POST /_pact/provider_states``: ``app.service.provider_states``), or through the domain, over
a seeding data source that reaches the provider's storage (our SQL store, or the provider's
own API through our json_api source). Only the state endpoint can set an overload state.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from adapters.spi import DataSource
from app.bootstrap import Interactors
from app.contracts.states import OVERLOADING, StateSetup, load_all

PROVIDER = "hexstudio-service"
"""The provider name every consumer pact of this project uses."""

STATE_PATH = "/_pact/provider_states"
"""Where a provider answers state changes (``hexstudio serve`` with service.provider_states)."""

_STATE_FAILURE = re.compile(r"^Provider \w+ state change for .* has failed - .*$", re.MULTILINE)

_VALUE_LIMIT = 300
"""The most characters of one expected or actual value a summary shows."""


def default_pact_dir() -> Path:
    """The committed pacts: shipped in the package, or in the source tree of a checkout."""
    shipped = Path(__file__).with_name("pacts")
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[3] / "tests" / "contract" / "pacts"


@dataclass(frozen=True)
class Mismatch:
    """One difference between what a pact expects and what the provider answered."""

    where: str
    """``status``, ``header Content-Type``, ``body $.data.id``..."""
    message: str
    expected: str | None = None
    actual: str | None = None


@dataclass(frozen=True)
class InteractionResult:
    """The verification of one interaction."""

    consumer: str
    description: str
    states: tuple[str, ...]
    passed: bool
    pending: bool
    mismatches: tuple[Mismatch, ...] = ()


@dataclass
class Verification:
    """The outcome of one verification run."""

    passed: bool
    interactions: int
    output: str
    """The verifier's report, without ANSI escapes."""
    state_problems: list[str] = field(default_factory=list)
    results: list[InteractionResult] = field(default_factory=list)
    log: str = ""
    """What the verifier printed while it ran, as it printed it (``-v`` shows it)."""

    def of_consumer(self, consumer: str) -> list[InteractionResult]:
        """The results of the interactions of ``consumer``'s pact."""
        return [r for r in self.results if r.consumer == consumer]


def verify_provider(
    provider_url: str,
    pacts: Sequence[Path],
    *,
    seed: Callable[[], DataSource] | None = None,
    state_url: str | None = None,
    token: str | None = None,
) -> Verification:
    """Replay every interaction of ``pacts`` against the provider at ``provider_url``.

    States are set up by POSTing to ``state_url`` (the provider's state endpoint, with the
    token, torn down after each interaction), else through the data source ``seed`` builds
    (None for both: the provider sets its own states up). Never raises for a failed
    verification: see the result.
    """
    if seed is not None and state_url is not None:
        raise ValueError("set provider states through seed or state_url, not both")
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
        elif state in OVERLOADING:
            problems.append(
                f"state {state!r} overloads the provider: only its state endpoint can set it "
                f"({STATE_PATH}; hexstudio contracts verify --seed provider)"
            )
        elif seed is not None:
            try:
                asyncio.run(_set_up(seed, setup, parameters or {}))
            except Exception as exc:
                problems.append(f"state {state!r}: {type(exc).__name__}: {exc}")

    split = urlsplit(provider_url)
    verifier = (
        Verifier(PROVIDER, host=split.hostname)
        .add_transport(url=f"{split.scheme}://{split.netloc}")
        .set_coloured_output(enabled=False)
    )
    if state_url is not None:
        # Torn down after each interaction: an overload state ends with its interaction.
        verifier.state_handler(state_url, teardown=True, body=True)
    else:
        verifier.state_handler(handler, teardown=False)
    if token:
        # The verifier sends it to the state endpoint as well as with every interaction.
        verifier.add_custom_header("Authorization", f"Bearer {token}")
    for pact in pacts:
        verifier.add_source(str(pact))
    with _captured_output() as log:
        try:
            verifier.verify()
            passed = True
        except RuntimeError:
            passed = False
    # The verifier tells a failed state change only in its log ("... has failed - <why>").
    problems.extend(m.group(0) for m in _STATE_FAILURE.finditer(log.text))
    raw = verifier.results.get("interactionResults", []) if verifier.results else []
    results = [_result(entry) for entry in raw if isinstance(entry, dict)]
    return Verification(
        passed=passed and bool(results) and not problems,
        interactions=len(results),
        output=str(verifier.output(strip_ansi=True)),
        state_problems=problems,
        results=results,
        log=log.text,
    )


def state_endpoint_problem(state_url: str, token: str | None) -> str | None:
    """Why ``state_url`` cannot set states, in one line, or None when it answers a set-up.

    Asked before verifying, so that a provider without the endpoint gets one line instead
    of every interaction failing on its state.
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"state": "", "params": {}, "action": "setup"}  # Pact's generic set-up: no state
    try:
        response = httpx.post(state_url, json=body, headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        return f"the provider's state endpoint {state_url} does not answer ({exc})"
    if response.status_code == 404:
        return (
            f"the provider has no state endpoint at {state_url} (404): serve it with "
            "HEXSTUDIO_SERVICE__PROVIDER_STATES=true, or choose another --seed"
        )
    if response.status_code in (401, 403):
        status = response.status_code
        return f"the provider's state endpoint refused the token ({status}): pass its write token"
    if response.status_code >= 400:
        return f"the provider's state endpoint answered {response.status_code}: {response.text}"
    return None


def consumer_of(pact: Path) -> tuple[str, int]:
    """The consumer named in the pact file ``pact`` and how many interactions it holds."""
    document = json.loads(pact.read_text())
    return str(document.get("consumer", {}).get("name", pact.stem)), len(
        document.get("interactions", [])
    )


def _result(entry: Mapping[str, Any]) -> InteractionResult:
    """One entry of the verifier's ``interactionResults`` as an ``InteractionResult``."""
    found = entry.get("mismatch")
    mismatches = found.get("mismatches", []) if isinstance(found, dict) else []
    if isinstance(found, dict) and found.get("type") == "error":
        mismatches = [{"type": "Error", "mismatch": found.get("message", "")}]
    return InteractionResult(
        consumer=str(entry.get("consumer", "")),
        description=str(entry.get("description", "")),
        states=tuple(str(s) for s in entry.get("providerStates") or ()),
        passed=entry.get("result") == "OK",
        pending=bool(entry.get("pending")),
        mismatches=tuple(_mismatch(m) for m in mismatches if isinstance(m, dict)),
    )


def _mismatch(raw: Mapping[str, Any]) -> Mismatch:
    kind = str(raw.get("type", ""))
    where = {
        "StatusMismatch": "status",
        "HeaderMismatch": f"header {raw.get('key', '')}",
        "BodyMismatch": f"body {raw.get('path', '')}",
        "BodyTypeMismatch": "body content type",
        "QueryMismatch": f"query {raw.get('parameter', '')}",
        "MetadataMismatch": f"metadata {raw.get('key', '')}",
    }.get(kind, kind.removesuffix("Mismatch").lower() or "error")
    expected, actual = raw.get("expected"), raw.get("actual")
    if kind == "BodyTypeMismatch":  # the bodies say more than the two content types
        expected = f"{expected}: {raw.get('expectedBody', '')}"
        actual = f"{actual}: {raw.get('actualBody', '')}"
    return Mismatch(where, str(raw.get("mismatch", "")).strip(), _shown(expected), _shown(actual))


def _shown(value: Any) -> str | None:
    """``value`` on one line, cut at ``_VALUE_LIMIT`` characters."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 3] + "..."


class _Captured:
    text = ""


@contextmanager
def _captured_output() -> Iterator[_Captured]:
    """What is written to file descriptors 1 and 2 meanwhile, kept in ``.text``, not shown.

    The Pact core prints its report straight to the process's stdout (with colour in its
    diffs whatever it is told), and pact-python's state server logs each call to stderr:
    the caller chooses what to show, from the results and from this log.
    """
    captured = _Captured()
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            sink.seek(0)
            captured.text = sink.read().decode(errors="replace")


async def _set_up(
    seed: Callable[[], DataSource], setup: StateSetup, params: Mapping[str, Any]
) -> None:
    source = seed()
    try:
        await setup(Interactors(source.unit_of_work), params)
    finally:
        await source.aclose()
