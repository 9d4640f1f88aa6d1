"""The schema as SQLAlchemy Core tables; migrations/ creates it, repositories query it."""

from __future__ import annotations

from sqlalchemy import (
    CHAR,
    Column,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from adapters.sql.column_types import money_amount, uuid

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
"""Stable constraint names: error mapping recognises violations by them."""

metadata = MetaData(naming_convention=NAMING_CONVENTION)

movies = Table(
    "movies",
    metadata,
    Column("id", uuid(), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("logline", String(500), nullable=False),
    Column("release_year", Integer, nullable=True, index=True),
)

movie_genres = Table(
    "movie_genres",
    metadata,
    Column("movie_id", uuid(), ForeignKey("movies.id", ondelete="CASCADE"), primary_key=True),
    Column("genre", String(20), primary_key=True),
    # The genre filter reads this index; the primary key serves "genres of these movies".
    Index(None, "genre", "movie_id"),
)

locations = Table(
    "locations",
    metadata,
    Column("id", uuid(), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("city", String(100), nullable=False),
    Column("country", CHAR(2), nullable=False),
    Column("latitude", Double, nullable=False),
    Column("longitude", Double, nullable=False),
    Index(None, "country", "city", "id"),
    Index(None, "city", "id"),
)

productions = Table(
    "productions",
    metadata,
    Column("id", uuid(), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("movie_id", uuid(), ForeignKey("movies.id"), nullable=False),
    Column("phase", String(32), nullable=False),
    Column("budget_amount", money_amount(), nullable=False),
    Column("budget_currency", CHAR(3), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("wraps_on", Date, nullable=False),
    # Keyset order, alone and behind each filter, so every page is an index range scan.
    Index(None, "starts_on", "id"),
    Index(None, "movie_id", "starts_on", "id"),
    Index(None, "phase", "starts_on", "id"),
)

shoot_days = Table(
    "shoot_days",
    metadata,
    Column("id", uuid(), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("production_id", uuid(), ForeignKey("productions.id"), nullable=False),
    Column("location_id", uuid(), ForeignKey("locations.id"), nullable=False),
    Column("date", Date, nullable=False),
    # The rule "one booking per location and date", enforced where races cannot slip past it.
    UniqueConstraint("location_id", "date"),
    Index(None, "date", "id"),
    Index(None, "production_id", "date", "id"),
)

TABLES_BY_ENTITY = {
    "Movie": movies,
    "ShootingLocation": locations,
    "Production": productions,
    "ShootDay": shoot_days,
}
"""The table that stores each entity type, by the entity's class name."""
