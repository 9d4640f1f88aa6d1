"""The options of ``[data_source.<name>] kind = "cache"``, checked once at build."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain import Catalog, InvalidInput


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
    lists: Mapping[str, float] = field(default_factory=dict)
    """Entity types (plurals) whose list pages are declared safe to cache, with their TTLs."""
    max_staleness: float | None = None
    """Seconds past which no cached page is served, whatever its TTL (needed with ``lists``)."""
    stats_every: float = 5.0
    """Seconds between two reports of a worker's counters to Redis (``hexstudio cache stats``)."""


_NUMBERS = (
    "ttl",
    "not_found_ttl",
    "timeout",
    "retry_after",
    "hot_ttl",
    "max_staleness",
    "stats_every",
)
_COUNTS = ("hot_threshold",)
_TEXTS = ("over", "redis_url", "prefix")


_KEYS = (*_NUMBERS, *_TEXTS, *_COUNTS, "lists")


def parse_options(options: Mapping[str, Any]) -> CacheOptions:
    """Check ``options``; InvalidInput names the bad key.

    ``lists`` is checked here for its shape only: its plurals are checked against the catalog
    the source is used with, which its factory does not see (``check_lists``).
    """
    for key in options:
        if key not in _KEYS:
            choices = ", ".join(sorted(_KEYS))
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
            seconds = _seconds(options[key])
            if seconds is None:
                raise InvalidInput(f"{key}: expected a positive number of seconds", field=key)
            values[key] = seconds
    for key in _COUNTS:
        if key in options:
            count = _count(options[key])
            if count is None:
                raise InvalidInput(f"{key}: expected a whole number, 0 or more", field=key)
            values[key] = count
    if "lists" in options:
        values["lists"] = _lists(options["lists"])
    _check_staleness(values.get("lists", {}), values.get("max_staleness"))
    return CacheOptions(**values)


# TOML gives numbers; the environment (HEXSTUDIO_DATA_SOURCE__CACHED__TTL=30) gives their text.


def _seconds(value: Any) -> float | None:
    """A positive, finite number of seconds, or None."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 < value < math.inf else None


def _count(value: Any) -> int | None:
    """A whole number, 0 or more, or None."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _lists(declared: Any) -> dict[str, float]:
    """``lists = { shoot_days = 5 }``: each plural with its page TTL."""
    if not isinstance(declared, Mapping):
        raise InvalidInput(
            "lists: expected a table of entity types and their page TTLs, "
            "e.g. lists = { shoot_days = 5 }",
            field="lists",
        )
    found: dict[str, float] = {}
    for plural, ttl in declared.items():
        seconds = _seconds(ttl)
        if seconds is None:
            raise InvalidInput(
                f"lists.{plural}: expected a positive number of seconds (a page's TTL)",
                field=f"lists.{plural}",
            )
        found[plural] = seconds
    return found


def check_lists(lists: Mapping[str, float], catalog: Catalog) -> None:
    """Every plural of ``lists`` names a type of ``catalog`` whose pages may be cached.

    InvalidInput names the key: an unknown plural (with the choices), or a type that holds
    personal data, whose pages never reach Redis, so declaring them would promise a cache
    that is never there.
    """
    for plural in lists:
        if plural not in catalog:
            choices = ", ".join(sorted(catalog.plurals))
            raise InvalidInput(
                f"lists.{plural}: not an entity type of {catalog.name} (choices: {choices})",
                field=f"lists.{plural}",
            )
        if catalog[plural].holds_personal_data:
            raise InvalidInput(
                f"lists.{plural}: {plural} hold personal data, which never reaches Redis, so "
                "their pages are never cached: remove it from lists",
                field=f"lists.{plural}",
            )


def _check_staleness(lists: Mapping[str, float], max_staleness: float | None) -> None:
    """Pages need a bound, and no TTL may promise more than it allows."""
    if lists and max_staleness is None:
        raise InvalidInput(
            "max_staleness: declare it with lists (the most seconds a cached page may be "
            f"served old), at least the longest TTL ({max(lists.values()):g})",
            field="max_staleness",
        )
    for plural, ttl in lists.items():
        assert max_staleness is not None
        if ttl > max_staleness:
            raise InvalidInput(
                f"lists.{plural}: a TTL of {ttl:g} s is more than max_staleness = "
                f"{max_staleness:g}: lower the TTL or raise max_staleness",
                field=f"lists.{plural}",
            )
