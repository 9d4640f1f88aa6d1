"""The options of ``[data_source.<name>] kind = "cache"``, checked once at build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain import InvalidInput


@dataclass(frozen=True)
class CacheOptions:
    """What a cache source is configured with (docs/configuration.md lists them)."""

    over: str
    """The name of the source it wraps (``json_api``, or any ``[data_source.<name>]``)."""
    redis_url: str = "redis://127.0.0.1:6379/0"
    ttl: float = 30.0
    """Seconds an entity stays in Redis."""
    not_found_ttl: float = 2.0
    """Seconds a NotFound stays in Redis: brief, so an id added elsewhere appears soon."""
    timeout: float = 0.1
    """Redis socket and connect timeout in seconds: a slow Redis counts as a down one."""
    retry_after: float = 1.0
    """Seconds the cache steps aside after a Redis error before it tries Redis again."""
    prefix: str = "hexstudio:cache:"
    """Every Redis key starts with it (tests give each run its own)."""
    hot_threshold: int = 100
    """Reads of one id within a second that make it hot (kept in-process); 0: no hot tier."""
    hot_ttl: float = 1.0
    """Seconds a hot entity stays in-process: the bound when an invalidation is missed."""


_NUMBERS = ("ttl", "not_found_ttl", "timeout", "retry_after", "hot_ttl")
_COUNTS = ("hot_threshold",)
_TEXTS = ("over", "redis_url", "prefix")


def parse_options(options: Mapping[str, Any]) -> CacheOptions:
    """Check ``options``; InvalidInput names the bad key."""
    for key in options:
        if key not in _NUMBERS + _TEXTS + _COUNTS:
            choices = ", ".join(sorted(_NUMBERS + _TEXTS + _COUNTS))
            raise InvalidInput(f"{key}: unknown cache option (choices: {choices})", field=key)
    if "over" not in options:
        raise InvalidInput('over: name the source the cache wraps, e.g. over = "sql"', field="over")
    values: dict[str, Any] = {}
    for key in _TEXTS:
        if key in options:
            if not isinstance(options[key], str) or not options[key]:
                raise InvalidInput(f"{key}: expected a non-empty string", field=key)
            values[key] = options[key]
    for key in _NUMBERS:
        if key in options:
            value = options[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise InvalidInput(f"{key}: expected a positive number of seconds", field=key)
            values[key] = float(value)
    for key in _COUNTS:
        if key in options:
            value = options[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidInput(f"{key}: expected a whole number, 0 or more", field=key)
            values[key] = value
    return CacheOptions(**values)
