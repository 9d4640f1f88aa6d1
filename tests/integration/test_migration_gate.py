"""``hexstudio migration status`` and ``check``: the shadow figures, the target's reads, its pact.

Every test serves a real service on a free port and gates a real target source built from a
hexstudio.toml of its own (``--config``): a memory twin, a JSON:API service over SQLite, or a
source broken on purpose (tests.support.broken_source).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from app.cli import cli, migration_target
from app.cli.migration_gate import EXIT_NOT_ENOUGH
from app.contracts.verify import default_pact_dir
from app.service import create_app_from_settings
from app.service.threaded import serve_in_thread
from app.settings import Settings
from tests.support import broken_source
from tests.support.live_service import LiveService, live_service

runner = CliRunner()
JSONAPI = {"Content-Type": "application/vnd.api+json"}
JSON_API_PACT = "hexstudio-json-api-adapter-hexstudio-service.json"


def _served(twin: dict[str, object], primary: dict[str, object] | None = None) -> Settings:
    """A service reading movies from ``primary`` (memory) with every read shadowed on twin."""
    return Settings(
        data_source={  # type: ignore[arg-type]
            "default": "primary",
            "primary": primary or {"kind": "memory"},
            "twin": twin,
        },
        repositories={"movies": {"shadow": {"to": "twin", "timeout": 2.0}}},  # type: ignore[arg-type]
        service={"data_source": "primary"},  # type: ignore[arg-type]
    )


def _config(folder: Path, twin: str) -> Path:
    """A hexstudio.toml naming the target as the gate's --config reads it."""
    path = folder / "hexstudio.toml"
    path.write_text(f"[data_source.twin]\n{twin}\n")
    path.chmod(0o600)
    return path


def _compared(base: str, reads: int, ids: list[str] | None = None) -> None:
    """Read movies ``reads`` times, then wait until the service has compared them all."""
    for i in range(reads):
        id = ids[i % len(ids)] if ids else str(uuid4())
        assert httpx.get(f"{base}/api/movies/{id}").status_code in (200, 404)
    deadline = time.monotonic() + 30  # shadows finish off the request path
    while time.monotonic() < deadline:
        figures = httpx.get(f"{base}/_migration").json()["repositories"]["movies"]
        if figures["comparisons"] >= reads:
            return
    raise AssertionError(f"the service compared {figures['comparisons']} of {reads} reads")


def _gate(base: str, config: Path, *more: str) -> Result:
    arguments = ["migration", "check", "movies", "--to", "twin", "--service-url", base]
    return runner.invoke(cli, [*arguments, "--config", str(config), *more])


def _lines(result: Result, verdict: str) -> list[str]:
    """The check names printed with ``verdict`` (PASS, FAIL, SKIP, N/A)."""
    return [
        line[5:].split(":")[0]
        for line in result.output.splitlines()
        if line.startswith(f"{verdict:<4} ")
    ]


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[LiveService]:
    """The reference service over SQLite, with its Pact state endpoint, holding 12 movies."""
    with live_service(tmp_path, provider_states=True) as service:
        for i in range(12):
            body = {"data": {"type": "movies", "attributes": {"title": f"Gate movie {i}"}}}
            response = httpx.post(
                f"{service.base_url}/api/movies",
                json=body,
                headers={**JSONAPI, "Authorization": f"Bearer {service.token}"},
            )
            assert response.status_code == 201, response.text
        yield service


def _twin_over(service: LiveService) -> dict[str, object]:
    return {"kind": "json_api", "url": f"{service.base_url}/api", "token": service.token}


def _movie_ids(service: LiveService) -> list[str]:
    listed = httpx.get(f"{service.base_url}/api/movies").json()["data"]
    return [movie["id"] for movie in listed]


def test_happy_path_a_json_api_target_that_agrees_reads_right_and_honours_its_pact(
    provider: LiveService, tmp_path: Path
) -> None:
    # The primary reads the provider's database itself; the shadow reads it over JSON:API.
    primary = {"kind": "sql", "url": provider.database_url}
    with serve_in_thread(create_app_from_settings(_served(_twin_over(provider), primary))) as base:
        _compared(base, 24, _movie_ids(provider))
        twin = f'kind = "json_api"\nurl = "{provider.base_url}/api"\ntoken = "{provider.token}"'
        result = _gate(base, _config(tmp_path, twin), "--min-comparisons", "20")
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    assert {"shadow comparisons", "shadow mismatch rate"} <= set(_lines(result, "PASS"))
    assert "kit live_get_agrees_with_list" in _lines(result, "PASS")
    assert "kit live_filters_match_what_they_return" in _lines(result, "PASS")
    assert f"PASS pact {JSON_API_PACT}: 38 of 38 interactions passed" in result.output
    assert result.output.rstrip().endswith("movies -> twin: ready to promote")


