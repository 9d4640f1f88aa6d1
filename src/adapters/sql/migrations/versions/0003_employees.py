"""Employees: the crew of each production.

Drafted by autogenerate against the derived tables (the Employee declaration in
domain/studio.py), then reviewed: the MariaDB table options every table has.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.column_types import uuid
from adapters.sql.migrations.dialects import table_options

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "employees",
        sa.Column("id", uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("production_id", uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["production_id"], ["productions.id"], name=op.f("fk_employees_production_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employees")),
        **table_options(),
    )
    op.create_index(op.f("ix_employees_production_id_id"), "employees", ["production_id", "id"])
    op.create_index(op.f("ix_employees_role_id"), "employees", ["role", "id"])


def downgrade() -> None:
    """Revert this revision (its indexes go with the table: MariaDB keeps one for the key)."""
    op.drop_table("employees")
