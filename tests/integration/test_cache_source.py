"""The cache data source over memory and SQLite, against a real Redis (and a dead one)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Collection, Mapping
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from adapters.cache import CacheDataSource, create_data_source
from adapters.http import parse_http_options
from adapters.json_api import JsonApiDataSource
from adapters.json_api import create_data_source as create_json_api
from adapters.memory import MemoryDataSource, MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.spi import DataSource
from adapters.testing import Check, Harness, Status, checks_for, run_check
from app import sources
from app.bootstrap import Interactors
from app.cli import cli
from app.errors import ConfigError
from domain import (
    LOCATIONS,
    MOVIES,
    STUDIO,
    Conflict,
    Entity,
    EntityType,
    Genre,
    Movie,
    NotFound,
    PageRequest,
    Repository,
)
from domain.catalog import Sample
from domain.studio import EMPLOYEES
from tests.support.databases import migrated_source
from tests.support.fault_proxy import TcpCutProxy
from tests.support.live_service import LiveService
from tests.support.redis import keys_under, redis_prefix, redis_url

pytestmark = pytest.mark.server


def cache_over(inner: DataSource, prefix: str, **options: Any) -> CacheDataSource:
    """A cache over ``inner`` with its own key prefix."""
    cache = create_data_source(
        {"over": "inner", "redis_url": redis_url(), "prefix": prefix, **options}
    )
    cache.wrap(inner)
    return cache


def a_movie(title: str = "Paper Moons") -> Movie:
    return Movie(
        title=title, logline="Two forgers, one sky.", genres=[Genre.DRAMA], release_year=2028
    )


class CountingRepository:
    """A memory repository that counts the reads reaching it."""

    def __init__(self, inner: Repository[Any, Any], calls: dict[str, int]) -> None:
        self._inner = inner
        self.calls = calls

    async def get(self, id: UUID) -> Any:
        self.calls["get"] += 1
        await asyncio.sleep(0)  # a real source awaits: let the other readers pile up
        return await self._inner.get(id)

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, Any]:
        self.calls["get_many"] += 1
        self.calls["ids"] += len(ids)
        await asyncio.sleep(0)
        return await self._inner.get_many(ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class CountingUnitOfWork(MemoryUnitOfWork):
    def __init__(self, store: MemoryStore, calls: dict[str, int]) -> None:
        super().__init__(store)
        self.calls = calls

    def repository(self, entity: EntityType[Any, Any]) -> Any:
        return CountingRepository(super().repository(entity), self.calls)


class CountingSource(MemoryDataSource):
    """A memory source whose units of work count upstream reads."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        super().__init__(store)
        self.calls = {"get": 0, "get_many": 0, "ids": 0}

    def unit_of_work(self) -> CountingUnitOfWork:
        return CountingUnitOfWork(self.store, self.calls)


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    async with redis_prefix() as prefix:
        yield prefix


@pytest.fixture
async def counted(prefix: str) -> AsyncIterator[tuple[CacheDataSource, CountingSource]]:
    upstream = CountingSource()
    cache = cache_over(upstream, prefix)
    try:
        yield cache, upstream
    finally:
        await cache.aclose()


async def store(source: DataSource, *entities: Entity) -> None:
    async with source.unit_of_work() as uow:
        for entity in entities:
            await uow.repository(STUDIO.of(type(entity))).add(entity)
        await uow.commit()


# --- the conformance kit over the cache ------------------------------------------------------


@pytest.fixture(scope="module")
async def inners(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, DataSource]]:
    """The wrapped sources, opened once for the module as the kit's own sources are."""
    folder = Path(tmp_path_factory.mktemp("cache-sql"))
    async with migrated_source("sqlite", folder) as sqlite:
        yield {"memory": MemoryDataSource(), "sqlite": sqlite}


@pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
@pytest.mark.parametrize("over", ["memory", "sqlite"])
async def test_conformance_through_the_cache(
    over: str, check: Check, prefix: str, inners: dict[str, DataSource]
) -> None:
    inner = inners[over]
    cache = cache_over(inner, prefix)
    try:
        result = await run_check(Harness(cache.unit_of_work, cache.capabilities, STUDIO), check)
    finally:
        await cache.reporter.aclose()
        await cache.listener.aclose()
        await cache.tier.aclose()  # the module's sources stay open for the next check
    if result.status is Status.SKIP:
        pytest.skip(result.detail)
    assert result.status is Status.PASS, result.detail


