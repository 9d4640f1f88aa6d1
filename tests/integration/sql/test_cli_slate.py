"""``hexstudio db upgrade && hexstudio seed && hexstudio slate --json``, on every engine.

Each engine's output must equal, byte for byte, the slate the memory source gives for the same
seed: so the three engines agree with each other and with the reference.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.memory import MemoryDataSource
from adapters.sql import migrate
from app.bootstrap import bootstrap
from app.canonical import canonical_json
from app.cli import cli
from app.seed import seed
from app.settings import Settings
from domain import MAX_PAGE_SIZE, PageRequest
from tests.support.databases import ENGINES, empty_database

runner = CliRunner()


@pytest.fixture(params=ENGINES)
async def fresh_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """An empty database: the slate must hold the seed and nothing else."""
    async with empty_database(request.param, tmp_path_factory.mktemp("cli")) as url:
        yield url


@pytest.fixture
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working directory without hexstudio.toml and an environment without HEXSTUDIO_*."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("HEXSTUDIO_"):
            monkeypatch.delenv(name)
    return tmp_path


@pytest.fixture(scope="module")
async def reference_slate() -> str:
    """The seeded slate as the memory source prints it."""
    async with bootstrap(Settings(), source=MemoryDataSource()) as container:
        report = await seed(container.interactors)
        page = await container.interactors.list_slate(page=PageRequest(size=MAX_PAGE_SIZE))
    assert len(page.items) == report.productions > PageRequest().size, "the seed must page"
    return canonical_json(list(page.items)) + "\n"


def _hexstudio(*args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_db_upgrade_seed_slate_prints_the_reference_slate(
    fresh_url: str, no_config: Path, reference_slate: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if fresh_url.startswith("sqlite"):
        database = no_config / "hexstudio.db"  # the default: no configuration at all
    else:
        monkeypatch.setenv("HEXSTUDIO_DATA_SOURCE__SQL__URL", fresh_url)
    assert f"revision {migrate.head()}" in _hexstudio("db", "upgrade")
    assert "seeded 60 movies" in _hexstudio("seed")
    assert "already there" in _hexstudio("seed")
    assert _hexstudio("slate", "--json") == reference_slate
    if fresh_url.startswith("sqlite"):
        assert database.is_file()
    assert "base (empty)" in _hexstudio("db", "downgrade", "base")
    assert f"revision base (empty) (newest: {migrate.head()})" in _hexstudio("db", "current")


def test_db_upgrade_refuses_a_bad_url_naming_the_key(
    no_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEXSTUDIO_DATA_SOURCE__SQL__URL", "oracle://x/y")
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "data_source.sql.url: " in result.output
