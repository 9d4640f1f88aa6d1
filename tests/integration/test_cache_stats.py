"""``hexstudio cache stats`` across processes: each worker reports to Redis, the command sums."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adapters.cache import CacheDataSource, create_data_source
from adapters.cache.options import parse_options
from adapters.cache.report import reports
from adapters.memory import MemoryDataSource, MemoryStore
from app.cli import cli
from app.service import create_app_from_settings
from app.settings import Settings
from domain import MOVIES, Genre, InvalidInput, Movie
from tests.support.redis import keys_under, redis_prefix, redis_url

pytestmark = pytest.mark.server


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    async with redis_prefix() as prefix:
        yield prefix


def worker(shared: MemoryStore, prefix: str, every: float, **options: Any) -> CacheDataSource:
    """One "worker": a cache source of its own over the shared store, reporting every ``every``."""
    cache = create_data_source(
        {"over": "memory", "redis_url": redis_url(), "prefix": prefix, "stats_every": every}
        | options
    )
    cache.wrap(MemoryDataSource(shared))
    cache.start_serving()  # as a service's lifespan does
    return cache


async def until(condition: Callable[[], Any], what: str, seconds: float = 5.0) -> None:
    """Poll ``condition`` until it holds, failing with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        await asyncio.sleep(0.02)


async def reads(cache: CacheDataSource, movie: Movie, times: int) -> None:
    for _ in range(times):
        async with cache.unit_of_work() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == movie


def stats_command(prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    config = tmp_path / "hexstudio.toml"
    config.write_text(
        f'[data_source.cached]\nkind = "cache"\nover = "memory"\n'
        f'redis_url = "{redis_url()}"\nprefix = "{prefix}"\n'
    )
    monkeypatch.setenv("HEXSTUDIO_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["cache", "stats"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


async def test_happy_path_stats_sum_what_two_workers_report_and_a_stopped_one_ages_out(
    prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = MemoryStore()
    movie = Movie(title="Shared Sky", genres=[Genre.DRAMA])
    async with MemoryDataSource(shared).unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    a = worker(shared, prefix, every=0.05, hot_threshold=3)
    b = worker(shared, prefix, every=0.05, hot_threshold=3)
    for cache in (a, b):  # one long counting window: a busy machine must not split the reads
        cache.hot.window = 60.0
        cache.hot._window_ends = time.monotonic() + 60.0
    try:
        await reads(a, movie, 10)  # 1 miss, 2 Redis hits, 7 in-process
        await reads(b, movie, 4)  # 3 Redis hits (the third makes it hot), 1 in-process
        expected = {
            "hits": a.stats.hits + b.stats.hits,
            "hot_hits": a.stats.hot_hits + b.stats.hot_hits,
            "misses": a.stats.misses + b.stats.misses,
        }
        assert expected == {"hits": 5, "hot_hits": 8, "misses": 1}
        # Periodic: each worker writes again after the reads, with nobody asking it to.
        seen = {a.reporter.flushed, b.reporter.flushed}

        async def both_reported_again() -> bool:
            return a.reporter.flushed > max(seen) + 1 and b.reporter.flushed > max(seen) + 1

        await until(both_reported_again, "two reports from each worker")
        lines = await asyncio.to_thread(stats_command, prefix, tmp_path, monkeypatch)
        assert lines[0] == f"cached: epoch 0, entries: 1 movies ({redis_url()})"
        assert lines[1].startswith("cached: 2 workers reported 0.")
        assert lines[1].endswith(
            "since each started: hit rate 92.9% (5 from Redis, 8 in-process, 1 from the source), "
            "0 coalesced, 0 Redis errors"
        ), lines[1]
        assert lines[2] == "cached: per type, ids read: movies 92.9% of 14"
        # Both workers' reads of the movie in their busiest (here: only) window, summed.
        hottest = "cached: hottest keys (reads in their busiest second, all workers)"
        assert lines[3] == f"{hottest}: movies:{movie.id} 14", lines[3]

        await a.aclose()  # its last report lives 3 intervals, then only b's is left

        async def one_left() -> bool:
            return [r.worker for r in await reports(b.tier)] == [b.reporter.worker]

        await until(one_left, "the stopped worker's report to expire")
    finally:
        await a.aclose()
        await b.aclose()


async def test_happy_path_reads_write_no_report_only_the_interval_does(prefix: str) -> None:
    shared = MemoryStore()
    movie = Movie(title="Quiet Sky")
    async with MemoryDataSource(shared).unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    cache = worker(shared, prefix, every=3600)  # no periodic report during the test
    try:
        await reads(cache, movie, 200)
        assert not [key for key in await keys_under(prefix) if "worker." in key]
        assert await cache.reporter.flush()
        (only,) = await reports(cache.tier)
        assert only.worker == cache.reporter.worker
        assert only.counters["hits"] + only.counters["hot_hits"] == 199
    finally:
        await cache.aclose()


async def test_happy_path_units_of_work_alone_write_no_report_a_served_app_does(
    prefix: str,
) -> None:
    # A CLI read, serve's configuration check, a migration copy: units of work, never a report.
    shared = MemoryStore()
    movie = Movie(title="Short Errand")
    async with MemoryDataSource(shared).unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    errand = create_data_source(
        {"over": "memory", "redis_url": redis_url(), "prefix": prefix, "stats_every": 0.05}
    )
    errand.wrap(MemoryDataSource(shared))
    try:
        await reads(errand, movie, 3)
        await asyncio.sleep(0.2)  # four intervals
    finally:
        await errand.aclose()
    assert not [key for key in await keys_under(prefix) if "worker." in key]
    # The service's lifespan starts reporting (every uvicorn worker runs one).
    table = {"kind": "cache", "over": "memory", "redis_url": redis_url(), "prefix": prefix}
    settings = Settings(
        service={"data_source": "cached"},
        data_source={"default": "cached", "cached": table | {"stats_every": 0.05}},
    )
    app = create_app_from_settings(settings)
    async with app.router.lifespan_context(app):
        served = app.state.container.sources["cached"]
        assert isinstance(served, CacheDataSource)

        async def reported() -> bool:
            return [r.worker for r in await reports(served.tier)] == [served.reporter.worker]

        await until(reported, "the served app's report")


def test_unhappy_path_stats_say_when_no_worker_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = f"hexstudio:test:nobody:{time.monotonic_ns()}:"
    lines = stats_command(empty, tmp_path, monkeypatch)
    assert lines == [
        f"cached: epoch 0, entries: none ({redis_url()})",
        "cached: no worker reported in the last 15 s (a serving worker reports every 5 s, "
        "stats_every)",
    ]


def test_unhappy_path_a_report_interval_that_is_not_positive_is_refused_naming_it() -> None:
    assert parse_options({"over": "sql", "stats_every": "2.5"}).stats_every == 2.5
    with pytest.raises(InvalidInput, match="stats_every: expected a positive number"):
        parse_options({"over": "sql", "stats_every": 0})
