"""Round trips are part of the json_api contract: requests counted at the transport."""

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from uuid import UUID

import httpx
import pytest

from adapters.http import parse_http_options
from adapters.json_api import JsonApiDataSource
from app.bootstrap import Interactors
from app.scenario import run_scenario, scenario_id
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    Movie,
    PageRequest,
    ShootDayQuery,
)
from domain.catalog import Plan
from domain.interactors.get_production_overview import OVERVIEW
from domain.ports import planned_get
from tests.support.jsonapi import TOKEN, in_process


@dataclass
class Counting(httpx.AsyncBaseTransport):
    """Forwards to ``inner`` and records each request's method and path."""

    inner: httpx.AsyncBaseTransport
    requests: list[str] = field(default_factory=list)
    includes: list[str | None] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        self.includes.append(request.url.params.get("include"))
        return await self.inner.handle_async_request(request)


@dataclass
class Rig:
    adapter: Interactors
    provider: Interactors
    counting: Counting


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    async with in_process() as (client, container):
        counting = Counting(client._transport)
        options = parse_http_options({"url": "http://studio/api", "token": TOKEN})
        source = JsonApiDataSource(options, transport=counting)
        try:
            yield Rig(Interactors(source.unit_of_work), container.interactors, counting)
        finally:
            await source.aclose()


async def _production_with_days(app: Interactors, days: int) -> UUID:
    movie = await app.register_movie(title=f"Days {days}")
    place = await app.register_location(
        name="Lot", city=f"City {days}", country="US", latitude=1, longitude=1
    )
    start = dt.date(2031, 1, 1)
    overview = await app.onboard_production(
        movie_id=movie.id,
        budget={"amount": "1", "currency": "USD"},
        starts_on=start,
        wraps_on=start + dt.timedelta(days=days),
        shoot_plan=[(place.id, start + dt.timedelta(days=i)) for i in range(days)],
    )
    return overview.production.id


@pytest.mark.parametrize("days", [1, 5, 50])
async def test_happy_path_overview_costs_one_request_whatever_the_number_of_days(
    rig: Rig, days: int
) -> None:
    production_id = await _production_with_days(rig.provider, days)
    overview = await rig.adapter.get_production_overview(production_id=production_id)
    assert overview == await rig.provider.get_production_overview(production_id=production_id)
    assert len(overview.shoot_days) == days
    assert len(overview.locations) == 1
    assert rig.counting.requests == ["GET /api/productions/" + str(production_id)]
    assert rig.counting.includes == ["movie,shoot_days.location"]


async def test_happy_path_included_children_answer_only_their_own_list(rig: Rig) -> None:
    production_id = await _production_with_days(rig.provider, 3)
    async with rig.adapter.uow() as uow:
        await planned_get(uow.repository(PRODUCTIONS), production_id, OVERVIEW)
        days = await uow.repository(SHOOT_DAYS).list(
            ShootDayQuery(production_id=production_id), PageRequest(size=10)
        )
        # Another filter over the same id, and a page too small, are not the included set.
        batch = await uow.repository(SHOOT_DAYS).list(
            ShootDayQuery(production_ids=frozenset({production_id})), PageRequest(size=10)
        )
        small = await uow.repository(SHOOT_DAYS).list(
            ShootDayQuery(production_id=production_id), PageRequest(size=2)
        )
    assert [d.id for d in days.items] == [d.id for d in batch.items]
    assert days.next_cursor is None
    assert [d.id for d in small.items] == [d.id for d in days.items[:2]]
    assert small.next_cursor is not None
    assert rig.counting.requests == [
        "GET /api/productions/" + str(production_id),
        "GET /api/shoot-days",
        "GET /api/shoot-days",
    ]


async def test_happy_path_slate_page_is_one_request(rig: Rig) -> None:
    for days in (1, 2, 3):
        await _production_with_days(rig.provider, days)
    page = await rig.adapter.list_slate(page=PageRequest(size=2))
    assert len(page.items) == 2
    assert page.next_cursor is not None
    assert all(entry.movie.id == entry.production.movie_id for entry in page.items)
    assert rig.counting.requests == ["GET /api/productions"]
    assert rig.counting.includes == ["movie"]


async def test_happy_path_get_many_is_one_request(rig: Rig) -> None:
    movies = [await rig.provider.register_movie(title=f"Many {i}") for i in range(30)]
    async with rig.adapter.uow() as uow:
        found = await uow.repository(MOVIES).get_many([m.id for m in movies])
    assert set(found) == {m.id for m in movies}
    assert rig.counting.requests == ["GET /api/movies"]


async def test_happy_path_commit_is_one_request_and_nothing_without_writes(rig: Rig) -> None:
    async with rig.adapter.uow() as uow:
        await uow.commit()
    assert rig.counting.requests == []
    async with rig.adapter.uow() as uow:
        for i in range(5):
            await uow.repository(MOVIES).add(Movie(title=f"Batch {i}"))
        await uow.commit()
    assert rig.counting.requests == ["POST /api/operations"]


async def test_happy_path_the_scenario_runs_through_the_adapter(rig: Rig) -> None:
    steps = await run_scenario(rig.adapter)
    overview = dict(steps)["overview"]
    assert overview.production.id == scenario_id("production")
    assert len(overview.shoot_days) == 4
    onboard_requests = [r for r in rig.counting.requests if r.startswith("POST")]
    # register x3, onboard, advance, reschedule: one atomic request each.
    assert len(onboard_requests) == 6


async def test_happy_path_a_plan_deeper_than_the_service_allows_is_cut_and_still_answers(
    rig: Rig,
) -> None:
    production_id = await _production_with_days(rig.provider, 2)
    expected = await rig.provider.get_production_overview(production_id=production_id)
    plan = Plan(MOVIES, ("productions", "shoot_days", "location"))
    async with rig.adapter.uow() as uow:
        movie = await planned_get(uow.repository(MOVIES), expected.movie.id, plan)
        days = await uow.repository(SHOOT_DAYS).list(
            ShootDayQuery(production_id=production_id), PageRequest(size=10)
        )
        locations = await uow.repository(LOCATIONS).get_many({d.location_id for d in days.items})
    assert movie == expected.movie
    assert days.items == expected.shoot_days
    assert dict(locations) == dict(expected.locations)
    # Depth 2 went in the include; the locations, a third hop, were read when asked for.
    assert rig.counting.includes[0] == "productions.shoot_days"
    assert rig.counting.requests[1:] == ["GET /api/locations"]
