"""A shoot day: one production booking one location on one date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar
from uuid import UUID, uuid5

from domain.catalog.markers import References
from domain.model.base import Entity

Slot = tuple[UUID, dt.date]
"""A (location id, date) pair: at most one shoot day may occupy it (``domain.studio.SLOT``)."""


class ShootDay(Entity):
    """A booking of ``location_id`` for ``production_id`` on ``date``."""

    ordering: ClassVar[tuple[str, ...]] = ("date", "id")

    production_id: Annotated[UUID, References("productions")]
    location_id: Annotated[UUID, References("locations")]
    date: dt.date

    @staticmethod
    def planned_id(production_id: UUID, location_id: UUID, date: dt.date) -> UUID:
        """The id onboarding gives the shoot day of ``production_id`` at that slot.

        Derived from the production and the slot: a retried onboarding with the same production
        id proposes the same shoot days, so it can never book them twice.
        """
        return uuid5(production_id, f"{location_id}/{date}")

    @property
    def slot(self) -> Slot:
        """The (location, date) pair this day occupies; at most one shoot day holds each."""
        return (self.location_id, self.date)
