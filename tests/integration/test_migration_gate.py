"""``hexstudio migration status`` and ``check`` against a running service's shadow figures."""

from __future__ import annotations

import httpx
from typer.testing import CliRunner

from app.cli import cli
from app.service import create_app_from_settings
from app.service.threaded import serve_in_thread
from app.settings import Settings

runner = CliRunner()
JSONAPI = {"Content-Type": "application/vnd.api+json"}


def _served(shadow_to: str) -> Settings:
    return Settings(
        data_source={  # type: ignore[arg-type]
            "default": "memory",
            "twin": {"kind": "memory"},
        },
        repositories={"movies": {"shadow": {"to": shadow_to, "timeout": 1.0}}},  # type: ignore[arg-type]
        service={"data_source": "memory"},  # type: ignore[arg-type]
    )


def test_happy_path_status_shows_the_shadow_and_check_refuses_a_lying_target() -> None:
    with serve_in_thread(create_app_from_settings(_served("twin"))) as base:
        body = {"data": {"type": "movies", "attributes": {"title": "Only on the primary"}}}
        created = httpx.post(f"{base}/api/movies", json=body, headers=JSONAPI).json()["data"]
        for _ in range(20):
            assert httpx.get(f"{base}/api/movies/{created['id']}").status_code == 200
        # Shadow reads finish off the request path: wait until the service has counted them.
        for _ in range(200):
            report = httpx.get(f"{base}/_migration").json()
            if report["repositories"]["movies"]["comparisons"] >= 20:
                break
        shown = runner.invoke(cli, ["migration", "status", "--service-url", base])
        gated = runner.invoke(
            cli,
            [
                "migration",
                "check",
                "movies",
                "--to",
                "twin",
                "--service-url",
                base,
                "--min-comparisons",
                "10",
            ],
        )
        too_few = runner.invoke(
            cli, ["migration", "check", "movies", "--to", "twin", "--service-url", base]
        )
    assert shown.exit_code == 0, shown.output
    assert "movies: memory, shadow twin (100%, 1 s)" in shown.output
    assert "20 compared, 20 differed (100.00%" in shown.output
    assert f"differs: movies get {created['id']}: error: none != NotFound" in shown.output
    assert gated.exit_code == 1
    assert "do not promote" in gated.output
    assert too_few.exit_code == 1
    assert "fewer than 1000; keep shadowing" in too_few.output


def test_unhappy_path_check_of_a_repository_without_that_shadow_is_refused() -> None:
    with serve_in_thread(create_app_from_settings(_served("twin"))) as base:
        result = runner.invoke(
            cli, ["migration", "check", "movies", "--to", "sql", "--service-url", base]
        )
    assert result.exit_code == 1
    assert "movies: no shadow on sql" in result.output
