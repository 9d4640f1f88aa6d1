"""What remote adapters share for planned reads: a unit of work's map of entities already read.

A planned read (``domain.Plan``) brings relatives along; the adapter keeps them here, by
(type name, id), with the complete child lists of to-many relationships, by (child type name,
reference field, parent id). Later reads of the same unit of work are answered from it.
It lives beside ``adapters.http``, below the adapter packages, which stay independent.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter
from typing import Any
from uuid import UUID

from domain import Entity, Page, PageRequest, Query
from domain.catalog import AnyEntityType

Entities = Mapping[tuple[str, UUID], Entity]
"""Entities read in this unit of work, by (type name, id)."""
Children = Mapping[tuple[str, str, UUID], tuple[UUID, ...]]
"""Every child's id by (child type name, reference field, parent id), complete lists only."""


def children_page(
    entity: AnyEntityType,
    name: str,
    query: Query[Any],
    page: PageRequest,
    entities: Entities,
    children: Children,
) -> Page[Any] | None:
    """The first page of one parent's children if a planned read brought them all, else None.

    ``query`` must be exactly one equality filter on a reference field (``production_id=X``):
    another filter that happens to take one id (``production_ids={X}``), a later page or a
    page too small for the whole list is left to the data source.
    """
    if page.cursor is not None or not children:
        return None
    given = [(key, value) for key, value in query if value is not None]
    if len(given) != 1 or not isinstance(given[0][1], UUID):
        return None
    key, parent = given[0]
    spec = next((f for f in entity.filters if f.name == key), None)
    if spec is None or spec.op != "eq":
        return None
    ids = children.get((name, spec.field, parent))
    if ids is None or len(ids) > page.size:
        return None
    try:
        found = [entities[(name, id)] for id in ids]
    except KeyError:
        return None  # a child the planned read did not bring: the data source answers
    # The ordering fields' own values: the catalog allows only required str, date and UUID
    # there, which compare as their text does (``Entity.sort_key``) without making the text.
    found.sort(key=attrgetter(*entity.order))
    return Page(items=tuple(found))
