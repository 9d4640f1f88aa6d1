"""The graphql adapter against one hand-written call to the same service, same data.

Cases: GetProductionOverview of a production with 50 shoot days (the adapter: one planned
nested query; the hand-written call: one nested query) and a ListSlate page of 100 (adapter:
one planned query with nested movies; hand-written: the same). The hand-written side
reuses one httpx.AsyncClient, parses the JSON and validates the entities with pydantic.

Run: .venv/bin/python bench/graphql_adapter.py [--rounds 7] [--calls 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import httpx
from pydantic import TypeAdapter

from adapters.graphql import create_data_source
from app.bootstrap import Interactors
from domain import Movie, PageRequest, Production, ShootDay, ShootingLocation
from jsonapi_common import seeded_service

OVERVIEW = """query($id: ID!) { production(id: $id) {
  id version movie_id: movieId phase budget { amount currency } starts_on: startsOn
  wraps_on: wrapsOn
  movie { id version title logline genres release_year: releaseYear }
  shootDays(first: 500) { edges { node {
    id version production_id: productionId location_id: locationId date
    location { id version name city country latitude longitude } } } } } }"""
SLATE = """{ productions(first: 100) { edges { node {
  id version movie_id: movieId phase budget { amount currency } starts_on: startsOn
  wraps_on: wrapsOn movie { id version title logline genres release_year: releaseYear } } }
  pageInfo { hasNextPage endCursor } } }"""

_PRODUCTION = TypeAdapter(Production)
_MOVIE = TypeAdapter(Movie)
_DAY = TypeAdapter(ShootDay)
_LOCATION = TypeAdapter(ShootingLocation)


def _lower(node: dict[str, Any]) -> dict[str, Any]:
    if "phase" in node:
        node["phase"] = node["phase"].lower()
    if "genres" in node:
        node["genres"] = [g.lower() for g in node["genres"]]
    return node


async def _by_hand_overview(client: httpx.AsyncClient, url: str, id: UUID) -> int:
    response = await client.post(url, json={"query": OVERVIEW, "variables": {"id": str(id)}})
    p = response.json()["data"]["production"]
    movie = _MOVIE.validate_python(_lower(p.pop("movie")))
    edges = p.pop("shootDays")["edges"]
    locations = {}
    days = []
    for edge in edges:
        node = edge["node"]
        location = _LOCATION.validate_python(node.pop("location"))
        locations[location.id] = location
        days.append(_DAY.validate_python(node))
    _PRODUCTION.validate_python(_lower(p))
    return len(days) + (movie is not None)


async def _by_hand_slate(client: httpx.AsyncClient, url: str) -> int:
    response = await client.post(url, json={"query": SLATE})
    entries = []
    for edge in response.json()["data"]["productions"]["edges"]:
        node = edge["node"]
        movie = _MOVIE.validate_python(_lower(node.pop("movie")))
        entries.append((_PRODUCTION.validate_python(_lower(node)), movie))
    return len(entries)


async def _time(call: Callable[[], Awaitable[object]], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - started) / calls * 1000


async def measure(base: str, production: UUID, rounds: int, calls: int) -> None:
    """Interleave the four cases; print medians (ms per call) as a Markdown table."""
    url = base + "/graphql"
    source = create_data_source({"url": url})
    app = Interactors(source.unit_of_work)
    cases: dict[str, Callable[[], Awaitable[object]]]
    async with httpx.AsyncClient() as client:
        cases = {
            "overview adapter": lambda: app.get_production_overview(production_id=production),
            "overview by hand": lambda: _by_hand_overview(client, url, production),
            "slate adapter": lambda: app.list_slate(page=PageRequest(size=100)),
            "slate by hand": lambda: _by_hand_slate(client, url),
        }
        for case in cases.values():  # warm up pools, caches, validators
            await case()
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(rounds):
            for name, case in cases.items():
                samples[name].append(await _time(case, calls))
    await source.aclose()
    ms = {name: statistics.median(values) for name, values in samples.items()}
    print("| case | adapter ms | hand-written ms | ratio |\n|---|---:|---:|---:|")
    for case, label in (
        ("overview", "GetProductionOverview, 50 shoot days"),
        ("slate", "ListSlate, page of 100"),
    ):
        a, b = ms[f"{case} adapter"], ms[f"{case} by hand"]
        print(f"| {label} | {a:.2f} | {b:.2f} | {a / b:.2f}x |")


def main() -> None:
    """Seed a service, then measure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    with seeded_service() as (base, production):
        asyncio.run(measure(base, production, args.rounds, args.calls))


if __name__ == "__main__":
    main()
