"""Which data source serves each repository's reads and writes, from ``[repositories]``.

``movies = "graphql"`` sends both to one source; ``movies = { read = "graphql", write =
"json_api" }`` splits them, as Netflix moved one entity's reads first. Unlisted repositories
use ``data_source.default``. A migration adds, per repository (``app.migration``):
``shadow = { to = "graphql", sample = 0.25, timeout = 0.2 }`` (a share of reads compared in
the background), ``dial = { to = "graphql", percent = 5 }`` (that share of reads answered by
the new source, sticky by id) and ``fallback = "json_api"`` (reads while the answering source
is unavailable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.redact import mask
from app.errors import ConfigError
from domain import Catalog


@dataclass(frozen=True)
class Shadow:
    """Compare ``sample`` of the reads with ``to``, each within ``timeout`` seconds."""

    to: str
    sample: float = 1.0
    timeout: float = 0.2


@dataclass(frozen=True)
class Dial:
    """Answer ``percent`` of the reads from ``to``."""

    to: str
    percent: float


@dataclass(frozen=True)
class Mirror:
    """Dual writes: each committed write is also sent to ``to``, via the journal ``outbox``."""

    to: str
    outbox: str = "hexstudio-outbox.db"


@dataclass(frozen=True)
class Route:
    """The source names one repository reads from and writes to, and its migration's."""

    read: str
    write: str
    shadow: Shadow | None = None
    dial: Dial | None = None
    fallback: str | None = None
    mirror: Mirror | None = None

    @property
    def sources(self) -> set[str]:
        """Every source the route may read or write."""
        extra = {
            self.shadow.to if self.shadow else None,
            self.dial.to if self.dial else None,
            self.mirror.to if self.mirror else None,
        }
        return {self.read, self.write, self.fallback, *extra} - {None}  # type: ignore[return-value]

    @property
    def in_request(self) -> set[str]:
        """The sources a request reads or writes (a shadow is read off its path)."""
        dialed = {self.dial.to} if self.dial else set()
        fallback = {self.fallback} if self.fallback else set()
        return {self.read, self.write} | dialed | fallback

    def describe(self) -> str:
        """One line for ``doctor``: ``reads graphql, writes json_api, shadow sql 25%...``."""
        parts = [
            self.read if self.read == self.write else f"reads {self.read}, writes {self.write}"
        ]
        if self.dial:
            parts.append(f"dial {self.dial.percent:g}% to {self.dial.to}")
        if self.shadow:
            parts.append(
                f"shadow {self.shadow.to} ({self.shadow.sample:.0%}, {self.shadow.timeout:g} s)"
            )
        if self.fallback:
            parts.append(f"fallback {self.fallback}")
        if self.mirror:
            parts.append(f"mirror {self.mirror.to}")
        return ", ".join(parts)


_KEYS = ("read", "write", "shadow", "dial", "fallback", "mirror")


def routes(
    default: str, table: Mapping[str, Any], known: set[str], catalog: Catalog
) -> dict[str, Route]:
    """Resolve every repository's route, or raise ConfigError naming key, value and choices.

    The repositories are the catalog's entity types, by plural.
    """
    repositories = catalog.plurals
    for name in table:
        if name not in repositories:
            raise ConfigError(
                f"repositories.{name}: unknown repository (choices: {', '.join(repositories)})"
            )
    _check_source("data_source.default", default, known)
    resolved: dict[str, Route] = {}
    for name in repositories:
        value = table.get(name, default)
        key = f"repositories.{name}"
        if isinstance(value, str):
            _check_source(key, value, known)
            resolved[name] = Route(read=value, write=value)
        elif isinstance(value, Mapping):
            resolved[name] = _route(key, value, default, known)
        else:
            shown = mask(key, value)
            raise ConfigError(
                f"{key}: expected a source name or a table of {', '.join(_KEYS)}, got {shown!r}"
            )
    return resolved


