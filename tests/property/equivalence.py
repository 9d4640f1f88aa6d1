"""A hypothesis state machine: random use-case sequences give the same outcome on every source.

The memory adapter is the oracle. Each step calls one interactor with the same arguments on
every source and requires the same result (canonical JSON) or the same error class and reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    multiple,
    rule,
)

from adapters.memory import MemoryDataSource
from adapters.spi import DataSource
from app.bootstrap import Interactors
from app.canonical import canonical_json
from domain import SHOOT_DAYS, STUDIO, DomainError, Genre, PageRequest, Phase, ShootDayQuery
from tests.property.sources import SourceSpec

ORACLE = "memory"
STATS: Counter[str] = Counter()
"""Examples run, use-case steps compared, and how many of them the oracle answered with an error."""
DAY0 = dt.date(2027, 1, 1)
# Mostly valid input, so that long successful sequences happen, with invalid values mixed in
# (one_of picks its branches evenly, so ranges carry the invalid edges instead).
titles = st.text(st.characters(categories=["L", "N", "P", "Zs", "So"]), max_size=30)
countries = st.sampled_from(["PT", "NZ", "IS", "no", "BR", "JP", "XX"])
latitudes = st.floats(-90, 90, allow_nan=False)
longitudes = st.floats(-180, 180, allow_nan=False)
offsets = st.integers(min_value=-1, max_value=32)
lengths = st.integers(min_value=-1, max_value=30)
version_choice = st.sampled_from(["current", "stale"])


def _outcome(value: Any) -> tuple[str, ...]:
    return ("ok", canonical_json(value))


class Equivalence(RuleBasedStateMachine):
    """Drives every source through the same use cases; see the module docstring."""

    specs: ClassVar[dict[str, SourceSpec]] = {}

    movies = Bundle("movies")
    locations = Bundle("locations")
    productions = Bundle("productions")
    days = Bundle("days")

    def __init__(self) -> None:
        super().__init__()
        STATS["examples"] += 1
        self.loop = asyncio.new_event_loop()
        self.sources: dict[str, DataSource] = {ORACLE: MemoryDataSource()}
        for name, spec in self.specs.items():
            source = spec.open()
            self.loop.run_until_complete(spec.reset(source))
            self.sources[name] = source
        self.studios = {name: Interactors(s.unit_of_work) for name, s in self.sources.items()}

    def teardown(self) -> None:
        for source in self.sources.values():
            self.loop.run_until_complete(source.aclose())
        self.loop.close()

    def same(self, call: Callable[[Interactors], Awaitable[Any]]) -> tuple[str, ...]:
        """Run ``call`` on every source; all outcomes must equal the oracle's."""
        STATS["steps"] += 1
        outcomes = {
            name: self.loop.run_until_complete(self._run(call, s))
            for name, s in self.studios.items()
        }
        expected = outcomes[ORACLE]
        STATS["errors" if expected[0] == "error" else "successes"] += 1
        for name, outcome in outcomes.items():
            assert outcome == expected, f"{name} gave {outcome!r}\n  memory gave {expected!r}"
        return expected

    @staticmethod
    async def _run(
        call: Callable[[Interactors], Awaitable[Any]], studio: Interactors
    ) -> tuple[str, ...]:
        try:
            return _outcome(await call(studio))
        except DomainError as exc:
            return ("error", type(exc).__name__, str(exc.reason))

    def version_of(self, repository: str, id: UUID, choice: str) -> int:
        """The oracle's current version of an entity, or a stale one."""

        async def read() -> int:
            async with self.sources[ORACLE].unit_of_work() as uow:
                found = await uow.repository(STUDIO[repository]).get_many([id])
            return found[id].version if id in found else 1

        current = self.loop.run_until_complete(read())
        return current if choice == "current" else current + 1

    @initialize(target=movies, ids=st.lists(st.uuids(), min_size=3, max_size=3, unique=True))
    def some_movies(self, ids: list[UUID]) -> Any:
        """Start every run with valid movies, so onboarding can succeed from the first step."""
        for n, id in enumerate(ids):
            self.same(lambda s, id=id, n=n: s.register_movie(id=id, title=f"Seed {n}"))
        return multiple(*ids)

    @initialize(target=locations, ids=st.lists(st.uuids(), min_size=2, max_size=2, unique=True))
    def some_locations(self, ids: list[UUID]) -> Any:
        """Start every run with valid locations."""
        for id in ids:
            self.same(
                lambda s, id=id: s.register_location(
                    id=id, name="Seed", city="Seed", country="PT", latitude=0, longitude=0
                )
            )
        return multiple(*ids)

    @rule(
        target=movies,
        id=st.uuids(),
        title=titles,
        genres=st.frozensets(st.sampled_from(Genre)),
        year=st.none() | st.integers(1880, 2110),
    )
    def register_movie(
        self, id: UUID, title: str, genres: frozenset[Genre], year: int | None
    ) -> Any:
        outcome = self.same(
            lambda s: s.register_movie(id=id, title=title, genres=genres, release_year=year)
        )
        return id if outcome[0] == "ok" else multiple()

    @rule(
        target=locations,
        id=st.uuids(),
        name=titles,
        country=countries,
        latitude=latitudes,
        longitude=longitudes,
    )
    def register_location(
        self, id: UUID, name: str, country: str, latitude: float, longitude: float
    ) -> Any:
        outcome = self.same(
            lambda s: s.register_location(
                id=id, name=name, city=name, country=country, latitude=latitude, longitude=longitude
            )
        )
        return id if outcome[0] == "ok" else multiple()

    @rule(
        target=productions,
        id=st.uuids(),
        movie=movies,
        start=offsets,
        length=lengths,
        amount=st.decimals(min_value=0, max_value=10**9, places=2),
        plan=st.lists(st.tuples(locations, offsets), max_size=4),
    )
    def onboard(
        self,
        id: UUID,
        movie: UUID,
        start: int,
        length: int,
        amount: Decimal,
        plan: list[tuple[UUID, int]],
    ) -> Any:
        starts_on = DAY0 + dt.timedelta(days=start)
        # Offsets wrap into the window, so most plans are valid; -1 lands the day outside it.
        window = max(length, 0) + 1
        shoot_plan = [
            (loc, starts_on + dt.timedelta(days=o % window if o >= 0 else -1)) for loc, o in plan
        ]
        outcome = self.same(
            lambda s: s.onboard_production(
                id=id,
                movie_id=movie,
                budget={"amount": str(amount), "currency": "EUR"},
                starts_on=starts_on,
                wraps_on=starts_on + dt.timedelta(days=length),
                shoot_plan=shoot_plan,
            )
        )
        return id if outcome[0] == "ok" else multiple()

    @rule(target=days, production=productions)
    def days_of(self, production: UUID) -> Any:
        async def read() -> list[UUID]:
            async with self.sources[ORACLE].unit_of_work() as uow:
                page = await uow.repository(SHOOT_DAYS).list(
                    ShootDayQuery(production_id=production), PageRequest(size=50)
                )
            return [d.id for d in page.items]

        return multiple(*self.loop.run_until_complete(read()))

    @rule(production=productions, phase=st.sampled_from(Phase), choice=version_choice)
    def advance(self, production: UUID, phase: Phase, choice: str) -> None:
        version = self.version_of("productions", production, choice)
        self.same(
            lambda s: s.advance_production(
                production_id=production, to_phase=phase, expected_version=version
            )
        )

    @rule(day=days | productions, offset=offsets, choice=version_choice)
    def reschedule(self, day: UUID, offset: int, choice: str) -> None:
        # Production ids double as unknown shoot-day ids: NotFound must agree too.
        version = self.version_of("shoot_days", day, choice)
        self.same(
            lambda s: s.reschedule_shoot_day(
                shoot_day_id=day,
                new_date=DAY0 + dt.timedelta(days=offset),
                expected_version=version,
            )
        )

    @rule(day=consumes(days), choice=version_choice)
    def cancel(self, day: UUID, choice: str) -> None:
        version = self.version_of("shoot_days", day, choice)
        self.same(lambda s: s.cancel_shoot_day(shoot_day_id=day, expected_version=version))

    @rule(production=productions)
    def overview(self, production: UUID) -> None:
        self.same(lambda s: s.get_production_overview(production_id=production))

    @rule(phases=st.none() | st.frozensets(st.sampled_from(Phase)), size=st.integers(1, 4))
    def slate(self, phases: frozenset[Phase] | None, size: int) -> None:
        async def walk(studio: Interactors) -> list[Any]:
            entries: list[Any] = []
            cursor: str | None = None
            while True:
                page = await studio.list_slate(
                    phases=phases, page=PageRequest(size=size, cursor=cursor)
                )
                entries.append(list(page.items))  # page boundaries must agree, not only items
                if page.next_cursor is None:
                    return entries
                cursor = page.next_cursor

        self.same(walk)
