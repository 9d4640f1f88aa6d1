"""The committed ``schema.graphql`` is the schema the service serves; enums mirror the domain."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.cli.graphql_schema import sdl
from app.service.graphql.enums import Genre, Phase
from domain import Genre as DomainGenre
from domain import Phase as DomainPhase

COMMITTED = Path(__file__).resolve().parents[3] / "schema.graphql"


def test_committed_schema_graphql_matches_the_served_schema() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == sdl(), (
        "schema.graphql drifted: run `hexstudio graphql-schema --output schema.graphql`"
    )


def test_cli_prints_the_sdl_and_check_fails_on_drift(tmp_path: Path) -> None:
    printed = CliRunner().invoke(cli, ["graphql-schema"])
    assert printed.exit_code == 0
    assert printed.output == sdl()
    stale = tmp_path / "schema.graphql"
    stale.write_text("type Query { old: Int }\n")
    refused = CliRunner().invoke(cli, ["graphql-schema", "--output", str(stale), "--check"])
    assert refused.exit_code == 1
    assert CliRunner().invoke(cli, ["graphql-schema", "--output", str(stale)]).exit_code == 0
    assert stale.read_text() == sdl()


@pytest.mark.parametrize(("mirror", "domain"), [(Phase, DomainPhase), (Genre, DomainGenre)])
def test_graphql_enums_mirror_the_domain_enums(mirror: type, domain: type) -> None:
    assert {m.name: m.value for m in mirror} == {m.name: m.value for m in domain}
