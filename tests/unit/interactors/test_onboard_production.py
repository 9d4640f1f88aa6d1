import asyncio
import datetime as dt
from uuid import uuid4

import pytest

from app.bootstrap import Interactors
from app.instrumentation import counting
from domain import (
    PRODUCTIONS,
    SHOOT_DAYS,
    Conflict,
    InvalidInput,
    Movie,
    NotFound,
    Phase,
    ProductionQuery,
    RuleViolation,
    ShootDayQuery,
    ShootingLocation,
)
from domain.paging import PageRequest
from tests.conftest import WINDOW

START, WRAP = WINDOW
BUDGET = {"amount": "1500000", "currency": "USD"}


async def onboard(studio: Interactors, movie: Movie, plan: list, **changes: object):
    args = {"movie_id": movie.id, "budget": BUDGET, "starts_on": START, "wraps_on": WRAP}
    return await studio.onboard_production(**{**args, **changes}, shoot_plan=plan)


async def count_rows(studio: Interactors) -> tuple[int, int]:
    async with studio.uow() as uow:
        productions = await uow.repository(PRODUCTIONS).list(
            ProductionQuery(), PageRequest(size=500)
        )
        days = await uow.repository(SHOOT_DAYS).list(ShootDayQuery(), PageRequest(size=500))
    return len(productions.items), len(days.items)


async def test_happy_path_creates_the_production_in_pre_production_with_its_days(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    plan = [(places[0].id, START), (places[1].id, START), (places[0].id, WRAP)]
    overview = await onboard(studio, movie, plan)
    assert overview.production.phase is Phase.PRE_PRODUCTION
    assert overview.movie == movie.evolve(version=movie.version + 1)  # the movie guards the rule
    assert {d.slot for d in overview.shoot_days} == set(plan)
    assert [d.sort_key for d in overview.shoot_days] == sorted(
        d.sort_key for d in overview.shoot_days
    )
    assert set(overview.locations) == {places[0].id, places[1].id}
    stored = await studio.get_production_overview(production_id=overview.production.id)
    assert stored == overview


async def test_happy_path_fetches_all_locations_in_one_batch(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    factory, calls = counting(studio.uow)
    plan = [(p.id, START + dt.timedelta(days=i)) for i, p in enumerate(places * 3)]
    await Interactors(factory).onboard_production(
        movie_id=movie.id, budget=BUDGET, starts_on=START, wraps_on=WRAP, shoot_plan=plan
    )
    assert calls["locations.get_many"] == 1
    assert calls["locations.get"] == 0
    assert calls["shoot_days.find_by"] == 1


async def test_unhappy_path_movie_must_exist(
    studio: Interactors, places: list[ShootingLocation]
) -> None:
    ghost = Movie(title="Never registered")
    with pytest.raises(NotFound) as caught:
        await onboard(studio, ghost, [(places[0].id, START)])
    assert caught.value.entity == "Movie"
    assert str(ghost.id) in caught.value.message
    assert await count_rows(studio) == (0, 0)


async def test_unhappy_path_one_active_production_per_movie(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    await onboard(studio, movie, [(places[0].id, START)])
    with pytest.raises(RuleViolation) as caught:
        await onboard(studio, movie, [(places[1].id, START)])
    assert caught.value.reason == "movie_has_active_production"
    assert await count_rows(studio) == (1, 1)


async def test_happy_path_a_movie_whose_production_ended_can_be_produced_again(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    first = await onboard(studio, movie, [(places[0].id, START)])
    await studio.advance_production(
        production_id=first.production.id, to_phase=Phase.CANCELLED, expected_version=1
    )
    again = await onboard(studio, movie, [(places[0].id, START)])
    assert again.production.phase is Phase.PRE_PRODUCTION


async def test_unhappy_path_starts_on_must_not_follow_wraps_on(
    studio: Interactors, movie: Movie
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await onboard(studio, movie, [], starts_on=WRAP, wraps_on=START)
    assert caught.value.field == "wraps_on"


@pytest.mark.parametrize("day", [START - dt.timedelta(days=1), WRAP + dt.timedelta(days=1)])
async def test_unhappy_path_shoot_days_must_fall_inside_the_window(
    studio: Interactors, movie: Movie, places: list[ShootingLocation], day: dt.date
) -> None:
    with pytest.raises(RuleViolation) as caught:
        await onboard(studio, movie, [(places[0].id, START), (places[1].id, day)])
    assert caught.value.reason == "shoot_day_outside_window"
    assert caught.value.field == "shoot_plan[1].date"
    assert await count_rows(studio) == (0, 0)


async def test_unhappy_path_every_location_must_exist(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    missing = uuid4()
    with pytest.raises(NotFound) as caught:
        await onboard(studio, movie, [(places[0].id, START), (missing, START)])
    assert str(missing) in caught.value.message
    assert await count_rows(studio) == (0, 0)


async def test_unhappy_path_a_location_is_booked_once_per_date_across_productions(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    await onboard(studio, movie, [(places[0].id, START)])
    other = await studio.register_movie(title="Second Feature")
    with pytest.raises(RuleViolation) as caught:
        await onboard(studio, other, [(places[1].id, START), (places[0].id, START)])
    assert caught.value.reason == "location_double_booked"
    assert await count_rows(studio) == (1, 1)


async def test_unhappy_path_a_plan_cannot_book_one_slot_twice(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    with pytest.raises(RuleViolation) as caught:
        await onboard(studio, movie, [(places[0].id, START), (places[0].id, START)])
    assert caught.value.reason == "location_double_booked"


async def test_unhappy_path_a_bad_plan_entry_names_its_index(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await onboard(studio, movie, [(places[0].id, START), (places[1].id, "not a date")])
    assert caught.value.field == "shoot_plan[1].date"


async def test_unhappy_path_retrying_an_onboarding_never_books_twice(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    production_id = uuid4()
    await onboard(studio, movie, [(places[0].id, START)], id=production_id)
    with pytest.raises((Conflict, RuleViolation)):
        await onboard(studio, movie, [(places[0].id, START)], id=production_id)
    assert await count_rows(studio) == (1, 1)


async def test_unhappy_path_racing_onboardings_of_one_movie_let_one_commit(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> None:
    """Both pass the active-production check before either writes; one must still lose."""
    barrier = asyncio.Barrier(2)

    def racing_uow():  # type: ignore[no-untyped-def]
        uow = studio.uow()
        check = uow.repository(SHOOT_DAYS).find_by

        async def find_by(key, slots):  # type: ignore[no-untyped-def]
            taken = await check(key, slots)
            await barrier.wait()  # both have read everything; now both write
            return taken

        uow.repository(SHOOT_DAYS).find_by = find_by  # type: ignore[method-assign]
        return uow

    racing = Interactors(racing_uow)
    results = await asyncio.gather(
        *(onboard(racing, movie, [(place.id, START)]) for place in places[:2]),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "ProductionOverview"]
    assert await count_rows(studio) == (1, 1)
