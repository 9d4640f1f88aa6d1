"""DataLoaders at work: a nested GraphQL query costs the same SQL statements for 1 or 60 nodes."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.sql import SqlDataSource
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    Money,
    Movie,
    Phase,
    Production,
    ShootDay,
    ShootingLocation,
)
from tests.support.graphql_service import GraphQLService, graphql_service_fixture  # noqa: F401
from tests.support.statements import statements

pytestmark = pytest.mark.asyncio(loop_scope="session")

NESTED = """query($movie: ID!, $from: Date!, $to: Date!) {
  productions(first: 500, filter: {movieId: $movie}) {
    edges { node { id movie { title } } } }
  shootDays(first: 500, filter: {dateFrom: $from, dateTo: $to}) {
    edges { node { date location { name } production { phase movie { title } } } } }
}"""


async def _seed(source: SqlDataSource, n: int) -> tuple[Movie, dt.date]:
    """One movie with ``n`` productions, each with one shoot day at its own location."""
    movie = Movie(title=f"Counted {n}")
    first_day = dt.date(2060 + n, 1, 1)
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        for i in range(n):
            day = first_day + dt.timedelta(days=i)
            production = Production(
                movie_id=movie.id,
                phase=Phase.WRAPPED,
                budget=Money(amount="1", currency="USD"),
                starts_on=day,
                wraps_on=day,
            )
            place = ShootingLocation(
                name=f"Spot {i}", city="Nuuk", country="GL", latitude=64.2, longitude=-51.7
            )
            await uow.repository(PRODUCTIONS).add(production)
            await uow.repository(LOCATIONS).add(place)
            await uow.repository(SHOOT_DAYS).add(
                ShootDay(production_id=production.id, location_id=place.id, date=day)
            )
        await uow.commit()
    return movie, first_day


async def _count(gql: GraphQLService, n: int) -> int:
    movie, first_day = await _seed(gql.source, n)
    variables = {
        "movie": str(movie.id),
        "from": first_day.isoformat(),
        "to": (first_day + dt.timedelta(days=n)).isoformat(),
    }
    with statements(gql.source) as seen:
        data = await gql.data(NESTED, variables)
    assert len(data["productions"]["edges"]) == n
    assert len(data["shootDays"]["edges"]) == n
    assert {e["node"]["production"]["movie"]["title"] for e in data["shootDays"]["edges"]} == {
        movie.title
    }
    return len(seen)


async def test_happy_path_nested_query_statement_count_is_constant_in_the_nodes(
    graphql_service: GraphQLService,
) -> None:
    counts = [await _count(graphql_service, n) for n in (1, 10, 60)]
    assert counts[0] == counts[1] == counts[2], counts
    # productions, movies; shoot days, locations, productions, movies: one statement each.
    assert counts[0] <= 6, counts


@pytest.mark.parametrize(
    ("children", "parent_query"),
    [
        (
            "shootDays { edges { node { location { name } } } }",
            "productions(first: 20, filter: {movieId: $movie})",
        ),
        (
            "productions { edges { node { shootDays { edges { node { date } } } } } }",
            "moviesByIds(ids: [$movie])",
        ),
    ],
    ids=["production-shoot-days", "movie-productions-shoot-days"],
)
async def test_one_to_many_children_cost_the_same_for_any_number_of_parents(
    graphql_service: GraphQLService, children: str, parent_query: str
) -> None:
    """Production.shootDays and Movie.productions: first pages of many parents in one query.

    Until the set filters (``production_ids``...) existed, each parent cost a statement.
    """
    counts = []
    for n in (1, 3, 10):
        movie, _ = await _seed(graphql_service.source, n)
        if parent_query.startswith("productions"):
            query = (
                f"query($movie: ID!) {{ {parent_query} {{ edges {{ node {{ {children} }} }} }} }}"
            )
        else:
            query = f"query($movie: ID!) {{ {parent_query} {{ {children} }} }}"
        with statements(graphql_service.source) as seen:
            data = await graphql_service.data(query, {"movie": str(movie.id)})
        assert data, data
        counts.append(len(seen))
    assert counts[0] == counts[1] == counts[2], counts
