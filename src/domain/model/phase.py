"""The life cycle of a production and its only legal transitions."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """Where a production is: forward one step at a time, or cancelled before it wraps."""

    DEVELOPMENT = "development"
    PRE_PRODUCTION = "pre_production"
    PRINCIPAL_PHOTOGRAPHY = "principal_photography"
    POST_PRODUCTION = "post_production"
    WRAPPED = "wrapped"
    CANCELLED = "cancelled"

    @property
    def is_active(self) -> bool:
        """True until the production has wrapped or been cancelled."""
        return self not in (Phase.WRAPPED, Phase.CANCELLED)

    def can_become(self, target: Phase) -> bool:
        """Whether moving from this phase to ``target`` is allowed."""
        if target is Phase.CANCELLED:
            return self.is_active
        return _NEXT.get(self) is target


_NEXT = {
    Phase.DEVELOPMENT: Phase.PRE_PRODUCTION,
    Phase.PRE_PRODUCTION: Phase.PRINCIPAL_PHOTOGRAPHY,
    Phase.PRINCIPAL_PHOTOGRAPHY: Phase.POST_PRODUCTION,
    Phase.POST_PRODUCTION: Phase.WRAPPED,
}

ACTIVE_PHASES = frozenset(phase for phase in Phase if phase.is_active)
"""Phases in which a production holds its movie and its shoot days."""
