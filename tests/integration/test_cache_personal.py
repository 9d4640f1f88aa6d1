"""Personal data and the cache: a type with one personal field never reaches Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import uuid4

import pytest

from adapters.cache import CacheDataSource, create_data_source
from adapters.memory import MemoryDataSource
from domain import Entity, NotFound
from domain.catalog import Catalog, EntityType, Personal, Query
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


def cache_over(inner: MemoryDataSource, prefix: str, **options: Any) -> CacheDataSource:
    cache = create_data_source(
        {"over": "memory", "redis_url": redis_url(), "prefix": prefix, **options}
    )
    cache.wrap(inner)
    return cache


async def test_happy_path_a_type_with_only_a_personal_field_is_never_written_to_redis(
    prefix: str,
) -> None:
    assert not CONTACTS.personal and CONTACTS.holds_personal_data
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
