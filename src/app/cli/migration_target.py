"""The promotion gate's checks of the target source itself: live read checks and its pact.

``hexstudio migration check`` judges the shadow figures the service measured, then these: the
target, built from the configuration the CLI reads (``[data_source.<name>]``), must pass the
conformance kit's read-only checks over the data it holds (``adapters.testing.run_live``:
nothing is written), and, when its kind has a consumer pact, the pact verification against
its provider.
"""

from __future__ import annotations

import enum
import importlib.util
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adapters.spi import DataSource
from adapters.testing import Harness, Status, run_live
from app import domains, sources
from app.cli.contracts import summary
from app.contracts.verify import STATE_PATH, consumer_of, state_endpoint_problem, verify_provider
from app.errors import ConfigError
from app.settings import load_settings
from domain import Catalog, DomainError


class Verdict(enum.StrEnum):
    """What one line of the gate says about its check."""

    PASS = "PASS"
    FAIL = "FAIL"
    SKIP = "SKIP"
    """Not checked because an option said so: shown, never counted as a pass."""
    NONE = "N/A"
    """Nothing to check (a kind without a pact): neither a pass nor a failure."""


@dataclass(frozen=True)
class Line:
    """One check of the gate, as printed: verdict, name, why; details indented below."""

    verdict: Verdict
    check: str
    detail: str = ""
    more: tuple[str, ...] = ()

    def render(self) -> str:
        """The line and its details, e.g. ``FAIL kit live_get_agrees_with_list: ...``."""
        head = f"{self.verdict.value:<4} {self.check}" + (f": {self.detail}" if self.detail else "")
        return "\n".join([head, *(f"       {line}" for line in self.more)])


@dataclass(frozen=True)
class Target:
    """The source a repository moves to, as the configuration describes it."""

    name: str
    kind: str
    tables: Mapping[str, Any]
    catalog: Catalog

    @property
    def options(self) -> Mapping[str, Any]:
        """The options of ``[data_source.<name>]`` (empty for a kind used by its name)."""
        table = self.tables.get(self.name, {})
        return table if isinstance(table, Mapping) else {}

    def build(self) -> DataSource:
        """A new instance of the source (the caller closes it)."""
        return sources.create(self.tables, self.name, key="--to")


@contextmanager
def _config_file(path: Path | None) -> Iterator[None]:
    """Read the settings from ``path`` (as ``HEXSTUDIO_CONFIG`` would) for the block."""
    if path is None:
        yield
        return
    before = os.environ.get("HEXSTUDIO_CONFIG")
    os.environ["HEXSTUDIO_CONFIG"] = str(path)
    try:
        yield
    finally:
        if before is None:
            del os.environ["HEXSTUDIO_CONFIG"]
        else:
            os.environ["HEXSTUDIO_CONFIG"] = before


async def load_target(name: str, config: Path | None) -> Target:
    """The source ``name`` of the configuration (``config``, else the CLI's usual one).

    ConfigError for an unknown name or bad options, naming them, before anything is read.
    """
    with _config_file(config):
        settings = load_settings()
    tables = settings.data_source.model_extra or {}
    kind = sources.instances(tables).get(name)
    if kind is None:
        choices = ", ".join(sorted(sources.instances(tables)))
        raise ConfigError(f"--to: no data source {name!r} in the configuration ({choices})")
    target = Target(name, kind, tables, domains.load(settings.domain).catalog)
    probe = target.build()  # bad options refused here, in one line, before any check
    await probe.aclose()
    return target


_VERDICT = {Status.PASS: Verdict.PASS, Status.FAIL: Verdict.FAIL, Status.SKIP: Verdict.SKIP}


async def kit_lines(target: Target, sample: int) -> list[Line]:
    """The kit's read-only checks of ``target``'s live data, a line each (nothing written)."""
    source = target.build()
    try:
        try:
            described = await source.check()
        except DomainError as exc:
            return [Line(Verdict.FAIL, "kit", f"{target.name} does not answer: {exc}")]
        harness = Harness(source.unit_of_work, source.capabilities, target.catalog)
        report = await run_live(target.name, harness, sample=sample)
    finally:
        await source.aclose()
    lines = [Line(Verdict.PASS, "kit target", f"{described} (read only, {sample} per type)")]
    for result in report.results:
        lines.append(Line(_VERDICT[result.status], f"kit {result.check}", result.detail))
    return lines


def pact_of(kind: str, pacts: Path) -> Path | None:
    """The pact whose consumer is ``kind``'s adapter (``hexstudio-json-api-adapter``), if any."""
    consumer = f"hexstudio-{kind.replace('_', '-')}-adapter"
    files = sorted(pacts.glob("*.json")) if pacts.is_dir() else [pacts]
    return next((p for p in files if p.is_file() and consumer_of(p)[0] == consumer), None)


def pact_lines(
    target: Target, pacts: Path, provider_url: str | None, token: str | None
) -> list[Line]:
    """The pact verification of ``target``'s kind against its provider, or why there is none.

    The provider sets the pact's states itself, at its state endpoint: they store the pact's
    example entities, and the interactions replay writes. A provider without the endpoint
    (the default, and a production service's) fails here, before anything is sent.
    """
    if not pacts.exists():  # not "no pact for this kind": the kind's pact could not be looked up
        return [Line(Verdict.FAIL, "pact", f"no pact files at {pacts} (--pacts)")]
    pact = pact_of(target.kind, pacts)
    if pact is None:
        return [Line(Verdict.NONE, "pact", f"no pact for kind {target.kind}")]
    if importlib.util.find_spec("pact") is None:  # the verifier is in the dev extra only
        detail = "the Pact verifier is not installed (pip install pact-python), or --skip-pact"
        return [Line(Verdict.FAIL, f"pact {pact.name}", detail)]
    url = provider_url or target.options.get("url")
    if not isinstance(url, str) or not url:
        detail = f"[data_source.{target.name}] has no url: name the provider (--pact-provider-url)"
        return [Line(Verdict.FAIL, f"pact {pact.name}", detail)]
    split = urlsplit(url)
    origin = f"{split.scheme}://{split.netloc}"
    given = target.options.get("token")
    token = token or (given if isinstance(given, str) else None)
    problem = state_endpoint_problem(origin + STATE_PATH, token)
    if problem is not None:
        # Its advice names ``contracts verify --seed``, which the gate has not: say the gate's.
        problem = problem.removesuffix(", or choose another --seed")
        hint = "; or name a deployment that has it with --pact-provider-url"
        return [Line(Verdict.FAIL, f"pact {pact.name}", f"{origin}: {problem}{hint}")]
    result = verify_provider(origin, [pact], state_url=origin + STATE_PATH, token=token)
    passed = sum(r.passed for r in result.results)
    detail = f"{passed} of {result.interactions} interactions passed at {origin}"
    if result.passed:
        return [Line(Verdict.PASS, f"pact {pact.name}", detail)]
    # The summary's first line repeats the count; the failures and state problems follow it.
    more = (*summary(result, [pact])[1:], *result.state_problems)
    return [Line(Verdict.FAIL, f"pact {pact.name}", detail, tuple(more))]
