"""Checks of concurrent units of work: optimistic versions and slots hold under races."""

from __future__ import annotations

import asyncio
import datetime as dt

from adapters.testing import fixtures as f
from adapters.testing.kit import Harness, check, writable
from domain import Conflict, Movie


async def _rename(h: Harness, movie: Movie, title: str) -> Movie:
    async with h.uow() as uow:
        stored = await uow.movies.update(movie.evolve(title=title))
        await uow.commit()
    return stored


@check("concurrency", writable)
async def concurrent_updates_of_one_version_let_exactly_one_win(h: Harness) -> None:
    """Two units of work updating the same version at once: one wins, one gets Conflict."""
    movie = f.movie()
    await f.store(h.uow, movie)
    outcomes = await asyncio.gather(
        _rename(h, movie, "First"), _rename(h, movie, "Second"), return_exceptions=True
    )
    winners = [o for o in outcomes if isinstance(o, Movie)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1, f"outcomes: {outcomes!r}"
    assert len(losers) == 1, f"outcomes: {outcomes!r}"
    async with h.uow() as uow:
        assert await uow.movies.get(movie.id) == winners[0], "the stored movie is not the winner"


@check("concurrency", writable)
async def concurrent_bookings_of_one_slot_let_exactly_one_win(h: Harness) -> None:
    """Two units of work booking one slot at once: one wins, one gets Conflict."""
    movie, place = f.movie(), f.location()
    production = f.production(movie.id)
    await f.store(h.uow, movie, place, production)
    days = [f.shoot_day(production.id, place.id, dt.date(2027, 3, 3)) for _ in range(2)]
    outcomes = await asyncio.gather(*(f.store(h.uow, d) for d in days), return_exceptions=True)
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "NoneType"], (
        f"outcomes: {outcomes!r}"
    )
