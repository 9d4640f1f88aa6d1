"""Dialing's distribution and stickiness, and the breaker under random outages, at volume.

The unit tests (tests/unit/app/test_migration_reads.py) prove each behaviour on one case;
these draw many: random ids and percents for the dial, random outage and clock schedules for
the fallback's breaker. Bounded in ``make test``; ``make soak`` draws far more, from a new
seed (tests.reliability.soak).
"""

from __future__ import annotations

import asyncio
import math
import uuid
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from adapters.memory import MemoryDataSource
from app.migration import MigrationState
from app.migration.breaker import FAILURES, Breaker, State
from app.migration.reads import DialedReads, FallbackReads, bucket
from domain import MOVIES, DataSourceUnavailable, Movie
from tests.reliability.figures import count
from tests.reliability.soak import SOAK, seeded, sized

IDS = sized(20_000, 1_000_000)
PERCENTS = (0.5, 5, 33.3, 50, 95)
SIGMAS = 5
"""The tolerance of a dialed share: this many binomial standard deviations."""


def _ids(test: str, n: int) -> list[UUID]:
    draw = seeded(test)
    return [uuid.UUID(int=draw.getrandbits(128), version=4) for _ in range(n)]


def test_happy_path_each_percent_dials_its_share_of_distinct_ids_and_only_grows() -> None:
    ids = _ids("dial distribution", IDS)
    keys = [f"movies:{id}" for id in ids]
    places = [bucket(key) for key in keys]
    before: set[int] = set()
    for percent in PERCENTS:
        dialed = {i for i, place in enumerate(places) if place < percent}
        share = len(dialed) / len(ids)
        p = percent / 100
        tolerance = SIGMAS * math.sqrt(p * (1 - p) / len(ids))
        assert abs(share - p) <= tolerance, f"{percent}%: {share:.4%} of {len(ids)} ids"
        # Turning the dial up only adds ids: none flips back to the old source.
        assert before <= dialed, f"{percent}%: {len(before - dialed)} ids went back"
        before = dialed
        count(f"dial {percent}% share in ppm", round(share * 1_000_000))
    assert [bucket(key) for key in keys] == places  # the same id, the same place, every time
    count("dial ids hashed", len(ids))


async def _two_sources(ids: list[UUID]) -> tuple[MemoryDataSource, MemoryDataSource]:
    """Two sources holding the same ids, each movie titled after its source: old or new."""
    sources = (MemoryDataSource(), MemoryDataSource())
    for name, source in zip(("old", "new"), sources, strict=True):
        async with source.unit_of_work() as uow:
            for id in ids:
                await uow.repository(MOVIES).add(Movie(id=id, title=name))
            await uow.commit()
    return sources


async def test_happy_path_a_dialed_repository_answers_each_id_from_one_source_every_time() -> None:
    ids = _ids("dial stickiness", sized(500, 20_000))
    draw = seeded("dial stickiness reads")
    old, new = await _two_sources(ids)
    percent = 50
    async with old.unit_of_work() as a, new.unit_of_work() as b:
        dialed = DialedReads("movies", a.repository(MOVIES), b.repository(MOVIES), percent)
        where: dict[UUID, str] = {}
        for _ in range(sized(3, 5)):
            for id in draw.sample(ids, len(ids)):
                title = (await dialed.get(id)).title
                assert where.setdefault(id, title) == title, f"{id} moved to {title}"
            batch = draw.sample(ids, min(200, len(ids)))
            many = await dialed.get_many(batch)
            assert {id: m.title for id, m in many.items()} == {id: where[id] for id in batch}
    share = sum(title == "new" for title in where.values()) / len(where)
    tolerance = SIGMAS * math.sqrt(0.25 / len(where))
    assert abs(share - percent / 100) <= tolerance, f"{share:.2%} of {len(where)} ids dialed"
    count("dial sticky reads", len(where) * sized(3, 5))


class _Flaky:
    """The primary's repository: up or down as the test says; counts the reads asked of it."""

    def __init__(self, real: Any) -> None:
        self.real, self.up, self.asked = real, True, 0

    async def get(self, id: UUID) -> Movie:
        self.asked += 1
        if not self.up:
            raise DataSourceUnavailable("connection refused")
        found: Movie = await self.real.get(id)
        return found


EVENTS = st.lists(
    st.sampled_from(["read", "read", "read", "down", "up", "tick"]), min_size=10, max_size=300
)


@settings(
    max_examples=sized(60, 3000),
    deadline=None,
    database=None,
    derandomize=not SOAK,
    suppress_health_check=[HealthCheck.too_slow],
    phases=list(Phase) if SOAK else [Phase.explicit, Phase.reuse, Phase.generate],
)
@given(events=EVENTS)
def test_property_reads_never_fail_and_an_open_breaker_spares_the_down_source(
    events: list[str],
) -> None:
    async def scenario() -> None:
        source = MemoryDataSource()
        movie = Movie(title="Always there")
        async with source.unit_of_work() as uow:
            await uow.repository(MOVIES).add(movie)
            await uow.commit()
        now = [0.0]
        state = MigrationState()
        breaker = state.breakers["primary"] = Breaker(cooldown=5.0, clock=lambda: now[0])
        opened_at = 0.0
        async with source.unit_of_work() as uow:
            primary = _Flaky(uow.repository(MOVIES))
            reads = FallbackReads("movies", "primary", primary, uow.repository(MOVIES), state)  # type: ignore[arg-type]
            for event in events:
                if event in ("down", "up"):
                    primary.up = event == "up"
                    continue
                if event == "tick":
                    now[0] += 5.0
                    continue
                before, asked = breaker.state, primary.asked
                assert await reads.get(movie.id) == movie  # zero failed reads
                tried = primary.asked - asked
                if before is State.OPEN and now[0] - opened_at < breaker.cooldown:
                    assert tried == 0, "an open breaker let a read wait on the down source"
                elif before is State.OPEN:
                    assert tried == 1, "a cooled-down breaker let no trial, or more than one"
                    assert breaker.state is (State.CLOSED if primary.up else State.OPEN)
                else:
                    assert tried == 1
                    if not primary.up and breaker.failures >= FAILURES:
                        assert breaker.state is State.OPEN
                    if primary.up:
                        assert breaker.state is State.CLOSED
                if breaker.state is State.OPEN and (before is not State.OPEN or tried):
                    opened_at = now[0]
        count("breaker schedules", 1)
        count("breaker reads", events.count("read"))

    asyncio.run(scenario())
