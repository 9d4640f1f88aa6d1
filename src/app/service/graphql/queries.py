"""The query root, derived from the catalog: by id, by ids, connections and key lookups."""

from __future__ import annotations

from app.service.graphql.derived import MAX_IDS
from app.service.graphql.schema_types import TYPES

Query = TYPES.query_type()
"""Every read of the service."""

__all__ = ["MAX_IDS", "Query"]
