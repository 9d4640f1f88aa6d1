"""Fixtures of the CSV example's tests: a source over a fresh directory, and awkward entities."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from domain import Entity, Genre, Money, Movie, Phase, Production, ShootDay, ShootingLocation

from hexstudio_csv import CsvDataSource, create_data_source


@pytest.fixture
def source(tmp_path: Path) -> CsvDataSource:
    """A writable CSV source over an empty temporary directory."""
    return create_data_source({"directory": str(tmp_path)})


@pytest.fixture
def awkward() -> list[Entity]:
    """One entity of each kind, with the values a CSV mapping most easily gets wrong."""
    movie = Movie(
        title='Mañana, "Tokyo"; 東京',
        logline='He said "no",\nthen left; twice.',
        genres={Genre.DRAMA, Genre.SCIFI, Genre.COMEDY},
        release_year=None,
    )
    place = ShootingLocation(
        name="Harbour, Pier 7", city="Sydney", country="au", latitude=-33.8688197, longitude=151.2
    )
    production = Production(
        movie_id=movie.id,
        phase=Phase.CANCELLED,
        budget=Money(amount="1234567.5", currency="EUR"),
        starts_on=dt.date(2027, 2, 28),
        wraps_on=dt.date(2027, 2, 28),
    )
    day = ShootDay(production_id=production.id, location_id=place.id, date=dt.date(2027, 2, 28))
    return [movie, place, production, day]