@pytest.fixture(scope="module")
async def json_api_inner(live: LiveService) -> AsyncIterator[DataSource]:
    """The json_api adapter against the live reference service."""
    source = create_json_api({"url": f"{live.base_url}/api", "token": live.token})
    try:
        yield source
    finally:
        await source.aclose()


@pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
async def test_conformance_through_the_cache_over_json_api(
    check: Check, prefix: str, json_api_inner: DataSource
) -> None:
    cache = cache_over(json_api_inner, prefix)
    try:
        result = await run_check(Harness(cache.unit_of_work, cache.capabilities, STUDIO), check)
    finally:
        await cache.reporter.aclose()
        await cache.listener.aclose()
        await cache.tier.aclose()
    if result.status is Status.SKIP:
        pytest.skip(result.detail)
    assert result.status is Status.PASS, result.detail


# --- reads -----------------------------------------------------------------------------------


async def test_a_thousand_concurrent_gets_of_one_movie_make_one_upstream_get(
    counted: tuple[CacheDataSource, CountingSource],
) -> None:
    cache, upstream = counted
    movie = a_movie()
    await store(upstream, movie)

    async def read() -> Movie:
        async with cache.unit_of_work() as uow:
            return await uow.repository(MOVIES).get(movie.id)

    got = await asyncio.gather(*(read() for _ in range(1000)))
    assert all(m == movie for m in got)
    assert upstream.calls["get"] + upstream.calls["get_many"] == 1
    assert cache.stats.coalesced == 999


async def test_get_many_reads_only_the_misses_upstream_in_one_call(
    counted: tuple[CacheDataSource, CountingSource],
) -> None:
    cache, upstream = counted
    movies = [a_movie(f"M{i}") for i in range(10)]
    await store(upstream, *movies)
    async with cache.unit_of_work() as uow:
        assert len(await uow.repository(MOVIES).get_many([m.id for m in movies[:4]])) == 4
        upstream.calls.update(get=0, get_many=0, ids=0)
        absent = uuid4()
        found = await uow.repository(MOVIES).get_many([*(m.id for m in movies), absent])
    assert found == {m.id: m for m in movies}
    assert upstream.calls == {"get": 0, "get_many": 1, "ids": 7}  # 6 cold movies and the absent


async def test_overlapping_get_many_batches_read_each_id_upstream_once(
    counted: tuple[CacheDataSource, CountingSource],
) -> None:
    cache, upstream = counted
    movies = [a_movie(f"M{i}") for i in range(6)]
    await store(upstream, *movies)

    async def batch(ids: list[UUID]) -> Mapping[UUID, Movie]:
        async with cache.unit_of_work() as uow:
            return await uow.repository(MOVIES).get_many(ids)

    ids = [m.id for m in movies]
    first, second = await asyncio.gather(batch(ids[:4]), batch(ids[2:]))
    assert set(first) == set(ids[:4])
    assert set(second) == set(ids[2:])
    assert upstream.calls["ids"] == 6


async def test_not_found_is_cached_briefly(prefix: str) -> None:
    upstream = CountingSource()
    cache = cache_over(upstream, prefix, not_found_ttl=0.3)
    missing = a_movie()
    try:
        for _ in range(2):
            async with cache.unit_of_work() as uow:
                with pytest.raises(NotFound):
                    await uow.repository(MOVIES).get(missing.id)
        assert upstream.calls["get"] == 1
        await store(upstream, missing)  # added behind the cache's back
        await asyncio.sleep(0.4)
        async with cache.unit_of_work() as uow:
            assert await uow.repository(MOVIES).get(missing.id) == missing
    finally:
        await cache.aclose()


