"""The swap itself: the same slate from sql, json_api and graphql, changing the environment only."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.support.live_service import LiveService, live_service

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with live_service(tmp_path_factory.mktemp("swap")) as service:
        env = {
            "HEXSTUDIO_DATA_SOURCE__DEFAULT": "sql",
            "HEXSTUDIO_DATA_SOURCE__SQL__URL": service.database_url,
        }
        seeded = runner.invoke(cli, ["seed"], env=env)
        assert seeded.exit_code == 0, seeded.output
        yield service


def slate(service: LiveService, default: str, **extra: str) -> str:
    env: dict[str, str | None] = {
        "HEXSTUDIO_CONFIG": None,
        "HEXSTUDIO_DATA_SOURCE__DEFAULT": default,
        "HEXSTUDIO_DATA_SOURCE__SQL__URL": service.database_url,
        "HEXSTUDIO_DATA_SOURCE__JSON_API__URL": f"{service.base_url}/api",
        "HEXSTUDIO_DATA_SOURCE__GRAPHQL__URL": f"{service.base_url}/graphql",
        **extra,
    }
    result = runner.invoke(cli, ["slate", "--json"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_happy_path_every_source_prints_the_same_bytes(
    seeded: LiveService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no hexstudio.toml around
    outputs = {name: slate(seeded, name) for name in ("sql", "json_api", "graphql")}
    assert len(outputs["sql"]) > 10_000  # the whole seeded slate, several pages of it
    assert outputs["json_api"] == outputs["sql"]
    assert outputs["graphql"] == outputs["sql"]


def test_happy_path_moving_movie_reads_to_graphql_and_back(
    seeded: LiveService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = slate(seeded, "json_api")
    moved = slate(seeded, "json_api", HEXSTUDIO_REPOSITORIES__MOVIES__READ="graphql")
    rolled_back = slate(seeded, "json_api")
    assert moved == before == rolled_back
