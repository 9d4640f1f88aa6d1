"""A domain's own commands, next to the generic ones every domain has.

``db``, ``serve``, ``conformance``, ``describe`` and the ``<plural> list|show`` reads work for
any catalog. A use case with rules of its own (the studio's ``productions onboard``) needs a
command someone wrote; a distribution registers a ``typer.Typer`` holding them in the
entry-point group ``hexstudio.commands`` under its domain's name, as it registers its service
endpoints in ``hexstudio.edges``. Only the configured domain's commands are listed and run.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any

import typer

from app.errors import ConfigError

ENTRY_POINT_GROUP = "hexstudio.commands"


@cache
def commands_for(domain: str) -> dict[str, Any]:
    """The click commands registered for ``domain``, by name (none when it registered none)."""
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == domain]
    if not found:
        return {}
    if len(found) > 1:  # two distributions claim one domain's commands: neither silently wins
        named = ", ".join(sorted(ep.value for ep in found))
        raise ConfigError(f"{ENTRY_POINT_GROUP}: {domain!r} is registered more than once: {named}")
    loaded = found[0].load()
    if not isinstance(loaded, typer.Typer):
        raise ConfigError(f"{ENTRY_POINT_GROUP}: {domain!r} names {loaded!r}, not a typer.Typer")
    group = typer.main.get_group(loaded)
    return dict(group.commands)