async def test_a_writer_reads_its_write_and_a_slow_old_read_cannot_put_back_the_old_value(
    counted: tuple[CacheDataSource, CountingSource],
) -> None:
    cache, upstream = counted
    movie = a_movie()
    await store(upstream, movie)
    async with cache.unit_of_work() as uow:
        await uow.repository(MOVIES).get(movie.id)  # v1 in Redis
        updated = await uow.repository(MOVIES).update(movie.evolve(title="Paper Suns"))
        await uow.commit()
    # A fill of v1 that started before the commit lands after it: refused.
    from adapters.cache.redis_tier import ENTITY, Put

    await cache.tier.put([Put("movies", movie.id, 1, ENTITY, movie.model_dump_json().encode())])
    async with cache.unit_of_work() as uow:
        assert await uow.repository(MOVIES).get(movie.id) == updated
    assert updated.version == 2


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plans=st.lists(
        st.lists(st.sampled_from(["read", "write", "read_many"]), min_size=1, max_size=8),
        min_size=2,
        max_size=2,
    ),
    hot_threshold=st.sampled_from([0, 1, 2]),
)
async def test_no_reader_sees_a_value_older_than_its_own_committed_write(
    plans: list[list[str]], hot_threshold: int
) -> None:
    async with redis_prefix() as prefix:
        shared = MemoryStore()
        workers = [
            cache_over(MemoryDataSource(shared), prefix, hot_threshold=hot_threshold) for _ in plans
        ]
        movie = a_movie()
        await store(MemoryDataSource(shared), movie)
        try:

            async def run(cache: CacheDataSource, plan: list[str]) -> None:
                written = 0  # the last version this worker committed
                for step in plan:
                    async with cache.unit_of_work() as uow:
                        repo = uow.repository(MOVIES)
                        if step == "write":
                            while True:  # the other worker may have moved the version
                                current = shared.tables["movies"][movie.id]
                                assert isinstance(current, Movie)
                                try:
                                    await repo.update(current.evolve(title=f"T{current.version}"))
                                    await uow.commit()
                                    break
                                except Conflict:
                                    continue
                            written = current.version + 1
                        else:
                            if step == "read":
                                seen = await repo.get(movie.id)
                            else:
                                seen = (await repo.get_many([movie.id]))[movie.id]
                            assert seen.version >= written, (seen.version, written)

            await asyncio.gather(*(run(c, p) for c, p in zip(workers, plans, strict=True)))
        finally:
            for cache in workers:
                await cache.reporter.aclose()
                await cache.listener.aclose()
                await cache.tier.aclose()


# --- Redis down, slow or back ----------------------------------------------------------------


async def test_with_redis_down_reads_and_writes_answer_and_the_errors_are_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    upstream = CountingSource()
    cache = create_data_source(
        {"over": "inner", "redis_url": "redis://127.0.0.1:1/0", "retry_after": 0.05}
    )
    cache.wrap(upstream)
    movie = a_movie()
    try:
        with caplog.at_level(logging.WARNING, logger="adapters.cache"):
            await store(cache, movie)
            for _ in range(3):
                async with cache.unit_of_work() as uow:
                    assert await uow.repository(MOVIES).get(movie.id) == movie
                    assert await uow.repository(MOVIES).get_many([movie.id]) == {movie.id: movie}
                await asyncio.sleep(0.06)  # past retry_after: Redis is tried (and fails) again
            assert "unreachable" in await cache.check()
    finally:
        await cache.aclose()
    assert cache.stats.redis_errors >= 3
    assert upstream.calls["get"] == 3
    assert upstream.calls["get_many"] == 3
    warnings = [r for r in caplog.records if "failed" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]


async def test_with_redis_slow_reads_answer_within_the_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # accepts, reads, never answers: a Redis that hangs

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    upstream = CountingSource()
    cache = create_data_source(
        {"over": "inner", "redis_url": f"redis://127.0.0.1:{port}/0", "timeout": 0.05}
    )
    cache.wrap(upstream)
    movie = a_movie()
    await store(upstream, movie)
    try:
        started = asyncio.get_running_loop().time()
        async with cache.unit_of_work() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == movie
            assert await uow.repository(MOVIES).get(movie.id) == movie  # stepping aside: fast
        assert asyncio.get_running_loop().time() - started < 0.5
        assert cache.stats.redis_errors == 1
        assert cache.stats.skipped >= 1
    finally:
        await cache.aclose()
        server.close()


