"""The studio's own commands (entry point ``hexstudio.commands: studio``).

Its use cases (register, onboard, advance, move a shoot day), the sample slate and the demo:
what ``HEXSTUDIO_DOMAIN=studio`` adds to the generic commands (``app.cli.domain_commands``).
"""

from __future__ import annotations

import typer

from app.cli.demo import demo
from app.cli.locations import locations
from app.cli.movies import movies
from app.cli.productions import productions
from app.cli.shoot_days import shoot_days
from app.cli.slate import seed, slate

COMMANDS = typer.Typer()
"""Every studio command; ``hexstudio`` lists them only while the studio is the domain."""
COMMANDS.command("demo")(demo)
COMMANDS.command("seed")(seed)
COMMANDS.command("slate")(slate)
COMMANDS.add_typer(movies, name="movies")
COMMANDS.add_typer(locations, name="locations")
COMMANDS.add_typer(productions, name="productions")
COMMANDS.add_typer(shoot_days, name="shoot-days")