def _route(key: str, value: Mapping[str, Any], default: str, known: set[str]) -> Route:
    extra = set(value) - set(_KEYS)
    if extra:
        raise ConfigError(f"{key}: unknown key {sorted(extra)[0]!r} (choices: {', '.join(_KEYS)})")
    read, write = value.get("read", default), value.get("write", default)
    mirror = value.get("mirror")
    if isinstance(write, list):  # write = ["json_api", "graphql"]: the primary, then its mirror
        if len(write) != 2 or mirror is not None:
            raise ConfigError(
                f"{key}.write: a list names the primary and one mirror, e.g. "
                f'["json_api", "graphql"] (or write = "..." with mirror = "...")'
            )
        write, mirror = write
    _check_source(f"{key}.read", read, known)
    _check_source(f"{key}.write", write, known)
    fallback = value.get("fallback")
    if fallback is not None:
        _check_source(f"{key}.fallback", fallback, known)
    shadow = value.get("shadow")
    dial = value.get("dial")
    return Route(
        read,
        write,
        shadow=None if shadow is None else _shadow(f"{key}.shadow", shadow, read, known),
        dial=None if dial is None else _dial(f"{key}.dial", dial, read, known),
        fallback=fallback,
        mirror=None if mirror is None else _mirror(f"{key}.mirror", mirror, write, known),
    )


def _mirror(key: str, value: object, write: str, known: set[str]) -> Mirror:
    table = {"to": value} if isinstance(value, str) else _table(key, value, ("to", "outbox"))
    _check_source(f"{key}.to", table["to"], known)
    if table["to"] == write:
        raise ConfigError(f"{key}.to: {write!r} is the primary; mirror to another source")
    outbox = table.get("outbox", Mirror.outbox)
    if not isinstance(outbox, str) or not outbox:
        raise ConfigError(f"{key}.outbox: expected a file path, got {mask(key, outbox)!r}")
    return Mirror(table["to"], outbox)


def _table(key: str, value: object, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{key}: expected a table {{ {', '.join(f'{k} = ...' for k in allowed)} }}, "
            f"got {mask(key, value)!r}"
        )
    extra = set(value) - set(allowed)
    if extra:
        raise ConfigError(
            f"{key}: unknown key {sorted(extra)[0]!r} (choices: {', '.join(allowed)})"
        )
    if "to" not in value:
        raise ConfigError(f"{key}.to: required (the source to compare with or dial to)")
    return value


def _number(key: str, value: object, low: float, high: float, *, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{key}: expected a number, got {mask(key, value)!r}")
    if value > high or value < low or (low_open and value == low):
        bound = f"more than {low:g}" if low_open else f"at least {low:g}"
        raise ConfigError(f"{key}: must be {bound} and at most {high:g}, got {value:g}")
    return float(value)


def _shadow(key: str, value: object, read: str, known: set[str]) -> Shadow:
    table = _table(key, value, ("to", "sample", "timeout"))
    _check_source(f"{key}.to", table["to"], known)
    if table["to"] == read:
        raise ConfigError(f"{key}.to: {read!r} answers the reads already; shadow another source")
    return Shadow(
        table["to"],
        _number(f"{key}.sample", table.get("sample", 1.0), 0, 1),
        _number(f"{key}.timeout", table.get("timeout", 0.2), 0, 60, low_open=True),
    )


def _dial(key: str, value: object, read: str, known: set[str]) -> Dial:
    table = _table(key, value, ("to", "percent"))
    _check_source(f"{key}.to", table["to"], known)
    if "percent" not in table:
        raise ConfigError(f"{key}.percent: required (0 to 100)")
    return Dial(table["to"], _number(f"{key}.percent", table["percent"], 0, 100))


def _check_source(key: str, value: object, known: set[str]) -> None:
    if not isinstance(value, str) or value not in known:
        shown = mask(key, value)  # a URL where a source name belongs: never show its password
        raise ConfigError(
            f"{key}: unknown data source {shown!r} (choices: {', '.join(sorted(known))})"
        )
