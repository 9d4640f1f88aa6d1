"""Where each effective setting came from (default, file, env), with secrets masked."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic_settings import EnvSettingsSource, TomlConfigSettingsSource

from adapters.redact import mask
from app.settings import Settings, config_file


def flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Dotted keys and leaf values of a nested mapping."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from flatten(value, dotted + ".")
        else:
            yield dotted, value


def effective(settings: Settings) -> list[tuple[str, Any, str]]:
    """(key, masked value, origin) for every effective setting, sorted by key."""
    from_env = dict(flatten(EnvSettingsSource(Settings)()))
    path = config_file()
    from_file = dict(flatten(TomlConfigSettingsSource(Settings, path)())) if path.is_file() else {}
    rows = []
    for key, value in flatten(settings.model_dump(mode="json")):
        origin = "env" if key in from_env else f"file {path}" if key in from_file else "default"
        rows.append((key, mask(key, value), origin))
    return sorted(rows)
