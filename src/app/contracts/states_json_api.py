"""Provider states the json_api consumer's interactions ask for.

Each state sets its entities up through the domain with fixed ids, and can run any number of
times: entities already there are kept, except those an interaction changes, which are reset
to their first version so that a replay meets the state the consumer recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from app.bootstrap import Interactors
from app.contracts.states import (
    contract_ids,
    ensure,
    onboard_once,
    provider_state,
    reset_movies,
)
from domain import Genre, ShootDay

pact_id = contract_ids("json_api")
"""The fixed id of the json_api contract's entity called ``name``."""


MOVIE = pact_id("movie")
EDITED_MOVIE = pact_id("edited movie")
REMOVED_MOVIE = pact_id("removed movie")
NEW_MOVIE = pact_id("new movie")
PRODUCTION_MOVIE = pact_id("production movie")
LOCATION = pact_id("location")
PRODUCTION = pact_id("production")
SHOOT_DATES = (dt.date(2029, 5, 1), dt.date(2029, 5, 2))


def shoot_day_id(date: dt.date) -> UUID:
    """The id onboarding gives the contract production's shoot day on ``date``."""
    return ShootDay.planned_id(PRODUCTION, LOCATION, date)


@provider_state("a movie exists")
async def a_movie_exists(app: Interactors, params: Mapping[str, Any]) -> None:
    """The movie ``MOVIE``: a 2029 drama."""
    await ensure(
        app.register_movie(id=MOVIE, title="Pact Movie", genres=[Genre.DRAMA], release_year=2029)
    )


@provider_state("a movie to edit and a movie to remove exist")
async def movies_to_change(app: Interactors, params: Mapping[str, Any]) -> None:
    """``EDITED_MOVIE`` and ``REMOVED_MOVIE`` at version 1; ``NEW_MOVIE`` absent."""
    await reset_movies(
        app, {EDITED_MOVIE: "Draft Title", REMOVED_MOVIE: "Doomed"}, absent=NEW_MOVIE
    )


@provider_state("a production with two shoot days exists")
async def a_production_exists(app: Interactors, params: Mapping[str, Any]) -> None:
    """``PRODUCTION`` of ``PRODUCTION_MOVIE`` in pre-production, shooting at ``LOCATION``."""
    await ensure(app.register_movie(id=PRODUCTION_MOVIE, title="Pact Production"))
    await ensure(
        app.register_location(
            id=LOCATION,
            name="Pact Lot",
            city="Pactville",
            country="GB",
            latitude=51.5,
            longitude=-0.12,
        )
    )
    await onboard_once(
        app,
        id=PRODUCTION,
        movie_id=PRODUCTION_MOVIE,
        budget={"amount": "1000000", "currency": "GBP"},
        starts_on=SHOOT_DATES[0],
        wraps_on=dt.date(2029, 6, 30),
        shoot_plan=[(LOCATION, date) for date in SHOOT_DATES],
    )


@provider_state("no particular data is needed")
async def nothing_needed(app: Interactors, params: Mapping[str, Any]) -> None:
    """Nothing to set up (a missing id, a malformed cursor): the interaction needs no data."""
