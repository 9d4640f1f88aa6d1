"""Checks of keyset pagination: stable order, every item once, sizes and cursors.

Lists are scoped to the children of one parent (an equality filter on a reference, see
``fixtures.scope_filter``) so that a check reads what it stored, not the whole store.
"""

from __future__ import annotations

import itertools
from typing import Any

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, seedable, writable
from domain import MAX_PAGE_SIZE, Entity, EntityType, InvalidInput, PageRequest
from domain.catalog import AnyEntityType, FilterSpec, Query
from domain.paging import encode_cursor


def _assert_sorted_unique(items: list[Entity], what: str) -> None:
    keys = [item.sort_key for item in items]
    for before, after in itertools.pairwise(keys):
        assert before < after, f"{what}: {after} came after {before} (order broken or repeated)"


def _scoped(h: Harness) -> list[tuple[AnyEntityType, FilterSpec]]:
    """The types that can list one parent's children, with the filter that does it."""
    found = []
    for entity in h.catalog:
        spec = f.scope_filter(entity)
        if spec is not None and h.capabilities.supports(entity.filter_name(spec.name)):
            found.append((entity, spec))
    return found


def scoped(caps: Any, h: Harness) -> str | None:
    """Requirement: some type lists one parent's children with a filter the source answers."""
    return None if _scoped(h) else "no entity type lists by a reference the source answers"


async def _children(
    h: Harness, entity: EntityType[Any, Any], by: FilterSpec, count: int
) -> tuple[list[Entity], Query[Any]]:
    """``count`` new children of one new parent, stored; and the query that lists them."""
    parents, parent = f.build(h.catalog, h.catalog.target(entity.field(by.field)))
    children = [f.build(h.catalog, entity, {by.field: parent.id}) for _ in range(count)]
    await f.store(h.catalog, h.writer, *parents, *(e for made, _ in children for e in made))
    return [child for _, child in children], entity.query(**{by.name: parent.id})


@check("paging", writable, scoped)
async def pages_visit_every_item_once_while_items_are_added(h: Harness) -> None:
    """Following cursors visits every item once, in order, while others are added meanwhile."""
    for entity, by in _scoped(h):
        field = by.field
        parents, parent = f.build(h.catalog, h.catalog.target(entity.field(field)))
        lead = entity.order[0]
        made = [f.build(h.catalog, entity, {field: parent.id}) for _ in range(12)]
        originals = [child for _, child in made]
        if lead != "id":  # pairs share the leading key, so the id must break ties
            originals = [
                c.evolve(**{lead: getattr(originals[i - i % 2], lead)})
                for i, c in enumerate(originals)
            ]
        stored = [e for entities, _ in made for e in entities[:-1]]
        await f.store(h.catalog, h.writer, *parents, *stored, *originals)
        query = entity.query(**{by.name: parent.id})
        seen: list[Entity] = []
        cursor: str | None = None
        for _ in range(100):
            async with h.uow() as uow:
                page = await uow.repository(entity).list(query, PageRequest(size=5, cursor=cursor))
            seen.extend(page.items)
            # Newcomers before and after the cursor: neither may disturb the walk.
            early, late = (f.build(h.catalog, entity, {field: parent.id}) for _ in range(2))
            first = early[1]
            if lead != "id":
                first = first.evolve(**{lead: getattr(originals[0], lead)})
            await f.store(h.catalog, h.writer, *early[0][:-1], first, *late[0])
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        else:
            raise AssertionError("pagination never ended")
        _assert_sorted_unique(seen, f"{entity.plural} by {entity.order}")
        seen_ids = [e.id for e in seen]
        for original in originals:
            assert seen_ids.count(original.id) == 1, (
                f"{entity.plural}: {original.id} seen {seen_ids.count(original.id)} times"
            )


@check("paging", seedable)
async def unfiltered_lists_are_sorted_and_unique(h: Harness) -> None:
    """Listing everything returns each item once, in the entity's stable order."""
    for entity in h.catalog:
        if f.scope_filter(entity) is not None:
            continue  # such types are walked scoped; listing a whole store could be long
        made = [f.build(h.catalog, entity) for _ in range(3)]
        await f.store(h.catalog, h.writer, *(e for entities, _ in made for e in entities))
        async with h.uow() as uow:
            pages = await f.walk(uow.repository(entity), entity.query(), size=MAX_PAGE_SIZE)
        found = [e for page in pages for e in page]
        _assert_sorted_unique(found, f"{entity.plural} by {entity.order}")
        missing = {e.id for _, e in made} - {e.id for e in found}
        assert not missing, f"stored {entity.plural} were not listed: {missing}"


@check("paging", seedable, scoped)
async def page_sizes_are_respected_and_the_last_page_has_no_cursor(h: Harness) -> None:
    """Size 3 over 7 items gives pages of 3, 3, 1; size 7 gives one page without a cursor."""
    for entity, by in _scoped(h):
        _, query = await _children(h, entity, by, 7)
        async with h.uow() as uow:
            repository = uow.repository(entity)
            sizes = [len(page) for page in await f.walk(repository, query, size=3)]
            exact = await repository.list(query, PageRequest(size=7))
        assert sizes == [3, 3, 1], f"{entity.plural}: page sizes were {sizes}"
        assert len(exact.items) == 7, f"size 7 returned {len(exact.items)} items"
        assert exact.next_cursor is None, "an exactly full last page still offered a next cursor"


@check("paging", seedable, scoped)
async def a_page_never_exceeds_the_size_cap(h: Harness) -> None:
    """With more than MAX_PAGE_SIZE items, the largest page holds exactly MAX_PAGE_SIZE."""
    entity, by = _scoped(h)[0]
    _, query = await _children(h, entity, by, MAX_PAGE_SIZE + 1)
    async with h.uow() as uow:
        page = await uow.repository(entity).list(query, PageRequest(size=MAX_PAGE_SIZE))
    assert len(page.items) == MAX_PAGE_SIZE, f"the page held {len(page.items)} items"
    assert page.next_cursor is not None, "the item past the cap was not offered a next page"


@check("paging")
async def malformed_or_tampered_cursors_are_invalid_input(h: Harness) -> None:
    """A garbage cursor, or a well-formed one carrying nonsense, raises InvalidInput."""
    async with h.uow() as uow:
        for entity in h.catalog:
            arity = len(entity.order)
            nonsense = [
                "garbage",
                "",
                encode_cursor(["not-a-uuid"] * arity),  # the last key is always an id
                encode_cursor(["x"] * (arity + 1)),
            ]
            for cursor in nonsense:
                async with expect(InvalidInput, f"{entity.plural}.list(cursor={cursor!r})"):
                    await uow.repository(entity).list(
                        entity.query(), PageRequest(size=5, cursor=cursor)
                    )
