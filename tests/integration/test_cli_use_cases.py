"""The use-case commands over a real SQLite file, as a user would run them."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture(autouse=True)
def _sqlite_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEXSTUDIO_CONFIG", raising=False)
    monkeypatch.setenv("HEXSTUDIO_DATA_SOURCE__DEFAULT", "sql")
    monkeypatch.setenv("HEXSTUDIO_DATA_SOURCE__SQL__URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0


def ok(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_happy_path_a_production_from_registration_to_rescheduling() -> None:
    movie = ok(
        "movies",
        "add",
        "--title",
        "Tin Lanterns",
        "--genre",
        "drama",
        "--genre",
        "comedy",
        "--release-year",
        "2028",
    )
    assert movie["genres"] == ["comedy", "drama"]
    assert ok("movies", "show", movie["id"]) == movie
    place = ok(
        "locations",
        "add",
        "--name",
        "Quay",
        "--city",
        "Porto",
        "--country",
        "pt",
        "--latitude",
        "41.14",
        "--longitude",
        "-8.61",
    )
    overview = ok(
        "productions",
        "onboard",
        "--movie",
        movie["id"],
        "--amount",
        "1200000",
        "--currency",
        "EUR",
        "--starts-on",
        "2027-05-01",
        "--wraps-on",
        "2027-06-30",
        "--shoot",
        f"{place['id']}@2027-05-03",
        "--shoot",
        f"{place['id']}@2027-05-04",
    )
    production = overview["production"]
    assert production["budget"] == {"amount": "1200000.00", "currency": "EUR"}
    advanced = ok(
        "productions",
        "advance",
        production["id"],
        "--to",
        "principal_photography",
        "--expected-version",
        "1",
    )
    assert advanced["version"] == 2
    day = overview["shoot_days"][0]
    moved = ok(
        "shoot-days", "reschedule", day["id"], "--date", "2027-05-10", "--expected-version", "1"
    )
    assert moved["date"] == "2027-05-10"
    cancelled = runner.invoke(
        cli, ["shoot-days", "cancel", overview["shoot_days"][1]["id"], "--expected-version", "1"]
    )
    assert cancelled.exit_code == 0, cancelled.output
    shown = ok("productions", "show", production["id"])
    assert [d["date"] for d in shown["shoot_days"]] == ["2027-05-10"]
    assert [m["id"] for m in ok("movies", "list", "--genre", "comedy")] == [movie["id"]]
    assert [p["id"] for p in ok("locations", "list", "--country", "PT")] == [place["id"]]


def test_happy_path_tables_without_json() -> None:
    result = runner.invoke(cli, ["movies", "add", "--title", "Readable"])
    assert result.exit_code == 0
    assert "Readable" in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["movies", "add", "--title", ""], "title"),
        (["movies", "list", "--size", "501"], "size"),
        (["movies", "show", "9b6f0a4e-1d7e-4a43-bb8e-7b0f7c1f3a55"], "not_found"),
        (
            [
                "productions",
                "onboard",
                "--movie",
                "9b6f0a4e-1d7e-4a43-bb8e-7b0f7c1f3a55",
                "--amount",
                "1",
                "--currency",
                "EUR",
                "--starts-on",
                "2027-01-01",
                "--wraps-on",
                "2027-01-02",
                "--shoot",
                "nope",
            ],
            "--shoot",
        ),
        (
            [
                "locations",
                "add",
                "--name",
                "x",
                "--city",
                "y",
                "--country",
                "XX",
                "--latitude",
                "0",
                "--longitude",
                "0",
            ],
            "country",
        ),
    ],
)
def test_unhappy_path_bad_input_is_one_line_and_exit_2(args: list[str], needle: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unhappy_path_an_unreachable_source_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    # A port nothing listens on: the connection is refused at once.
    monkeypatch.setenv(
        "HEXSTUDIO_DATA_SOURCE__SQL__URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none"
    )
    result = runner.invoke(cli, ["movies", "list"])
    assert result.exit_code == 1, result.output
    assert "data_source_unavailable" in result.output
