"""The conformance kit over the medium catalog, on the memory source and on migrated SQLite.

Every check passes on both. Follows and recommendations are the shape the studio lacks: a
unique key made of references alone (one follow per pair of people, one recommendation per
person and post), so the kit's filter checks must store each pair once.
"""

from __future__ import annotations

import pytest
from adapters.memory import MemoryDataSource
from adapters.spi import Capabilities
from adapters.sql import SqlDataSource
from adapters.testing import Check, Harness, Status, checks_for, run_check
from domain import UnitOfWorkFactory
from domain.catalog import FieldKind

from hexstudio_medium import MEDIUM

CHECKS = checks_for(MEDIUM)


def test_the_edges_are_keyed_by_references_alone() -> None:
    edges = [
        e.plural
        for e in MEDIUM
        if any(all(e.field(n).kind is FieldKind.REFERENCE for n in k.fields) for k in e.unique)
    ]
    assert edges == ["follows", "recommendations"]


async def _assert_passes(uow: UnitOfWorkFactory, caps: Capabilities, check: Check) -> None:
    result = await run_check(Harness(uow, caps, MEDIUM), check)
    assert result.status is Status.PASS, f"{result.status}: {result.detail}"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
async def test_conformance_memory(check: Check) -> None:
    source = MemoryDataSource()
    await _assert_passes(source.unit_of_work, source.capabilities, check)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
async def test_conformance_sql(sql_source: SqlDataSource, check: Check) -> None:
    await _assert_passes(sql_source.unit_of_work, sql_source.capabilities, check)
