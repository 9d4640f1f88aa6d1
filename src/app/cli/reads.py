"""``hexstudio <plural> list|show``: the generic reads of every entity type of the domain.

The groups are made when a command is looked up, from the configured domain's catalog
(``HEXSTUDIO_DOMAIN``), so a new entity type has its commands with no line of CLI code, and
importing the CLI reads no settings. A domain's own group of the same name (``movies add``)
keeps its commands; the generic ``list`` and ``show`` fill in what it lacks.
"""

# No ``from __future__ import annotations``: typer reads these commands' annotations, which
# name values of the enclosing function (an entity type's filters), at run time.
import sys
from typing import Annotated, Any
from uuid import UUID

import typer
from typer._click.exceptions import ClickException  # typer vendors click: its base error
from typer.core import TyperGroup
from typer.exceptions import Abort

from app import domains
from app.bootstrap import bootstrap
from app.cli._output import emit_json, emit_next, emit_table
from app.cli._run import EXIT_BAD_INPUT, fail, run
from app.cli.domain_commands import commands_for
from app.cli.metavars import readable
from app.errors import ConfigError
from app.settings import load_settings
from domain import Entity, Page, PageRequest
from domain.catalog import AnyEntityType, Catalog
from domain.declaration import Domain
from domain.validation import parse

Json = Annotated[bool, typer.Option("--json", help="Canonical JSON output.")]


def _domain() -> Domain | None:
    try:
        return domains.load(load_settings().domain)
    except ConfigError:
        return None  # the command that needs it reports the configuration error


def _catalog() -> Catalog | None:
    domain = _domain()
    return domain.catalog if domain else None


def _own_commands() -> dict[str, Any]:
    domain = _domain()
    try:
        return commands_for(domain.name) if domain else {}
    except ConfigError as exc:  # a broken registration: one line, as every configuration error
        fail(f"configuration error: {exc}", EXIT_BAD_INPUT)


def command_name(entity: AnyEntityType) -> str:
    """The group of an entity type: its plural, kebab-cased (``shoot-days``)."""
    return entity.plural.replace("_", "-")


class DomainGroup(TyperGroup):
    """The root group: the generic commands, the domain's own, and reads of every entity type."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Generic and domain commands and one group per entity type, sorted."""
        catalog = _catalog()
        extra = [command_name(e) for e in catalog] if catalog else []
        return sorted({*super().list_commands(ctx), *_own_commands(), *extra})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The declared command, completed with the generic reads of its entity type."""
        return readable(self._command(ctx, cmd_name))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the CLI; a bad option value or usage is one line on stderr, exit 2.

        typer would draw rich's box of several lines around it; the domain's errors are one
        line (``app.cli._run``), so these are too, naming the flag and what it expected.
        """
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except ClickException as exc:
            typer.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except Abort:
            typer.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The root's help, with its own options' metavars readable too."""
        readable(self)
        super().format_help(ctx, formatter)

    def _command(self, ctx: Any, cmd_name: str) -> Any:
        declared: Any = super().get_command(ctx, cmd_name) or _own_commands().get(cmd_name)
        catalog = _catalog()
        entity = next((e for e in catalog or () if command_name(e) == cmd_name), None)
        if entity is None:
            return declared
        reads = _reads(entity)
        if declared is None:
            return reads
        for name, command in getattr(reads, "commands", {}).items():
            declared.commands.setdefault(name, command)
        return declared


def _reads(entity: AnyEntityType) -> Any:
    """The ``list`` and ``show`` commands of ``entity``'s type, as a click group."""
    words = entity.plural.replace("_", " ")
    group = typer.Typer(name=command_name(entity), help=f"Read {words}.")
    names = ", ".join(f.name for f in entity.filters) or "none"

    @group.command("show", help=f"Print one {entity.names.singular.replace('_', ' ')}.")
    def show(id: UUID, as_json: Json = False) -> None:
        async def go() -> Entity:
            async with bootstrap() as container, container.uow() as uow:
                found: Entity = await uow.repository(entity).get(id)
                return found

        _print(entity, [run(go())], as_json, single=True)

    @group.command("list", help=f"List one page of {words}.")
    def list_(
        filter: Annotated[
            list[str] | None,
            typer.Option(
                metavar="NAME=VALUE",
                help=f"A filter (repeat for several; sets comma-separated): {names}.",
            ),
        ] = None,
        size: Annotated[int, typer.Option(help="Page size (1-500).")] = 50,
        after: Annotated[str | None, typer.Option(help="Cursor of the previous page.")] = None,
        as_json: Json = False,
    ) -> None:
        async def go() -> Page[Any]:
            query = parse(entity.query, _filter_values(entity, filter or []), prefix="filter.")
            page = parse(PageRequest, {"size": size, "cursor": after})
            async with bootstrap() as container, container.uow() as uow:
                found: Page[Any] = await uow.repository(entity).list(query, page)
                return found

        page = run(go())
        _print(entity, list(page.items), as_json, single=False)
        if not as_json:
            emit_next(page.next_cursor)

    return typer.main.get_command(group)


def _filter_values(entity: AnyEntityType, given: list[str]) -> dict[str, Any]:
    sets = {spec.name for spec in entity.filters if spec.op == "in"}
    values: dict[str, Any] = {}
    for item in given:
        name, found, value = item.partition("=")
        if not found:
            fail(f"--filter {item!r}: expected NAME=VALUE", EXIT_BAD_INPUT)
        values[name] = value.split(",") if name in sets else value
    return values


def _print(entity: AnyEntityType, items: list[Entity], as_json: bool, *, single: bool) -> None:
    if as_json:
        emit_json(items[0] if single else items)
        return
    columns = [spec.name for spec in entity.fields]
    rows = [[_cell(getattr(item, name)) for name in columns] for item in items]
    emit_table(entity.plural.replace("_", " "), columns, rows)


def _cell(value: Any) -> str:
    if isinstance(value, frozenset | set | tuple | list):
        return ", ".join(sorted(map(str, value)))
    if hasattr(value, "model_dump"):
        return " ".join(str(v) for v in value.model_dump().values())
    return "" if value is None else str(value)
