"""The seed covers every declared type: those without a scenario come from their examples."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from adapters.memory import MemoryDataSource
from app.seed import seed_examples
from domain import Entity, PageRequest
from domain.catalog import Catalog, EntityType, Query, References, Sample


class Show(Entity):
    """A test entity."""

    title: str


class Episode(Entity):
    """A test entity referring to a show."""

    show_id: Annotated[UUID, References("shows")]
    number: int


class ShowQuery(Query[Show]):
    title: str | None = None


class EpisodeQuery(Query[Episode]):
    show_id: UUID | None = None


SHOWS = EntityType(Show, ShowQuery, example=lambda s: Show(title=s.text("Show")))
EPISODES = EntityType(
    Episode, EpisodeQuery, example=lambda s: Episode(show_id=s.ref("show_id"), number=s.n)
)
TV = Catalog("tv", [SHOWS, EPISODES])


async def _everything(source: MemoryDataSource) -> list[Entity]:
    async with source.unit_of_work() as uow:
        return [
            e
            for kind in TV
            for e in (await uow.repository(kind).list(kind.query(), PageRequest(size=500))).items
        ]


async def test_happy_path_empty_types_are_seeded_in_reference_order_and_the_same_twice() -> None:
    first, second = MemoryDataSource(), MemoryDataSource()
    assert await seed_examples(first.unit_of_work, TV, count=3) == {"shows": 3, "episodes": 3}
    await seed_examples(second.unit_of_work, TV, count=3)
    assert await _everything(first) == await _everything(second)
    shows = {e.id for e in await _everything(first) if isinstance(e, Show)}
    assert {e.show_id for e in await _everything(first) if isinstance(e, Episode)} <= shows


async def test_unhappy_path_a_type_with_data_is_left_alone() -> None:
    source = MemoryDataSource()
    await seed_examples(source.unit_of_work, TV, count=2)
    assert await seed_examples(source.unit_of_work, TV, count=2) == {}
    assert Sample(0, "seed", {}).text("x") == "x-0-seed"
