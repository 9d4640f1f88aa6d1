"""A domain as a distribution declares it: a catalog and the use cases built over it.

hexstudio finds domains in the entry-point group ``hexstudio.domains``; each entry point names
a ``Domain``. ``HEXSTUDIO_DOMAIN`` (default ``studio``) chooses the one every command uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.catalog import Catalog
from domain.ports import UnitOfWorkFactory


@dataclass(frozen=True)
class Domain:
    """A catalog plus its interactors."""

    name: str
    catalog: Catalog
    use_cases: Callable[[UnitOfWorkFactory], object] | None = None
    """Builds the domain's interactors over a unit-of-work factory; the composition root calls
    it once (``None``: the domain is served and proven through its repositories alone)."""
    migrations: str | None = None
    """The package holding the domain's Alembic revisions, for ``hexstudio db upgrade``."""
