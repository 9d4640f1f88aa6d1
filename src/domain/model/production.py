"""A production: the making of one movie, from development to wrap."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import ValidationInfo, field_validator

from domain.catalog.markers import References
from domain.errors import RuleViolation
from domain.model.base import Entity
from domain.model.money import Money
from domain.model.phase import Phase


class Production(Entity):
    """A movie's production: its phase, budget and the window it shoots in."""

    ordering: ClassVar[tuple[str, ...]] = ("starts_on", "id")

    movie_id: Annotated[UUID, References("movies")]
    phase: Phase = Phase.DEVELOPMENT
    budget: Money
    starts_on: dt.date
    wraps_on: dt.date

    @field_validator("wraps_on")
    @classmethod
    def _wraps_after_start(cls, wraps_on: dt.date, info: ValidationInfo) -> dt.date:
        starts_on = info.data.get("starts_on")
        if starts_on is not None and wraps_on < starts_on:
            raise ValueError(f"wraps_on {wraps_on} is before starts_on {starts_on}")
        return wraps_on

    @property
    def is_active(self) -> bool:
        """True while the production holds its movie and its shoot days."""
        return self.phase.is_active

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the shooting window (both ends included)."""
        return self.starts_on <= day <= self.wraps_on

    def advance_to(self, target: Phase) -> Production:
        """Move to ``target`` or raise RuleViolation if the transition is not legal."""
        if not self.phase.can_become(target):
            raise RuleViolation(
                f"a production cannot go from {self.phase} to {target}",
                entity="Production",
                field="phase",
                reason="illegal_phase_transition",
            )
        return self.evolve(phase=target)
