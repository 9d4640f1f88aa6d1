"""Every data source answers random use-case sequences exactly like the memory oracle."""

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
import redis
from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from adapters.cache import CacheDataSource
from adapters.cache.redis_tier import Put
from adapters.memory import MemoryDataSource
from adapters.memory.repositories import MemoryRepository
from adapters.memory.unit_of_work import MemoryUnitOfWork
from domain import STUDIO, Page, PageRequest
from domain.studio import EMPLOYEES
from tests.contract.ports.mutants import InclusiveCursorRepository, _with_repository
from tests.property.equivalence import STATS, Equivalence
from tests.property.sources import CACHE_STATS, SourceSpec, cache_spec
from tests.support.redis import redis_url


def test_every_source_behaves_like_memory(equivalence_sources: dict[str, SourceSpec]) -> None:
    assert equivalence_sources, "no source to compare with the oracle"
    machine = type("EquivalenceRun", (Equivalence,), {"specs": equivalence_sources})
    STATS.clear()
    CACHE_STATS.clear()
    run_state_machine_as_test(machine)
    ported = {entity.plural: STATS[f"ok:{entity.plural}"] for entity in STUDIO}
    # The figures docs/reliability.md quotes (shown with -s).
    print(
        f"\nequivalence: {STATS['examples']} examples, {STATS['steps']} steps compared on "
        f"{len(equivalence_sources) + 1} sources ({', '.join(['memory', *equivalence_sources])}); "
        f"{STATS['errors']} steps were refusals, {STATS['successes']} succeeded; 0 differences; "
        f"successful port steps per type: {ported}; hires: {STATS['ok:hire_employee']}"
    )
    # Every type of the catalog must have been written and read through the port, on every
    # source, and crew hired: a rule that never succeeds compares nothing.
    assert all(ported.values()), f"no successful port step for some types: {ported}"
    assert STATS["ok:hire_employee"] > 0, "no employee was hired"
    if "cache" in equivalence_sources:
        hits = {
            tier: sum(getattr(stats, tier) for stats in CACHE_STATS)
            for tier in ("hits", "hot_hits", "misses")
        }
        print(f"equivalence: the cached source's ids from Redis, in-process, upstream: {hits}")
        # Steps must have been answered by both of the cache's tiers, not only passed through.
        assert hits["hits"] > 0, hits
        assert hits["hot_hits"] > 0, hits


async def nothing(source: object) -> None:
    pass


def _search(machine: type[Equivalence]) -> None:
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=200, database=None, phases=[Phase.generate], derandomize=True
        ),
    )


def test_the_machine_catches_a_source_that_pages_wrongly() -> None:
    sloppy = SourceSpec(open=lambda: _with_repository(InclusiveCursorRepository), reset=nothing)
    machine = type("SloppyRun", (Equivalence,), {"specs": {"sloppy-paging": sloppy}})
    with pytest.raises(AssertionError, match="sloppy-paging gave"):
        _search(machine)


class RoleBlindRepository(MemoryRepository[Any, Any]):
    """Lists employees as if the ``roles`` filter were not set."""

    async def list(self, query: Any, page: PageRequest) -> Page[Any]:
        return await super().list(query.model_copy(update={"roles": None}), page)


def _role_blind() -> MemoryDataSource:
    source = MemoryDataSource()
    original = source.unit_of_work

    def unit_of_work() -> MemoryUnitOfWork:
        uow = original()
        pending = uow.repository(EMPLOYEES)._pending  # type: ignore[attr-defined]
        uow._repositories[EMPLOYEES] = RoleBlindRepository(source.store, EMPLOYEES, pending)
        return uow

    source.unit_of_work = unit_of_work  # type: ignore[method-assign]
    return source


def test_the_machine_catches_a_source_that_filters_employees_wrongly() -> None:
    # Employees come from the catalog's port rules and the hire use case: a source wrong
    # about them only must be found too.
    blind = SourceSpec(open=_role_blind, reset=nothing)
    machine = type("RoleBlindRun", (Equivalence,), {"specs": {"role-blind": blind}})
    with pytest.raises(AssertionError, match="role-blind gave"):
        _search(machine)


class ForgetfulCache(CacheDataSource):
    """Commits upstream but leaves its entries alone: a read after a write sees the old one."""

    async def committed(self, written: Iterable[Put]) -> None:
        pass


@pytest.fixture
def sync_prefix() -> Iterator[str]:
    """A Redis key prefix for a machine run (sync: the machine drives its own event loops)."""
    client = redis.Redis.from_url(redis_url(), socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        pytest.skip(f"no Redis answers at {redis_url()} ({exc}); set HEXSTUDIO_TEST_REDIS_URL")
    prefix = f"hexstudio:test:forgetful:{uuid.uuid4().hex[:12]}:"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.mark.server
def test_the_machine_catches_a_cache_that_keeps_entries_a_commit_outdated(
    sync_prefix: str,
) -> None:
    # The cached source is compared like any other: a cache that serves what a commit through
    # it replaced must be found.
    spec = cache_spec(redis_url(), sync_prefix)

    def forgetful() -> CacheDataSource:
        cache = spec.open()
        assert isinstance(cache, CacheDataSource)
        cache.__class__ = ForgetfulCache
        return cache

    machine = type(
        "ForgetfulRun",
        (Equivalence,),
        {"specs": {"forgetful-cache": SourceSpec(open=forgetful, reset=spec.reset)}},
    )
    with pytest.raises(AssertionError, match="forgetful-cache gave"):
        _search(machine)
