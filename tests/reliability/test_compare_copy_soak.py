"""Copy then compare at volume, with differences planted at random: exactly those are found.

``hexstudio migration copy`` fills a new SQLite database from a legacy one holding many
movies; ``compare`` must then be clean. Random movies are then removed, retitled, given
another release year or added behind the adapters' backs, and ``compare``, at a random page
size, must name exactly those, each once. The integration tests
(tests/integration/test_migration_compare_copy.py) do this over the sample slate; this one
scales: bounded in ``make test``, many more rows and differences under ``make soak``.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adapters.sql import migrate
from app.cli import cli
from tests.reliability.figures import count
from tests.reliability.soak import seeded, sized

ROWS = sized(400, 20_000)
PLANTED = sized(4, 60)
"""Differences of each kind planted: missing, only in the target, retitled, another year."""
GENRES = ("drama", "comedy", "thriller", "documentary")
TOML = """\
[data_source]
default = "legacy"
legacy = {{ kind = "sql", url = "sqlite+aiosqlite:///{legacy}" }}
sql = {{ url = "sqlite+aiosqlite:///{new}" }}
"""
runner = CliRunner()


def _hexstudio(*args: str) -> Any:
    return runner.invoke(cli, list(args), env={"HEXSTUDIO_DATA_SOURCE__DEFAULT": None})


def _findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"movies [0-9a-f-]{36}: ", line)]


def test_happy_path_copy_then_compare_is_clean_and_finds_exactly_what_was_planted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draw = seeded("copy and compare")
    legacy, new = tmp_path / "legacy.db", tmp_path / "new.db"
    for path in (legacy, new):
        asyncio.run(migrate.upgrade(f"sqlite+aiosqlite:///{path}"))
    (tmp_path / "hexstudio.toml").write_text(TOML.format(legacy=legacy, new=new))
    (tmp_path / "hexstudio.toml").chmod(0o600)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEXSTUDIO_CONFIG", raising=False)
    monkeypatch.delenv("HEXSTUDIO_DOMAIN", raising=False)
    ids = [uuid.UUID(int=draw.getrandbits(128), version=4).hex for _ in range(ROWS)]
    with sqlite3.connect(legacy) as db:  # the legacy store as another program left it
        db.executemany(
            "insert into movies (id, version, title, logline, release_year) values (?, ?, ?, ?, ?)",
            [
                (id, draw.randint(1, 4), f"Movie {draw.getrandbits(40):x}", "", 1950 + n % 80)
                for n, id in enumerate(ids)
            ],
        )
        db.executemany(
            "insert into movie_genres (movie_id, genre) values (?, ?)",
            [(id, genre) for id in ids for genre in draw.sample(GENRES, draw.randint(0, 2))],
        )
    started = time.perf_counter()
    copied = _hexstudio(
        "migration", "copy", "--from", "legacy", "--to", "sql", "--repository", "movies"
    )
    copy_seconds = time.perf_counter() - started
    assert copied.exit_code == 0, copied.output
    assert f"movies: {ROWS} read from legacy, {ROWS} added, 0 already there" in copied.output
    size = str(draw.choice([1, 7, 100, 500]) if ROWS <= 5000 else draw.choice([7, 100, 500]))
    arguments = ["--from", "legacy", "--to", "sql", "--repository", "movies", "--page-size", size]
    clean = _hexstudio("migration", "compare", *arguments)
    assert clean.exit_code == 0, clean.output
    assert clean.output.splitlines()[-1] == "no differences"

    planted = draw.sample(ids, 3 * PLANTED)  # distinct movies: one difference each
    gone, retitled, moved = (planted[i * PLANTED : (i + 1) * PLANTED] for i in range(3))
    extra = [uuid.UUID(int=draw.getrandbits(128), version=4).hex for _ in range(PLANTED)]
    with sqlite3.connect(new) as db:
        db.executemany("delete from movie_genres where movie_id = ?", [(i,) for i in gone])
        db.executemany("delete from movies where id = ?", [(i,) for i in gone])
        db.executemany(
            "update movies set title = 'Changed behind its back ' || id where id = ?",
            [(i,) for i in retitled],
        )
        db.executemany("update movies set release_year = 2099 where id = ?", [(i,) for i in moved])
        db.executemany(
            "insert into movies (id, version, title, logline, release_year)"
            " values (?, 1, 'Extra', 'planted', 2001)",
            [(i,) for i in extra],
        )
    expected = sorted(
        [f"movies {uuid.UUID(i)}: missing in sql" for i in gone]
        + [f"movies {uuid.UUID(i)}: differs: title" for i in retitled]
        + [f"movies {uuid.UUID(i)}: differs: release_year" for i in moved]
        + [f"movies {uuid.UUID(i)}: only in sql" for i in extra]
    )
    started = time.perf_counter()
    found = _hexstudio("migration", "compare", *arguments)
    compare_seconds = time.perf_counter() - started
    assert found.exit_code == 1, found.output
    assert sorted(_findings(found.output)) == expected, found.output  # each one, once
    assert found.output.splitlines()[-1] == f"{4 * PLANTED} differences"
    count("compare rows", ROWS)
    count("compare differences planted and found", 4 * PLANTED)
    count("copy rows per second", round(ROWS / copy_seconds))
    count("compare rows per second (with differences)", round(ROWS / compare_seconds))
