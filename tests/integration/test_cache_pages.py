"""List pages through the cache: declared safe, invalidated, never served past max_staleness."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest

from adapters.cache import CacheDataSource, parse_options
from adapters.cache.pages import page_digest
from adapters.memory import MemoryDataSource, MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.testing import Check, Harness, Status, checks_for, run_check
from app.bootstrap import bootstrap
from app.errors import ConfigError
from app.settings import Settings
from domain import (
    MOVIES,
    PRODUCTIONS,
    STUDIO,
    Genre,
    InvalidInput,
    Movie,
    MovieQuery,
    Page,
    PageRequest,
    ProductionQuery,
    Repository,
)
from domain.catalog import Plan
from domain.studio import EMPLOYEES
from tests.support.redis import redis_prefix, redis_url

pytestmark = pytest.mark.server

DRAMAS = MovieQuery(genre=Genre.DRAMA)
FIRST = PageRequest(size=10)


class Clock:
    """Wall-clock seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class ListCounting:
    """A memory repository counting the pages read from it (planned ones apart)."""

    def __init__(
        self, inner: Repository[Any, Any], calls: dict[str, int], gate: asyncio.Event
    ) -> None:
        self._inner = inner
        self.calls = calls
        self.gate = gate

    async def list(self, query: Any, page: PageRequest) -> Page[Any]:
        self.calls["list"] += 1
        await self.gate.wait()
        return await self._inner.list(query, page)

    async def list_planned(self, query: Any, page: PageRequest, plan: Plan[Any]) -> Page[Any]:
        self.calls["list_planned"] += 1
        return await self._inner.list(query, page)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class ListCountingUnitOfWork(MemoryUnitOfWork):
    def __init__(self, store: MemoryStore, calls: dict[str, int], gate: asyncio.Event) -> None:
        super().__init__(store)
        self.calls = calls
        self.gate = gate

    def repository(self, entity: Any) -> Any:
        return ListCounting(super().repository(entity), self.calls, self.gate)


class ListCountingSource(MemoryDataSource):
    """A memory source whose units of work count the pages read upstream."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        super().__init__(store)
        self.calls = {"list": 0, "list_planned": 0}
        self.gate = asyncio.Event()
        """Pages are read once it is set (tests hold it to let readers pile up)."""
        self.gate.set()

    def unit_of_work(self) -> ListCountingUnitOfWork:
        return ListCountingUnitOfWork(self.store, self.calls, self.gate)


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    async with redis_prefix() as prefix:
        yield prefix


def cache_over(
    inner: MemoryDataSource, prefix: str, clock: Clock | None = None, **options: Any
) -> CacheDataSource:
    """A cache over ``inner`` with movies' pages declared (5 s, at most 8 s old)."""
    settings = {
        "over": "inner",
        "redis_url": redis_url(),
        "prefix": prefix,
        "lists": {"movies": 5, "productions": 5},
        "max_staleness": 8,
        "hot_threshold": 0,
        "timeout": 5,  # a loaded machine is not a Redis outage: these tests are not about one
        **options,
    }
    cache = CacheDataSource(parse_options(settings), clock=clock or Clock())
    cache.wrap(inner)
    return cache


def a_movie(title: str = "Paper Moons") -> Movie:
    return Movie(title=title, logline="x", genres=[Genre.DRAMA], release_year=2028)


async def seed(source: MemoryDataSource, *movies: Movie) -> None:
    async with source.unit_of_work() as uow:
        for movie in movies:
            await uow.repository(MOVIES).add(movie)
        await uow.commit()


async def titles(cache: CacheDataSource, query: MovieQuery = DRAMAS) -> list[str]:
    async with cache.unit_of_work() as uow:
        page = await uow.repository(MOVIES).list(query, FIRST)
    return [movie.title for movie in page.items]


async def test_happy_path_a_declared_page_is_read_upstream_once_then_from_redis(
    prefix: str,
) -> None:
    upstream = ListCountingSource()
    await seed(upstream, a_movie("A"), a_movie("B"))
    cache = cache_over(upstream, prefix)
    try:
        first = await titles(cache)
        assert await titles(cache) == await titles(cache) == first
        assert sorted(first) == ["A", "B"]
        assert upstream.calls["list"] == 1
        assert (cache.stats.page_misses, cache.stats.page_hits) == (1, 2)
    finally:
        await cache.aclose()


