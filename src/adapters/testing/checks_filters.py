"""Checks of every query filter: results match, ours are found, our others are left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from adapters.testing import fixtures as f
from adapters.testing.kit import Harness, check, seedable, supports
from domain import (
    Entity,
    Genre,
    Movie,
    PageRequest,
    Phase,
    Production,
    ShootDay,
    ShootingLocation,
    UnitOfWork,
)
from domain.queries import LocationQuery, MovieQuery, ProductionQuery, Query, ShootDayQuery

Repo = Callable[[UnitOfWork], Any]


async def _assert_filter(h: Harness, stored: list[Entity], query: Query[Any], repo: Repo) -> None:
    """Store ``stored``, then check the query against it."""
    await f.store(h.writer, *stored)
    await _assert_results(h, stored, query, repo)


async def _assert_results(
    h: Harness, candidates: list[Entity], query: Query[Any], repo: Repo
) -> None:
    """Every result matches; each candidate of the listed kind is found iff it matches."""
    async with h.uow() as uow:
        pages = await f.walk(repo(uow), query, size=200)
    found = [item for page in pages for item in page]
    wrong = [item for item in found if not query.matches(item)]
    assert not wrong, f"{query!r} returned {len(wrong)} item(s) it excludes, e.g. {wrong[0]!r}"
    found_ids = {item.id for item in found}
    kind = _KINDS[type(query)]
    for entity in candidates:
        if isinstance(entity, kind):
            should = query.matches(entity)
            assert (entity.id in found_ids) == should, (
                f"{query!r} {'missed' if should else 'returned'} {entity!r}"
            )


_KINDS: dict[type[Query[Any]], type[Entity]] = {
    MovieQuery: Movie,
    LocationQuery: ShootingLocation,
    ProductionQuery: Production,
    ShootDayQuery: ShootDay,
}


def _productions() -> tuple[list[Entity], Any, Any]:
    a, b = f.movie(), f.movie()
    productions = [
        f.production(a.id, phase=Phase.DEVELOPMENT),
        f.production(a.id, phase=Phase.WRAPPED),
        f.production(b.id, phase=Phase.CANCELLED),
    ]
    return [a, b, *productions], a, b


def _shoot_days() -> tuple[list[Entity], Any, Any, Any]:
    movie, here, there = f.movie(), f.location(), f.location()
    p, q = f.production(movie.id), f.production(movie.id)
    days = [
        f.shoot_day(p.id, here.id, dt.date(2027, 3, 5)),
        f.shoot_day(p.id, there.id, dt.date(2027, 3, 10)),
        f.shoot_day(p.id, here.id, dt.date(2027, 3, 20)),
        f.shoot_day(q.id, there.id, dt.date(2027, 3, 5)),
    ]
    return [movie, here, there, p, q, *days], p, here, days


@check("filters", seedable, supports("movies.genre"))
async def filter_movies_by_genre(h: Harness) -> None:
    """movies.genre returns the movies whose genres include it."""
    ours: list[Entity] = [
        f.movie(genres={Genre.COMEDY, Genre.DRAMA}),
        f.movie(genres={Genre.HORROR}),
        f.movie(genres=set()),
    ]
    await _assert_filter(h, ours, MovieQuery(genre=Genre.COMEDY), lambda u: u.movies)


@check("filters", seedable, supports("movies.release_year"))
async def filter_movies_by_release_year(h: Harness) -> None:
    """movies.release_year returns the movies of that year only."""
    ours: list[Entity] = [
        f.movie(release_year=2031),
        f.movie(release_year=2032),
        f.movie(release_year=None),
    ]
    await _assert_filter(h, ours, MovieQuery(release_year=2031), lambda u: u.movies)


@check("filters", seedable, supports("movies.genre"), supports("movies.release_year"))
async def filters_combine_as_and(h: Harness) -> None:
    """Two filters together return what matches both."""
    ours: list[Entity] = [
        f.movie(genres={Genre.SCIFI}, release_year=2033),
        f.movie(genres={Genre.SCIFI}, release_year=2034),
        f.movie(genres={Genre.FAMILY}, release_year=2033),
    ]
    query = MovieQuery(genre=Genre.SCIFI, release_year=2033)
    await _assert_filter(h, ours, query, lambda u: u.movies)


@check("filters", seedable, supports("locations.country"))
async def filter_locations_by_country(h: Harness) -> None:
    """locations.country returns the locations in that country."""
    ours: list[Entity] = [f.location(country="IS"), f.location(country="NZ")]
    await _assert_filter(h, ours, LocationQuery(country="IS"), lambda u: u.locations)


@check("filters", seedable, supports("locations.city"))
async def filter_locations_by_city(h: Harness) -> None:
    """locations.city matches the city exactly, case included."""
    here = f.location()
    ours: list[Entity] = [here, f.location(), f.location(city=here.city.upper())]
    await _assert_filter(h, ours, LocationQuery(city=here.city), lambda u: u.locations)


@check("filters", seedable, supports("productions.movie_id"))
async def filter_productions_by_movie(h: Harness) -> None:
    """productions.movie_id returns that movie's productions."""
    stored, a, _ = _productions()
    await _assert_filter(h, stored, ProductionQuery(movie_id=a.id), lambda u: u.productions)


