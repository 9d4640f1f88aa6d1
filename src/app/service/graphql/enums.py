"""GraphQL enums mirroring the domain's Phase and Genre, as the catalog's types derive them.

GraphQL enum values are the member names (``PRE_PRODUCTION``, ``SCIFI``); resolvers keep
returning the domain's enums, whose values these share. The use cases' inputs name them.
"""

from __future__ import annotations

from app.service.graphql.schema_types import TYPES
from domain import Genre as DomainGenre
from domain import Phase as DomainPhase

Phase = TYPES.enum_type(DomainPhase)
Genre = TYPES.enum_type(DomainGenre)