async def test_once_redis_is_down_one_read_per_retry_after_probes_it_and_none_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    accepted = 0

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1  # a Redis that hangs up: each connection attempt is counted
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    upstream = CountingSource()
    url = f"redis://127.0.0.1:{port}/0"
    # No hot tier: its copies would answer the reads before Redis is asked.
    cache = create_data_source(
        {"over": "inner", "redis_url": url, "retry_after": 10, "hot_threshold": 0}
    )
    cache.wrap(upstream)
    now = [0.0]
    cache.tier.monotonic = lambda: now[0]
    movies = [a_movie(f"M{i}") for i in range(5)]
    await store(upstream, *movies)

    async def read(movie: Movie) -> None:
        async with cache.unit_of_work() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == movie
            assert len(await uow.repository(MOVIES).get_many([m.id for m in movies])) == 5

    try:
        await read(movies[0])  # the first failure: the cache steps aside
        per_attempt = accepted
        assert per_attempt >= 1
        assert cache.stats.redis_errors == 1
        caplog.clear()  # the outage's one warning
        with caplog.at_level(logging.DEBUG, logger="adapters.cache"):
            await asyncio.gather(*(read(m) for m in movies * 20))
            assert accepted == per_attempt  # no connection while retry_after runs
            assert caplog.records == []  # nor a log line per read
            now[0] += 10.5
            await asyncio.gather(*(read(m) for m in movies * 20))
        assert accepted == 2 * per_attempt  # one probe for the hundred reads, not one each
        assert cache.stats.redis_errors == 2
    finally:
        await cache.aclose()
        server.close()


async def test_after_an_outage_entries_written_before_it_are_not_served(prefix: str) -> None:
    host, port = redis_url().removeprefix("redis://").split("/")[0].split(":")
    with TcpCutProxy(host, int(port)).running() as proxy:
        shared = MemoryStore()
        flaky = create_data_source(
            {
                "over": "inner",
                "redis_url": f"redis://127.0.0.1:{proxy.port}/0",
                "prefix": prefix,
                "retry_after": 0.1,
            }
        )
        flaky.wrap(MemoryDataSource(shared))
        steady = cache_over(MemoryDataSource(shared), prefix)
        movie = a_movie()
        await store(MemoryDataSource(shared), movie)
        try:
            async with steady.unit_of_work() as uow:
                await uow.repository(MOVIES).get(movie.id)  # v1 in Redis
            proxy.arm_cut(b"EVALSHA", after=False)  # the write-through after the commit dies
            async with flaky.unit_of_work() as uow:
                updated = await uow.repository(MOVIES).update(movie.evolve(title="Paper Suns"))
                await uow.commit()  # succeeds upstream; the cache steps aside
            assert flaky.stats.redis_errors >= 1
            async with flaky.unit_of_work() as uow:  # still stepping aside: the source answers
                assert await uow.repository(MOVIES).get(movie.id) == updated
            await asyncio.sleep(0.15)
            async with flaky.unit_of_work() as uow:  # back: the epoch moves before any read
                assert await uow.repository(MOVIES).get(movie.id) == updated
            async with steady.unit_of_work() as uow:  # the other worker drops v1 too
                assert await uow.repository(MOVIES).get(movie.id) == updated
        finally:
            await flaky.aclose()
            await steady.reporter.aclose()
            await steady.listener.aclose()
            await steady.tier.aclose()


# --- wiring ----------------------------------------------------------------------------------


async def test_a_configured_cache_is_given_the_source_it_names() -> None:
    tables = {"cached": {"kind": "cache", "over": "memory", "redis_url": redis_url()}}
    source = sources.create(tables, "cached", key="data_source.default")
    try:
        assert isinstance(source, CacheDataSource)
        assert isinstance(source.inner, MemoryDataSource)
        assert source.capabilities == source.inner.capabilities
    finally:
        await source.aclose()


def test_a_cache_over_itself_is_refused() -> None:
    tables = {
        "a": {"kind": "cache", "over": "b"},
        "b": {"kind": "cache", "over": "a"},
    }
    with pytest.raises(ConfigError, match="wraps itself"):
        sources.create(tables, "a", key="data_source.default")


