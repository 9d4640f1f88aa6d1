"""Domains by name, found through the entry-point group ``hexstudio.domains``.

The studio registers there exactly like a user's domain, so ``HEXSTUDIO_DOMAIN=medium`` is
all it takes to run every command over another distribution's catalog.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from app.errors import ConfigError
from domain.declaration import Domain

ENTRY_POINT_GROUP = "hexstudio.domains"


def available() -> dict[str, EntryPoint]:
    """Every registered domain, by name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load(name: str) -> Domain:
    """The domain registered as ``name``; ConfigError names the setting and the choices."""
    registered = available()
    if name not in registered:
        choices = ", ".join(sorted(registered)) or "none installed"
        raise ConfigError(f"domain: unknown domain {name!r} (choices: {choices})")
    loaded = registered[name].load()
    if not isinstance(loaded, Domain):
        raise ConfigError(f"domain: {name!r} is registered but names {loaded!r}, not a Domain")
    return loaded
