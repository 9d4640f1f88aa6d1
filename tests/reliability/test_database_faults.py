"""The database going away during a commit: the caller hears 503, nothing is half-written.

The service runs on a throwaway PostgreSQL database that its SQL engine reaches through a TCP
proxy. The proxy cuts the service's connection as it sends ``COMMIT;``: either before the
COMMIT is forwarded (PostgreSQL rolls the transaction back) or after, swallowing the answer
(the commit happened, the service cannot know). The HTTP adapter must get DataSourceUnavailable
(the service answers 503), the database must hold the write wholly or not at all, the same
write retried must land once or be refused, and the service must keep serving afterwards.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from adapters.spi import DataSource
from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from app import registry
from domain import Conflict, DataSourceUnavailable, RuleViolation
from tests.reliability.figures import count
from tests.reliability.served import serve
from tests.reliability.writes import WRITES
from tests.support.databases import empty_database, server_url
from tests.support.fault_proxy import TcpCutProxy
from tests.support.live_service import LiveService

pytestmark = pytest.mark.server

KINDS = ("json_api", "graphql")
PATH = {"json_api": "/api", "graphql": "/graphql"}


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[str]:
    """A migrated throwaway PostgreSQL database; its URL."""
    server_url("postgres")
    with tempfile.TemporaryDirectory() as tmp:
        async with empty_database("postgres", Path(tmp)) as url:
            await upgrade(url)
            yield url


@pytest.fixture(scope="module")
def cutter(database: str) -> Iterator[TcpCutProxy]:
    """The proxy between the service's engine and PostgreSQL."""
    url = make_url(database)
    with TcpCutProxy(url.host or "127.0.0.1", url.port or 5432).running() as proxy:
        yield proxy


@pytest.fixture(scope="module")
def service(database: str, cutter: TcpCutProxy) -> Iterator[LiveService]:
    """The service, its database reached through the cutting proxy."""
    through_proxy = make_url(database).set(host="127.0.0.1", port=cutter.port)
    with serve(through_proxy.render_as_string(hide_password=False)) as live:
        yield live


@pytest.fixture(scope="module")
async def sources(service: LiveService) -> AsyncIterator[dict[str, DataSource]]:
    """Both HTTP data sources, straight at the service."""
    opened = {
        kind: registry.create(kind, {"url": service.base_url + PATH[kind], "token": service.token})
        for kind in KINDS
    }
    yield opened
    for source in opened.values():
        await source.aclose()


@pytest.fixture(scope="module")
async def db(database: str) -> AsyncIterator[SqlDataSource]:
    """The database, read directly (not through the proxy)."""
    source = SqlDataSource(parse_options({"url": database}))
    yield source
    await source.aclose()


@pytest.mark.parametrize("after", [False, True], ids=["before_commit", "after_commit"])
@pytest.mark.parametrize("write_name", list(WRITES))
@pytest.mark.parametrize("kind", KINDS)
async def test_a_commit_cut_by_the_database_is_whole_or_absent_and_reported_unavailable(
    kind: str,
    write_name: str,
    after: bool,
    cutter: TcpCutProxy,
    sources: dict[str, DataSource],
    db: SqlDataSource,
) -> None:
    """503 -> DataSourceUnavailable; absent if cut before COMMIT, whole if after; retry once."""
    write = WRITES[write_name]()
    source = sources[kind]
    if write.setup is not None:
        await write.setup(source.unit_of_work)
    cutter.arm_cut(b"COMMIT;", after=after)

    with pytest.raises(DataSourceUnavailable):
        await write.run(source.unit_of_work)

    assert not cutter.armed, "the cut never happened: the write did not reach COMMIT"
    count("faults injected (service <-> database)")
    count("commits read back")
    assert await write.count(db) == (write.expected() if after else write.absent())

    # The service has dropped the dead connection: the retry goes through a fresh one.
    if after:
        with pytest.raises((Conflict, RuleViolation)):
            await write.run(source.unit_of_work)
        count("retries refused (first attempt had applied)")
    else:
        await write.run(source.unit_of_work)
        count("retries applied (first attempt had not)")
    count("commits read back")
    assert await write.count(db) == write.expected()
