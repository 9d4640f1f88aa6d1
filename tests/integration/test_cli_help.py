"""Every command's ``--help``: readable metavars, and no text lost to rich's markup.

typer prints Python types as metavars (``<bool>``, ``<list[str]>``) unless told otherwise,
and rich reads ``[data_source.sql]`` as a markup tag and drops it. This walks the whole
command tree, for the studio and for the medium domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()
_BOX = re.compile(r"[│╭╮╰╯─┃━]+")
# A Python type after an option, or a lowercase placeholder ({name}). typer's Arguments panel
# keeps a type column of its own (NAME <str>), which reads as a type, not as a metavar.
_TYPE_METAVAR = re.compile(r"--[a-z-]+ +<[^>]+>|\{[a-z_]+\}")


def _paths(command: Any, ctx: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            yield from _paths(sub, typer.Context(sub), (*prefix, name))


def _command_paths(domain: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    monkeypatch.setenv("HEXSTUDIO_DOMAIN", domain)
    root = typer.main.get_command(cli)
    return list(_paths(root, typer.Context(root)))


def _flat(text: str) -> str:
    return " ".join(_BOX.sub(" ", text).split())


def _bracketed_help(command: Any) -> list[str]:
    """Every ``[...]`` the command's help strings mean to show (``\\[`` escapes rich)."""
    texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
    return [m for t in texts for m in re.findall(r"\\(\[[^\]]+\])", t)]


@pytest.mark.parametrize("domain", ["studio", "medium"])
def test_happy_path_every_help_has_readable_metavars_and_keeps_its_brackets(
    domain: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _command_paths(domain, monkeypatch)
    assert len(paths) > 20  # the whole tree, generic reads included
    root = typer.main.get_command(cli)
    for path in paths:
        result = runner.invoke(cli, [*path, "--help"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, (path, result.output)
        shown = _flat(result.output)
        found = _TYPE_METAVAR.search(shown)
        assert found is None, f"hexstudio {' '.join(path)} --help shows {found.group()!r}"
        command: Any = root
        for name in path:
            command = command.get_command(typer.Context(command), name)
        for bracketed in _bracketed_help(command):
            assert bracketed in shown, f"hexstudio {' '.join(path)} --help lost {bracketed}"


def test_happy_path_the_studio_lists_its_own_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """``hexstudio.commands: studio`` adds the use-case commands while the studio is the domain."""
    top = {path[0] for path in _command_paths("studio", monkeypatch) if len(path) == 1}
    assert {"movies", "productions", "shoot-days", "locations", "seed", "slate", "demo"} <= top
    assert {"employees", "serve", "db", "migration"} <= top  # generic reads and commands


def test_unhappy_path_another_domain_lists_none_of_the_studios_commands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    top = {path[0] for path in _command_paths("medium", monkeypatch) if len(path) == 1}
    assert not {"movies", "productions", "shoot-days", "locations", "seed", "slate", "demo"} & top
    assert {"people", "posts", "serve", "db", "migration"} <= top


@pytest.mark.parametrize("domain", ["studio", "medium"])
def test_unhappy_path_no_help_keeps_a_line_break_inside_a_paragraph(
    domain: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rich keeps a help text's single line breaks, then wraps again: fragments of lines.

    A docstring's later paragraphs, wrapped at 100 columns, would print as such fragments:
    ``app.cli.metavars.readable`` puts each paragraph on one line.
    """
    root = typer.main.get_command(cli)
    for path in _command_paths(domain, monkeypatch):
        command: Any = root
        for name in path:
            command = command.get_command(typer.Context(command), name)
        paragraphs = (command.help or "").strip().split("\n\n")
        broken = [p for p in paragraphs if "\n" in p.strip()]
        assert not broken, f"hexstudio {' '.join(path)} --help: {broken[0]!r}"
