"""``hexstudio describe``: what the catalog derives for an entity type, shown to a reader."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("HEXSTUDIO_CONFIG", "HEXSTUDIO_DOMAIN"):
        monkeypatch.delenv(name, raising=False)


def test_happy_path_describe_prints_every_derived_name_column_and_filter() -> None:
    result = runner.invoke(cli, ["describe", "productions"])
    assert result.exit_code == 0, result.output
    for derived in (
        "JSON:API type: productions",
        "budget_amount NUMERIC(18, 2) NOT NULL",
        "ix_productions_movie_id_starts_on_id (movie_id, starts_on, id)",
        "movie -> movies",
        "phases: in on phase (capability productions.phases)",
        "shoot_days.production_id (relationship shoot_days)",
        "shoot_days -> shoot_days (to-many by production_id)",
        "json:api include movie,shoot_days.location",
        "graphql get get_production_with_movie_and_shoot_days_location",
    ):
        assert derived in result.output


def test_happy_path_describe_json_names_the_unique_key() -> None:
    result = runner.invoke(cli, ["describe", "shoot_days", "--json"])
    view = json.loads(result.output)
    assert view["unique keys"] == ["slot (location_id, date): Conflict location_double_booked"]
    assert view["names"]["GraphQL fields"] == ["shootDay", "shootDays", "shootDaysByIds"]


def test_unhappy_path_an_unknown_type_names_the_choices() -> None:
    result = runner.invoke(cli, ["describe", "films"])
    assert result.exit_code == 2
    assert "choices: movies, locations, productions, shoot_days" in result.output


def test_unhappy_path_an_unknown_domain_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXSTUDIO_DOMAIN", "nowhere")
    result = runner.invoke(cli, ["describe", "movies"])
    assert result.exit_code == 2
    assert "domain: unknown domain 'nowhere' (choices:" in result.output


def test_happy_path_describe_names_the_personal_fields_and_what_caches_do_with_them() -> None:
    result = runner.invoke(cli, ["describe", "employees"])
    assert result.exit_code == 0, result.output
    assert (
        "personal data:\n"
        "  type (EntityType(personal=...)): yes\n"
        "  fields (Personal()): name\n"
        "  shared caches (Redis): never hold it\n"
    ) in result.output
    movies = json.loads(runner.invoke(cli, ["describe", "movies", "--json"]).output)
    assert movies["personal data"] == {
        "type (EntityType(personal=...))": "no",
        "fields (Personal())": "none",
        "shared caches (Redis)": "may hold it",
    }
