"""Checks of keyset pagination: stable order, every item once, sizes and cursors."""

from __future__ import annotations

import datetime as dt
import itertools

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, seedable, supports, writable
from domain import MAX_PAGE_SIZE, Entity, InvalidInput, PageRequest, Production
from domain.paging import encode_cursor
from domain.queries import MovieQuery, ProductionQuery, ShootDayQuery


def _assert_sorted_unique(items: list[Entity], what: str) -> None:
    keys = [item.sort_key for item in items]
    for before, after in itertools.pairwise(keys):
        assert before < after, f"{what}: {after} came after {before} (order broken or repeated)"


@check("paging", writable, supports("productions.movie_id"))
async def pages_visit_every_item_once_while_items_are_added(h: Harness) -> None:
    """Following cursors visits every item once, in order, while others are added meanwhile."""
    movie = f.movie()
    first = dt.date(2027, 1, 1)
    originals = [
        f.production(
            movie.id, starts_on=first + dt.timedelta(days=i // 2), wraps_on=dt.date(2028, 1, 1)
        )
        for i in range(12)  # pairs share a start date, so the id must break ties
    ]
    await f.store(h.writer, movie, *originals)
    query = ProductionQuery(movie_id=movie.id)
    seen: list[Production] = []
    cursor: str | None = None
    for _ in range(100):
        async with h.uow() as uow:
            page = await uow.productions.list(query, PageRequest(size=5, cursor=cursor))
        seen.extend(page.items)
        # Newcomers before and after the cursor: neither may disturb the walk.
        early = f.production(movie.id, starts_on=first, wraps_on=dt.date(2028, 1, 1))
        late = f.production(movie.id, starts_on=dt.date(2027, 12, 1), wraps_on=dt.date(2028, 1, 1))
        await f.store(h.writer, early, late)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    else:
        raise AssertionError("pagination never ended")
    _assert_sorted_unique(list(seen), "productions by (starts_on, id)")
    seen_ids = [p.id for p in seen]
    for original in originals:
        assert seen_ids.count(original.id) == 1, (
            f"{original.id} seen {seen_ids.count(original.id)} times"
        )


@check("paging", seedable)
async def unfiltered_lists_are_sorted_and_unique(h: Harness) -> None:
    """Listing everything returns each item once, in the entity's stable order."""
    movies = [f.movie() for _ in range(3)]
    await f.store(h.writer, *movies)
    async with h.uow() as uow:
        pages = await f.walk(uow.movies, MovieQuery(), size=MAX_PAGE_SIZE)
    found = [m for page in pages for m in page]
    _assert_sorted_unique(list(found), "movies by id")
    assert {m.id for m in movies} <= {m.id for m in found}, "a stored movie was not listed"


@check("paging", seedable, supports("shoot_days.production_id"))
async def page_sizes_are_respected_and_the_last_page_has_no_cursor(h: Harness) -> None:
    """Size 3 over 7 items gives pages of 3, 3, 1; size 7 gives one page without a cursor."""
    movie, place = f.movie(), f.location()
    production = f.production(movie.id)
    days = [f.shoot_day(production.id, place.id, dt.date(2027, 3, 1 + i)) for i in range(7)]
    await f.store(h.writer, movie, place, production, *days)
    query = ShootDayQuery(production_id=production.id)
    async with h.uow() as uow:
        sizes = [len(page) for page in await f.walk(uow.shoot_days, query, size=3)]
        exact = await uow.shoot_days.list(query, PageRequest(size=7))
    assert sizes == [3, 3, 1], f"page sizes were {sizes}"
    assert len(exact.items) == 7, f"size 7 returned {len(exact.items)} items"
    assert exact.next_cursor is None, "an exactly full last page still offered a next cursor"


@check("paging", seedable, supports("shoot_days.production_id"))
async def a_page_never_exceeds_the_size_cap(h: Harness) -> None:
    """With more than MAX_PAGE_SIZE items, the largest page holds exactly MAX_PAGE_SIZE."""
    movie, place = f.movie(), f.location()
    production = f.production(movie.id)
    start = dt.date(2030, 1, 1)
    days = [
        f.shoot_day(production.id, place.id, start + dt.timedelta(days=i))
        for i in range(MAX_PAGE_SIZE + 1)
    ]
    await f.store(h.writer, movie, place, production, *days)
    async with h.uow() as uow:
        page = await uow.shoot_days.list(
            ShootDayQuery(production_id=production.id), PageRequest(size=MAX_PAGE_SIZE)
        )
    assert len(page.items) == MAX_PAGE_SIZE, f"the page held {len(page.items)} items"
    assert page.next_cursor is not None, "the item past the cap was not offered a next page"


@check("paging")
async def malformed_or_tampered_cursors_are_invalid_input(h: Harness) -> None:
    """A garbage cursor, or a well-formed one carrying nonsense, raises InvalidInput."""
    nonsense = [
        "garbage",
        "",
        encode_cursor(["not-a-date", "not-a-uuid"]),
        encode_cursor(["2027-01-01"]),
    ]
    async with h.uow() as uow:
        for cursor in nonsense:
            async with expect(InvalidInput, f"productions.list(cursor={cursor!r})"):
                await uow.productions.list(ProductionQuery(), PageRequest(size=5, cursor=cursor))
        async with expect(InvalidInput, "movies.list(cursor='not-a-uuid')"):
            await uow.movies.list(MovieQuery(), PageRequest(cursor=encode_cursor(["not-a-uuid"])))
