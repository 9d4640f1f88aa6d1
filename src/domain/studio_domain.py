"""The studio domain as hexstudio registers it (entry point ``hexstudio.domains: studio``)."""

from __future__ import annotations

from domain.declaration import Domain
from domain.interactors import Interactors
from domain.studio import STUDIO

DOMAIN = Domain(
    "studio", STUDIO, use_cases=Interactors, migrations="adapters.sql.migrations.versions"
)
"""The studio: its catalog, its use cases, and the Alembic revisions of its SQL schema."""
