"""``hexstudio <plural> list|show``: generic reads of every entity type, with no CLI code each."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.seed import seed_id

runner = CliRunner()


@pytest.fixture(autouse=True)
def seeded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("HEXSTUDIO_CONFIG", "HEXSTUDIO_DOMAIN", "HEXSTUDIO_DATA_SOURCE__DEFAULT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HEXSTUDIO_DATA_SOURCE__SQL__URL", f"sqlite+aiosqlite:///{tmp_path}/s.db")
    for command in (["db", "upgrade"], ["seed"]):
        assert runner.invoke(cli, command).exit_code == 0


def _json(*args: str) -> object:
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_happy_path_every_type_lists_with_its_declared_filters() -> None:
    wrapped = _json("productions", "list", "--filter", "phases=wrapped,cancelled", "--size", "500")
    assert isinstance(wrapped, list)
    assert wrapped
    assert {p["phase"] for p in wrapped} <= {"wrapped", "cancelled"}
    days = _json("shoot-days", "list", "--filter", "date_from=2027-06-01", "--size", "3")
    assert isinstance(days, list)
    assert len(days) == 3
    assert all(d["date"] >= "2027-06-01" for d in days)


def test_happy_path_show_reads_one_by_id_and_a_declared_group_keeps_its_commands() -> None:
    location = _json("locations", "show", str(seed_id("location", 0)))
    assert isinstance(location, dict)
    assert location["id"] == str(seed_id("location", 0))
    help_text = runner.invoke(cli, ["shoot-days", "--help"]).output
    for command in ("reschedule", "cancel", "show", "list"):
        assert command in help_text


def test_unhappy_path_a_bad_filter_or_a_missing_id_is_one_line_and_exit_2() -> None:
    bad = runner.invoke(cli, ["shoot-days", "list", "--filter", "colour=red"])
    assert bad.exit_code == 2
    assert "colour" in bad.output
    missing = runner.invoke(cli, ["shoot-days", "show", "00000000-0000-0000-0000-000000000000"])
    assert missing.exit_code == 2
    assert "not_found" in missing.output
