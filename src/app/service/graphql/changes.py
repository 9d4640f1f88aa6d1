"""``applyChanges``: a batch of add/update/remove applied in one unit of work, all or nothing.

This is the commit of the graphql data source: its unit of work buffers writes and sends them
here in one request. Entity inputs carry the full entity with its version: for an update, the
version is the one the caller read (the stored one); the stored version becomes version + 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import strawberry

from app.service.graphql.enums import Genre, Phase
from app.service.graphql.inputs import MoneyInput
from app.service.graphql.paging import to_uuid
from domain import (
    STUDIO,
    Entity,
    InvalidInput,
    Movie,
    Production,
    Repository,
    ShootDay,
    ShootingLocation,
    UnitOfWork,
    UnitOfWorkFactory,
)
from domain.validation import parse


@strawberry.input(description="A whole movie, at the version the caller read.")
class MovieInput:
    """A movie of ``applyChanges``."""

    id: strawberry.ID
    version: int
    title: str
    logline: str = ""
    genres: list[Genre] = strawberry.field(default_factory=list)
    release_year: int | None = None

    def fields(self) -> dict[str, Any]:
        """The domain fields."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "logline": self.logline,
            "genres": [g.value for g in self.genres],
            "release_year": self.release_year,
        }


@strawberry.input(description="A whole shooting location, at the version the caller read.")
class LocationInput:
    """A location of ``applyChanges``."""

    id: strawberry.ID
    version: int
    name: str
    city: str
    country: str
    latitude: float
    longitude: float

    def fields(self) -> dict[str, Any]:
        """The domain fields."""
        return dict(vars(self))


@strawberry.input(description="A whole production, at the version the caller read.")
class ProductionInput:
    """A production of ``applyChanges``."""

    id: strawberry.ID
    version: int
    movie_id: strawberry.ID
    phase: Phase
    budget: MoneyInput
    starts_on: dt.date
    wraps_on: dt.date

    def fields(self) -> dict[str, Any]:
        """The domain fields."""
        return {
            "id": self.id,
            "version": self.version,
            "movie_id": self.movie_id,
            "phase": self.phase.value,
            "budget": self.budget.to_dict(),
            "starts_on": self.starts_on,
            "wraps_on": self.wraps_on,
        }


@strawberry.input(description="A whole shoot day, at the version the caller read.")
class ShootDayInput:
    """A shoot day of ``applyChanges``."""

    id: strawberry.ID
    version: int
    production_id: strawberry.ID
    location_id: strawberry.ID
    date: dt.date

    def fields(self) -> dict[str, Any]:
        """The domain fields."""
        return dict(vars(self))


@strawberry.input(description="The id and stored version of an entity to remove.")
class RemoveInput:
    """A removal of ``applyChanges``."""

    id: strawberry.ID
    version: int


@strawberry.input(one_of=True, description="Exactly one add, update or remove.")
class ChangeInput:
    """One change of a batch; exactly one field is set."""

    add_movie: MovieInput | None = strawberry.UNSET
    update_movie: MovieInput | None = strawberry.UNSET
    remove_movie: RemoveInput | None = strawberry.UNSET
    add_location: LocationInput | None = strawberry.UNSET
    update_location: LocationInput | None = strawberry.UNSET
    remove_location: RemoveInput | None = strawberry.UNSET
    add_production: ProductionInput | None = strawberry.UNSET
    update_production: ProductionInput | None = strawberry.UNSET
    remove_production: RemoveInput | None = strawberry.UNSET
    add_shoot_day: ShootDayInput | None = strawberry.UNSET
    update_shoot_day: ShootDayInput | None = strawberry.UNSET
    remove_shoot_day: RemoveInput | None = strawberry.UNSET


@strawberry.type(description="What applyChanges did.")
class ApplyChangesPayload:
    """The number of changes applied (all of them: the batch is atomic)."""

    applied: int


_KINDS: dict[str, tuple[type[Entity], str]] = {
    "movie": (Movie, "movies"),
    "location": (ShootingLocation, "locations"),
    "production": (Production, "productions"),
    "shoot_day": (ShootDay, "shoot_days"),
}


@dataclass(frozen=True)
class _Change:
    operation: str
    repository: str
    entity: Entity | None = None
    id: Any = None
    version: int = 0


def _decode(index: int, change: ChangeInput) -> _Change:
    for name, value in vars(change).items():
        if value is None or value is strawberry.UNSET:
            continue
        operation, _, kind = name.partition("_")
        entity_type, repository = _KINDS[kind]
        camel = kind.title().replace("_", "")
        where = f"changes[{index}].{operation}{camel}"
        if isinstance(value, RemoveInput):
            return _Change(
                "remove", repository, id=to_uuid(value.id, f"{where}.id"), version=value.version
            )
        entity = parse(entity_type, value.fields(), prefix=f"{where}.")
        return _Change(operation, repository, entity=entity)
    raise InvalidInput(
        f"changes[{index}]: exactly one change must be set", field=f"changes[{index}]"
    )


async def apply_changes(uow_factory: UnitOfWorkFactory, changes: Sequence[ChangeInput]) -> int:
    """Validate every change, then apply them in order in one unit of work and commit."""
    decoded = [_decode(index, change) for index, change in enumerate(changes)]
    async with uow_factory() as uow:
        for change in decoded:
            await _apply(uow, change)
        await uow.commit()
    return len(decoded)


async def _apply(uow: UnitOfWork, change: _Change) -> None:
    repository: Repository[Any, Any] = uow.repository(STUDIO[change.repository])
    if change.operation == "add":
        await repository.add(change.entity)
    elif change.operation == "update":
        await repository.update(change.entity)
    else:
        await repository.remove(change.id, change.version)


__all__ = ["ApplyChangesPayload", "ChangeInput", "apply_changes"]
