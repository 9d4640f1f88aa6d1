"""The Alembic revisions of the medium domain's SQL schema (``Domain.migrations``).

``hexstudio db upgrade`` with ``HEXSTUDIO_DOMAIN=medium`` runs them; their ids are prefixed
``medium_`` so they never read as the studio's. ``scripts/draft_revision.py`` drafts the next
one by autogenerate against the tables the catalog derives.
"""
