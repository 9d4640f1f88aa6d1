"""A shoot day: one production booking one location on one date."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from uuid import UUID

from domain.model.base import Entity


class ShootDay(Entity):
    """A booking of ``location_id`` for ``production_id`` on ``date``."""

    ordering: ClassVar[tuple[str, ...]] = ("date", "id")

    production_id: UUID
    location_id: UUID
    date: dt.date

    @property
    def slot(self) -> tuple[UUID, dt.date]:
        """The (location, date) pair this day occupies; at most one shoot day holds each."""
        return (self.location_id, self.date)