def test_happy_path_skipped_checks_are_printed_as_skipped_and_pass_nothing(
    tmp_path: Path,
) -> None:
    with serve_in_thread(create_app_from_settings(_served({"kind": "memory"}))) as base:
        _compared(base, 5)  # unknown ids: both sides answer NotFound, so they agree
        config = _config(tmp_path, 'kind = "memory"')
        skipped = _gate(base, config, "--min-comparisons", "5", "--skip-kit", "--skip-pact")
        without_pact = _gate(base, config, "--min-comparisons", "5")
    assert skipped.exit_code == 0, skipped.output
    assert _lines(skipped, "SKIP") == ["kit", "pact"]
    assert "SKIP kit: --skip-kit" in skipped.output
    assert without_pact.exit_code == 0, without_pact.output
    # A kind without a pact is neither a pass nor a failure: a line of its own.
    assert "N/A  pact: no pact for kind memory" in without_pact.output
    assert "pact" not in _lines(without_pact, "PASS") + _lines(without_pact, "FAIL")


def test_unhappy_path_a_mismatch_rate_over_the_threshold_fails(tmp_path: Path) -> None:
    with serve_in_thread(create_app_from_settings(_served({"kind": "memory"}))) as base:
        body = {"data": {"type": "movies", "attributes": {"title": "Only on the primary"}}}
        created = httpx.post(f"{base}/api/movies", json=body, headers=JSONAPI).json()["data"]
        _compared(base, 20, [created["id"]])
        shown = runner.invoke(cli, ["migration", "status", "--service-url", base])
        gated = _gate(base, _config(tmp_path, 'kind = "memory"'), "--min-comparisons", "10")
        early = _gate(base, _config(tmp_path, 'kind = "memory"'))  # 20 of the 1000 needed
    assert shown.exit_code == 0, shown.output
    assert "movies: primary, shadow twin (100%, 2 s)" in shown.output
    assert "20 compared, 20 differed (100.00%" in shown.output
    assert f"differs: movies get {created['id']}: error: none != NotFound" in shown.output
    assert gated.exit_code == 1, gated.output
    assert "shadow mismatch rate" in _lines(gated, "FAIL")
    assert "FAIL shadow mismatch rate: 100.000% (noise 0.000%)" in gated.output
    assert "1 check(s) failed; do not promote" in gated.output
    # A failure wins over too few comparisons: more of them would not make it pass.
    assert early.exit_code == 1, early.output
    assert _lines(early, "FAIL") == ["shadow comparisons", "shadow mismatch rate"]


def test_unhappy_path_too_few_comparisons_exits_with_its_own_code(tmp_path: Path) -> None:
    with serve_in_thread(create_app_from_settings(_served({"kind": "memory"}))) as base:
        _compared(base, 5)
        result = _gate(base, _config(tmp_path, 'kind = "memory"'))
    assert result.exit_code == EXIT_NOT_ENOUGH == 3, result.output
    assert "FAIL shadow comparisons: 5 of the 1000 needed; keep shadowing" in result.output
    assert "shadow mismatch rate" in _lines(result, "PASS")
    assert "not enough comparisons yet; keep shadowing" in result.output


def test_unhappy_path_a_target_whose_filters_are_broken_fails_the_kit_read_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with broken_source.registered(monkeypatch):
        settings = _served({"kind": broken_source.KIND})
        with serve_in_thread(create_app_from_settings(settings)) as base:
            _compared(base, 10)
            result = _gate(
                base, _config(tmp_path, f'kind = "{broken_source.KIND}"'), "--min-comparisons", "10"
            )
    assert result.exit_code == 1, result.output
    assert _lines(result, "FAIL") == ["kit live_filters_match_what_they_return"]
    assert "which does not match it" in result.output
    # The other reads of the broken source are right, and pass.
    assert "kit live_get_agrees_with_list" in _lines(result, "PASS")
    assert f"N/A  pact: no pact for kind {broken_source.KIND}" in result.output


