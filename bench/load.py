"""A bounded load run against ``hexstudio serve``: mixed reads and writes through both APIs.

Starts the service as a subprocess on a free loopback port over a fresh database (a SQLite
file, or a throwaway database on a PostgreSQL server), seeds it, then sends ``--requests``
requests from ``--concurrency`` connections: JSON:API and GraphQL reads, registrations, PATCHes
of a few hot movies at the version last seen (stale ones get 409: the expected conflicts), and
onboardings competing for the same location dates (409 double booking: expected too). Anything
else that is not a success counts as an error, and the run exits 1 if there is one.

Run:
    .venv/bin/python bench/load.py                       # SQLite
    .venv/bin/python bench/load.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

TOKEN = "load-token-not-secret"
MEDIA = "application/vnd.api+json"
WRITE = {"Content-Type": MEDIA, "Authorization": f"Bearer {TOKEN}"}
GQL_AUTH = {"Authorization": f"Bearer {TOKEN}"}
HEXSTUDIO = str(Path(sys.executable).with_name("hexstudio"))
WINDOW_START = dt.date(2031, 1, 1)
WINDOW_DAYS = 60


@dataclass
class Tally:
    """What the run saw: latencies, outcomes by kind, and the first errors for the report."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        """Count an unexpected outcome, keeping the first few for the report."""
        self.outcomes["error"] += 1
        if len(self.errors) < 5:
            self.errors.append(what[:300])


@dataclass
class World:
    """Ids the requests pick from; hot movies carry the version last seen."""

    movies: list[str]
    hot: dict[str, int]
    locations: list[str]
    free_movies: list[str]
    rng: random.Random


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def _database(postgres: str | None) -> AsyncIterator[str]:
    """A fresh database URL: a SQLite file, or a throwaway database dropped afterwards."""
    if postgres is None:
        with tempfile.TemporaryDirectory(prefix="hexstudio-load-") as tmp:
            yield f"sqlite+aiosqlite:///{tmp}/load.db"
        return
    name = f"hexstudio_load_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(postgres, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield make_url(postgres).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as connection:
                await connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        await admin.dispose()


@asynccontextmanager
async def _served(database_url: str, workers: int) -> AsyncIterator[str]:
    """Migrate, then run ``hexstudio serve`` until the block ends; yields its base URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    env.update(
        HEXSTUDIO_SERVICE__DATA_SOURCE="sql",
        HEXSTUDIO_DATA_SOURCE__SQL__URL=database_url,
        HEXSTUDIO_SERVICE__TOKEN=TOKEN,
    )
    migrate = await asyncio.create_subprocess_exec(HEXSTUDIO, "db", "upgrade", env=env)
    if await migrate.wait() != 0:
        raise SystemExit("hexstudio db upgrade failed")
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        *(HEXSTUDIO, "serve", "--port", str(port), "--workers", str(workers)),
        *("--log-level", "warning"),
        env=env,
        start_new_session=True,  # its own process group: a hung server is killed whole
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass  # not accepting yet
                if process.returncode is not None or time.monotonic() > deadline:
                    raise SystemExit("the service did not start")
                await asyncio.sleep(0.05)  # polling with a deadline: no readiness hook
        yield base
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), timeout=15)
            except TimeoutError:
                os.killpg(process.pid, signal.SIGKILL)
                await process.wait()


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
    response = await client.post(path, content=json.dumps(body), headers=WRITE)
    response.raise_for_status()
    return response.json()["data"]


async def _seed(client: httpx.AsyncClient, rng: random.Random, onboardings: int) -> World:
    """Movies to read and patch, three locations to fight over, movies free to onboard."""
    movies = [
        (await _post(client, "/api/movies", _movie_body(f"Seed {n}")))["id"] for n in range(50)
    ]
    free = [
        (await _post(client, "/api/movies", _movie_body(f"Free {n}")))["id"]
        for n in range(onboardings)
    ]
    locations = []
    for n, country in enumerate(("PT", "BO", "TW")):
        body = {
            "data": {
                "type": "locations",
                "attributes": {
                    "name": f"Spot {n}",
                    "city": "City",
                    "country": country,
                    "latitude": 10.0 + n,
                    "longitude": 20.0 + n,
                },
            }
        }
        locations.append((await _post(client, "/api/locations", body))["id"])
    return World(movies, dict.fromkeys(movies[:5], 1), locations, free, rng)


def _movie_body(title: str) -> dict[str, Any]:
    return {"data": {"type": "movies", "attributes": {"title": title, "genres": ["drama"]}}}


Request = Callable[[httpx.AsyncClient, World, Tally], Awaitable[None]]


async def jsonapi_list(client: httpx.AsyncClient, world: World, tally: Tally) -> None:
    """GET a page of productions with their movies."""
    response = await client.get("/api/productions?include=movie&page%5Bsize%5D=20")
    _expect(tally, "jsonapi read", response, response.status_code == 200)


async def jsonapi_get(client: httpx.AsyncClient, world: World, tally: Tally) -> None:
    """GET one movie."""
    response = await client.get(f"/api/movies/{world.rng.choice(world.movies)}")
    _expect(tally, "jsonapi read", response, response.status_code == 200)


async def graphql_read(client: httpx.AsyncClient, world: World, tally: Tally) -> None:
    """A productions connection with movies and shoot days (DataLoaders)."""
    query = (
        "{ productions(first: 20) { edges { node { id phase movie { title } "
        "shootDays(first: 5) { edges { node { date location { name } } } } } } } }"
    )
    response = await client.post("/graphql", json={"query": query})
    _expect(tally, "graphql read", response, _graphql_ok(response))


