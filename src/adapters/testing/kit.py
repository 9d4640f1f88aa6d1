"""The machinery of the conformance kit: checks, the harness they run on, and their results."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from adapters.spi import Capabilities
from domain import Catalog, UnitOfWorkFactory


@dataclass(frozen=True)
class Harness:
    """The data source under test, as the checks see it.

    ``catalog`` is the domain whose entity types the checks store and read. ``seed`` writes
    the data that read checks need; it defaults to ``uow`` and must be given for a read-only
    source (a writable source over the same storage).
    """

    uow: UnitOfWorkFactory
    capabilities: Capabilities
    catalog: Catalog
    seed: UnitOfWorkFactory | None = None

    @property
    def writer(self) -> UnitOfWorkFactory:
        """Where checks write their fixtures."""
        if self.seed is not None:
            return self.seed
        return self.uow


Requirement = Callable[[Capabilities, Harness], str | None]
"""Returns why a check cannot run on this harness, or None when it can."""


@dataclass(frozen=True)
class Check:
    """One conformance test: a name, the capability it proves, and what it needs to run."""

    name: str
    capability: str
    doc: str
    run: Callable[[Harness], Awaitable[None]]
    requires: tuple[Requirement, ...] = field(default=())

    def skip_reason(self, harness: Harness) -> str | None:
        """Why this check does not apply to ``harness`` (None when it does)."""
        for requirement in self.requires:
            reason = requirement(harness.capabilities, harness)
            if reason:
                return reason
        return None


class Status(enum.StrEnum):
    """The outcome of one check."""

    PASS = "PASS"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True)
class Result:
    """What one check found."""

    check: str
    capability: str
    status: Status
    detail: str = ""


GENERIC: list[Check] = []
"""The checks every catalog gets, in a stable order (registration order)."""

GENERATORS: list[Callable[[Catalog], list[Check]]] = []
"""Functions making the checks of one catalog's declarations (one per filter...)."""


def generator(
    make: Callable[[Catalog], list[Check]],
) -> Callable[[Catalog], list[Check]]:
    """Register ``make`` as a maker of a catalog's own checks."""
    GENERATORS.append(make)
    return make


def checks_for(catalog: Catalog) -> tuple[Check, ...]:
    """Every check of ``catalog``: the generic ones, then those its declarations imply."""
    generated = [c for make in GENERATORS for c in make(catalog)]
    return (*GENERIC, *generated)


def check(
    capability: str, *requires: Requirement
) -> Callable[[Callable[[Harness], Awaitable[None]]], Callable[[Harness], Awaitable[None]]]:
    """Register the decorated coroutine function as a check of ``capability``."""

    def register(
        fn: Callable[[Harness], Awaitable[None]],
    ) -> Callable[[Harness], Awaitable[None]]:
        doc = (fn.__doc__ or fn.__name__).strip().splitlines()[0]
        GENERIC.append(Check(fn.__name__, capability, doc, fn, requires))
        return fn

    return register


def writable(caps: Capabilities, harness: Harness) -> str | None:
    """Requirement: the source accepts writes."""
    return None if caps.writable else "the source is declared read-only"


def seedable(caps: Capabilities, harness: Harness) -> str | None:
    """Requirement: fixtures can be written, by the source itself or by a seeding source."""
    if caps.writable or harness.seed is not None:
        return None
    return "the source is read-only and no seeding source was given"


def atomic(caps: Capabilities, harness: Harness) -> str | None:
    """Requirement: commits are atomic across repositories."""
    if not caps.writable:
        return "the source is declared read-only"
    return None if caps.atomic_commit else "the source does not declare atomic_commit"


def supports(*filter_names: str) -> Requirement:
    """Requirement: the source answers every filter named (qualified: ``movies.genre``)."""

    def requirement(caps: Capabilities, harness: Harness) -> str | None:
        missing = [name for name in filter_names if not caps.supports(name)]
        return f"the source does not declare {', '.join(missing)}" if missing else None

    requirement.__name__ = "supports_" + "_".join(filter_names)
    return requirement
