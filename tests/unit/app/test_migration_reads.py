"""Shadow reads, dialing and fallback, over the memory source (issue 14, items 3-5).

The decorators sit on the read ports of one repository; a misbehaving shadow or a failing
source here is a test double of the ports, since what is under test is what the decorators
do with its answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from types import TracebackType
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.memory import MemoryDataSource
from adapters.memory.store import MemoryStore
from adapters.testing import Harness, Status, checks_for, run_check
from app.migration import MigrationState
from app.migration.breaker import Breaker, State
from app.migration.reads import DialedReads, FallbackReads, ShadowReads, bucket
from app.migration.shadow_worker import InLoopShadowWorker
from app.migration.state import KEPT
from app.routed_uow import RoutedUnitOfWork
from app.routing import Dial, Route, Shadow
from domain import (
    MOVIES,
    STUDIO,
    DataSourceError,
    DataSourceUnavailable,
    Movie,
    MovieQuery,
    NotFound,
    PageRequest,
)


async def _stored(source: MemoryDataSource, count: int = 3) -> list[Movie]:
    movies = [Movie(title=f"Movie {n}") for n in range(count)]
    async with source.unit_of_work() as uow:
        for movie in movies:
            await uow.repository(MOVIES).add(movie)
        await uow.commit()
    return movies


class _Misbehaving:
    """A shadow's repository: fails, hangs or lies, as told."""

    def __init__(self, real: Any, how: str) -> None:
        self._real, self._how = real, how

    async def _answer(self, answer: Any) -> Any:
        if self._how == "unavailable":
            raise DataSourceUnavailable("shadow down")
        if self._how == "broken":
            raise RuntimeError("a bug in the shadow source")
        if self._how == "error":
            raise DataSourceError("shadow answered nonsense")
        if self._how == "hangs":
            await asyncio.Event().wait()  # never set: only the shadow's deadline ends it
        if self._how == "lies" and isinstance(answer, Movie):
            return answer.evolve(title=answer.title + " (shadow)")
        return answer

    async def get(self, id: UUID) -> Any:
        return await self._answer(await self._real.get(id))

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, Any]:
        found = await self._real.get_many(ids)
        return {k: await self._answer(v) for k, v in found.items()} or await self._answer({})

    async def list(self, query: Any, page: PageRequest) -> Any:
        return await self._answer(await self._real.list(query, page))

    async def find_by(self, key: Any, values: Any) -> Any:
        return await self._answer(await self._real.find_by(key, values))


class _Units:
    """A unit-of-work factory whose repositories misbehave as ``how`` says."""

    def __init__(self, source: MemoryDataSource, how: str) -> None:
        self._source, self._how = source, how

    def __call__(self) -> _Units:
        self._uow = self._source.unit_of_work()
        return self

    async def __aenter__(self) -> _Units:
        await self._uow.__aenter__()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._uow.__aexit__(et, e, tb)

    def repository(self, entity: Any) -> Any:
        return _Misbehaving(self._uow.repository(entity), self._how)


SHADOWS = ["honest", "unavailable", "broken", "error", "hangs", "lies"]


def _shadowed(
    plain: Any, source: MemoryDataSource, how: str, state: MigrationState, timeout: float
) -> ShadowReads[Any, Any]:
    """``plain`` shadowed on the loop, by a shadow over ``source`` that misbehaves as ``how``."""
    units = {"primary": source.unit_of_work, "shadow": _Units(source, how)}
    worker = InLoopShadowWorker(units, {"movies": MOVIES}, state)  # type: ignore[arg-type]
    return ShadowReads(
        MOVIES,
        plain,
        worker,
        read_source="primary",
        shadow_source="shadow",
        sample=1.0,
        timeout=timeout,
        state=state,
    )


@settings(max_examples=30, deadline=None)
@given(how=st.sampled_from(SHADOWS), reads=st.lists(st.sampled_from(["get", "missing", "list"])))
def test_property_a_broken_shadow_never_changes_the_callers_answer(
    how: str, reads: list[str]
) -> None:
    async def scenario() -> None:
        source = MemoryDataSource()
        movies = await _stored(source)
        state = MigrationState()
        async with source.unit_of_work() as uow:
            plain = uow.repository(MOVIES)
            shadowed = _shadowed(plain, source, how, state, 0.05)
            for read in reads:
                if read == "get":
                    assert await shadowed.get(movies[0].id) == await plain.get(movies[0].id)
                elif read == "missing":
                    with pytest.raises(NotFound):
                        await shadowed.get(uuid4())
                else:
                    page = PageRequest(size=2)
                    assert await shadowed.list(MovieQuery(), page) == await plain.list(
                        MovieQuery(), page
                    )
        await state.drain()
        counts = state.of("movies")
        assert counts.comparisons + counts.shadow_failures + counts.shed == len(reads)
        assert counts.noise_mismatches == 0  # nothing changed between the two primary reads
        if how == "honest":
            assert counts.mismatches == 0
        if how == "lies" and "get" in reads:
            assert counts.mismatches >= 1
            assert any(d.paths == ("title",) for d in state.differences)

    asyncio.run(scenario())