def test_unhappy_path_a_target_that_breaks_its_pact_fails_the_pact_check(
    provider: LiveService, tmp_path: Path
) -> None:
    # The pact a target must honour, with one expectation the service does not meet.
    pact = json.loads((default_pact_dir() / JSON_API_PACT).read_text())
    for interaction in pact["interactions"]:
        if interaction["response"]["status"] == 404:
            interaction["response"]["status"] = 410
            break
    else:
        raise AssertionError("the json_api pact has no 404 interaction to alter")
    altered = tmp_path / "pacts"
    altered.mkdir()
    (altered / JSON_API_PACT).write_text(json.dumps(pact))
    primary = {"kind": "sql", "url": provider.database_url}
    with serve_in_thread(create_app_from_settings(_served(_twin_over(provider), primary))) as base:
        _compared(base, 10, _movie_ids(provider))
        twin = f'kind = "json_api"\nurl = "{provider.base_url}/api"\ntoken = "{provider.token}"'
        config = _config(tmp_path, twin)
        result = _gate(base, config, "--min-comparisons", "10", "--pacts", str(altered))
    assert result.exit_code == 1, result.output
    assert _lines(result, "FAIL") == [f"pact {JSON_API_PACT}"]
    assert f"FAIL pact {JSON_API_PACT}: 37 of 38 interactions passed" in result.output
    assert "status: expected 410 but was 404" in result.output


def test_unhappy_path_a_provider_without_its_state_endpoint_fails_the_pact_before_sending(
    tmp_path: Path,
) -> None:
    # A production service: provider states off, so the gate writes nothing and says why.
    with live_service(tmp_path) as production:
        primary = {"kind": "sql", "url": production.database_url}
        settings = _served(_twin_over(production), primary)
        with serve_in_thread(create_app_from_settings(settings)) as base:
            _compared(base, 5)
            twin = f'kind = "json_api"\nurl = "{production.base_url}/api"'
            result = _gate(base, _config(tmp_path, twin), "--min-comparisons", "5")
    assert result.exit_code == 1, result.output
    assert _lines(result, "FAIL") == [f"pact {JSON_API_PACT}"]
    assert "has no state endpoint" in result.output
    assert "--pact-provider-url" in result.output


def test_unhappy_path_a_pact_that_cannot_be_verified_fails_rather_than_passing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with live_service(tmp_path) as target:
        settings = _served(_twin_over(target), {"kind": "sql", "url": target.database_url})
        with serve_in_thread(create_app_from_settings(settings)) as base:
            _compared(base, 5)
            config = _config(tmp_path, f'kind = "json_api"\nurl = "{target.base_url}/api"')
            no_pacts = _gate(base, config, "--min-comparisons", "5", "--pacts", "missing/")
            real_find_spec = migration_target.importlib.util.find_spec
            monkeypatch.setattr(
                migration_target.importlib.util,
                "find_spec",
                lambda name, *a: None if name == "pact" else real_find_spec(name, *a),
            )
            no_verifier = _gate(base, config, "--min-comparisons", "5")
    assert no_pacts.exit_code == 1, no_pacts.output
    assert "FAIL pact: no pact files at missing (--pacts)" in no_pacts.output
    assert no_verifier.exit_code == 1, no_verifier.output
    assert "the Pact verifier is not installed" in no_verifier.output


def test_unhappy_path_check_of_a_repository_without_that_shadow_is_refused() -> None:
    with serve_in_thread(create_app_from_settings(_served({"kind": "memory"}))) as base:
        result = runner.invoke(
            cli, ["migration", "check", "movies", "--to", "sql", "--service-url", base]
        )
    assert result.exit_code == 1
    assert "movies: no shadow on sql" in result.output


def test_unhappy_path_a_target_missing_from_the_configuration_is_bad_input(
    tmp_path: Path,
) -> None:
    with serve_in_thread(create_app_from_settings(_served({"kind": "memory"}))) as base:
        config = tmp_path / "hexstudio.toml"
        config.write_text("")
        config.chmod(0o600)
        result = _gate(base, config)
    assert result.exit_code == 2, result.output
    assert "--to: no data source 'twin' in the configuration" in result.output
