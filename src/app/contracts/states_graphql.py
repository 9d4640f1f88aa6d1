"""Provider states the graphql consumer's interactions ask for.

Each state sets its entities up through the domain with fixed ids and can run any number of
times: entities already there are kept, except those an interaction changes, which are reset
so that a replay meets the state the consumer recorded.
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

pact_id = contract_ids("graphql")
"""The fixed id of the graphql contract's entity called ``name``."""


MOVIE = pact_id("movie")
EDITED_MOVIE = pact_id("edited movie")
REMOVED_MOVIE = pact_id("removed movie")
NEW_MOVIE = pact_id("new movie")
PRODUCTION_MOVIE = pact_id("production movie")
LOCATION = pact_id("location")
PRODUCTION = pact_id("production")
SHOOT_DATES = (dt.date(2030, 4, 1), dt.date(2030, 4, 2))


def shoot_day_id(date: dt.date) -> UUID:
    """The id onboarding gives the contract production's shoot day on ``date``."""
    return ShootDay.planned_id(PRODUCTION, LOCATION, date)


@provider_state("graphql: a movie exists")
async def a_movie_exists(app: Interactors, params: Mapping[str, Any]) -> None:
    """The movie ``MOVIE``: a 2030 comedy."""
    await ensure(
        app.register_movie(id=MOVIE, title="Pact Comedy", genres=[Genre.COMEDY], release_year=2030)
    )


@provider_state("graphql: a production with two shoot days exists")
async def a_production_exists(app: Interactors, params: Mapping[str, Any]) -> None:
    """``PRODUCTION`` of ``PRODUCTION_MOVIE`` in pre-production, shooting twice at ``LOCATION``."""
    await ensure(app.register_movie(id=PRODUCTION_MOVIE, title="Pact Feature"))
    await ensure(
        app.register_location(
            id=LOCATION,
            name="Pact Stage",
            city="Graphton",
            country="NZ",
            latitude=-41.3,
            longitude=174.8,
        )
    )
    await onboard_once(
        app,
        id=PRODUCTION,
        movie_id=PRODUCTION_MOVIE,
        budget={"amount": "750000", "currency": "NZD"},
        starts_on=dt.date(2030, 4, 1),
        wraps_on=dt.date(2030, 5, 31),
        shoot_plan=[(LOCATION, date) for date in SHOOT_DATES],
    )


@provider_state("graphql: a movie to edit and a movie to remove exist")
async def movies_to_change(app: Interactors, params: Mapping[str, Any]) -> None:
    """``EDITED_MOVIE`` and ``REMOVED_MOVIE`` at version 1; ``NEW_MOVIE`` absent."""
    await reset_movies(
        app, {EDITED_MOVIE: "Draft Title", REMOVED_MOVIE: "Doomed"}, absent=NEW_MOVIE
    )


@provider_state("graphql: the service is up")
async def service_is_up(app: Interactors, params: Mapping[str, Any]) -> None:
    """Nothing to set up: the interaction needs no data (a missing id, a bad cursor...)."""


@provider_state("graphql: the service is overloaded")
async def overloaded(app: Interactors, params: Mapping[str, Any]) -> None:
    """Nothing to set up: a provider cannot be made to answer 503 on demand.

    The interaction that asks for this state is marked pending in the contract: it records
    how the consumer handles a 503 without failing the provider's verification.
    """