async def test_happy_path_mismatches_are_kept_bounded() -> None:
    source = MemoryDataSource()
    [movie] = await _stored(source, 1)
    state = MigrationState()
    async with source.unit_of_work() as uow:
        shadowed = _shadowed(uow.repository(MOVIES), source, "lies", state, 1.0)
        for _ in range(KEPT * 3):
            await shadowed.get(movie.id)
            await state.drain()
    assert state.of("movies").mismatches == KEPT * 3
    assert len(state.differences) == KEPT


async def test_happy_path_shadow_work_over_the_bound_is_shed() -> None:
    source = MemoryDataSource()
    [movie] = await _stored(source, 1)
    state = MigrationState(max_shadows=2)
    async with source.unit_of_work() as uow:
        shadowed = _shadowed(uow.repository(MOVIES), source, "hangs", state, 0.05)
        for _ in range(5):
            await shadowed.get(movie.id)
    await state.drain()
    counts = state.of("movies")
    assert (counts.shed, counts.shadow_failures) == (3, 2)


@pytest.mark.parametrize("percent", [5, 50])
def test_happy_path_dialing_sends_that_share_of_distinct_ids_and_each_id_always_one_way(
    percent: int,
) -> None:
    ids = [uuid4() for _ in range(20_000)]
    dialed = [bucket(f"movies:{id}") < percent for id in ids]
    share = 100 * sum(dialed) / len(ids)
    assert abs(share - percent) < 1.0, share  # 20,000 ids: a binomial spread well under 1 point
    again = [bucket(f"movies:{id}") < percent for id in ids]
    assert again == dialed


async def test_happy_path_a_dialed_get_many_splits_and_merges() -> None:
    store = MemoryStore()
    old, new = MemoryDataSource(store), MemoryDataSource(store)
    movies = await _stored(old, 40)
    async with old.unit_of_work() as a, new.unit_of_work() as b:
        dialed = DialedReads("movies", a.repository(MOVIES), b.repository(MOVIES), 50)
        found = await dialed.get_many([m.id for m in movies])
        assert set(found) == {m.id for m in movies}
        for movie in movies:
            assert await dialed.get(movie.id) == movie


class _Down:
    """A repository whose source is unavailable; counts the reads it was asked."""

    def __init__(self) -> None:
        self.calls = 0

    async def get(self, id: UUID) -> Any:
        self.calls += 1
        raise DataSourceUnavailable("connection refused")


async def test_happy_path_reads_fall_back_and_the_breaker_opens_then_closes() -> None:
    now = [0.0]
    source = MemoryDataSource()
    [movie] = await _stored(source, 1)
    state = MigrationState()
    state.breakers["json_api"] = Breaker(failures=3, cooldown=5.0, clock=lambda: now[0])
    down = _Down()
    async with source.unit_of_work() as uow:
        reads = FallbackReads("movies", "json_api", down, uow.repository(MOVIES), state)  # type: ignore[arg-type]
        for _ in range(10):
            assert await reads.get(movie.id) == movie  # zero failed reads
        assert down.calls == 3  # the breaker opened after three: no more waiting on it
        assert state.breakers["json_api"].state is State.OPEN
        assert state.of("movies").fallbacks == 10
        now[0] = 6.0
        healed = FallbackReads(  # the source is back: one trial read closes the breaker
            "movies",
            "json_api",
            uow.repository(MOVIES),
            _Down(),
            state,  # type: ignore[arg-type]
        )
        assert await healed.get(movie.id) == movie
        assert state.breakers["json_api"].state is State.CLOSED


async def test_unhappy_path_writes_never_fall_back() -> None:
    source = MemoryDataSource()

    route = Route("memory", "down", fallback="memory")
    units = {"memory": source.unit_of_work(), "down": _FailingUnit()}
    async with RoutedUnitOfWork(units, {"movies": route}) as uow:  # type: ignore[arg-type]
        with pytest.raises(DataSourceUnavailable):
            await uow.repository(MOVIES).add(Movie(title="Nowhere"))
    async with source.unit_of_work() as uow:
        assert not (await uow.repository(MOVIES).list(MovieQuery(), PageRequest())).items


class _FailingUnit:
    """A unit of work whose source is down for writes."""

    async def __aenter__(self) -> _FailingUnit:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def repository(self, entity: Any) -> Any:
        class _Repo:
            async def add(self, entity: Any) -> Any:
                raise DataSourceUnavailable("write source down")

        return _Repo()

    async def commit(self) -> None:
        raise DataSourceUnavailable("write source down")


@pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
async def test_conformance_through_shadow_dial_and_fallback(check: Any) -> None:
    """The kit, unchanged, through every decorator: they change no answer."""
    store = MemoryStore()
    sources = {"old": MemoryDataSource(store), "new": MemoryDataSource(store)}
    route = Route(
        "old", "old", shadow=Shadow("new", 1.0, 1.0), dial=Dial("new", 50), fallback="new"
    )
    state = MigrationState()
    table = {entity.plural: route for entity in STUDIO}

    def units() -> RoutedUnitOfWork:
        return RoutedUnitOfWork(
            {name: s.unit_of_work() for name, s in sources.items()},
            table,
            factories={name: s.unit_of_work for name, s in sources.items()},
            state=state,
        )

    result = await run_check(Harness(units, sources["old"].capabilities, STUDIO), check)
    await state.drain()
    assert result.status is Status.PASS, result.detail
