"""Personal data and the cache: a type with one personal field never reaches Redis, and a
purge removes a type from Redis and from every worker's memory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from adapters.cache import CacheDataSource, create_data_source
from adapters.cache.redis_tier import ENTITY, Put
from adapters.memory import MemoryDataSource, MemoryStore
from app.cli import cli
from domain import STUDIO, DataSourceUnavailable, Entity, NotFound
from domain.catalog import Catalog, EntityType, Personal, Query, Sample
from domain.studio import EMPLOYEES
from tests.support.redis import keys_under, redis_prefix, redis_url

pytestmark = pytest.mark.server


class Contact(Entity):
    """Not a personal type: only its e-mail address is personal."""

    label: str
    email: Annotated[str, Personal()]


class ContactQuery(Query[Contact]):
    label: str | None = None


class Note(Entity):
    """Nothing personal: the control, which the cache does write to Redis."""

    text: str


class NoteQuery(Query[Note]):
    text: str | None = None


CONTACTS = EntityType(Contact, ContactQuery)
NOTES = EntityType(Note, NoteQuery)
ADDRESS_BOOK = Catalog("address_book", (CONTACTS, NOTES))


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    async with redis_prefix() as prefix:
        yield prefix


async def store(source: MemoryDataSource, *entities: Entity) -> None:
    async with source.unit_of_work() as uow:
        for entity in entities:
            await uow.repository(STUDIO.of(type(entity))).add(entity)
        await uow.commit()


def cache_over(inner: MemoryDataSource, prefix: str, **options: Any) -> CacheDataSource:
    cache = create_data_source(
        {"over": "memory", "redis_url": redis_url(), "prefix": prefix, **options}
    )
    cache.wrap(inner)
    return cache


async def test_happy_path_a_type_with_only_a_personal_field_is_never_written_to_redis(
    prefix: str,
) -> None:
    assert not CONTACTS.personal
    assert CONTACTS.holds_personal_data
    cache = cache_over(MemoryDataSource(), prefix)
    contact = Contact(label="Ana", email="ana@example.org")
    note = Note(text="call Ana")
    try:
        async with cache.unit_of_work() as uow:
            await uow.repository(CONTACTS).add(contact)
            await uow.repository(NOTES).add(note)
            await uow.commit()
        async with cache.unit_of_work() as uow:
            contacts = uow.repository(CONTACTS)
            assert await contacts.get(contact.id) == contact
            assert await contacts.get_many([contact.id, uuid4()]) == {contact.id: contact}
            with pytest.raises(NotFound):
                await contacts.get(uuid4())  # a NotFound is not cached in Redis either
            moved = await contacts.update(contact.evolve(email="ana@example.com"))
            await uow.repository(NOTES).get(note.id)
            await uow.commit()
        async with cache.unit_of_work() as uow:
            assert await uow.repository(CONTACTS).get(contact.id) == moved
    finally:
        await cache.aclose()
    keys = await keys_under(prefix)
    assert f"{prefix}notes:{note.id}" in keys  # the cache did write what it may
    assert not [key for key in keys if ":contacts:" in key], keys
    assert cache.stats.of("contacts").misses == 5  # every id read went to the wrapped source


async def test_happy_path_purge_removes_a_type_from_redis_and_from_every_workers_memory(
    prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = MemoryStore()
    employee = EMPLOYEES.sample(Sample(1, "purge", {"production_id": uuid4()}))
    await store(MemoryDataSource(shared), employee)
    # A running worker holds the employee in-process (hot copies live 30 s, far past the test).
    serving = cache_over(MemoryDataSource(shared), prefix, hot_threshold=1, hot_ttl=30)
    try:
        for _ in range(2):
            async with serving.unit_of_work() as uow:
                assert await uow.repository(EMPLOYEES).get(employee.id) == employee
        assert len(serving.hot) == 1
        await asyncio.wait_for(serving.listener.ready.wait(), 2)
        # An entry written before the type was personal (by an older release, say).
        await serving.tier.put(
            [Put("employees", employee.id, 1, ENTITY, employee.model_dump_json().encode())]
        )
        assert f"{prefix}employees:{employee.id}" in await keys_under(prefix)

        config = tmp_path / "hexstudio.toml"
        config.write_text(
            f'[data_source.cached]\nkind = "cache"\nover = "memory"\n'
            f'redis_url = "{redis_url()}"\nprefix = "{prefix}"\n'
        )
        monkeypatch.setenv("HEXSTUDIO_CONFIG", str(config))
        received = serving.listener.received
        result = await asyncio.to_thread(
            CliRunner().invoke, cli, ["cache", "purge", "--entity", "employees"]
        )
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == [
            f"cached: 1 employees entries removed from {redis_url()}; "
            "1 worker told to drop its in-process copies"
        ]
        deadline = time.monotonic() + 2
        while serving.listener.received == received:
            assert time.monotonic() < deadline, "the purge was not received"
            await asyncio.sleep(0.02)
        assert len(serving.hot) == 0
        assert not [key for key in await keys_under(prefix) if ":employees:" in key]
    finally:
        await serving.aclose()


async def test_unhappy_path_a_purge_with_redis_down_fails_naming_redis() -> None:
    cache = create_data_source({"over": "memory", "redis_url": "redis://127.0.0.1:1/0"})
    cache.wrap(MemoryDataSource())
    try:
        with pytest.raises(DataSourceUnavailable, match=r"Redis at redis://127\.0\.0\.1:1/0"):
            await cache.purge("employees")
    finally:
        await cache.aclose()
