"""Round trips are part of the graphql contract: requests counted at the transport."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from adapters.graphql import GraphQLDataSource
from adapters.http import parse_http_options
from app.bootstrap import Interactors
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    Movie,
    PageRequest,
    ProductionOverview,
    ProductionQuery,
    ShootDayQuery,
    ShootingLocation,
)
from domain.catalog import Plan
from domain.interactors import OVERVIEW
from domain.ports import planned_get
from tests.support.graphql_service import TOKEN, GraphQLService, graphql_service_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio(loop_scope="session")


@dataclass
class Counting(httpx.AsyncBaseTransport):
    """Forwards to ``inner`` and records the GraphQL operation of each request."""

    inner: httpx.AsyncBaseTransport
    operations: list[str] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        query = json.loads(request.content)["query"]
        self.operations.append(query.split("(")[0].split("{")[0])
        return await self.inner.handle_async_request(request)


@dataclass
class Rig:
    adapter: Interactors
    source: GraphQLDataSource
    provider: Interactors
    counting: Counting

    def reset(self) -> list[str]:
        seen = list(self.counting.operations)
        self.counting.operations.clear()
        return seen


@pytest.fixture
async def rig(graphql_service: GraphQLService) -> AsyncIterator[Rig]:
    counting = Counting(graphql_service.client._transport)
    options = parse_http_options({"url": "http://gql/graphql", "token": TOKEN})
    source = GraphQLDataSource(options, transport=counting)
    try:
        yield Rig(Interactors(source.unit_of_work), source, graphql_service.studio, counting)
    finally:
        await source.aclose()


async def _production_with_days(app: Interactors, days: int) -> ProductionOverview:
    movie = await app.register_movie(title=f"Days {days}")
    place = await app.register_location(
        name="Lot", city=f"Town {days}", country="US", latitude=1, longitude=1
    )
    start = dt.date(2035, 1, 1) + dt.timedelta(days=400 * days)
    return await app.onboard_production(
        movie_id=movie.id,
        budget={"amount": "1", "currency": "USD"},
        starts_on=start,
        wraps_on=start + dt.timedelta(days=days),
        shoot_plan=[(place.id, start + dt.timedelta(days=i)) for i in range(days)],
    )


async def test_get_many_is_one_request(rig: Rig) -> None:
    places = [
        await rig.provider.register_location(
            name=f"P{i}", city="Oslo", country="NO", latitude=59.9, longitude=10.7
        )
        for i in range(30)
    ]
    rig.reset()
    async with rig.source.unit_of_work() as uow:
        found = await uow.repository(LOCATIONS).get_many({p.id for p in places})
    assert found == {p.id: p for p in places}
    assert rig.reset() == ["query GetManyLocations"]


@pytest.mark.parametrize("days", [1, 50])
async def test_production_overview_is_one_nested_query_for_1_or_50_shoot_days(
    rig: Rig, days: int
) -> None:
    overview = await _production_with_days(rig.provider, days)
    rig.reset()
    got = await rig.adapter.get_production_overview(production_id=overview.production.id)
    assert got == await rig.provider.get_production_overview(production_id=got.production.id)
    assert len(got.shoot_days) == days
    assert rig.reset() == ["query GetProductionWithMovieAndShootDaysLocation"]


async def test_a_slate_page_of_100_is_one_request(rig: Rig) -> None:
    for i in range(3):
        await _production_with_days(rig.provider, 2 + i)
    rig.reset()
    page = await rig.adapter.list_slate(page=PageRequest(size=100))
    assert page.items
    assert all(entry.movie.id == entry.production.movie_id for entry in page.items)
    assert rig.reset() == ["query ListProductionsWithMovie"]


async def test_what_a_planned_read_brought_is_forgotten_at_commit(rig: Rig) -> None:
    overview = await _production_with_days(rig.provider, 2)
    rig.reset()
    async with rig.source.unit_of_work() as uow:
        await planned_get(uow.repository(PRODUCTIONS), overview.production.id, OVERVIEW)
        await uow.repository(MOVIES).get(overview.movie.id)
        assert rig.reset() == ["query GetProductionWithMovieAndShootDaysLocation"]
        await uow.commit()
        await uow.repository(MOVIES).get(overview.movie.id)
    assert rig.reset() == ["query GetMovie"]


async def test_a_commit_is_one_request_and_no_commit_is_none(rig: Rig) -> None:
    movie = Movie(title="One Request")
    place = ShootingLocation(name="Pier", city="Hull", country="GB", latitude=53.7, longitude=0)
    async with rig.source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.repository(LOCATIONS).add(place)
        await uow.repository(MOVIES).update(movie.evolve(title="Renamed"))
        assert rig.reset() == []
        await uow.commit()
    assert rig.reset() == ["mutation ApplyChanges"]
    async with rig.source.unit_of_work() as uow:
        await uow.repository(MOVIES).remove(movie.id, 2)
    async with rig.source.unit_of_work() as uow:
        await uow.commit()
        stored = await uow.repository(MOVIES).get(movie.id)
    assert stored.title == "Renamed"
    assert stored.version == 2
    assert rig.reset() == ["query GetMovie"]


async def test_requests_carry_exactly_query_and_variables(rig: Rig) -> None:
    sent: list[dict[str, Any]] = []
    inner = rig.counting.inner

    class Capture(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(json.loads(request.content))
            return await inner.handle_async_request(request)

    options = parse_http_options({"url": "http://gql/graphql"})
    source = GraphQLDataSource(options, transport=Capture())
    try:
        assert (await source.check()).startswith("graphql service at")
    finally:
        await source.aclose()
    assert sent == [{"query": "query Check{__typename}"}]


async def test_the_scenario_through_graphql_matches_the_memory_reference(rig: Rig) -> None:
    from adapters.memory import MemoryDataSource
    from app.scenario import run_scenario

    reference = await run_scenario(Interactors(MemoryDataSource().unit_of_work))
    assert await run_scenario(rig.adapter) == reference


async def test_a_plan_past_the_cost_cap_is_cut_to_one_to_many_hop_and_still_answers(
    rig: Rig,
) -> None:
    overview = await _production_with_days(rig.provider, 2)
    plan = Plan(MOVIES, ("productions", "shoot_days", "location"))
    rig.reset()
    async with rig.source.unit_of_work() as uow:
        movie = await planned_get(uow.repository(MOVIES), overview.movie.id, plan)
        productions = await uow.repository(PRODUCTIONS).list(
            ProductionQuery(movie_id=movie.id), PageRequest(size=10)
        )
        days = await uow.repository(SHOOT_DAYS).list(
            ShootDayQuery(production_id=overview.production.id), PageRequest(size=10)
        )
    assert movie == overview.movie
    assert productions.items == (overview.production,)
    assert days.items == overview.shoot_days
    # 500 productions x 500 shoot days would pass the service's cap: the query stops at the
    # productions (answered from it), and the shoot days are listed when asked for.
    assert rig.reset() == ["query GetMovieWithProductions", "query ListShootDays"]
