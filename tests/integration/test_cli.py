import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("HEXSTUDIO_CONFIG", "HEXSTUDIO_DATA_SOURCE__DEFAULT"):
        monkeypatch.delenv(name, raising=False)


def test_happy_path_conformance_memory_passes_with_a_json_report() -> None:
    result = runner.invoke(cli, ["conformance", "memory", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True
    assert report["counts"]["FAIL"] == 0
    assert report["counts"]["PASS"] == len(report["results"]) > 30
    assert {r["capability"] for r in report["results"]} >= {"reads", "filters", "atomic_commit"}


def test_happy_path_conformance_table_reports_per_capability() -> None:
    result = runner.invoke(cli, ["conformance", "memory"])
    assert result.exit_code == 0, result.output
    assert "atomic_commit: 2 PASS" in result.output
    assert " passed, 0 failed, 0 skipped" in result.output


def test_unhappy_path_unknown_data_source_names_the_choices() -> None:
    result = runner.invoke(cli, ["conformance", "nosuch"])
    assert result.exit_code == 2
    assert "unknown data source 'nosuch'" in result.output
    assert "memory" in result.output
    assert "Traceback" not in result.output


def test_unhappy_path_options_for_a_source_that_takes_none(tmp_path: Path) -> None:
    (tmp_path / "hexstudio.toml").write_text('[data_source.memory]\npath = "x"\n')
    result = runner.invoke(cli, ["conformance", "memory"])
    assert result.exit_code == 2
    assert "data_source.memory.path" in result.output


def test_unhappy_path_a_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXSTUDIO_CONFIG", "/nonexistent/hexstudio.toml")
    result = runner.invoke(cli, ["conformance", "memory"])
    assert result.exit_code == 2
    assert "HEXSTUDIO_CONFIG" in result.output


def test_happy_path_demo_shows_identical_results_and_exits_0() -> None:
    result = runner.invoke(cli, ["demo"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    for configuration in ("sql", "json_api", "graphql", "mixed"):
        assert configuration in result.output
    assert "identical results from every configuration" in result.output
    # The shadow step: a copy of the store with one title changed behind the ports' back.
    assert "a shadow over a copy with one planted difference: 6 reads compared, 1 differed" in (
        result.output
    )
    assert re.search(r"\n  movies: [0-9a-f-]{36}\.title\n", result.output), result.output
    # Readable at 80 columns: nothing cut short with an ellipsis, no line wider.
    assert "…" not in result.output
    assert max(map(len, result.output.splitlines())) <= 80


def test_happy_path_locations_list_keeps_each_id_whole_at_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"HEXSTUDIO_DATA_SOURCE__SQL__URL": f"sqlite+aiosqlite:///{tmp_path / 'list.db'}"}
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(cli, ["seed"], env=env).exit_code == 0
    listed = runner.invoke(cli, ["locations", "list", "--json"], env=env)
    ids = [location["id"] for location in json.loads(listed.output)]
    shown = runner.invoke(cli, ["locations", "list"], env={**env, "COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    assert max(map(len, shown.output.splitlines()[:-1])) <= 80  # all but the cursor line
    for id in ids:
        assert id in shown.output  # on one line, so it can be copied into --shoot


def test_happy_path_the_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("hexstudio")
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "conformance" in done.stdout


def test_doctor_reports_a_missing_sqlite_file_without_creating_it(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["doctor"], env={"HEXSTUDIO_DATA_SOURCE__DEFAULT": "sql"})
    assert result.exit_code == 1, result.output
    assert "no database file at hexstudio.db" in result.output
    assert not (tmp_path / "hexstudio.db").exists()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    healthy = runner.invoke(cli, ["doctor"], env={"HEXSTUDIO_DATA_SOURCE__DEFAULT": "sql"})
    assert healthy.exit_code == 0, healthy.output
    assert "schema current" in healthy.output


def _movies_in(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM movies").fetchone()
    return int(count)


def test_happy_path_conformance_sql_leaves_the_configured_database_alone(tmp_path: Path) -> None:
    database = tmp_path / "work.db"
    env = {"HEXSTUDIO_DATA_SOURCE__SQL__URL": f"sqlite+aiosqlite:///{database}"}
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    result = runner.invoke(cli, ["conformance", "sql"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("store: a scratch store, deleted after: sqlite")
    assert str(database) not in result.output.splitlines()[0]
    assert _movies_in(database) == 0
    in_place = runner.invoke(cli, ["conformance", "sql", "--in-place"], env=env)
    assert in_place.exit_code == 0, in_place.output
    assert str(database) in in_place.output.splitlines()[0]
    assert _movies_in(database) > 0


def test_unhappy_path_conformance_of_a_source_without_scratch_needs_in_place() -> None:
    env = {"HEXSTUDIO_DATA_SOURCE__JSON_API__URL": "http://127.0.0.1:9/api"}
    result = runner.invoke(cli, ["conformance", "json_api"], env=env)
    assert result.exit_code == 2
    assert "--in-place" in result.output
    assert "[data_source.json_api]" in result.output
