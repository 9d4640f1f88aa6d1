"""The scripted scenario the demo and the cross-source tests run through every data source.

Ids are fixed (uuid5), so that the same scenario run on two sources yields equal results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from app.bootstrap import Interactors
from domain import Conflict, Genre, Phase, RuleViolation

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hexstudio.dev/scenario")


def scenario_id(name: str) -> UUID:
    """The fixed id of the scenario's entity called ``name``."""
    return uuid5(_NAMESPACE, name)


async def run_scenario(app: Interactors) -> list[tuple[str, Any]]:
    """Register, onboard with a shoot plan, advance, reschedule, read back; return each step."""
    steps: list[tuple[str, Any]] = []
    movie = await app.register_movie(
        id=scenario_id("movie"),
        title="The Lighthouse Keeper's Atlas",
        logline="A cartographer maps a coast that keeps moving.",
        genres=[Genre.DRAMA, Genre.SCIFI],
        release_year=2028,
    )
    steps.append(("register movie", movie))
    harbour = await app.register_location(
        id=scenario_id("harbour"),
        name="Old Harbour",
        city="Porto",
        country="PT",
        latitude=41.1403,
        longitude=-8.6110,
    )
    dunes = await app.register_location(
        id=scenario_id("dunes"),
        name="Singing Dunes",
        city="Swakopmund",
        country="NA",
        latitude=-22.6784,
        longitude=14.5266,
    )
    steps.append(("register locations", [harbour, dunes]))
    start = dt.date(2027, 9, 1)
    overview = await app.onboard_production(
        id=scenario_id("production"),
        movie_id=movie.id,
        budget={"amount": "4200000", "currency": "EUR"},
        starts_on=start,
        wraps_on=dt.date(2027, 11, 30),
        shoot_plan=[(harbour.id, start + dt.timedelta(days=i)) for i in range(3)]
        + [(dunes.id, dt.date(2027, 10, 15))],
    )
    steps.append(("onboard production", overview))
    production = overview.production
    for refused in (
        app.onboard_production(  # the movie already has an active production
            movie_id=movie.id,
            budget={"amount": "1", "currency": "EUR"},
            starts_on=start,
            wraps_on=start,
        ),
        app.advance_production(  # a stale version
            production_id=production.id, to_phase=Phase.PRINCIPAL_PHOTOGRAPHY, expected_version=9
        ),
    ):
        try:
            await refused
        except (RuleViolation, Conflict) as exc:
            steps.append(("refused", {"error": exc.code, "reason": exc.reason}))
    advanced = await app.advance_production(
        production_id=production.id, to_phase=Phase.PRINCIPAL_PHOTOGRAPHY, expected_version=1
    )
    steps.append(("advance production", advanced))
    first_day = overview.shoot_days[0]
    moved = await app.reschedule_shoot_day(
        shoot_day_id=first_day.id, new_date=dt.date(2027, 9, 10), expected_version=1
    )
    steps.append(("reschedule shoot day", moved))
    steps.append(("overview", await app.get_production_overview(production_id=production.id)))
    slate = await app.list_slate(movie_id=movie.id)
    steps.append(("slate", list(slate.items)))
    return steps
