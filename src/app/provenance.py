"""Where each effective setting came from (default, file, env), with secrets masked."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic_settings import EnvSettingsSource, TomlConfigSettingsSource

from app.settings import Settings, config_file

_SECRET_KEYS = re.compile(r"(token|password|secret)$", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@]+:)[^@]*(?P<tail>@)", re.IGNORECASE)


def mask(key: str, value: Any) -> Any:
    """Hide secret values and the password part of URLs."""
    if value is None:
        return None
    if _SECRET_KEYS.search(key):
        return "********"
    if isinstance(value, str):
        return _URL_PASSWORD.sub(r"\g<head>********\g<tail>", value)
    return value


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
