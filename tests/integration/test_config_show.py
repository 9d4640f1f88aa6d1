"""``hexstudio config show``: every effective setting, the sources' own options included."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("HEXSTUDIO_CONFIG", "HEXSTUDIO_DATA_SOURCE__DEFAULT"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "hexstudio.toml"
    path.write_text(
        '[data_source]\ndefault = "json_api"\n'
        'json_api = { url = "http://reader:hunter2@127.0.0.1:8000/api", retries = 4 }\n'
    )
    path.chmod(0o600)
    return path


def test_happy_path_config_show_lists_the_sources_options_with_their_defaults(
    configured: Path,
) -> None:
    result = runner.invoke(cli, ["config", "show"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = {line.split(" = ")[0].strip(): line for line in result.output.splitlines()}
    assert lines["data_source.json_api.retries"].endswith(f"= 4  # file {configured.name}")
    assert lines["data_source.json_api.timeout"].endswith("= 10.0  # default")
    assert lines["data_source.sql.url"].endswith('= "sqlite+aiosqlite:///hexstudio.db"  # default')
    assert "hunter2" not in result.output
    assert "reader:********@" in lines["data_source.json_api.url"]
    # One setting per line, never folded: every line holds a key, a value and its origin.
    assert all(" = " in line and "  # " in line for line in result.output.splitlines())
