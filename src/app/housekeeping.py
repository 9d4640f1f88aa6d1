"""Removing known entities through the ports: the demo's resets and the provider states."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from domain import Repository


async def remove_present(repository: Repository[Any, Any], ids: Collection[UUID]) -> None:
    """Remove those of ``ids`` that exist, at their stored versions (one read for all)."""
    for entity in (await repository.get_many(ids)).values():
        await repository.remove(entity.id, entity.version)