@check("filters", seedable, supports("productions.phases"))
async def filter_productions_by_phases(h: Harness) -> None:
    """productions.phases returns the productions in any of those phases."""
    stored, _, _ = _productions()
    query = ProductionQuery(phases=frozenset({Phase.WRAPPED, Phase.CANCELLED}))
    await _assert_filter(h, stored, query, lambda u: u.productions)


@check("filters", seedable, supports("shoot_days.production_id"))
async def filter_shoot_days_by_production(h: Harness) -> None:
    """shoot_days.production_id returns that production's shoot days."""
    stored, p, _, _ = _shoot_days()
    await _assert_filter(h, stored, ShootDayQuery(production_id=p.id), lambda u: u.shoot_days)


@check("filters", seedable, supports("shoot_days.location_id"))
async def filter_shoot_days_by_location(h: Harness) -> None:
    """shoot_days.location_id returns the shoot days at that location."""
    stored, _, here, _ = _shoot_days()
    await _assert_filter(h, stored, ShootDayQuery(location_id=here.id), lambda u: u.shoot_days)


@check(
    "filters",
    seedable,
    supports("shoot_days.production_id"),
    supports("shoot_days.date_from"),
    supports("shoot_days.date_to"),
)
async def filter_shoot_days_by_date_range(h: Harness) -> None:
    """shoot_days.date_from and date_to bound the dates, both ends included."""
    stored, p, _, _ = _shoot_days()
    query = ShootDayQuery(
        production_id=p.id, date_from=dt.date(2027, 3, 10), date_to=dt.date(2027, 3, 20)
    )
    await _assert_filter(h, stored, query, lambda u: u.shoot_days)
    only_from = ShootDayQuery(production_id=p.id, date_from=dt.date(2027, 3, 6))
    await _assert_filter(h, [], only_from, lambda u: u.shoot_days)


@check("filters", seedable, supports("productions.phases"))
async def an_empty_set_of_phases_matches_nothing(h: Harness) -> None:
    """productions.phases with no phase at all returns an empty page (not an error)."""
    stored, _, _ = _productions()
    await f.store(h.writer, *stored)
    async with h.uow() as uow:
        page = await uow.productions.list(ProductionQuery(phases=frozenset()), PageRequest())
    assert page.items == (), f"an empty set of phases matched {len(page.items)} productions"
    assert page.next_cursor is None


@check("filters", seedable, supports("productions.movie_ids"))
async def filter_productions_by_several_movies(h: Harness) -> None:
    """productions.movie_ids returns the productions of any of those movies."""
    stored, a, b = _productions()
    other = f.movie()
    stored += [other, f.production(other.id)]
    query = ProductionQuery(movie_ids=frozenset({a.id, b.id}))
    await _assert_filter(h, stored, query, lambda u: u.productions)


@check("filters", seedable, supports("shoot_days.production_ids"))
async def filter_shoot_days_by_several_productions(h: Harness) -> None:
    """shoot_days.production_ids returns the shoot days of any of those productions."""
    stored, p, _, days = _shoot_days()
    query = ShootDayQuery(production_ids=frozenset({p.id, days[-1].production_id}))
    await _assert_filter(h, stored, query, lambda u: u.shoot_days)
    await _assert_results(
        h, stored, ShootDayQuery(production_ids=frozenset({p.id})), lambda u: u.shoot_days
    )


@check("filters", seedable, supports("shoot_days.location_ids"))
async def filter_shoot_days_by_several_locations(h: Harness) -> None:
    """shoot_days.location_ids returns the shoot days at any of those locations."""
    stored, _, here, _ = _shoot_days()
    elsewhere = f.location()
    query = ShootDayQuery(location_ids=frozenset({here.id, elsewhere.id}))
    await _assert_filter(h, [elsewhere, *stored], query, lambda u: u.shoot_days)
