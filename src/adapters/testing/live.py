"""Read-only checks of a source's live data: what the kit can prove without writing a thing.

The kit's other checks store fixtures and read them back, which a production store must not
get. These read what is already there instead: the first entities of every type in the stable
order (a bounded sample), then ask the other reads about them. get, get_many, find_by and a
filtered list must agree with the plain list; pages must be sorted, unique and the same
whatever their size; a random id is NotFound. Kit checks that never write (the NotFound and
cursor checks) run as they are.

An empty store passes vacuously, and a store written to while the checks read can disagree
with itself for a moment: a failure that repeats on a second run is the source's.
"""

from __future__ import annotations

import itertools
from typing import Any
from uuid import uuid4

from adapters.testing import checks_paging, checks_reads
from adapters.testing.checks_filters import filter_values
from adapters.testing.kit import GENERIC, Check, Harness
from adapters.testing.runner import Report, run_check
from domain import MAX_PAGE_SIZE, Catalog, Entity, PageRequest
from domain.catalog import AnyEntityType

SAMPLE = 100
"""How many entities of each type the checks read by default (the first ones in order)."""

_SMALL_PAGE = 7
"""The page size of the walk compared with a walk of one page: odd, so boundaries move."""

_READ_ONLY_KIT_CHECKS = (
    checks_reads.get_of_a_missing_id_raises_not_found,
    checks_reads.get_many_of_nothing_is_empty,
    checks_paging.malformed_or_tampered_cursors_are_invalid_input,
)
"""The kit's own checks that never write: they run unchanged against live data."""


async def _walk(h: Harness, entity: AnyEntityType, query: Any, size: int, limit: int) -> list[Any]:
    """The first ``limit`` entities ``query`` lists, following cursors in pages of ``size``.

    Each page is checked as it comes: no larger than asked, sorted, and after the page before.
    """
    found: list[Entity] = []
    cursor: str | None = None
    async with h.uow() as uow:
        repository = uow.repository(entity)
        while len(found) < limit:
            page = await repository.list(query, PageRequest(size=size, cursor=cursor))
            assert len(page.items) <= size, (
                f"{entity.plural}: a page of size {size} held {len(page.items)} items"
            )
            found.extend(page.items)
            if page.next_cursor is None:
                break
            assert page.items, f"{entity.plural}: an empty page offered a next cursor"
            cursor = page.next_cursor
    for before, after in itertools.pairwise(found):
        assert before.sort_key < after.sort_key, (
            f"{entity.plural} by {entity.order}: {after.id} came after {before.id} "
            "(order broken or an item repeated across pages)"
        )
    return found[:limit]


