"""Assertions of the kit: which domain error a block must raise."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from domain import DomainError


@asynccontextmanager
async def expect(kind: type[DomainError], what: str) -> AsyncIterator[None]:
    """Fail unless the block raises ``kind``; another domain error fails with both names."""
    try:
        yield
    except kind:
        return
    except DomainError as exc:
        raise AssertionError(
            f"{what}: expected {kind.__name__}, got {type(exc).__name__}: {exc}"
        ) from exc
    raise AssertionError(f"{what}: expected {kind.__name__}, nothing was raised")
