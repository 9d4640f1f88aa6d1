"""The studio's list queries: each field is a filter, its marker says what it compares.

A field without a marker is an equality on the entity field of the same name. ``matches``
(the reference semantics every data source is checked against) follows from the markers, so
adding a filter is adding a field here (and, for SQL, the index its migration creates).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from pydantic import Field, field_validator

from domain.catalog import AtLeast, AtMost, Has, In, Query
from domain.model import Genre, Movie, Phase, Production, ShootDay, ShootingLocation


class MovieQuery(Query[Movie]):
    """Movies of one genre and/or one release year."""

    genre: Annotated[Genre | None, Has("genres")] = None
    release_year: Annotated[int, Field(ge=1888, le=2100)] | None = None


class LocationQuery(Query[ShootingLocation]):
    """Locations in one country and/or one city (exact, case-sensitive match)."""

    country: str | None = None
    city: str | None = None

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return None if value is None else value.strip().upper()


class ProductionQuery(Query[Production]):
    """Productions of one movie (or of any of several) and/or in some phases."""

    movie_id: UUID | None = None
    movie_ids: Annotated[frozenset[UUID] | None, In("movie_id")] = None
    """The children of many movies in one query: what a DataLoader batches."""
    phases: Annotated[frozenset[Phase] | None, In("phase")] = None


class ShootDayQuery(Query[ShootDay]):
    """Shoot days of one production and/or location, within a date range (ends included).

    ``production_ids`` and ``location_ids`` ask for the shoot days of many parents at once.
    """

    production_id: UUID | None = None
    production_ids: Annotated[frozenset[UUID] | None, In("production_id")] = None
    location_id: UUID | None = None
    location_ids: Annotated[frozenset[UUID] | None, In("location_id")] = None
    date_from: Annotated[dt.date | None, AtLeast("date")] = None
    date_to: Annotated[dt.date | None, AtMost("date")] = None
