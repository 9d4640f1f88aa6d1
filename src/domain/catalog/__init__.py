"""The entity catalog: how a domain declares its entity types once, for every edge to derive.

A domain is a ``Catalog`` of ``EntityType`` declarations plus its interactors. Models mark
references (``References``) and personal data (``Personal``) on their fields, queries mark
filters (``In``, ``Has``, ``AtLeast``...); names follow one rule (``domain.catalog.names``)
unless overridden.
"""

from domain.catalog.catalog import AnyEntityType, Catalog, CatalogError, Reverse
from domain.catalog.entity_type import KEYS, EntityType, Sample, UniqueKey
from domain.catalog.fields import FieldKind, FieldSpec
from domain.catalog.markers import AtLeast, AtMost, Equals, Filter, Has, In, Personal, References
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
    "Personal",
    "Plan",
    "Query",
    "References",
    "Reverse",
    "Sample",
    "UniqueKey",
]
