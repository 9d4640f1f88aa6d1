"""The README, run as written: its Python snippet, and its swap (TOML plus two commands).

A newcomer follows the README literally; if a block of it stops working, this fails. The only
change made to what the README says is the service's port (a free one instead of 8000).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.support.live_service import live_service

README = Path(__file__).parents[2] / "README.md"
runner = CliRunner()


def _block(language: str, after: str) -> str:
    """The first ``language`` code block after the heading ``after``."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(f"## {after}") :]
    found = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert found is not None, f"no {language} block under {after!r}"
    return found.group(1)


def test_happy_path_the_python_snippet_runs_as_written(tmp_path: Path) -> None:
    snippet = _block("python", "Use it")
    done = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Paper Moons version 1\n"


def _slate(env: dict[str, str | None]) -> str:
    result = runner.invoke(cli, ["slate", "--json"], env={"HEXSTUDIO_CONFIG": None, **env})
    assert result.exit_code == 0, result.output
    return result.output


def test_happy_path_the_swap_toml_works_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with live_service(tmp_path, database="hexstudio.db") as service:
        monkeypatch.chdir(tmp_path)  # where the README's commands ran: ./hexstudio.db
        env: dict[str, str | None] = {"HEXSTUDIO_DATA_SOURCE__DEFAULT": None}
        seeded = runner.invoke(cli, ["seed"], env={**env, "HEXSTUDIO_CONFIG": None})
        assert seeded.exit_code == 0, seeded.output
        from_sql = _slate(env)
        toml = _block("toml", "The swap").replace("http://127.0.0.1:8000", service.base_url)
        Path("hexstudio.toml").write_text(toml, encoding="utf-8")
        swapped = _slate(env)
        flipped = _slate({"HEXSTUDIO_DATA_SOURCE__DEFAULT": "graphql"})
    assert len(from_sql) > 10_000  # the whole seeded slate
    assert swapped == from_sql
    assert flipped == from_sql
    # The same bytes came through the service: with it stopped, the swapped command fails.
    stopped = runner.invoke(cli, ["slate", "--json"], env={"HEXSTUDIO_CONFIG": None})
    assert stopped.exit_code != 0
    assert "json_api" in stopped.output or "graphql" in stopped.output, stopped.output
