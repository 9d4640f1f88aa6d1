"""The source stores any catalog: a TV domain it has never heard of passes the kit unchanged."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from pathlib import Path
from typing import Annotated, ClassVar
from uuid import UUID

import pytest
from adapters.testing import Check, Harness, Status, checks_for, fixtures, run_check
from domain import MOVIES, Conflict, DataSourceError, Entity, PageRequest
from domain.catalog import AtLeast, Catalog, EntityType, Has, Query, References, Sample, UniqueKey
from pydantic import BaseModel, ConfigDict

from hexstudio_csv import CsvDataSource, create_data_source, layout


class Rating(enum.StrEnum):
    """A test enum."""

    FAMILY = "family"
    TEEN = "teen"
    ADULT = "adult"


class Fee(BaseModel):
    """A test value object with an optional part."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Decimal
    note: str | None = None


class Show(Entity):
    """Every kind of field the column rule knows."""

    title: str
    subtitle: str | None = None
    tags: frozenset[str] = frozenset()
    rating: Rating
    fee: Fee | None = None
    live: bool = False
    score: float | None = None
    aired_at: dt.datetime | None = None


class Episode(Entity):
    """A reference, a date order and a unique key."""

    ordering: ClassVar[tuple[str, ...]] = ("airs_on", "id")

    show_id: Annotated[UUID, References("shows")]
    number: int
    airs_on: dt.date


class ShowQuery(Query[Show]):
    rating: Rating | None = None
    tag: Annotated[str | None, Has("tags")] = None
    live: bool | None = None


class EpisodeQuery(Query[Episode]):
    show_id: UUID | None = None
    airs_from: Annotated[dt.date | None, AtLeast("airs_on")] = None


def _show(s: Sample) -> Show:
    return Show(
        title=s.text("Show"),
        subtitle=None if s.n % 2 else s.text("Sub"),
        tags={s.text("tag"), "shared"},
        rating=list(Rating)[s.n % len(Rating)],
        fee=Fee(amount=Decimal(s.n) / 4, note=None if s.n % 3 else "net") if s.n % 2 else None,
        live=s.n % 2 == 0,
        score=s.n / 7,
        aired_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=s.n),
    )


def _episode(s: Sample) -> Episode:
    day = dt.date(2030, 1, 1) + dt.timedelta(days=s.n)
    return Episode(show_id=s.ref("show_id"), number=s.n, airs_on=day)


NUMBER = UniqueKey("number", ("show_id", "number"), reason="episode_number_taken")
SHOWS = EntityType(Show, ShowQuery, example=_show)
EPISODES = EntityType(Episode, EpisodeQuery, unique=(NUMBER,), example=_episode)
TV = Catalog("tv", [SHOWS, EPISODES])

# The same models before episodes were declared: what an older deployment committed.
SHOWS_V1 = EntityType(Show, ShowQuery, example=_show)
TV_V1 = Catalog("tv_v1", [SHOWS_V1])


@pytest.mark.parametrize("check", checks_for(TV), ids=lambda c: c.name)
async def test_conformance_of_a_catalog_the_source_never_heard_of(
    source: CsvDataSource, check: Check
) -> None:
    result = await run_check(Harness(source.unit_of_work, source.capabilities, TV), check)
    if result.status is Status.SKIP:
        pytest.skip(result.detail)
    assert result.status is Status.PASS, result.detail


def test_happy_path_columns_and_cells_follow_the_one_rule() -> None:
    show = Show(
        title="T",
        tags={"b", "a"},
        rating=Rating.TEEN,
        fee=Fee(amount=Decimal("2.50")),
        live=True,
        score=0.1,
        aired_at=dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC),
    )
    row = layout(SHOWS).to_row(show)
    assert layout(SHOWS).file == "shows.csv"
    assert row == {
        "id": str(show.id),
        "version": "1",
        "title": "T",
        "subtitle": "",
        "tags": "a;b",
        "rating": "teen",
        "fee_amount": "2.50",
        "fee_note": "",
        "live": "true",
        "score": "0.1",
        "aired_at": "2030-01-02T03:04:00+00:00",
    }
    assert layout(EPISODES).columns == ("id", "version", "show_id", "number", "airs_on")


async def test_unhappy_path_a_second_holder_of_a_unique_key_is_refused(
    source: CsvDataSource,
) -> None:
    show = _show(Sample(1, "t", {}))
    first = Episode(show_id=show.id, number=1, airs_on=dt.date(2030, 1, 1))
    await fixtures.store(TV, source.unit_of_work, show, first)
    again = Episode(show_id=show.id, number=1, airs_on=dt.date(2030, 2, 1))
    with pytest.raises(Conflict) as caught:
        await fixtures.store(TV, source.unit_of_work, again)
    assert (caught.value.entity, caught.value.field) == ("Episode", "show_id")
    assert caught.value.reason == "episode_number_taken"
    async with source.unit_of_work() as uow:
        found = await uow.repository(EPISODES).find_by(NUMBER, [(show.id, 1), (show.id, 2)])
    assert list(found) == [first]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"subtitle": ""}, "subtitle"), ({"tags": {"drama;comedy"}}, "tags")],
)
async def test_unhappy_path_a_value_the_cells_cannot_carry_is_refused_at_the_write(
    source: CsvDataSource, changes: dict[str, object], field: str
) -> None:
    show = _show(Sample(1, "t", {})).evolve(**changes)
    async with source.unit_of_work() as uow:
        with pytest.raises(DataSourceError) as caught:
            await uow.repository(SHOWS).add(show)
    assert (caught.value.field, caught.value.reason) == (field, "not_representable")


async def test_unhappy_path_one_directory_serves_one_catalog(source: CsvDataSource) -> None:
    async with source.unit_of_work() as uow:
        uow.repository(SHOWS)
        with pytest.raises(DataSourceError, match="holds the tv catalog's files"):
            uow.repository(MOVIES)


async def test_happy_path_a_type_added_to_the_catalog_needs_only_its_header(
    tmp_path: Path,
) -> None:
    old = create_data_source({"directory": str(tmp_path)})
    show = _show(Sample(1, "t", {}))
    await fixtures.store(TV_V1, old.unit_of_work, show)

    new = create_data_source({"directory": str(tmp_path)})
    with pytest.raises(DataSourceError) as caught:
        async with new.unit_of_work() as uow:
            await uow.repository(SHOWS).get(show.id)
    header = "id,version,show_id,number,airs_on"
    assert "episodes.csv: missing from the committed generation 00000001-" in caught.value.message
    assert caught.value.message.endswith(f"holding its header: {header})")

    generation = (tmp_path / "CURRENT").read_text().strip()
    (tmp_path / "generations" / generation / "episodes.csv").write_text(f"{header}\r\n")
    async with new.unit_of_work() as uow:
        assert await uow.repository(SHOWS).get(show.id) == show
        assert (await uow.repository(EPISODES).list(EpisodeQuery(), PageRequest())).items == ()
