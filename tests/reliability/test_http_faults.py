"""Faults between the HTTP adapters and the service: nothing lost, nothing half-written, no twice.

A proxy sits between the json_api / graphql data sources and the live service. Each write (a
commit of six entities, an onboarding with its shoot plan) is pushed through one fault; the
caller must get DataSourceUnavailable, and the service's database, read back directly through
the sql data source, must hold the write wholly (the request was forwarded) or not at all (it
was not). Then the same write is retried with the same client-chosen ids: it succeeds if the
first attempt never applied, and is refused (Conflict or RuleViolation) if it did; either way
the rows exist exactly once. Reads, which are idempotent, retry through the same faults.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from adapters.spi import DataSource
from adapters.sql import SqlDataSource, parse_options
from app import registry
from domain import MOVIES, Conflict, DataSourceUnavailable, Movie, RuleViolation
from tests.reliability.figures import count
from tests.reliability.writes import WRITES, Write
from tests.support.fault_proxy import Fault, HttpFaultProxy
from tests.support.live_service import LiveService

KINDS = ("json_api", "graphql")
PATH = {"json_api": "/api", "graphql": "/graphql"}
COMMIT = {"json_api": b"POST /api/operations", "graphql": b"applyChanges"}
"""Bytes only the commit request carries: a fault armed with them spares the reads before it."""
READ_MOVIE = {"json_api": b"GET /api/movies/", "graphql": b"query GetMovie"}
FORWARDED = frozenset({Fault.DROP_AFTER, Fault.CUT_RESPONSE, Fault.HOLD})
"""Faults that let the request reach the service: the write is applied, its answer lost."""
HOLD_TIMEOUT = 0.5
"""The client timeout where the proxy holds responses; every other source keeps the default,
so a loaded machine cannot turn an ordinary answer into a timeout."""


@dataclass(frozen=True)
class Sources:
    """One HTTP data source through the proxy, and one with a tiny timeout for held answers."""

    normal: DataSource
    impatient: DataSource

    def for_fault(self, fault: Fault) -> DataSource:
        """The source to use under ``fault``."""
        return self.impatient if fault is Fault.HOLD else self.normal


@pytest.fixture(scope="module")
def proxy(live: LiveService) -> Iterator[HttpFaultProxy]:
    """The fault proxy in front of the live service."""
    address = urlsplit(live.base_url)
    assert address.hostname is not None
    assert address.port is not None
    with HttpFaultProxy(address.hostname, address.port).running() as running:
        yield running


@pytest.fixture(scope="module")
async def sources(live: LiveService, proxy: HttpFaultProxy) -> AsyncIterator[dict[str, Sources]]:
    """Both HTTP data sources, pointed at the proxy."""
    opened: dict[str, Sources] = {}
    for kind in KINDS:
        options = {"url": proxy.url + PATH[kind], "token": live.token, "backoff": 0.01}
        opened[kind] = Sources(
            normal=registry.create(kind, options),
            impatient=registry.create(kind, {**options, "timeout": HOLD_TIMEOUT}),
        )
    yield opened
    for pair in opened.values():
        await pair.normal.aclose()
        await pair.impatient.aclose()


@pytest.fixture(scope="module")
async def db(live: LiveService) -> AsyncIterator[SqlDataSource]:
    """The service's own database, read directly (no HTTP, no proxy)."""
    source = SqlDataSource(parse_options({"url": live.database_url}))
    yield source
    await source.aclose()


async def settled(proxy: HttpFaultProxy, deadline: float = 10.0) -> None:
    """Wait until the service has answered every request the proxy forwarded."""
    end = time.monotonic() + deadline
    while proxy.in_flight:
        assert time.monotonic() < end, "the service never answered a forwarded request"
        await asyncio.sleep(0.005)


@pytest.mark.parametrize("fault", list(Fault), ids=lambda f: f.name.lower())
@pytest.mark.parametrize("write_name", list(WRITES))
@pytest.mark.parametrize("kind", KINDS)
async def test_a_write_through_a_fault_is_whole_or_absent_and_its_retry_never_applies_twice(
    kind: str,
    write_name: str,
    fault: Fault,
    proxy: HttpFaultProxy,
    sources: dict[str, Sources],
    db: SqlDataSource,
) -> None:
    """DataSourceUnavailable, then all rows or none; the retry lands once or is refused."""
    write = WRITES[write_name]()
    source = sources[kind].for_fault(fault)
    if write.setup is not None:
        await write.setup(sources[kind].normal.unit_of_work)
    proxy.arm(fault, when=COMMIT[kind])

    with pytest.raises(DataSourceUnavailable):
        await write.run(source.unit_of_work)

    assert proxy.pending == 0, "the fault never fired: the write did not reach the commit"
    count("faults injected (adapter <-> service)")
    await settled(proxy)
    after_fault = await write.count(db)
    _check(after_fault, write.expected() if fault in FORWARDED else write.absent(), write)

    # The caller cannot tell whether the write applied; retrying with the same ids is safe.
    if fault in FORWARDED:
        with pytest.raises((Conflict, RuleViolation)):
            await write.run(sources[kind].normal.unit_of_work)
        count("retries refused (first attempt had applied)")
    else:
        await write.run(sources[kind].normal.unit_of_work)
        count("retries applied (first attempt had not)")
    _check(await write.count(db), write.expected(), write)


def _check(counts: dict[str, int], wanted: dict[str, int], write: Write) -> None:
    count("commits read back")
    if counts not in (write.expected(), write.absent()):
        count("data lost or half-written")
    assert counts == wanted


@pytest.mark.parametrize("fault", list(Fault), ids=lambda f: f.name.lower())
@pytest.mark.parametrize("kind", KINDS)
async def test_reads_retry_through_transient_faults(
    kind: str, fault: Fault, proxy: HttpFaultProxy, sources: dict[str, Sources]
) -> None:
    """Two faulty attempts in a row (retries=2) and the read still answers."""
    source = sources[kind].for_fault(fault)
    movie = await _register_movie(sources[kind].normal)
    proxy.arm(fault, when=READ_MOVIE[kind], times=2)

    async with source.unit_of_work() as uow:
        assert await uow.repository(MOVIES).get(movie.id) == movie

    assert proxy.pending == 0
    count("faults injected (adapter <-> service)", 2)
    count("reads retried to success")


@pytest.mark.parametrize("kind", KINDS)
async def test_read_retries_are_bounded(
    kind: str, proxy: HttpFaultProxy, sources: dict[str, Sources]
) -> None:
    """Three 503s in a row exhaust retries=2: DataSourceUnavailable, and not a fourth attempt."""
    source = sources[kind].normal
    movie = await _register_movie(source)
    proxy.arm(Fault.UNAVAILABLE, when=READ_MOVIE[kind], times=4)

    with pytest.raises(DataSourceUnavailable):
        async with source.unit_of_work() as uow:
            await uow.repository(MOVIES).get(movie.id)

    assert proxy.pending == 1, "a read was tried more than 1 + retries times"
    proxy.disarm()
    count("faults injected (adapter <-> service)", 3)


async def _register_movie(source: DataSource) -> Movie:
    movie = Movie(id=uuid.uuid4(), title="Read through faults", logline="", genres=frozenset())
    async with source.unit_of_work() as uow:
        stored = await uow.repository(MOVIES).add(movie)
        await uow.commit()
    return stored
