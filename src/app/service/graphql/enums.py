"""GraphQL enums mirroring the domain's Phase and Genre.

GraphQL enum values are the member names (``PRE_PRODUCTION``, ``SCIFI``); resolvers keep
returning the domain's enums, whose values these share. Separate classes keep strawberry's
markers off the domain; a test checks that they stay in step.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from domain import Genre as DomainGenre
from domain import Phase as DomainPhase


@strawberry.enum(description="Where a production is in its life cycle.")
class Phase(Enum):
    """A production phase."""

    DEVELOPMENT = DomainPhase.DEVELOPMENT.value
    PRE_PRODUCTION = DomainPhase.PRE_PRODUCTION.value
    PRINCIPAL_PHOTOGRAPHY = DomainPhase.PRINCIPAL_PHOTOGRAPHY.value
    POST_PRODUCTION = DomainPhase.POST_PRODUCTION.value
    WRAPPED = DomainPhase.WRAPPED.value
    CANCELLED = DomainPhase.CANCELLED.value


@strawberry.enum(description="A movie genre.")
class Genre(Enum):
    """A movie genre."""

    DRAMA = DomainGenre.DRAMA.value
    COMEDY = DomainGenre.COMEDY.value
    DOCUMENTARY = DomainGenre.DOCUMENTARY.value
    THRILLER = DomainGenre.THRILLER.value
    ANIMATION = DomainGenre.ANIMATION.value
    ACTION = DomainGenre.ACTION.value
    ROMANCE = DomainGenre.ROMANCE.value
    HORROR = DomainGenre.HORROR.value
    FAMILY = DomainGenre.FAMILY.value
    SCIFI = DomainGenre.SCIFI.value