async def test_concurrent_misses_of_one_page_make_one_upstream_read(prefix: str) -> None:
    upstream = ListCountingSource()
    await seed(upstream, a_movie("A"))
    cache = cache_over(upstream, prefix)
    upstream.gate.clear()  # the first reader's upstream read waits for the others to join
    try:
        readers = [asyncio.create_task(titles(cache)) for _ in range(20)]
        for _ in range(200):
            if cache.stats.page_coalesced == 19:
                break
            await asyncio.sleep(0.01)
        upstream.gate.set()
        assert await asyncio.gather(*readers) == [["A"]] * 20
        assert upstream.calls["list"] == 1
        assert (cache.stats.page_misses, cache.stats.page_coalesced) == (1, 19)
    finally:
        await cache.aclose()


async def test_when_a_page_leader_is_cancelled_its_followers_read_for_themselves(
    prefix: str,
) -> None:
    upstream = ListCountingSource()
    await seed(upstream, a_movie("A"))
    cache = cache_over(upstream, prefix)
    upstream.gate.clear()

    async def until(condition: Any) -> None:
        for _ in range(500):
            if condition():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("waited 5 s")

    try:
        leader = asyncio.create_task(titles(cache))
        await until(lambda: upstream.calls["list"] == 1)
        followers = [asyncio.create_task(titles(cache)) for _ in range(3)]
        await until(lambda: cache.stats.page_coalesced == 3)
        leader.cancel()
        upstream.gate.set()
        assert await asyncio.gather(*followers) == [["A"]] * 3
        assert leader.cancelled()
        assert len(cache.pages.flights) == 0  # the page flights are adapters.cache.flights'
    finally:
        await cache.aclose()


async def test_a_reader_after_a_commit_does_not_join_a_read_that_started_before_it(
    prefix: str,
) -> None:
    upstream = ListCountingSource()
    movie = a_movie("Before")
    await seed(upstream, movie)
    cache = cache_over(upstream, prefix)
    upstream.gate.clear()
    try:
        early = asyncio.create_task(titles(cache))  # misses, then waits upstream
        for _ in range(200):
            if upstream.calls["list"] == 1:
                break
            await asyncio.sleep(0.01)
        async with cache.unit_of_work() as uow:
            await uow.repository(MOVIES).update(movie.evolve(title="After"))
            await uow.commit()
        late = asyncio.create_task(titles(cache))  # another generation: a read of its own
        for _ in range(200):
            if upstream.calls["list"] == 2:
                break
            await asyncio.sleep(0.01)
        upstream.gate.set()
        await early
        assert await late == ["After"]
        assert cache.stats.page_coalesced == 0
    finally:
        await cache.aclose()


async def test_a_page_keeps_its_next_cursor(prefix: str) -> None:
    upstream = ListCountingSource()
    await seed(upstream, *(a_movie(f"M{i}") for i in range(3)))
    cache = cache_over(upstream, prefix)
    try:
        pages = []
        for _ in range(2):
            async with cache.unit_of_work() as uow:
                pages.append(await uow.repository(MOVIES).list(DRAMAS, PageRequest(size=2)))
        assert pages[0] == pages[1]
        assert pages[1].next_cursor is not None
        assert upstream.calls["list"] == 1
    finally:
        await cache.aclose()


async def test_a_page_past_its_ttl_is_read_again(prefix: str) -> None:
    upstream, clock = ListCountingSource(), Clock()
    await seed(upstream, a_movie())
    cache = cache_over(upstream, prefix, clock)
    try:
        await titles(cache)
        clock.now += 4.9
        await titles(cache)
        assert upstream.calls["list"] == 1
        clock.now += 0.2  # 5.1 s old: past the 5 s TTL (Redis's own expiry has not run yet)
        await titles(cache)
        assert upstream.calls["list"] == 2
    finally:
        await cache.aclose()


async def test_a_commit_through_the_cache_outdates_the_types_pages(prefix: str) -> None:
    upstream = ListCountingSource()
    movie = a_movie("Before")
    await seed(upstream, movie)
    cache = cache_over(upstream, prefix)
    try:
        assert await titles(cache) == ["Before"]
        async with cache.unit_of_work() as uow:
            await uow.repository(MOVIES).update(movie.evolve(title="After"))
            await uow.commit()
        assert await titles(cache) == ["After"]  # the writer reads its write
        assert upstream.calls["list"] == 2
    finally:
        await cache.aclose()


