"""Run the checks against a harness and report PASS, FAIL or SKIP for each."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass

from adapters.testing.kit import Check, Harness, Result, Status, checks_for
from domain import DomainError


async def run_check(harness: Harness, check: Check) -> Result:
    """Run one check; a non-domain exception is a failure: it escaped the adapter."""
    reason = check.skip_reason(harness)
    if reason:
        return Result(check.name, check.capability, Status.SKIP, reason)
    try:
        await check.run(harness)
    except AssertionError as exc:
        return Result(check.name, check.capability, Status.FAIL, str(exc) or "assertion failed")
    except DomainError as exc:
        detail = f"unexpected {type(exc).__name__}: {exc}"
        return Result(check.name, check.capability, Status.FAIL, detail)
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = (
            f"{type(exc).__module__}.{type(exc).__qualname__} escaped the adapter "
            f"(only domain errors may cross a port): {exc} [{where.filename}:{where.lineno}]"
        )
        return Result(check.name, check.capability, Status.FAIL, detail)
    return Result(check.name, check.capability, Status.PASS)


@dataclass(frozen=True)
class Report:
    """The results of one run, in check order."""

    source: str
    results: tuple[Result, ...]

    @property
    def ok(self) -> bool:
        """True when nothing failed (skips are not failures, and are reported as such)."""
        return all(r.status is not Status.FAIL for r in self.results)

    def counts(self) -> dict[Status, int]:
        """How many checks ended in each status."""
        return {s: sum(r.status is s for r in self.results) for s in Status}


async def run_conformance(
    source: str, harness: Harness, checks: Iterable[Check] | None = None
) -> Report:
    """Run ``checks`` (all of the harness's catalog by default) one after another."""
    chosen = checks_for(harness.catalog) if checks is None else checks
    return Report(source, tuple([await run_check(harness, c) for c in chosen]))
