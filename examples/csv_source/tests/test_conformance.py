"""The conformance kit against the CSV source, and the durability its commit protocol promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from adapters.testing import Check, Harness, Status, checks_for, fixtures, run_check
from domain import MOVIES, STUDIO, Entity, Movie, NotFound

from hexstudio_csv import CsvDataSource, CsvDirectory, create_data_source


@pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
async def test_conformance(source: CsvDataSource, check: Check) -> None:
    result = await run_check(Harness(source.unit_of_work, source.capabilities, STUDIO), check)
    if result.status is Status.SKIP:
        pytest.skip(result.detail)
    assert result.status is Status.PASS, result.detail


@pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
async def test_conformance_read_only(tmp_path: Path, check: Check) -> None:
    """Read-only declared: write checks skip; reads are seeded by a second, writable source."""
    reader = create_data_source({"directory": str(tmp_path), "read_only": "true"})
    writer = create_data_source({"directory": str(tmp_path)})
    harness = Harness(reader.unit_of_work, reader.capabilities, STUDIO, seed=writer.unit_of_work)
    result = await run_check(harness, check)
    if result.status is Status.SKIP:
        assert "read-only" in result.detail, result.detail
        pytest.skip(result.detail)
    assert result.status is Status.PASS, result.detail


async def test_reopening_the_directory_sees_exactly_what_was_committed(
    tmp_path: Path, awkward: list[Entity]
) -> None:
    first = create_data_source({"directory": str(tmp_path)})
    entities = awkward
    await fixtures.store(STUDIO, first.unit_of_work, *entities)
    async with first.unit_of_work() as uow:
        await uow.repository(MOVIES).add(Movie(title="Never committed"))
    await first.aclose()

    reopened = create_data_source({"directory": str(tmp_path)})
    async with reopened.unit_of_work() as uow:
        for entity in entities:
            assert await fixtures.repository_for(STUDIO, uow, entity).get(entity.id) == entity
        assert len(await uow.repository(MOVIES).get_many([e.id for e in entities])) == 1


async def test_another_open_source_sees_a_commit_without_reopening(tmp_path: Path) -> None:
    reader, writer = (create_data_source({"directory": str(tmp_path)}) for _ in range(2))
    movie = Movie(title="Seen")
    async with reader.unit_of_work() as uow:
        with pytest.raises(NotFound):
            await uow.repository(MOVIES).get(movie.id)  # the reader has now read the empty store
    await fixtures.store(STUDIO, writer.unit_of_work, movie)
    async with reader.unit_of_work() as uow:
        assert await uow.repository(MOVIES).get(movie.id) == movie


class Crash(BaseException):
    """Stands for the process dying: nothing catches it, nothing after it runs."""


def _generations(directory: Path) -> list[str]:
    return sorted(p.name for p in (directory / "generations").iterdir())


async def test_a_crash_between_generation_write_and_pointer_switch_keeps_the_old_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = create_data_source({"directory": str(tmp_path)})
    kept = Movie(title="Kept")
    await fixtures.store(STUDIO, source.unit_of_work, kept)
    committed = (tmp_path / "CURRENT").read_text()

    def crash(self: CsvDirectory, generation: str) -> None:
        raise Crash(generation)

    monkeypatch.setattr(CsvDirectory, "switch_to", crash)
    lost = Movie(title="Lost")
    with pytest.raises(Crash):
        async with source.unit_of_work() as uow:
            await uow.repository(MOVIES).update(kept.evolve(title="Changed"))
            await uow.repository(MOVIES).add(lost)
            await uow.commit()
    monkeypatch.undo()

    # The crashed commit did write a complete generation, but nothing points at it.
    orphan = (set(_generations(tmp_path)) - {committed.strip()}).pop()
    files = sorted(p.name for p in (tmp_path / "generations" / orphan).iterdir())
    assert files == sorted(f"{kind.plural}.csv" for kind in STUDIO)
    assert (tmp_path / "CURRENT").read_text() == committed

    restarted = create_data_source({"directory": str(tmp_path)})
    async with restarted.unit_of_work() as uow:
        assert await uow.repository(MOVIES).get(kept.id) == kept
        with pytest.raises(NotFound):
            await uow.repository(MOVIES).get(lost.id)

    # The next commit works, and collects the abandoned generation.
    await fixtures.store(STUDIO, restarted.unit_of_work, lost)
    assert orphan not in _generations(tmp_path)
    assert len(_generations(tmp_path)) == 2  # the current one and the one before it