async def test_a_unit_of_work_with_writes_of_the_type_reads_its_pages_from_the_source(
    prefix: str,
) -> None:
    upstream = ListCountingSource()
    await seed(upstream, a_movie("A"))
    cache = cache_over(upstream, prefix)
    try:
        await titles(cache)
        async with cache.unit_of_work() as uow:
            await uow.repository(MOVIES).add(a_movie("B"))
            # Whether a write not yet committed shows is the source's to say (SQL: it does).
            await uow.repository(MOVIES).list(DRAMAS, FIRST)
        assert upstream.calls["list"] == 2
    finally:
        await cache.aclose()


async def test_another_workers_commit_outdates_the_page_in_redis(prefix: str) -> None:
    shared = MemoryStore()
    movie = a_movie("Before")
    await seed(MemoryDataSource(shared), movie)
    a, b = (cache_over(ListCountingSource(shared), prefix) for _ in "ab")
    try:
        assert await titles(b) == ["Before"]
        async with a.unit_of_work() as uow:
            await uow.repository(MOVIES).update(movie.evolve(title="After"))
            await uow.commit()
        assert await titles(b) == ["After"]  # B's next MGET read the moved generation
    finally:
        await a.aclose()
        await b.aclose()


async def test_another_workers_commit_drops_the_hot_page_through_pub_sub(prefix: str) -> None:
    shared = MemoryStore()
    movie = a_movie("Before")
    await seed(MemoryDataSource(shared), movie)
    # Hot copies live 30 s and may be 8 s old: only the published invalidation drops B's.
    a, b = (
        cache_over(ListCountingSource(shared), prefix, hot_threshold=1, hot_ttl=30) for _ in "ab"
    )
    upstream_b = b.inner
    assert isinstance(upstream_b, ListCountingSource)
    try:
        for _ in range(3):
            assert await titles(b) == ["Before"]
        assert upstream_b.calls["list"] == 1
        assert b.stats.page_hot_hits == 2
        await asyncio.wait_for(b.listener.ready.wait(), 2)
        async with a.unit_of_work() as uow:
            await uow.repository(MOVIES).update(movie.evolve(title="After"))
            await uow.commit()
        for _ in range(100):
            if b.listener.received:
                break
            await asyncio.sleep(0.02)
        assert b.listener.received
        assert await titles(b) == ["After"]
    finally:
        await a.aclose()
        await b.aclose()


async def test_a_hot_page_is_never_served_past_max_staleness(prefix: str) -> None:
    upstream, clock = ListCountingSource(), Clock()
    await seed(upstream, a_movie())
    # The hot copy would live 30 s; max_staleness (8 s) bounds it.
    cache = cache_over(upstream, prefix, clock, hot_threshold=1, hot_ttl=30)
    try:
        await titles(cache)
        clock.now += 7.5  # past the 5 s TTL in Redis, but the hot copy is within 8 s
        await titles(cache)
        assert (upstream.calls["list"], cache.stats.page_hot_hits) == (1, 1)
        clock.now += 1.0  # 8.5 s old: refused in-process and in Redis alike
        await titles(cache)
        assert upstream.calls["list"] == 2
    finally:
        await cache.aclose()


async def test_hot_pages_held_in_process_are_bounded(prefix: str) -> None:
    upstream = ListCountingSource()
    await seed(upstream, a_movie())
    clock = Clock()
    cache = cache_over(upstream, prefix, clock, hot_threshold=1, hot_ttl=2)
    cache.pages.max_held = 3

    async def size(n: int) -> None:  # each page size is a page of its own
        async with cache.unit_of_work() as uow:
            await uow.repository(MOVIES).list(DRAMAS, PageRequest(size=n))

    try:
        for n in range(1, 5):
            await size(n)
        assert len(cache.pages._held) == 3  # the least recently used page made room
        await size(2)  # read again: now the most recently used
        await size(5)
        assert len(cache.pages._held) == 3
        hits = cache.stats.page_hot_hits
        await size(2)
        assert cache.stats.page_hot_hits == hits + 1  # kept over size 3's older page
        clock.now += 2.5  # every held page has expired
        await size(6)
        assert len(cache.pages._held) == 1  # the expired ones were swept as it was added
    finally:
        await cache.aclose()


