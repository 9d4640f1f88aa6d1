"""The medium schema: people, posts and their tags, follows, recommendations.

Drafted by autogenerate against the derived tables (``schema_of(MEDIUM).metadata``, with
``scripts/draft_revision.py``), then reviewed: UUID columns use the framework's portable
type, every table gets MariaDB's table options, and the downgrade drops tables only.

Revision ID: medium_0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from adapters.sql.column_types import uuid
from adapters.sql.migrations.dialects import table_options
from alembic import op

# Prefixed, so this domain's ids never read as the studio's "0001", "0002"... A database holds
# one domain's schema, so the revisions form a single branch and need no branch label.
revision = "medium_0001"
down_revision = None
branch_labels = None
depends_on = None


# Primary keys are left unnamed: the environment's naming convention calls them pk_<table>,
# except on MariaDB, which names every primary key PRIMARY and warns about any other name.
def _identity() -> list[Any]:
    return [
        sa.Column("id", uuid(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _reference(table: str, column: str, target: str) -> list[Any]:
    return [
        sa.Column(column, uuid(), nullable=False),
        sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}")),
    ]


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    """Create every table with its keys, unique keys and keyset indexes."""
    options = table_options()
    op.create_table(
        "people",
        *_identity(),
        sa.Column("handle", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        # Also the index of the people's list order (handle, id).
        sa.UniqueConstraint("handle", name=op.f("uq_people_handle")),
        **options,
    )
    op.create_table(
        "posts",
        *_identity(),
        *_reference("posts", "author_id", "people"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        **options,
    )
    _index("posts", "published_on", "id")
    _index("posts", "author_id", "published_on", "id")
    op.create_table(
        "post_tags",
        sa.Column("post_id", uuid(), primary_key=True),
        sa.Column("tag", sa.String(length=32), primary_key=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_tags_post_id"), ondelete="CASCADE"
        ),
        **options,
    )
    _index("post_tags", "tag", "post_id")  # the tag filter; the primary key serves a post's tags
    op.create_table(
        "follows",
        *_identity(),
        *_reference("follows", "follower_id", "people"),
        *_reference("follows", "followee_id", "people"),
        sa.Column("since", sa.Date(), nullable=False),
        sa.UniqueConstraint(
            "follower_id", "followee_id", name=op.f("uq_follows_follower_id_followee_id")
        ),
        **options,
    )
    _index("follows", "since", "id")
    _index("follows", "follower_id", "since", "id")
    _index("follows", "followee_id", "since", "id")
    op.create_table(
        "recommendations",
        *_identity(),
        *_reference("recommendations", "person_id", "people"),
        *_reference("recommendations", "post_id", "posts"),
        sa.Column("recommended_on", sa.Date(), nullable=False),
        sa.UniqueConstraint(
            "person_id", "post_id", name=op.f("uq_recommendations_person_id_post_id")
        ),
        **options,
    )
    _index("recommendations", "recommended_on", "id")
    _index("recommendations", "person_id", "recommended_on", "id")
    _index("recommendations", "post_id", "recommended_on", "id")


def downgrade() -> None:
    """Drop every table, dependents first (indexes go with their tables)."""
    for table in ("recommendations", "follows", "post_tags", "posts", "people"):
        op.drop_table(table)