async def jsonapi_register(client: httpx.AsyncClient, world: World, tally: Tally) -> None:
    """POST a new movie."""
    body = json.dumps(_movie_body(f"Load {world.rng.random():.6f}"))
    response = await client.post("/api/movies", content=body, headers=WRITE)
    _expect(tally, "jsonapi write", response, response.status_code == 201)


async def graphql_register(client: httpx.AsyncClient, world: World, tally: Tally) -> None:
    """The registerMovie mutation."""
    query = "mutation($t: String!) { registerMovie(input: {title: $t}) { id } }"
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": {"t": f"Load {world.rng.random():.6f}"}},
        headers=GQL_AUTH,
    )
    _expect(tally, "graphql write", response, _graphql_ok(response))


async def jsonapi_patch(client: httpx.AsyncClient, world: World, tally: Tally) -> None:
    """PATCH a hot movie at the version last seen: a concurrent PATCH makes it stale (409)."""
    id = world.rng.choice(list(world.hot))
    version = world.hot[id]
    body = {
        "data": {
            "type": "movies",
            "id": id,
            "attributes": {"logline": f"v{version}"},
            "meta": {"version": version},
        }
    }
    response = await client.patch(f"/api/movies/{id}", content=json.dumps(body), headers=WRITE)
    if response.status_code == 200:
        world.hot[id] = max(world.hot[id], response.json()["data"]["meta"]["version"])
        _expect(tally, "jsonapi write", response, True)
    elif response.status_code == 409:
        tally.outcomes["conflict (stale version)"] += 1
        world.hot[id] = max(world.hot[id], version + 1)  # someone else won; catch up
    else:
        tally.error(f"PATCH {response.status_code} {response.text}")


async def onboard(client: httpx.AsyncClient, world: World, tally: Tally) -> None:
    """Onboard a free movie on a random location date: taken dates get 409 double booking."""
    if not world.free_movies:
        await jsonapi_get(client, world, tally)
        return
    movie = world.free_movies.pop()
    day = WINDOW_START + dt.timedelta(days=world.rng.randrange(WINDOW_DAYS))
    body = {
        "data": {
            "type": "onboardings",
            "attributes": {
                "budget": {"amount": "1000000", "currency": "EUR"},
                "starts_on": WINDOW_START.isoformat(),
                "wraps_on": (WINDOW_START + dt.timedelta(days=WINDOW_DAYS)).isoformat(),
                "shoot_plan": [
                    {"location_id": world.rng.choice(world.locations), "date": day.isoformat()}
                ],
            },
            "relationships": {"movie": {"data": {"type": "movies", "id": movie}}},
        }
    }
    response = await client.post("/api/onboardings", content=json.dumps(body), headers=WRITE)
    if response.status_code == 409:
        tally.outcomes["conflict (double booking)"] += 1
    else:
        _expect(tally, "onboarding", response, response.status_code == 201)


MIX: list[tuple[Request, int]] = [
    (jsonapi_list, 20),
    (jsonapi_get, 20),
    (graphql_read, 25),
    (jsonapi_register, 10),
    (graphql_register, 10),
    (jsonapi_patch, 10),
    (onboard, 5),
]
"""Each request kind and its weight: 65% reads, 35% writes."""


def _graphql_ok(response: httpx.Response) -> bool:
    return response.status_code == 200 and "errors" not in response.json()


def _expect(tally: Tally, kind: str, response: httpx.Response, ok: bool) -> None:
    if ok:
        tally.outcomes[kind] += 1
    else:
        tally.error(f"{kind}: {response.status_code} {response.text}")


async def _drive(base: str, requests: int, concurrency: int, seed: int) -> tuple[Tally, float]:
    """Send ``requests`` requests from ``concurrency`` connections; the tally and wall time."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        rng = random.Random(seed)
        world = await _seed(client, rng, onboardings=requests * 6 // 100)
        kinds, weights = zip(*MIX, strict=True)
        plan = rng.choices(kinds, weights, k=requests)
        tally = Tally()
        queue = iter(plan)

        async def connection() -> None:
            for request in queue:  # shared iterator: each request is taken once
                started = time.perf_counter()
                try:
                    await request(client, world, tally)
                except httpx.HTTPError as exc:
                    tally.error(f"{request.__name__}: {type(exc).__name__} {exc}")
                tally.latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(connection() for _ in range(concurrency)))
        return tally, time.perf_counter() - started


def _report(engine: str, workers: int, tally: Tally, wall: float, args: argparse.Namespace) -> str:
    cuts = statistics.quantiles(tally.latencies, n=100)
    conflicts = sum(n for k, n in tally.outcomes.items() if k.startswith("conflict"))
    return (
        "| engine | workers | requests | concurrency | errors | expected conflicts "
        "| p50 ms | p99 ms | requests/s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {engine} | {workers} | {len(tally.latencies)} | {args.concurrency} "
        f"| {tally.outcomes['error']} | {conflicts} | {cuts[49] * 1000:.1f} "
        f"| {cuts[98] * 1000:.1f} | {len(tally.latencies) / wall:.0f} |\n\n"
        f"outcomes: {dict(sorted(tally.outcomes.items()))}"
    )


async def main() -> int:
    """Run once and print a Markdown table; exit status 1 when any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--postgres", help="a PostgreSQL server URL; a throwaway database is made on it"
    )
    args = parser.parse_args()
    async with _database(args.postgres) as url, _served(url, args.workers) as base:
        tally, wall = await _drive(base, args.requests, args.concurrency, args.seed)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(_report(engine, args.workers, tally, wall, args))
    for error in tally.errors:
        print(f"error: {error}")
    return 1 if tally.outcomes["error"] else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
