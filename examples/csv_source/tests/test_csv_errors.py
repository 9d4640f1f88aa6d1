"""Only domain errors cross the port: bad options, corrupt files, a missing directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from adapters.testing import fixtures
from app import registry
from app.errors import ConfigError
from domain import (
    MOVIES,
    STUDIO,
    DataSourceError,
    DataSourceUnavailable,
    Entity,
    InvalidInput,
    Movie,
    MovieQuery,
    PageRequest,
)

from hexstudio_csv import CsvDataSource, create_data_source


def test_happy_path_the_entry_point_builds_a_csv_source(tmp_path: Path) -> None:
    source = registry.create("csv", {"directory": str(tmp_path)})
    assert isinstance(source, CsvDataSource)
    assert source.capabilities.writable


@pytest.mark.parametrize(
    ("options", "key", "says"),
    [
        ({}, "directory", "required"),
        ({"directory": "  "}, "directory", "must name a folder"),
        ({"directory": "x", "read_only": "maybe"}, "read_only", "'maybe'"),
        ({"directory": "x", "path": "y"}, "path", "choices: directory, read_only"),
    ],
)
def test_unhappy_path_bad_options_name_the_key(
    options: dict[str, str], key: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_data_source(options)
    assert caught.value.field == key
    assert caught.value.message.startswith(f"{key}: ")
    assert says in caught.value.message


def test_unhappy_path_the_registry_names_the_whole_key() -> None:
    with pytest.raises(ConfigError, match=r"^data_source\.csv\.directory: required"):
        registry.create("csv", {})


async def _committed_file(source: CsvDataSource, entities: list[Entity], name: str) -> Path:
    """Commit ``entities`` and one more movie; return the path of ``name`` in the generation."""
    await fixtures.store(STUDIO, source.unit_of_work, *entities, Movie(title="Second"))
    generation = (source.options.directory / "CURRENT").read_text().strip()
    return source.options.directory / "generations" / generation / name


async def _read_everything(directory: Path) -> None:
    """Read every type's repository through a source opened afresh on ``directory``."""
    async with create_data_source({"directory": str(directory)}).unit_of_work() as uow:
        for kind in STUDIO:
            await uow.repository(kind).list(kind.query(), PageRequest())


def _replace_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "line", "old", "new", "says"),
    [
        ("movies.csv", 1, "release_year", "year", "line 1: expected the columns id,version,"),
        ("locations.csv", 2, "Sydney", "Sydney,extra", "line 2: expected 7 fields"),
        ("productions.csv", 2, "EUR", "XXX", "line 2: budget.currency:"),
        ("shoot_days.csv", 2, "2027-02-28", "2027-02-30", "line 2: date:"),
        ("locations.csv", 2, ",1,", ",zero,", "line 2: version:"),
    ],
)
async def test_unhappy_path_a_corrupt_file_names_the_file_and_line(
    source: CsvDataSource,
    awkward: list[Entity],
    file: str,
    line: int,
    old: str,
    new: str,
    says: str,
) -> None:
    path = await _committed_file(source, awkward, file)
    _replace_line(path, line, old, new)
    reopened = create_data_source({"directory": str(source.options.directory)})
    with pytest.raises(DataSourceError) as caught:
        async with reopened.unit_of_work() as uow:
            await uow.repository(MOVIES).list(MovieQuery(), PageRequest())
    assert str(path) in caught.value.message
    assert says in caught.value.message


async def test_unhappy_path_a_bad_row_after_a_multiline_field_names_its_own_line(
    source: CsvDataSource, awkward: list[Entity]
) -> None:
    path = await _committed_file(source, awkward, "movies.csv")
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\nnot-a-uuid,1,T,,,\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"movies\.csv line 5: id:"):
        await _read_everything(source.options.directory)


async def test_unhappy_path_a_double_booking_edited_in_is_refused(
    source: CsvDataSource, awkward: list[Entity]
) -> None:
    path = await _committed_file(source, awkward, "shoot_days.csv")
    row = path.read_text(encoding="utf-8").split("\n")[1]
    copy = "00000000-0000-4000-8000-000000000000" + row[36:]
    path.write_text(path.read_text(encoding="utf-8") + copy + "\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"line 3: slot \(location_id .*, date 2027-02-28\)"):
        await _read_everything(source.options.directory)


async def test_unhappy_path_a_garbled_pointer_or_missing_file_is_a_data_source_error(
    source: CsvDataSource, awkward: list[Entity]
) -> None:
    path = await _committed_file(source, awkward, "productions.csv")
    path.unlink()
    with pytest.raises(DataSourceError, match=r"productions\.csv: missing from the committed"):
        await _read_everything(source.options.directory)
    (source.options.directory / "CURRENT").write_text("../../etc\n")
    with pytest.raises(DataSourceError, match="CURRENT line 1: not a generation name"):
        await source.check()


@pytest.mark.parametrize("kind", ["missing", "a file"])
async def test_unhappy_path_an_unreachable_directory_is_unavailable(
    tmp_path: Path, kind: str
) -> None:
    directory = tmp_path / "mount"
    if kind == "a file":
        directory.write_text("not a directory")
    source = create_data_source({"directory": str(directory)})
    with pytest.raises(DataSourceUnavailable, match=str(directory)):
        await source.check()
    with pytest.raises(DataSourceUnavailable, match=str(directory)):
        await fixtures.store(STUDIO, source.unit_of_work, Movie(title="Nowhere to go"))


async def test_unhappy_path_a_read_only_source_refuses_writes(tmp_path: Path) -> None:
    source = create_data_source({"directory": str(tmp_path), "read_only": True})
    assert not source.capabilities.writable
    async with source.unit_of_work() as uow:
        with pytest.raises(DataSourceError, match="read-only"):
            await uow.repository(MOVIES).add(Movie(title="Refused"))
    assert (await source.check()).startswith("read-only CSV files in ")
    assert list(tmp_path.iterdir()) == []


async def test_happy_path_check_describes_the_committed_generation(
    source: CsvDataSource, awkward: list[Entity]
) -> None:
    assert (await source.check()).endswith("(none committed yet)")
    await fixtures.store(STUDIO, source.unit_of_work, *awkward)
    assert "(generation 00000001-" in await source.check()
    assert "1 locations, 1 movies, 1 productions, 1 shoot_days)" in await source.check()


async def test_unhappy_path_check_counts_rows_and_refuses_a_ragged_one(
    source: CsvDataSource, awkward: list[Entity]
) -> None:
    path = await _committed_file(source, awkward, "locations.csv")
    fresh = create_data_source({"directory": str(source.options.directory)})
    assert "1 locations, 2 movies, 1 productions, 1 shoot_days)" in await fresh.check()
    _replace_line(path, 2, "Sydney", "Sydney,extra")
    with pytest.raises(DataSourceError, match=r"locations\.csv line 2: expected 7 fields"):
        await fresh.check()
