"""``hexstudio seed`` checks before it writes, and says "already there" only when it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    for name in ("HEXSTUDIO_CONFIG", "HEXSTUDIO_DATA_SOURCE__DEFAULT"):
        monkeypatch.delenv(name, raising=False)
    database = {"HEXSTUDIO_DATA_SOURCE__SQL__URL": f"sqlite+aiosqlite:///{tmp_path / 's.db'}"}
    assert runner.invoke(cli, ["db", "upgrade"], env=database).exit_code == 0
    return database


def _count(env: dict[str, str], table: str) -> int:
    path = env["HEXSTUDIO_DATA_SOURCE__SQL__URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(count)


def test_unhappy_path_routes_that_split_a_reference_are_refused_before_any_write(
    env: dict[str, str],
) -> None:
    split = {**env, "HEXSTUDIO_REPOSITORIES__MOVIES": "memory"}
    result = runner.invoke(cli, ["seed"], env=split)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: configuration error: repositories.productions: writes go to")
    assert "movie_id refers to movies, written to memory" in line
    assert _count(env, "locations") == 0  # nothing was written before the refusal


def test_unhappy_path_a_partly_seeded_store_is_not_called_seeded(env: dict[str, str]) -> None:
    assert runner.invoke(cli, ["seed"], env=env).exit_code == 0
    again = runner.invoke(cli, ["seed"], env=env)
    assert again.exit_code == 0
    assert again.output.strip() == "the sample slate is already there; nothing to do"
    path = env["HEXSTUDIO_DATA_SOURCE__SQL__URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as connection:
        for table in ("shoot_days", "employees", "productions"):
            connection.execute(f"DELETE FROM {table}")
    partly = runner.invoke(cli, ["seed"], env=env)
    assert partly.exit_code != 0
    assert "the sample slate is partly there (movies yes, locations yes, productions no)" in (
        partly.stderr
    )
    assert _count(env, "productions") == 0
