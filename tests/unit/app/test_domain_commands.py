"""``hexstudio.commands``: a domain's own commands, found by its name."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from typing import Any

import pytest

from app.cli import domain_commands
from app.errors import ConfigError


def _registered(monkeypatch: pytest.MonkeyPatch, *values: str) -> None:
    points = [EntryPoint("studio", value, domain_commands.ENTRY_POINT_GROUP) for value in values]
    monkeypatch.setattr(domain_commands, "entry_points", lambda group: points)
    domain_commands.commands_for.cache_clear()


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    yield
    domain_commands.commands_for.cache_clear()  # the real entry points for the next test


def test_happy_path_the_studio_s_commands_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    _registered(monkeypatch, "app.cli.studio_commands:COMMANDS")
    assert {"movies", "productions", "seed", "slate", "demo"} <= set(
        domain_commands.commands_for("studio")
    )
    assert domain_commands.commands_for("medium") == {}  # the studio's are not medium's


def test_unhappy_path_two_registrations_for_one_domain_are_refused_naming_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _registered(monkeypatch, "app.cli.studio_commands:COMMANDS", "theirs.cli:COMMANDS")
    with pytest.raises(ConfigError) as refused:
        domain_commands.commands_for("studio")
    assert str(refused.value) == (
        "hexstudio.commands: 'studio' is registered more than once: "
        "app.cli.studio_commands:COMMANDS, theirs.cli:COMMANDS"
    )


def test_unhappy_path_a_registration_that_is_not_a_typer_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _registered(monkeypatch, "app.cli.studio_commands:__doc__")
    with pytest.raises(ConfigError, match=r"not a typer\.Typer"):
        domain_commands.commands_for("studio")
