"""Checks of slot bookings: one shoot day per location and date, across productions."""

from __future__ import annotations

import datetime as dt

from adapters.testing import fixtures as f
from adapters.testing.expect import expect
from adapters.testing.kit import Harness, check, seedable, writable
from domain import Conflict, Entity

DAY = dt.date(2027, 5, 4)


async def _two_productions(h: Harness) -> tuple[list[Entity], Entity, Entity, Entity]:
    movie, other_movie, place = f.movie(), f.movie(), f.location()
    p, q = f.production(movie.id), f.production(other_movie.id)
    entities: list[Entity] = [movie, other_movie, place, p, q]
    await f.store(h.writer, *entities)
    return entities, p, q, place


@check("bookings", writable)
async def a_taken_slot_cannot_be_booked_again(h: Harness) -> None:
    """A second shoot day at the same location and date raises Conflict, whatever production."""
    _, p, q, place = await _two_productions(h)
    first = f.shoot_day(p.id, place.id, DAY)
    await f.store(h.uow, first)
    for production in (q, p):
        async with expect(Conflict, "a second booking of one slot"):
            await f.store(h.uow, f.shoot_day(production.id, place.id, DAY))
    async with h.uow() as uow:
        assert list(await uow.shoot_days.bookings([(place.id, DAY)])) == [first]


@check("bookings", seedable)
async def bookings_returns_exactly_the_taken_slots(h: Harness) -> None:
    """Bookings returns the shoot days holding the slots asked for, and no others."""
    _, p, _, place = await _two_productions(h)
    elsewhere = f.location()
    taken = [
        f.shoot_day(p.id, place.id, DAY),
        f.shoot_day(p.id, elsewhere.id, DAY + dt.timedelta(1)),
    ]
    await f.store(h.writer, elsewhere, *taken)
    asked = [
        (place.id, DAY),
        (place.id, DAY + dt.timedelta(1)),
        (elsewhere.id, DAY),
        (elsewhere.id, DAY + dt.timedelta(1)),
    ]
    async with h.uow() as uow:
        found = await uow.shoot_days.bookings(asked)
        nothing = await uow.shoot_days.bookings([])
    assert sorted(d.id for d in found) == sorted(d.id for d in taken), f"bookings gave {found!r}"
    assert list(nothing) == [], "bookings of no slots returned shoot days"


@check("bookings", writable)
async def moving_or_removing_a_day_frees_its_slot(h: Harness) -> None:
    """After a shoot day moves or is removed, its old slot can be booked again."""
    _, p, q, place = await _two_productions(h)
    day = f.shoot_day(p.id, place.id, DAY)
    await f.store(h.uow, day)
    async with h.uow() as uow:
        moved = await uow.shoot_days.update(day.evolve(date=DAY + dt.timedelta(1)))
        await uow.commit()
    taker = f.shoot_day(q.id, place.id, DAY)
    await f.store(h.uow, taker)
    async with h.uow() as uow:
        await uow.shoot_days.remove(taker.id, taker.version)
        await uow.commit()
    await f.store(h.uow, f.shoot_day(p.id, place.id, DAY))
    async with h.uow() as uow:
        holders = await uow.shoot_days.bookings([(place.id, DAY + dt.timedelta(1))])
    assert list(holders) == [moved], f"the moved day's new slot is held by {holders!r}"


@check("bookings", writable)
async def moving_a_day_onto_a_taken_slot_conflicts(h: Harness) -> None:
    """Update that moves a shoot day onto another day's slot raises Conflict."""
    _, p, q, place = await _two_productions(h)
    mine, theirs = (
        f.shoot_day(p.id, place.id, DAY),
        f.shoot_day(q.id, place.id, DAY + dt.timedelta(2)),
    )
    await f.store(h.uow, mine, theirs)
    async with expect(Conflict, "moving a day onto a taken slot"), h.uow() as uow:
        await uow.shoot_days.update(mine.evolve(date=theirs.date))
        await uow.commit()
    async with h.uow() as uow:
        assert await uow.shoot_days.get(mine.id) == mine, "the refused move changed the day"
