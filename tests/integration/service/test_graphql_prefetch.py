"""Query.productions loads its nodes' movies before they resolve: same answers, same batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.service.graphql import loaders
from domain import MOVIES, PRODUCTIONS, Money, Movie, Phase, Production
from tests.support.graphql_service import GraphQLService, graphql_service_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _seed(gql: GraphQLService, n: int) -> Movie:
    movie = Movie(title=f"Prefetched {n}")
    day = dt.date(2080 + n, 1, 1)
    async with gql.source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        for i in range(n):
            start = day + dt.timedelta(days=i)
            await uow.repository(PRODUCTIONS).add(
                Production(
                    movie_id=movie.id,
                    phase=Phase.WRAPPED,
                    budget=Money(amount="1", currency="USD"),
                    starts_on=start,
                    wraps_on=start,
                )
            )
        await uow.commit()
    return movie


@pytest.fixture
def prefetches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many keys each prefetch of the request asked for."""
    seen: list[int] = []
    original = loaders.prefetch

    async def counted(loader: Any, keys: Any) -> None:
        keys = list(keys)
        seen.append(len(keys))
        await original(loader, keys)

    monkeypatch.setattr("app.service.graphql.derived.prefetch", counted)
    return seen


@pytest.mark.parametrize(
    "selection",
    [
        "edges { node { id movie { title } } }",
        "...Page",
        "edges { ... on ProductionEdge { node { movie { title } } } }",
    ],
)
async def test_happy_path_movies_of_a_page_are_loaded_once_wherever_the_selection_asks(
    graphql_service: GraphQLService, prefetches: list[int], selection: str
) -> None:
    movie = await _seed(graphql_service, 3)
    query = f"""query($movie: ID!) {{
      productions(first: 10, filter: {{movieId: $movie}}) {{ {selection} }} }}
    fragment Page on ProductionConnection {{ edges {{ node {{ movie {{ title }} }} }} }}"""
    if "...Page" not in selection:
        query = query.split("fragment")[0]
    data = await graphql_service.data(query, {"movie": str(movie.id)})
    titles = [edge["node"]["movie"]["title"] for edge in data["productions"]["edges"]]
    assert titles == [movie.title] * 3
    assert prefetches == [1]  # one distinct movie, loaded before the nodes resolved


async def test_happy_path_a_page_without_movies_prefetches_nothing(
    graphql_service: GraphQLService, prefetches: list[int]
) -> None:
    movie = await _seed(graphql_service, 2)
    query = """query($movie: ID!) {
      productions(first: 10, filter: {movieId: $movie}) { edges { node { id movieId } } } }"""
    data = await graphql_service.data(query, {"movie": str(movie.id)})
    assert len(data["productions"]["edges"]) == 2
    assert prefetches == []
