"""The conformance kit over the medium catalog, on the memory source and on migrated SQLite.

Every check passes but those the kit cannot run for edge types yet (``KIT_GAP``): its filter
checks store 8 examples over only 2 parents per reference, so a type whose unique key is
made of references alone (one follow per pair, one recommendation per person and post)
gets the same pair twice and the store rightly refuses it. ``test_the_gap_is_the_population``
shows those filters are right once the population's pairs are distinct.
"""

from __future__ import annotations

import pytest
from adapters.memory import MemoryDataSource
from adapters.spi import Capabilities
from adapters.sql import SqlDataSource
from adapters.testing import Check, Harness, Status, checks_filters, checks_for, run_check
from domain import UnitOfWorkFactory
from domain.catalog import FieldKind

from hexstudio_medium import MEDIUM

CHECKS = checks_for(MEDIUM)

EDGES = [
    e
    for e in MEDIUM
    if any(all(e.field(name).kind is FieldKind.REFERENCE for name in k.fields) for k in e.unique)
]
"""The types with a unique key made of references only: follows and recommendations."""

KIT_GAP = frozenset(
    c.name
    for c in CHECKS
    for e in EDGES
    if c.name.startswith(f"filter_{e.plural}_by_")
    or c.name == f"filters_of_{e.plural}_combine_as_and"
)
"""The kit's checks that store a population repeating an edge's pair (see the docstring)."""


def test_the_gap_is_exactly_the_edges_filter_checks() -> None:
    assert [e.plural for e in EDGES] == ["follows", "recommendations"]
    assert sorted(KIT_GAP) == [
        "filter_follows_by_followee_id",
        "filter_follows_by_follower_id",
        "filter_recommendations_by_person_id",
        "filter_recommendations_by_post_id",
        "filter_recommendations_by_post_ids",
        "filters_of_follows_combine_as_and",
        "filters_of_recommendations_combine_as_and",
    ]


async def _assert_passes(uow: UnitOfWorkFactory, caps: Capabilities, check: Check) -> None:
    result = await run_check(Harness(uow, caps, MEDIUM), check)
    if result.status is Status.FAIL and check.name in KIT_GAP:
        # Only the refused repeated pair is excused; any other failure of these checks fails.
        assert result.detail.startswith("unexpected Conflict"), result.detail
        assert "pair is taken" in result.detail, result.detail
        pytest.xfail("kit gap: the filter population repeats a unique reference pair")
    assert result.status is Status.PASS, f"{result.status}: {result.detail}"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
async def test_conformance_memory(check: Check) -> None:
    source = MemoryDataSource()
    await _assert_passes(source.unit_of_work, source.capabilities, check)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
async def test_conformance_sql(sql_source: SqlDataSource, check: Check) -> None:
    await _assert_passes(sql_source.unit_of_work, sql_source.capabilities, check)


@pytest.mark.parametrize("check", [c for c in CHECKS if c.name in KIT_GAP], ids=lambda c: c.name)
@pytest.mark.parametrize("where", ["memory", "sql"])
async def test_the_gap_is_the_population(
    where: str, check: Check, sql_source: SqlDataSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 4 examples, 2 parents per reference make 4 distinct pairs: every filter passes."""
    monkeypatch.setattr(checks_filters, "POPULATION", 4)
    source = MemoryDataSource() if where == "memory" else sql_source
    result = await run_check(Harness(source.unit_of_work, source.capabilities, MEDIUM), check)
    assert result.status is Status.PASS, f"{result.status}: {result.detail}"
