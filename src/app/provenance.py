"""Where each effective setting came from (default, file, env), with secrets masked."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_settings import EnvSettingsSource, TomlConfigSettingsSource

from adapters.redact import mask
from app import sources
from app.errors import ConfigError
from app.settings import Settings, config_file
from domain import DomainError


def flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Dotted keys and leaf values of a nested mapping."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from flatten(value, dotted + ".")
        else:
            yield dotted, value


def effective(settings: Settings) -> list[tuple[str, Any, str]]:
    """(key, masked value, origin) for every effective setting, sorted by key.

    A data source's options are shown as the source reads them, defaults included (the SQL
    URL, HTTP timeouts and retries), for every source the configuration uses.
    """
    from_env = dict(flatten(EnvSettingsSource(Settings)()))
    path = config_file()
    from_file = dict(flatten(TomlConfigSettingsSource(Settings, path)())) if path.is_file() else {}
    values = dict(flatten(settings.model_dump(mode="json")))
    for name in sorted(_sources_in_use(settings)):
        values.update(_options(settings, name))
    rows = []
    for key, value in values.items():
        origin = "env" if key in from_env else f"file {path}" if key in from_file else "default"
        rows.append((key, mask(key, value), origin))
    return sorted(rows)


def _sources_in_use(settings: Settings) -> set[str]:
    names = {settings.data_source.default, settings.service.data_source}
    names |= set(settings.data_source.model_extra or {})
    for route in settings.repositories.values():
        given = route if isinstance(route, Mapping) else {"read": route}
        names |= {v for v in given.values() if isinstance(v, str)}
    return names & set(sources.instances(settings.data_source.model_extra or {}))


def _options(settings: Settings, name: str) -> dict[str, Any]:
    """``data_source.<name>.<option>`` as the source parsed them (its defaults filled in)."""
    try:
        source = sources.create(settings.data_source.model_extra or {}, name, key=name)
    except (ConfigError, DomainError) as exc:
        return {f"data_source.{name}": f"(not usable: {exc})"}
    try:
        options = getattr(source, "options", None)
        if not isinstance(options, BaseModel):
            return {}  # a source that keeps no options model: its table is shown as given
        return dict(flatten(options.model_dump(mode="json"), f"data_source.{name}."))
    finally:
        asyncio.run(source.aclose())
