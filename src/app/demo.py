"""The demo: one scenario through sql, json_api, graphql and a mix, switching configuration only.

A temporary SQLite store is migrated and seeded, the reference service is started over it on a
free loopback port, and the scripted scenario runs once per configuration. Each configuration
is plain settings (no code changes); the results must be byte-identical.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import event
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.sql import SqlDataSource, migrate
from app.bootstrap import Interactors, bootstrap
from app.canonical import canonical_json
from app.housekeeping import remove_present
from app.instrumentation import counting
from app.scenario import run_scenario, scenario_id
from app.seed import seed
from app.service import create_app_from_settings
from app.service.threaded import serve_in_thread
from app.settings import explicit_settings
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    PageRequest,
    ShootDayQuery,
)

_ALL = PageRequest(size=500)


@dataclass(frozen=True)
class DemoRun:
    """What one configuration produced."""

    name: str
    routes: str
    digest: str
    port_calls: int
    http_requests: int
    sql_statements: int
    seconds: float

    @property
    def round_trips(self) -> str:
        """Requests to the service and statements to the database, as the client sent them."""
        parts = [f"{self.http_requests} HTTP"] if self.http_requests else []
        parts += [f"{self.sql_statements} SQL"] if self.sql_statements else []
        return " + ".join(parts) or "0"


class _RequestCounter:
    """ASGI wrapper counting the HTTP requests the service answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.count = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.count += 1
        await self.app(scope, receive, send)


def configurations(database_url: str, service_url: str, token: str) -> dict[str, dict[str, Any]]:
    """The four configurations, as the TOML tables a user would write."""
    sources = {
        "sql": {"url": database_url},
        "json_api": {"url": f"{service_url}/api", "token": token},
        "graphql": {"url": f"{service_url}/graphql", "token": token},
    }
    return {
        "sql": {"data_source": {"default": "sql", **sources}},
        "json_api": {"data_source": {"default": "json_api", **sources}},
        "graphql": {"data_source": {"default": "graphql", **sources}},
        # Netflix's migration: movie reads moved to GraphQL, writes still on JSON:API.
        "mixed": {
            "data_source": {"default": "sql", **sources},
            "repositories": {
                "movies": {"read": "graphql", "write": "json_api"},
                "locations": "graphql",
                "shoot_days": "json_api",
            },
        },
    }


@dataclass(frozen=True)
class ShadowCatch:
    """What the shadow step saw: reads compared, and the differences it reported."""

    compared: int
    differences: list[str]
    planted: str


async def shadow_demo(workdir: Path, database_url: str) -> ShadowCatch:
    """A copy of the store with one title changed, shadowing the original's movie reads.

    The slate is listed once with ``movies`` read from the store and compared, in the shadow,
    with the copy: the one planted difference must be reported, and nothing else.
    """
    twin = workdir / "twin.db"
    shutil.copyfile(database_url.removeprefix("sqlite+aiosqlite:///"), twin)
    twin_url = f"sqlite+aiosqlite:///{twin}"
    # Behind the ports' back, as a bad backfill would: the title changes, the version does not.
    with sqlite3.connect(twin) as connection:
        (movie_id,) = connection.execute("SELECT id FROM movies ORDER BY id LIMIT 1").fetchone()
        connection.execute(
            "UPDATE movies SET title = title || ' (planted)' WHERE id = ?", (movie_id,)
        )
    movie = UUID(hex=movie_id)
    shadowed = explicit_settings(
        data_source={
            "default": "sql",
            "sql": {"url": database_url},
            "twin": {"kind": "sql", "url": twin_url},
        },
        repositories={"movies": {"shadow": {"to": "twin", "sample": 1.0, "timeout": 5.0}}},
    )
    async with bootstrap(shadowed) as container:
        cursor: str | None = None
        while True:
            page = await container.interactors.list_slate(page=PageRequest(size=10, cursor=cursor))
            cursor = page.next_cursor
            if cursor is None:
                break
        await container.migration.drain()
        counts = container.migration.of("movies")
        found = [f"{d.repository}: {', '.join(d.paths)}" for d in container.migration.differences]
    return ShadowCatch(counts.comparisons, found, f"{movie}.title")


async def run_demo(workdir: Path) -> list[DemoRun]:
    """Prepare the store and the service, then run the scenario under every configuration."""
    database_url = f"sqlite+aiosqlite:///{workdir / 'demo.db'}"
    await migrate.upgrade(database_url)
    token = secrets.token_urlsafe(16)
    store = explicit_settings(
        data_source={"default": "sql", "sql": {"url": database_url}},
        service={"data_source": "sql", "token": token},
    )
    async with bootstrap(store) as container:
        await seed(container.interactors)
    runs: list[DemoRun] = []
    service = _RequestCounter(create_app_from_settings(store))
    with serve_in_thread(service) as service_url:
        for name, config in configurations(database_url, service_url, token).items():
            await _forget_scenario(store.data_source.options("sql"))
            runs.append(await _run(name, config, service))
    return runs


async def _run(name: str, config: Mapping[str, Any], service: _RequestCounter) -> DemoRun:
    async with bootstrap(explicit_settings(**config)) as container:
        counted, calls = counting(container.uow)
        statements = _count_statements(container.sources.get("sql"))
        requests_before = service.count
        started = time.perf_counter()
        steps = await run_scenario(Interactors(counted))
        seconds = time.perf_counter() - started
        requests = service.count - requests_before
        routes = ", ".join(
            f"{repo}={r.read if r.read == r.write else f'{r.read}/{r.write}'}"
            for repo, r in container.routes.items()
        )
    digest = hashlib.sha256(canonical_json(steps).encode()).hexdigest()[:16]
    return DemoRun(name, routes, digest, sum(calls.values()), requests, statements["n"], seconds)


def _count_statements(source: object) -> dict[str, int]:
    """Count the statements the client-side SQL source sends (not the service's)."""
    counter = {"n": 0}
    if isinstance(source, SqlDataSource):

        def count(*_: object) -> None:
            counter["n"] += 1

        event.listen(source.engine.sync_engine, "before_cursor_execute", count)
    return counter


async def _forget_scenario(sql_options: Mapping[str, Any]) -> None:
    """Remove what an earlier run of the scenario stored, through the ports, children first."""
    settings = explicit_settings(data_source={"default": "sql", "sql": dict(sql_options)})
    async with bootstrap(settings) as container, container.uow() as uow:
        production_id = scenario_id("production")
        days = await uow.repository(SHOOT_DAYS).list(
            ShootDayQuery(production_id=production_id), _ALL
        )
        for day in days.items:
            await uow.repository(SHOOT_DAYS).remove(day.id, day.version)
        await remove_present(uow.repository(PRODUCTIONS), [production_id])
        await remove_present(
            uow.repository(LOCATIONS), [scenario_id("harbour"), scenario_id("dunes")]
        )
        await remove_present(uow.repository(MOVIES), [scenario_id("movie")])
        await uow.commit()
