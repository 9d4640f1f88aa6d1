import datetime as dt

import pytest

from app.bootstrap import Interactors
from domain import (
    Conflict,
    InvalidInput,
    Movie,
    NotFound,
    Phase,
    ProductionOverview,
    RuleViolation,
    ShootingLocation,
)
from tests.conftest import WINDOW

START, WRAP = WINDOW


@pytest.fixture
async def onboarded(
    studio: Interactors, movie: Movie, places: list[ShootingLocation]
) -> ProductionOverview:
    return await studio.onboard_production(
        movie_id=movie.id,
        budget={"amount": "900000", "currency": "GBP"},
        starts_on=START,
        wraps_on=WRAP,
        shoot_plan=[(places[0].id, START), (places[1].id, START + dt.timedelta(days=1))],
    )


async def test_happy_path_advancing_walks_the_phases_and_bumps_the_version(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    production = onboarded.production
    for target in (Phase.PRINCIPAL_PHOTOGRAPHY, Phase.POST_PRODUCTION, Phase.WRAPPED):
        production = await studio.advance_production(
            production_id=production.id, to_phase=target, expected_version=production.version
        )
        assert production.phase is target
    assert production.version == 4


async def test_unhappy_path_illegal_transitions_are_refused(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    with pytest.raises(RuleViolation) as caught:
        await studio.advance_production(
            production_id=onboarded.production.id, to_phase=Phase.WRAPPED, expected_version=1
        )
    assert caught.value.reason == "illegal_phase_transition"
    overview = await studio.get_production_overview(production_id=onboarded.production.id)
    assert overview.production == onboarded.production


async def test_unhappy_path_stale_expected_version_conflicts(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    with pytest.raises(Conflict) as caught:
        await studio.advance_production(
            production_id=onboarded.production.id,
            to_phase=Phase.PRINCIPAL_PHOTOGRAPHY,
            expected_version=2,
        )
    assert caught.value.reason == "stale_version"


async def test_unhappy_path_unknown_phase_is_invalid_input(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await studio.advance_production(
            production_id=onboarded.production.id, to_phase="shooting", expected_version=1
        )
    assert caught.value.field == "to_phase"


async def test_happy_path_cancelling_frees_the_locations(
    studio: Interactors, onboarded: ProductionOverview, places: list[ShootingLocation]
) -> None:
    await studio.advance_production(
        production_id=onboarded.production.id, to_phase=Phase.CANCELLED, expected_version=1
    )
    overview = await studio.get_production_overview(production_id=onboarded.production.id)
    assert overview.shoot_days == ()
    other = await studio.register_movie(title="Takes The Slot")
    taken = await studio.onboard_production(
        movie_id=other.id,
        budget={"amount": "1", "currency": "GBP"},
        starts_on=START,
        wraps_on=WRAP,
        shoot_plan=[(places[0].id, START)],
    )
    assert len(taken.shoot_days) == 1


async def test_happy_path_rescheduling_moves_the_day(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    day = onboarded.shoot_days[0]
    moved = await studio.reschedule_shoot_day(
        shoot_day_id=day.id, new_date=START + dt.timedelta(days=5), expected_version=1
    )
    assert (moved.date, moved.version) == (START + dt.timedelta(days=5), 2)


async def test_unhappy_path_rescheduling_outside_the_window_is_refused(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    with pytest.raises(RuleViolation) as caught:
        await studio.reschedule_shoot_day(
            shoot_day_id=onboarded.shoot_days[0].id,
            new_date=WRAP + dt.timedelta(days=1),
            expected_version=1,
        )
    assert caught.value.reason == "shoot_day_outside_window"


async def test_unhappy_path_rescheduling_onto_a_booked_slot_is_refused(
    studio: Interactors, onboarded: ProductionOverview, places: list[ShootingLocation]
) -> None:
    other = await studio.register_movie(title="Neighbour")
    await studio.onboard_production(
        movie_id=other.id,
        budget={"amount": "1", "currency": "GBP"},
        starts_on=START,
        wraps_on=WRAP,
        shoot_plan=[(places[0].id, START + dt.timedelta(days=9))],
    )
    with pytest.raises(RuleViolation) as caught:
        await studio.reschedule_shoot_day(
            shoot_day_id=onboarded.shoot_days[0].id,
            new_date=START + dt.timedelta(days=9),
            expected_version=1,
        )
    assert caught.value.reason == "location_double_booked"


async def test_unhappy_path_rescheduling_with_a_stale_version_conflicts(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    with pytest.raises(Conflict):
        await studio.reschedule_shoot_day(
            shoot_day_id=onboarded.shoot_days[0].id, new_date=START, expected_version=3
        )


async def test_unhappy_path_rescheduling_to_a_non_date_names_the_field(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await studio.reschedule_shoot_day(
            shoot_day_id=onboarded.shoot_days[0].id, new_date="soon", expected_version=1
        )
    assert caught.value.field == "new_date"


async def test_happy_path_cancelling_a_shoot_day_removes_it(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    day = onboarded.shoot_days[0]
    await studio.cancel_shoot_day(shoot_day_id=day.id, expected_version=1)
    overview = await studio.get_production_overview(production_id=onboarded.production.id)
    assert day.id not in {d.id for d in overview.shoot_days}
    with pytest.raises(NotFound):
        await studio.cancel_shoot_day(shoot_day_id=day.id, expected_version=1)


async def test_unhappy_path_cancelling_a_shoot_day_with_a_stale_version_conflicts(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    with pytest.raises(Conflict):
        await studio.cancel_shoot_day(shoot_day_id=onboarded.shoot_days[0].id, expected_version=2)


async def test_unhappy_path_a_wrapped_production_keeps_its_shoot_days(
    studio: Interactors, onboarded: ProductionOverview
) -> None:
    production = onboarded.production
    for target in (Phase.PRINCIPAL_PHOTOGRAPHY, Phase.POST_PRODUCTION, Phase.WRAPPED):
        production = await studio.advance_production(
            production_id=production.id, to_phase=target, expected_version=production.version
        )
    day = onboarded.shoot_days[0]
    with pytest.raises(RuleViolation) as caught:
        await studio.cancel_shoot_day(shoot_day_id=day.id, expected_version=1)
    assert caught.value.reason == "production_not_active"
    with pytest.raises(RuleViolation):
        await studio.reschedule_shoot_day(shoot_day_id=day.id, new_date=START, expected_version=1)
