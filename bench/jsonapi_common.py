"""Shared by the JSON:API benchmarks: a seeded service on loopback, and interleaved timing."""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

from adapters.sql.migrate import upgrade
from app import registry
from app.bootstrap import Interactors
from app.service import create_app_from_settings
from app.service.threaded import serve_in_thread
from app.settings import Settings


async def seed(url: str, productions: int = 100, days: int = 50) -> UUID:
    """``productions`` productions with their movies, plus one with ``days`` shoot days."""
    source = registry.create("sql", {"url": url})
    app = Interactors(source.unit_of_work)
    try:
        start = dt.date(2030, 1, 1)
        for i in range(productions):
            movie = await app.register_movie(title=f"Bench {i}", genres=["drama"])
            await app.onboard_production(
                movie_id=movie.id,
                budget={"amount": "1000000", "currency": "USD"},
                starts_on=start + dt.timedelta(days=i),
                wraps_on=start + dt.timedelta(days=i + 90),
            )
        places = [
            await app.register_location(
                name=f"Lot {i}", city="Burbank", country="US", latitude=34.18, longitude=-118.3
            )
            for i in range(5)
        ]
        movie = await app.register_movie(title="Fifty Days")
        overview = await app.onboard_production(
            movie_id=movie.id,
            budget={"amount": "5000000", "currency": "USD"},
            starts_on=start,
            wraps_on=start + dt.timedelta(days=days),
            shoot_plan=[(places[i % 5].id, start + dt.timedelta(days=i)) for i in range(days)],
        )
        return overview.production.id
    finally:
        await source.aclose()


serve = serve_in_thread
"""Run an ASGI app with uvicorn on a free loopback port; yield its base URL."""


@contextmanager
def seeded_database() -> Iterator[tuple[str, UUID]]:
    """A fresh SQLite file, migrated and seeded: (its URL, the 50-day production)."""
    with tempfile.TemporaryDirectory(prefix="hexstudio-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(upgrade(url))
        yield url, asyncio.run(seed(url))


@contextmanager
def service(url: str) -> Iterator[str]:
    """The reference service over the SQL database at ``url``: its base URL."""
    settings = Settings(
        data_source={"default": "sql", "sql": {"url": url}},  # type: ignore[arg-type]
    )
    with serve(create_app_from_settings(settings)) as base:
        yield base


@contextmanager
def seeded_service() -> Iterator[tuple[str, UUID]]:
    """The reference service over a fresh, seeded SQLite file: (base URL, 50-day production)."""
    with seeded_database() as (url, production), service(url) as base:
        yield base, production


def interleaved(cases: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Run each case once per round, alternating; the median of each case's measurements."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            samples[name].append(case())
    return {name: statistics.median(values) for name, values in samples.items()}


def race(
    request: Callable[[str], object], urls: dict[str, str], rounds: int, requests: int
) -> None:
    """Time ``requests`` sequential calls of ``request`` per URL in interleaved rounds.

    The first of ``urls`` is the full stack: the table prints each other server's
    requests/s and the full stack's ratio to it, then the full stack's own line.
    """

    def rate(target: str) -> float:
        started = time.perf_counter()
        for _ in range(requests):
            request(target)
        return requests / (time.perf_counter() - started)

    medians = interleaved({name: (lambda u=url: rate(u)) for name, url in urls.items()}, rounds)
    full_name = next(iter(urls))
    full = medians.pop(full_name)
    print("| path | requests/s | full stack vs this |\n|---|---:|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value:.0f} | {full / value:.2f}x |")
    print(f"| {full_name} | {full:.0f} | 1.00x |")