async def test_page_and_entity_reads_count_in_one_hot_window(prefix: str) -> None:
    upstream = ListCountingSource()
    movie = a_movie()
    await seed(upstream, movie)
    # Pages' ages are wall-clock times (shared across workers): the real one, as when served.
    settings = {"over": "inner", "redis_url": redis_url(), "prefix": prefix, "timeout": 5}
    options = parse_options({**settings, "lists": {"movies": 5}, "max_staleness": 8})
    cache = CacheDataSource(options, clock=time.time)
    cache.wrap(upstream)
    ticks = [time.monotonic()]
    cache.hot.clock = lambda: ticks[0]  # the hot tier's one clock, moved by the test
    try:
        await titles(cache)  # a page read counts in the hot tier's window
        async with cache.unit_of_work() as uow:
            await uow.repository(MOVIES).get(movie.id)
        ticks[0] += cache.hot.window + 0.1
        async with cache.unit_of_work() as uow:  # a new window: every count starts over
            await uow.repository(MOVIES).get(movie.id)
        counts = dict(cache.hot.hottest())
    finally:
        await cache.aclose()
    assert counts == {("movies", movie.id): 1}


async def test_a_type_not_declared_is_passed_through(prefix: str) -> None:
    upstream = ListCountingSource()
    await seed(upstream, a_movie())
    cache = cache_over(upstream, prefix, lists={"locations": 5})
    try:
        for _ in range(3):
            await titles(cache)
        assert upstream.calls["list"] == 3
        assert cache.stats.page_hits == cache.stats.page_misses == 0
    finally:
        await cache.aclose()


async def test_a_planned_page_is_cached_only_when_every_type_of_its_plan_is_declared(
    prefix: str,
) -> None:
    plan = Plan(PRODUCTIONS, ("movie",))
    for lists, upstream_reads in [({"productions": 5, "movies": 5}, 1), ({"productions": 5}, 3)]:
        upstream = ListCountingSource()
        cache = cache_over(upstream, prefix + uuid4().hex[:6] + ":", lists=lists)
        try:
            for _ in range(3):
                async with cache.unit_of_work() as uow:
                    repository = uow.repository(PRODUCTIONS)
                    await repository.list_planned(ProductionQuery(), FIRST, plan)  # type: ignore[attr-defined]
            assert upstream.calls["list_planned"] == upstream_reads, lists
        finally:
            await cache.aclose()


async def test_a_commit_to_a_planned_type_outdates_the_planned_page(prefix: str) -> None:
    upstream = ListCountingSource()
    cache = cache_over(upstream, prefix, lists={"productions": 5, "movies": 5})
    plan = Plan(PRODUCTIONS, ("movie",))

    async def read() -> None:
        async with cache.unit_of_work() as uow:
            repository = uow.repository(PRODUCTIONS)
            await repository.list_planned(ProductionQuery(), FIRST, plan)  # type: ignore[attr-defined]

    try:
        await read()
        async with cache.unit_of_work() as uow:
            await uow.repository(MOVIES).add(a_movie())
            await uow.commit()
        await read()
        assert upstream.calls["list_planned"] == 2
    finally:
        await cache.aclose()


async def test_personal_pages_never_reach_redis(prefix: str) -> None:
    upstream = ListCountingSource()
    cache = cache_over(upstream, prefix, lists={"employees": 5})
    try:
        for _ in range(2):
            async with cache.unit_of_work() as uow:
                await uow.repository(EMPLOYEES).list(EMPLOYEES.query(), FIRST)
        assert upstream.calls["list"] == 2
    finally:
        await cache.aclose()


async def test_unhappy_path_with_redis_down_pages_are_read_from_the_source() -> None:
    upstream = ListCountingSource()
    await seed(upstream, a_movie("A"))
    cache = cache_over(upstream, "hexstudio:test:down:", redis_url="redis://127.0.0.1:1/0")
    try:
        for _ in range(2):
            assert await titles(cache) == ["A"]
        assert upstream.calls["list"] == 2
        assert cache.stats.redis_errors == 1
        assert cache.stats.page_misses == 1  # then known down: passed through, no lookup
    finally:
        await cache.aclose()


@pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
async def test_conformance_with_every_types_pages_cached(check: Check, prefix: str) -> None:
    every = {plural: 5 for plural in STUDIO.plurals}
    cache = cache_over(MemoryDataSource(), prefix, lists=every, hot_threshold=2)
    try:
        result = await run_check(Harness(cache.unit_of_work, cache.capabilities, STUDIO), check)
    finally:
        await cache.aclose()
    if result.status is Status.SKIP:
        pytest.skip(result.detail)
    assert result.status is Status.PASS, result.detail


def test_the_same_query_in_any_set_order_is_the_same_page() -> None:
    ids = [uuid4() for _ in range(20)]
    one = ProductionQuery(movie_ids=frozenset(ids))
    other = ProductionQuery(movie_ids=frozenset(reversed(ids)))
    assert page_digest(one, FIRST) == page_digest(other, FIRST)
    assert page_digest(one, FIRST) != page_digest(one, PageRequest(size=11))
    assert page_digest(one, FIRST) != page_digest(
        ProductionQuery(movie_ids=frozenset(ids[1:])), FIRST
    )
    assert page_digest(one, FIRST) != page_digest(one, FIRST, Plan(PRODUCTIONS, ("movie",)))


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (
            {"lists": {"movies": 10}, "max_staleness": 5},
            "lists.movies: a TTL of 10 s is more than max_staleness = 5",
        ),
        ({"lists": {"movies": 5}}, "max_staleness: declare it with lists"),
        ({"lists": {"movies": 0}, "max_staleness": 5}, "lists.movies: expected a positive number"),
        ({"lists": ["movies"], "max_staleness": 5}, "lists: expected a table"),
        ({"max_staleness": -1}, "max_staleness: expected a positive number"),
    ],
)
def test_unhappy_path_bad_page_options_are_refused_naming_the_keys(
    options: dict[str, Any], named: str
) -> None:
    with pytest.raises(InvalidInput, match=named.replace(".", r"\.")):
        parse_options({"over": "inner", **options})


def test_options_from_the_environment_are_read_from_their_text() -> None:
    # HEXSTUDIO_DATA_SOURCE__CACHED__LISTS__SHOOT_DAYS=5 arrives as {"lists": {"shoot_days": "5"}}
    options = parse_options(
        {
            "over": "inner",
            "ttl": "30",
            "hot_threshold": "0",
            "lists": {"shoot_days": "5"},
            "max_staleness": "9.5",
        }
    )
    assert (options.ttl, options.hot_threshold, options.max_staleness) == (30.0, 0, 9.5)
    assert options.lists == {"shoot_days": 5.0}
    with pytest.raises(InvalidInput, match="hot_threshold: expected a whole number"):
        parse_options({"over": "inner", "hot_threshold": "1.5"})
    with pytest.raises(InvalidInput, match="ttl: expected a positive number"):
        parse_options({"over": "inner", "ttl": "soon"})


def configured(prefix: str, domain: str, lists: dict[str, float]) -> Settings:
    """Settings of ``domain`` whose every repository reads through a cache declaring ``lists``."""
    table = {"kind": "cache", "over": "memory", "redis_url": redis_url(), "prefix": prefix}
    cached = table | {"lists": lists, "max_staleness": 5}
    return Settings(domain=domain, data_source={"default": "cached", "cached": cached})


async def test_lists_are_checked_against_the_catalog_of_the_configured_domain(
    prefix: str,
) -> None:
    async with bootstrap(configured(prefix, "medium", {"posts": 5})) as container:
        cached = container.sources["cached"]
        assert isinstance(cached, CacheDataSource)
        assert cached.pages.declared(["posts"])
    named = r"data_source\.cached\.lists\.movies: not an entity type of medium \(choices: "
    with pytest.raises(ConfigError, match=named):
        async with bootstrap(configured(prefix, "medium", {"movies": 5})):
            pass


async def test_unhappy_path_lists_naming_a_personal_type_are_refused_saying_why(
    prefix: str,
) -> None:
    named = (
        r"data_source\.cached\.lists\.employees: employees hold personal data, which never "
        r"reaches Redis, so their pages are never cached: remove it from lists"
    )
    with pytest.raises(ConfigError, match=named):
        async with bootstrap(configured(prefix, "studio", {"employees": 5})):
            pass
