"""The service's GraphQL types, derived once per catalog it serves (``derived``)."""

from __future__ import annotations

from app.service.graphql.derived import CatalogTypes
from domain import STUDIO, Catalog

_BUILT: dict[int, CatalogTypes] = {}


def catalog_types(catalog: Catalog) -> CatalogTypes:
    """The strawberry types of ``catalog``, built once (a schema needs each class once)."""
    found = _BUILT.get(id(catalog))
    if found is None or found.catalog is not catalog:
        found = _BUILT[id(catalog)] = CatalogTypes(catalog)
    return found


TYPES = catalog_types(STUDIO)
"""The studio's types, which its use-case mutations and their inputs name."""
