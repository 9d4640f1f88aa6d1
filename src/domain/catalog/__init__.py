"""The entity catalog: how a domain declares its entity types once, for every edge to derive.

A domain is a ``Catalog`` of ``EntityType`` declarations plus its interactors. Models mark
references (``References``) and queries mark filters (``In``, ``Has``, ``AtLeast``...) on
their fields; names follow one rule (``domain.catalog.names``) unless overridden.
"""

from domain.catalog.catalog import AnyEntityType, Catalog, CatalogError, Reverse
from domain.catalog.entity_type import KEYS, EntityType, Sample, UniqueKey
from domain.catalog.fields import FieldKind, FieldSpec
from domain.catalog.markers import AtLeast, AtMost, Equals, Filter, Has, In, References
from domain.catalog.names import Names
from domain.catalog.plan import Hop, Plan
from domain.catalog.query import FilterSpec, Query

__all__ = [
    "KEYS",
    "AnyEntityType",
    "AtLeast",
    "AtMost",
    "Catalog",
    "CatalogError",
    "EntityType",
    "Equals",
    "FieldKind",
    "FieldSpec",
    "Filter",
    "FilterSpec",
    "Has",
    "Hop",
    "In",
    "Names",
    "Plan",
    "Query",
    "References",
    "Reverse",
    "Sample",
    "UniqueKey",
]
