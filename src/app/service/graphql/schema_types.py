"""The service's GraphQL types, derived once from the catalog it serves (``derived``)."""

from __future__ import annotations

from app.service.graphql.derived import CatalogTypes
from domain import STUDIO

TYPES = CatalogTypes(STUDIO)
"""Object types, enums, filters, entity inputs and root fields of the studio's catalog."""
