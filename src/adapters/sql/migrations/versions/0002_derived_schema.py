"""The schema as the catalog derives it (docs/decisions/0012-entity-catalog.md).

Drafted by autogenerate against the derived tables, then reviewed: keyset indexes now
follow one rule (each equality filter, then the stable order), and enum columns are
VARCHAR(32) everywhere. SQLite alters a column by copying its table, hence the batch.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.drop_index(op.f("ix_locations_country_city_id"), table_name="locations")
    op.create_index(op.f("ix_locations_country_id"), "locations", ["country", "id"])
    with op.batch_alter_table("movie_genres") as table:
        table.alter_column(
            "genre",
            existing_type=sa.String(length=20),
            type_=sa.String(length=32),
            existing_nullable=False,
        )
    op.drop_index(op.f("ix_movies_release_year"), table_name="movies")
    op.create_index(op.f("ix_movies_release_year_id"), "movies", ["release_year", "id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_movies_release_year_id"), table_name="movies")
    op.create_index(op.f("ix_movies_release_year"), "movies", ["release_year"])
    with op.batch_alter_table("movie_genres") as table:
        table.alter_column(
            "genre",
            existing_type=sa.String(length=32),
            type_=sa.String(length=20),
            existing_nullable=False,
        )
    op.drop_index(op.f("ix_locations_country_id"), table_name="locations")
    op.create_index(op.f("ix_locations_country_city_id"), "locations", ["country", "city", "id"])
