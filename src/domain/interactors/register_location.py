"""Use case: add a shooting location."""

from __future__ import annotations

from uuid import UUID

from domain.model import ShootingLocation
from domain.ports import UnitOfWorkFactory
from domain.studio import LOCATIONS
from domain.validation import parse


class RegisterLocation:
    """Register a new shooting location."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self,
        *,
        name: str,
        city: str,
        country: str,
        latitude: float,
        longitude: float,
        id: UUID | None = None,
    ) -> ShootingLocation:
        """Validate and store the location; InvalidInput names a bad field."""
        fields: dict[str, object] = {
            "name": name,
            "city": city,
            "country": country,
            "latitude": latitude,
            "longitude": longitude,
        }
        if id is not None:
            fields["id"] = id
        location = parse(ShootingLocation, fields)
        async with self._uow() as uow:
            stored = await uow.repository(LOCATIONS).add(location)
            await uow.commit()
        return stored
