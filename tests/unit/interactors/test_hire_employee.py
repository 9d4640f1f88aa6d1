"""HireEmployee: a crew member joins a production that is still being made."""

import datetime as dt
from uuid import uuid4

import pytest

from app.bootstrap import Interactors
from domain import PRODUCTIONS, InvalidInput, Money, NotFound, Phase, Production, RuleViolation
from domain.studio import EMPLOYEES

START = dt.date(2030, 3, 1)


async def _production(studio: Interactors, phase: Phase) -> Production:
    movie = await studio.register_movie(title="Crewed")
    production = Production(
        movie_id=movie.id,
        phase=phase,
        budget=Money(amount="1000.00", currency="EUR"),
        starts_on=START,
        wraps_on=START + dt.timedelta(days=30),
    )
    async with studio.uow() as uow:
        await uow.repository(PRODUCTIONS).add(production)
        await uow.commit()
    return production


async def test_happy_path_hiring_into_an_active_production_stores_the_employee(
    studio: Interactors,
) -> None:
    production = await _production(studio, Phase.PRE_PRODUCTION)
    hired = await studio.hire_employee(name=" Ada ", role="gaffer", production_id=production.id)
    assert (hired.name, hired.role, hired.version) == ("Ada", "gaffer", 1)
    async with studio.uow() as uow:
        assert await uow.repository(EMPLOYEES).get(hired.id) == hired


@pytest.mark.parametrize("phase", [Phase.WRAPPED, Phase.CANCELLED])
async def test_unhappy_path_a_production_that_is_over_hires_nobody(
    studio: Interactors, phase: Phase
) -> None:
    production = await _production(studio, phase)
    with pytest.raises(RuleViolation) as refused:
        await studio.hire_employee(name="Ada", role="grip", production_id=production.id)
    assert (refused.value.reason, refused.value.field) == ("production_not_active", "production_id")


async def test_unhappy_path_a_missing_production_or_a_bad_role_is_refused(
    studio: Interactors,
) -> None:
    with pytest.raises(NotFound):
        await studio.hire_employee(name="Ada", role="grip", production_id=uuid4())
    production = await _production(studio, Phase.DEVELOPMENT)
    with pytest.raises(InvalidInput) as bad:
        await studio.hire_employee(name="Ada", role="caterer", production_id=production.id)
    assert bad.value.field == "role"
