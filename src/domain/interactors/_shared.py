"""Small helpers the interactors share."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar
from uuid import UUID

from domain.catalog import Query
from domain.errors import Conflict, RuleViolation
from domain.model import Entity, Production
from domain.paging import MAX_PAGE_SIZE, PageRequest
from domain.ports import Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query)  # type: ignore[type-arg]


def ensure_version(entity: Entity, expected_version: int) -> None:
    """Raise Conflict when the caller acted on another version than the stored one."""
    if entity.version != expected_version:
        raise Conflict(
            f"{type(entity).__name__} {entity.id} is at version {entity.version}, "
            f"not {expected_version}",
            entity=type(entity).__name__,
            field="version",
            reason="stale_version",
        )


def ensure_active(production: Production) -> None:
    """Raise RuleViolation when a wrapped or cancelled production is asked to change plans."""
    if not production.is_active:
        raise RuleViolation(
            f"production {production.id} is {production.phase}: its shoot days are final",
            entity="Production",
            field="phase",
            reason="production_not_active",
        )


def double_booked(location_id: UUID, date: dt.date) -> RuleViolation:
    """The error for a location slot that another shoot day already holds."""
    return RuleViolation(
        f"location {location_id} is already booked on {date}",
        entity="ShootDay",
        field="location_id",
        reason="location_double_booked",
    )


async def collect(repository: Repository[E, Q], query: Q) -> list[E]:
    """Read every page of ``query``; one round trip when it fits in the largest page."""
    items: list[E] = []
    cursor: str | None = None
    while True:
        page = await repository.list(query, PageRequest(size=MAX_PAGE_SIZE, cursor=cursor))
        items.extend(page.items)
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor
