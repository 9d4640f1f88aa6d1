"""A database that was never migrated: one clear line, no empty file left behind, no service.

Before, every command connected and so created an empty ``hexstudio.db`` in the working
directory, and ``hexstudio serve`` started and answered every request with an error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from app.bootstrap import bootstrap
from app.settings import Settings
from domain import MOVIES, DataSourceError

HEXSTUDIO = Path(sys.executable).with_name("hexstudio")


def _hexstudio(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    return subprocess.run(
        [str(HEXSTUDIO), *args], cwd=directory, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("command", [["slate"], ["movies", "list"], ["serve", "--port", "0"]])
def test_unhappy_path_no_database_file_is_one_line_and_creates_none(
    tmp_path: Path, command: list[str]
) -> None:
    done = _hexstudio(tmp_path, *command)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: data_source_error: no database file at hexstudio.db: "
        "run `hexstudio db upgrade` to create it"
    ]
    assert not (tmp_path / "hexstudio.db").exists()


def test_unhappy_path_serve_refuses_a_database_without_the_schema(tmp_path: Path) -> None:
    (tmp_path / "hexstudio.db").touch()  # a file, but never migrated
    done = _hexstudio(tmp_path, "serve", "--port", "0")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Uvicorn running" not in done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "no such table" in line
    assert "hexstudio db upgrade" in line


async def test_unhappy_path_bootstrap_reads_fail_naming_the_command(tmp_path: Path) -> None:
    database = tmp_path / "never.db"
    settings = Settings(data_source={"sql": {"url": f"sqlite+aiosqlite:///{database}"}})  # type: ignore[arg-type]
    async with bootstrap(settings) as container:
        with pytest.raises(DataSourceError, match="hexstudio db upgrade"):
            async with container.uow() as uow:
                await uow.repository(MOVIES).get(uuid4())
    assert not database.exists()