def test_a_cache_without_over_is_refused_naming_the_option() -> None:
    with pytest.raises(ConfigError, match=r"data_source\.cached\.over"):
        sources.create({"cached": {"kind": "cache"}}, "cached", key="data_source.default")


# --- personal data and purge -----------------------------------------------------------------


async def test_personal_entities_never_reach_redis(
    counted: tuple[CacheDataSource, CountingSource], prefix: str
) -> None:
    cache, upstream = counted
    employee = EMPLOYEES.sample(Sample(1, "cache", {"production_id": uuid4()}))
    movie = a_movie()
    await store(cache, employee, movie)
    async with cache.unit_of_work() as uow:
        assert await uow.repository(EMPLOYEES).get(employee.id) == employee
        assert await uow.repository(EMPLOYEES).get_many([employee.id]) == {employee.id: employee}
        await uow.repository(MOVIES).get(movie.id)
        await uow.repository(EMPLOYEES).update(employee.evolve(name="Renamed"))
        await uow.commit()
    keys = await keys_under(prefix)
    assert f"{prefix}movies:{movie.id}" in keys  # the cache did write what it may
    assert not [key for key in keys if ":employees:" in key]
    assert upstream.calls["get"] == 1  # the employee was read upstream; the movie came from Redis


async def test_cache_stats_counts_entries_and_purge_removes_an_entity_types(
    prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = cache_over(MemoryDataSource(), prefix, hot_threshold=0)
    cache.start_serving()  # a serving worker, which reports (a service's lifespan starts it)
    try:
        await store(cache, a_movie("One"), a_movie("Two"))
        async with cache.unit_of_work() as uow:
            await uow.repository(LOCATIONS).get_many([uuid4()])  # a cached NotFound
    finally:
        await cache.aclose()
    config = tmp_path / "hexstudio.toml"
    config.write_text(
        f'[data_source.cached]\nkind = "cache"\nover = "memory"\n'
        f'redis_url = "{redis_url()}"\nprefix = "{prefix}"\n'
    )
    monkeypatch.setenv("HEXSTUDIO_CONFIG", str(config))
    # The commands run their own event loop: in a thread, beside the tests' loop.
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["cache", "stats"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"cached: epoch 0, entries: 1 locations, 2 movies ({redis_url()})"
    # The closed serving source wrote its last report: one worker, which wrote 2, read 1.
    assert lines[1].startswith("cached: 1 worker reported "), lines
    assert lines[1].endswith(
        "hit rate 0.0% (0 from Redis, 0 in-process, 1 from the source), 0 coalesced, 0 Redis errors"
    ), lines
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["cache", "purge", "--entity", "movies"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"cached: 2 movies entries removed from {redis_url()}; "
        "0 workers told to drop their in-process copies"
    ]
    left = [key.removeprefix(prefix) for key in await keys_under(prefix)]
    assert [key.split(":")[0] for key in left if ":" in key] == ["locations"]


def test_cache_purge_refuses_an_unknown_entity_naming_the_choices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEXSTUDIO_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    result = CliRunner().invoke(cli, ["cache", "purge", "--entity", "staff"])
    assert result.exit_code == 2
    assert "unknown entity type 'staff' (choices: movies," in result.output


async def test_conformance_cached_runs_over_a_scratch_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "hexstudio.toml"
    config.write_text(
        f'[data_source.cached]\nkind = "cache"\nover = "sql"\nredis_url = "{redis_url()}"\n'
        f'prefix = "hexstudio:test:conformance:{uuid4().hex[:8]}:"\n'
    )
    monkeypatch.setenv("HEXSTUDIO_CONFIG", str(config))
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["conformance", "cached", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"]
    assert report["store"].startswith("a scratch store, deleted after: cache over sql (Redis at")


# --- the in-process tier of hot keys ---------------------------------------------------------


async def test_a_hot_key_is_served_in_process_after_the_threshold(prefix: str) -> None:
    upstream = CountingSource()
    cache = cache_over(upstream, prefix, hot_threshold=3)
    movie = a_movie()
    await store(upstream, movie)
    try:
        cache.listener.start()
        await asyncio.wait_for(cache.listener.ready.wait(), 2)  # subscribing drops copies
        for _ in range(10):
            async with cache.unit_of_work() as uow:
                assert await uow.repository(MOVIES).get(movie.id) == movie
        assert (cache.stats.misses, cache.stats.hits, cache.stats.hot_hits) == (1, 2, 7)
        assert cache.hot.hottest(1) == [(("movies", movie.id), 10)]
    finally:
        await cache.aclose()


async def test_a_commit_in_one_worker_drops_the_hot_copy_in_another(prefix: str) -> None:
    shared = MemoryStore()
    # Copies live 30 s: only the published invalidation can make B read the new title soon.
    a, b = (cache_over(MemoryDataSource(shared), prefix, hot_threshold=1, hot_ttl=30) for _ in "ab")
    movie = a_movie()
    await store(MemoryDataSource(shared), movie)
    try:
        for _ in range(2):
            async with b.unit_of_work() as uow:
                assert await uow.repository(MOVIES).get(movie.id) == movie
        assert len(b.hot) == 1
        await asyncio.wait_for(b.listener.ready.wait(), 2)
        async with a.unit_of_work() as uow:
            updated = await uow.repository(MOVIES).update(movie.evolve(title="Paper Suns"))
            await uow.commit()
        for _ in range(100):
            if b.listener.received:
                break
            await asyncio.sleep(0.02)
        async with b.unit_of_work() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == updated
    finally:
        await a.aclose()
        await b.aclose()


# --- planned reads ---------------------------------------------------------------------------


class CountingTransport(httpx.AsyncBaseTransport):
    """An HTTP transport that records each request's method and path (round trips)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_the_overview_through_a_cold_cache_over_json_api_is_one_request(
    live: LiveService, prefix: str
) -> None:
    options = parse_http_options({"url": f"{live.base_url}/api", "token": live.token})
    writer = JsonApiDataSource(options)
    counting = CountingTransport()
    cache = cache_over(JsonApiDataSource(options, transport=counting), prefix)
    try:
        app = Interactors(writer.unit_of_work)
        movie = await app.register_movie(title="Planned Through")
        place = await app.register_location(
            name="Lot", city="Cached City", country="US", latitude=1, longitude=1
        )
        start = dt.date(2032, 3, 1)
        onboarded = await app.onboard_production(
            movie_id=movie.id,
            budget={"amount": "1", "currency": "USD"},
            starts_on=start,
            wraps_on=start + dt.timedelta(days=3),
            shoot_plan=[(place.id, start + dt.timedelta(days=i)) for i in range(3)],
        )
        production_id = onboarded.production.id
        cached = Interactors(cache.unit_of_work)

        cold = await cached.get_production_overview(production_id=production_id)
        assert cold == await app.get_production_overview(production_id=production_id)
        assert counting.requests == [f"GET /api/productions/{production_id}"]
        # The relatives the planned read brought back were read through the cache: now in Redis.
        stored = await keys_under(prefix)
        for plural, id in [("productions", production_id), ("movies", movie.id)]:
            assert any(key.endswith(f"{plural}:{id}") for key in stored), (plural, stored)

        counting.requests.clear()
        warm = await cached.get_production_overview(production_id=production_id)
        assert warm == cold
        # Warm: the root, its movie and locations are hits; the shoot days' list passes through.
        assert counting.requests == ["GET /api/shoot-days"]
    finally:
        await cache.aclose()
        await writer.aclose()
        await counting.aclose()


async def test_the_overview_through_a_warm_cache_with_shoot_days_declared_is_no_request(
    live: LiveService, prefix: str
) -> None:
    options = parse_http_options({"url": f"{live.base_url}/api", "token": live.token})
    writer = JsonApiDataSource(options)
    counting = CountingTransport()
    cache = cache_over(
        JsonApiDataSource(options, transport=counting),
        prefix,
        lists={"shoot_days": 30},
        max_staleness=30,
    )
    try:
        app = Interactors(writer.unit_of_work)
        movie = await app.register_movie(title="Declared Through")
        place = await app.register_location(
            name="Lot", city="Paged City", country="US", latitude=1, longitude=1
        )
        start = dt.date(2032, 5, 1)
        onboarded = await app.onboard_production(
            movie_id=movie.id,
            budget={"amount": "1", "currency": "USD"},
            starts_on=start,
            wraps_on=start + dt.timedelta(days=3),
            shoot_plan=[(place.id, start + dt.timedelta(days=i)) for i in range(3)],
        )
        production_id = onboarded.production.id
        cached = Interactors(cache.unit_of_work)
        cold = await cached.get_production_overview(production_id=production_id)
        assert counting.requests == [f"GET /api/productions/{production_id}"]
        counting.requests.clear()
        assert await cached.get_production_overview(production_id=production_id) == cold
        assert counting.requests == []  # the shoot days' page is a hit too
        assert cache.stats.page_hits == 1
    finally:
        await cache.aclose()
        await writer.aclose()
        await counting.aclose()


async def test_the_slate_through_a_cache_over_json_api_is_one_request_cold_and_warm(
    live: LiveService, prefix: str
) -> None:
    options = parse_http_options({"url": f"{live.base_url}/api", "token": live.token})
    writer = JsonApiDataSource(options)
    counting = CountingTransport()
    cache = cache_over(JsonApiDataSource(options, transport=counting), prefix)
    try:
        app = Interactors(writer.unit_of_work)
        movie = await app.register_movie(title="Slated Through")
        await app.onboard_production(
            movie_id=movie.id,
            budget={"amount": "1", "currency": "USD"},
            starts_on=dt.date(2032, 4, 1),
            wraps_on=dt.date(2032, 4, 9),
        )
        cached = Interactors(cache.unit_of_work)
        expected = await app.list_slate(page=PageRequest(size=10))
        for _ in ("cold", "warm"):
            counting.requests.clear()
            # The page passes through with its plan (the movies included); the movies' reads
            # that follow are answered from what it brought back, then from Redis.
            assert await cached.list_slate(page=PageRequest(size=10)) == expected
            assert counting.requests == ["GET /api/productions"]
        assert cache.stats.of("movies").hits > 0
    finally:
        await cache.aclose()
        await writer.aclose()
        await counting.aclose()


async def test_with_redis_down_hot_ids_are_answered_in_process_and_the_rest_in_one_read() -> None:
    upstream = CountingSource()
    cache = create_data_source(
        {"over": "inner", "redis_url": "redis://127.0.0.1:1/0", "hot_threshold": 2}
    )
    cache.wrap(upstream)
    hot, cold = a_movie(), a_movie("Glass Rivers")
    try:
        await store(cache, hot, cold)  # Redis fails at commit: the cache steps aside
        assert cache.tier.stepping_aside
        for _ in range(2):  # the second read makes it hot: held in-process from then on
            async with cache.unit_of_work() as uow:
                assert await uow.repository(MOVIES).get_many([hot.id]) == {hot.id: hot}
        before = dict(upstream.calls)
        async with cache.unit_of_work() as uow:
            found = await uow.repository(MOVIES).get_many([hot.id, cold.id])
    finally:
        await cache.aclose()
    assert found == {hot.id: hot, cold.id: cold}
    assert upstream.calls["get_many"] - before["get_many"] == 1  # one read, of the cold id
    assert upstream.calls["ids"] - before["ids"] == 1
    assert cache.stats.hot_hits == 1


async def test_with_redis_down_a_batch_with_repeated_ids_counts_each_id_once() -> None:
    upstream = CountingSource()
    cache = create_data_source(
        {"over": "inner", "redis_url": "redis://127.0.0.1:1/0", "hot_threshold": 0}
    )
    cache.wrap(upstream)
    movie, other = a_movie(), a_movie("Glass Rivers")
    try:
        await store(cache, movie, other)  # Redis fails at commit: the cache steps aside
        assert cache.tier.stepping_aside
        misses = cache.stats.misses
        async with cache.unit_of_work() as uow:
            found = await uow.repository(MOVIES).get_many([movie.id, other.id, movie.id])
    finally:
        await cache.aclose()
    assert found == {movie.id: movie, other.id: other}
    assert cache.stats.misses - misses == 2
    assert cache.stats.of("movies").misses == 2
    assert upstream.calls["ids"] == 2
