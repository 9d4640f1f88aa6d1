import datetime as dt

import pytest

from app.bootstrap import Interactors
from app.instrumentation import counting
from domain import InvalidInput, Movie, NotFound, PageRequest, Phase, ShootingLocation
from domain.paging import MAX_PAGE_SIZE
from tests.conftest import WINDOW

START, WRAP = WINDOW


async def _onboard_many(studio: Interactors, places: list[ShootingLocation], n: int) -> list[Movie]:
    movies = []
    for i in range(n):
        movie = await studio.register_movie(title=f"Feature {i:03}")
        await studio.onboard_production(
            movie_id=movie.id,
            budget={"amount": "10", "currency": "USD"},
            starts_on=START + dt.timedelta(days=i % 7),
            wraps_on=WRAP,
            shoot_plan=[(places[i % 3].id, START + dt.timedelta(days=i % 28))] if i < 28 else [],
        )
        movies.append(movie)
    return movies


@pytest.mark.parametrize("days", [1, 10, 100])
async def test_happy_path_overview_takes_four_reads_whatever_the_number_of_days(
    studio: Interactors, movie: Movie, places: list[ShootingLocation], days: int
) -> None:
    window_end = START + dt.timedelta(days=days)
    plan = [(places[i % 3].id, START + dt.timedelta(days=i)) for i in range(days)]
    created = await studio.onboard_production(
        movie_id=movie.id,
        budget={"amount": "1", "currency": "USD"},
        starts_on=START,
        wraps_on=window_end,
        shoot_plan=plan,
    )
    factory, calls = counting(studio.uow)
    overview = await Interactors(factory).get_production_overview(
        production_id=created.production.id
    )
    assert len(overview.shoot_days) == days
    assert sum(calls.values()) == 4, calls
    assert calls["locations.get_many"] == 1


async def test_unhappy_path_overview_of_a_missing_production(studio: Interactors) -> None:
    with pytest.raises(NotFound):
        await studio.get_production_overview(production_id=Movie(title="x").id)


async def test_happy_path_slate_pages_through_every_production_in_two_reads_a_page(
    studio: Interactors, places: list[ShootingLocation]
) -> None:
    movies = await _onboard_many(studio, places, 23)
    factory, calls = counting(studio.uow)
    slate = Interactors(factory).list_slate
    seen, cursor, pages = [], None, 0
    while True:
        page = await slate(page=PageRequest(size=5, cursor=cursor))
        pages += 1
        seen.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 5
    assert sum(calls.values()) == 2 * pages
    assert sorted(e.movie.id for e in seen) == sorted(m.id for m in movies)
    keys = [e.production.sort_key for e in seen]
    assert keys == sorted(keys)
    assert all(e.production.movie_id == e.movie.id for e in seen)


async def test_happy_path_slate_filters_by_phase_and_movie(
    studio: Interactors, places: list[ShootingLocation]
) -> None:
    movies = await _onboard_many(studio, places, 4)
    page = await studio.list_slate(movie_id=movies[2].id)
    assert [e.movie.id for e in page.items] == [movies[2].id]
    production = page.items[0].production
    await studio.advance_production(
        production_id=production.id, to_phase=Phase.PRINCIPAL_PHOTOGRAPHY, expected_version=1
    )
    shooting = await studio.list_slate(phases=[Phase.PRINCIPAL_PHOTOGRAPHY])
    assert [e.production.id for e in shooting.items] == [production.id]
    assert (await studio.list_slate(phases=[])).items == ()


async def test_unhappy_path_slate_refuses_bad_filters_and_cursors(studio: Interactors) -> None:
    with pytest.raises(InvalidInput) as caught:
        await studio.list_slate(phases=["filming"])
    assert caught.value.field.startswith("phases")
    with pytest.raises(InvalidInput):
        await studio.list_slate(page=PageRequest(size=MAX_PAGE_SIZE, cursor="nonsense"))
