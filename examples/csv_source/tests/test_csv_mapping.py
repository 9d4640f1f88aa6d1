"""Whatever an entity holds, its file gives it back; and the files are those of earlier versions."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from domain import (
    STUDIO,
    Entity,
    Genre,
    InvalidInput,
    Money,
    Movie,
    Phase,
    Production,
    ShootingLocation,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hexstudio_csv.columns import layout
from hexstudio_csv.csv_files import read_table, write_table

# Every character the entities accept, including the ones CSV must quote: , " ; \n \r.
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]) | st.sampled_from(',";\n\r'),
    max_size=40,
)


def _valid(kind: type[Entity], **fields: Any) -> Entity | None:
    try:
        return kind.model_validate(fields)
    except (ValueError, InvalidInput):
        return None  # hypothesis found a value the domain refuses: not a mapping question


movies = st.builds(
    lambda title, logline, genres, year: _valid(
        Movie, title=title, logline=logline, genres=genres, release_year=year
    ),
    TEXT,
    TEXT,
    st.frozensets(st.sampled_from(Genre)),
    st.none() | st.integers(1888, 2100),
)
locations = st.builds(
    lambda name, city, lat, lon: _valid(
        ShootingLocation, name=name, city=city, country="IS", latitude=lat, longitude=lon
    ),
    TEXT,
    TEXT,
    st.floats(-90, 90),
    st.floats(-180, 180),
)
productions = st.builds(
    lambda amount, phase, start, days: _valid(
        Production,
        movie_id=Movie(title="M").id,
        phase=phase,
        budget=Money(amount=amount, currency="JPY"),
        starts_on=start,
        wraps_on=start + dt.timedelta(days=days),
    ),
    st.decimals(0, Decimal("1e15"), places=2),
    st.sampled_from(Phase),
    st.dates(dt.date(1900, 1, 1), dt.date(2900, 1, 1)),
    st.integers(0, 400),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(movies | locations | productions, max_size=6))
@example([Movie(title="0", logline="0\r0")])  # found by hypothesis: a lone \r split the row
def test_every_valid_entity_survives_a_round_trip_through_its_file(
    drawn: list[Entity | None],
) -> None:
    entities = [e for e in drawn if e is not None]
    with tempfile.TemporaryDirectory() as folder:
        for kind in STUDIO:
            path = Path(folder) / layout(kind).file
            mine = [e for e in entities if isinstance(e, kind.model)]
            write_table(path, kind, mine)
            assert read_table(path, kind).rows == {e.id: e for e in mine}, kind.plural


def test_happy_path_the_derived_files_are_byte_for_byte_those_of_the_hand_written_mapping(
    tmp_path: Path, awkward: list[Entity]
) -> None:
    """The columns and cells the example wrote before they were derived: old files still read."""
    movie, place, production, day = awkward
    expected = {
        "movies": (
            "id,version,title,logline,genres,release_year\r\n"
            f'{movie.id},1,"Mañana, ""Tokyo""; 東京","He said ""no"",\nthen left; twice.",'
            "comedy;drama;scifi,\r\n"
        ),
        "locations": (
            "id,version,name,city,country,latitude,longitude\r\n"
            f'{place.id},1,"Harbour, Pier 7",Sydney,AU,-33.8688197,151.2\r\n'
        ),
        "productions": (
            "id,version,movie_id,phase,budget_amount,budget_currency,starts_on,wraps_on\r\n"
            f"{production.id},1,{movie.id},cancelled,1234567.50,EUR,2027-02-28,2027-02-28\r\n"
        ),
        "shoot_days": (
            "id,version,production_id,location_id,date\r\n"
            f"{day.id},1,{production.id},{place.id},2027-02-28\r\n"
        ),
    }
    for entity in awkward:
        kind = STUDIO.of(type(entity))
        path = tmp_path / layout(kind).file
        write_table(path, kind, [entity])
        assert path.read_bytes().decode("utf-8") == expected[kind.plural]
        assert read_table(path, kind).rows == {entity.id: entity}
