"""The service's GraphQL types, derived once per catalog it serves (``derived``)."""

from __future__ import annotations

import functools

from app.service.graphql.derived import CatalogTypes
from domain import STUDIO, Catalog


@functools.cache
def catalog_types(catalog: Catalog) -> CatalogTypes:
    """The strawberry types of ``catalog``, built once (a schema needs each class once)."""
    return CatalogTypes(catalog)


TYPES = catalog_types(STUDIO)
"""The studio's types, which its use-case mutations and their inputs name."""