def _checks(sample: int) -> list[Check]:
    """The live checks, each reading at most ``sample`` entities of every type."""

    async def live_pages_are_sorted_unique_and_independent_of_size(h: Harness) -> None:
        """Pages are sorted and unique, and small pages walk what one large page holds."""
        for entity in h.catalog:
            large = await _walk(h, entity, entity.query(), min(sample, MAX_PAGE_SIZE), sample)
            small = await _walk(h, entity, entity.query(), _SMALL_PAGE, sample)
            large_ids, small_ids = [e.id for e in large], [e.id for e in small]
            assert large_ids == small_ids, (
                f"{entity.plural}: pages of {_SMALL_PAGE} walked {len(small_ids)} items, pages "
                f"of {min(sample, MAX_PAGE_SIZE)} walked {len(large_ids)}; first difference at "
                f"position {_first_difference(large_ids, small_ids)}"
            )

    async def live_get_agrees_with_list(h: Harness) -> None:
        """Get of each listed entity returns it, equal to what the list returned."""
        for entity in h.catalog:
            listed = await _walk(h, entity, entity.query(), MAX_PAGE_SIZE, sample)
            async with h.uow() as uow:
                for item in listed:
                    got = await uow.repository(entity).get(item.id)
                    assert got == item, f"{entity.plural} {item.id}: get {got!r}, list {item!r}"

    async def live_get_many_agrees_with_list(h: Harness) -> None:
        """A get_many of the listed ids and a random one returns exactly the listed entities."""
        for entity in h.catalog:
            listed = await _walk(h, entity, entity.query(), MAX_PAGE_SIZE, sample)
            async with h.uow() as uow:
                asked = [e.id for e in listed] + [uuid4()]
                got = dict(await uow.repository(entity).get_many(asked))
            expected = {e.id: e for e in listed}
            wrong = sorted(str(i) for i in got.keys() ^ expected.keys()) or sorted(
                str(i) for i in got if got[i] != expected[i]
            )
            assert not wrong, f"{entity.plural}: get_many disagrees with list on {wrong[:3]}"

    async def live_find_by_agrees_with_list(h: Harness) -> None:
        """A find_by of the listed entities' unique key values returns those entities."""
        for entity in h.catalog:
            if not entity.unique:
                continue
            listed = await _walk(h, entity, entity.query(), MAX_PAGE_SIZE, sample)
            for key in entity.unique:
                holders = {
                    values: e
                    for e in listed
                    if None not in (values := tuple(getattr(e, name) for name in key.fields))
                }
                async with h.uow() as uow:
                    found = await uow.repository(entity).find_by(key, list(holders))
                got = {e.id: e for e in found}
                expected = {e.id: e for e in holders.values()}
                assert got == expected, (
                    f"{entity.plural}.{key.name}: find_by of {len(expected)} held values "
                    f"returned {len(got)} entities, {len(got.keys() & expected.keys())} of them "
                    "the holders"
                )

    async def live_filters_match_what_they_return(h: Harness) -> None:
        """Each filter the source answers returns only matches, and every listed match."""
        for entity in h.catalog:
            listed: list[Entity] | None = None
            for spec in entity.filters:
                if not h.capabilities.supports(entity.filter_name(spec.name)):
                    continue
                if listed is None:
                    listed = await _walk(h, entity, entity.query(), MAX_PAGE_SIZE, sample)
                value = next(filter_values(spec, listed), None)
                if value is None:
                    continue  # no sampled entity sets the field: nothing to ask about
                query = entity.query(**{spec.name: value})
                # Enough pages to pass the last sampled entity: then every sampled match
                # that exists must be among them, and the comparison is complete.
                found = await _walk(h, entity, query, MAX_PAGE_SIZE, len(listed) + sample)
                wrong = [e for e in found if not query.matches(e)]
                assert not wrong, f"{query!r} returned {wrong[0].id}, which does not match it"
                found_ids = {e.id for e in found}
                missed = [e.id for e in listed if query.matches(e) and e.id not in found_ids]
                assert not missed, f"{query!r} missed {len(missed)} listed match(es): {missed[0]}"

    made = [
        live_pages_are_sorted_unique_and_independent_of_size,
        live_get_agrees_with_list,
        live_get_many_agrees_with_list,
        live_find_by_agrees_with_list,
        live_filters_match_what_they_return,
    ]
    capability = {
        live_find_by_agrees_with_list: "unique_keys",
        live_filters_match_what_they_return: "filters",
        live_pages_are_sorted_unique_and_independent_of_size: "paging",
    }
    return [
        Check(fn.__name__, capability.get(fn, "reads"), (fn.__doc__ or "").strip(), fn)
        for fn in made
    ]


def _first_difference(left: list[Any], right: list[Any]) -> int:
    return next(
        (i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
        min(len(left), len(right)),
    )


def live_checks_for(catalog: Catalog, *, sample: int = SAMPLE) -> tuple[Check, ...]:
    """The read-only checks of ``catalog``'s types: the kit's non-writing ones, then the live."""
    if sample < 1:
        raise ValueError(f"sample: at least 1 entity per type, got {sample}")
    kept = [c for c in GENERIC if c.run in _READ_ONLY_KIT_CHECKS]
    return (*kept, *_checks(sample))


async def run_live(source: str, harness: Harness, *, sample: int = SAMPLE) -> Report:
    """Run every read-only check against ``harness``'s live data, one after another."""
    checks = live_checks_for(harness.catalog, sample=sample)
    return Report(source, tuple([await run_check(harness, c) for c in checks]))
