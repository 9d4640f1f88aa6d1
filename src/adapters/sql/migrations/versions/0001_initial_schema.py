"""The initial schema: movies and their genres, locations, productions, shoot days.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from adapters.sql.column_types import money_amount, uuid
from adapters.sql.migrations.dialects import table_options

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _identity() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", uuid(), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    ]


def upgrade() -> None:
    """Create every table with its keys, the booking constraint and the filter indexes."""
    options = table_options()
    op.create_table(
        "movies",
        *_identity(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("logline", sa.String(500), nullable=False),
        sa.Column("release_year", sa.Integer, nullable=True),
        **options,
    )
    op.create_index("ix_movies_release_year", "movies", ["release_year"])
    op.create_table(
        "movie_genres",
        sa.Column("movie_id", uuid(), sa.ForeignKey("movies.id", ondelete="CASCADE")),
        sa.Column("genre", sa.String(20)),
        sa.PrimaryKeyConstraint("movie_id", "genre"),
        **options,
    )
    op.create_index("ix_movie_genres_genre_movie_id", "movie_genres", ["genre", "movie_id"])
    op.create_table(
        "locations",
        *_identity(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("country", sa.CHAR(2), nullable=False),
        sa.Column("latitude", sa.Double, nullable=False),
        sa.Column("longitude", sa.Double, nullable=False),
        **options,
    )
    op.create_index("ix_locations_country_city_id", "locations", ["country", "city", "id"])
    op.create_index("ix_locations_city_id", "locations", ["city", "id"])
    op.create_table(
        "productions",
        *_identity(),
        sa.Column("movie_id", uuid(), sa.ForeignKey("movies.id"), nullable=False),
        sa.Column("phase", sa.String(32), nullable=False),
        sa.Column("budget_amount", money_amount(), nullable=False),
        sa.Column("budget_currency", sa.CHAR(3), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("wraps_on", sa.Date, nullable=False),
        **options,
    )
    for columns in (
        ["starts_on", "id"],
        ["movie_id", "starts_on", "id"],
        ["phase", "starts_on", "id"],
    ):
        op.create_index(f"ix_productions_{'_'.join(columns)}", "productions", columns)
    op.create_table(
        "shoot_days",
        *_identity(),
        sa.Column("production_id", uuid(), sa.ForeignKey("productions.id"), nullable=False),
        sa.Column("location_id", uuid(), sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.UniqueConstraint("location_id", "date"),
        **options,
    )
    op.create_index("ix_shoot_days_date_id", "shoot_days", ["date", "id"])
    op.create_index(
        "ix_shoot_days_production_id_date_id", "shoot_days", ["production_id", "date", "id"]
    )


def downgrade() -> None:
    """Drop every table, dependents first."""
    for table in ("shoot_days", "productions", "locations", "movie_genres", "movies"):
        op.drop_table(table)
