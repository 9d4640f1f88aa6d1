"""Alembic migrations of the SQL schema, shipped in the package."""
