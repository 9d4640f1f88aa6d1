"""Dual writes through the fault proxy: the mirror cut mid-stream loses nothing, doubles nothing.

The primary is a SQLite file; the mirror is the reference service over its own database,
reached through ``HttpFaultProxy``. While writes stream in, the mirror's commits are cut:
some before they reach it (it never saw them), some after it applied them (the relay never
heard back, so it sends them again). With the proxy healed, the mirror must hold exactly what
the primary holds, at the same versions.

Bounded in ``make test`` (30 writes, two cuts at fixed steps); ``make soak`` streams many more
writes through cuts of every kind armed at random steps (tests.reliability.soak).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from adapters.sql.migrate import upgrade
from app.bootstrap import bootstrap
from app.settings import Settings
from domain import MAX_PAGE_SIZE, MOVIES, Movie, MovieQuery, PageRequest
from tests.reliability.figures import count
from tests.reliability.soak import SOAK, seeded, sized
from tests.support.fault_proxy import Fault, HttpFaultProxy
from tests.support.live_service import live_service

OPERATIONS = b"POST /api/operations"
WRITES = sized(30, 400)
CUTS = (Fault.DROP_BEFORE, Fault.DROP_AFTER, Fault.RESET_BEFORE, Fault.CUT_RESPONSE)
"""What a soak run cuts the mirror's commits with: before or after they reach it."""


def _schedule() -> dict[int, tuple[Fault, int]]:
    """At which write which cut is armed, for how many of the mirror's commits."""
    if not SOAK:
        # The mirror goes away before it sees some; then it applies some, and the answers
        # never come back.
        return {5: (Fault.DROP_BEFORE, 4), 15: (Fault.DROP_AFTER, 3)}
    draw = seeded("dual writes under the fault proxy")
    steps = draw.sample(range(WRITES), k=WRITES // 10)
    return {step: (draw.choice(CUTS), draw.randint(1, 5)) for step in sorted(steps)}


async def _movies(container: object, source: str) -> dict[str, tuple[str, int]]:
    async with container.sources[source].unit_of_work() as uow:  # type: ignore[attr-defined]
        found: dict[str, tuple[str, int]] = {}
        cursor = None
        while True:
            page = await uow.repository(MOVIES).list(
                MovieQuery(), PageRequest(size=MAX_PAGE_SIZE, cursor=cursor)
            )
            found.update({str(m.id): (m.title, m.version) for m in page.items})
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor


async def test_happy_path_a_mirror_cut_mid_stream_catches_up_exactly(tmp_path: Path) -> None:
    primary = f"sqlite+aiosqlite:///{tmp_path / 'primary.db'}"
    await upgrade(primary)
    with live_service(tmp_path) as service:
        address = urlsplit(service.base_url)
        assert address.hostname is not None
        assert address.port is not None
        with HttpFaultProxy(address.hostname, address.port).running() as proxy:
            settings = Settings(
                data_source={  # type: ignore[arg-type]
                    "default": "sql",
                    "sql": {"url": primary},
                    "json_api": {"url": f"{proxy.url}/api", "token": service.token, "retries": 0},
                },
                repositories={  # type: ignore[arg-type]
                    "movies": {
                        "write": "sql",
                        "mirror": {"to": "json_api", "outbox": str(tmp_path / "outbox.db")},
                    }
                },
            )
            async with bootstrap(settings) as container:
                relay = container.migration.relays["json_api"]
                schedule = _schedule()
                for n in range(WRITES):
                    if n in schedule:
                        fault, times = schedule[n]
                        proxy.arm(fault, when=OPERATIONS, times=times)
                    async with container.uow() as uow:
                        movie = await uow.repository(MOVIES).add(Movie(title=f"Movie {n}"))
                        if n % 3 == 0:
                            await uow.repository(MOVIES).update(movie.evolve(logline="edited"))
                        await uow.commit()
                    await relay.drain()
                unfired = proxy.pending
                proxy.disarm()
                relay.kick()  # healed: what is still in the journal goes now
                await container.migration.drain()
                expected = await _movies(container, "sql")
                mirrored = await _movies(container, "json_api")
                pending = relay.figures()["pending"]
    armed = sum(times for _, times in schedule.values())
    assert sum(proxy.injected.values()) == armed - unfired
    if not SOAK:
        assert proxy.injected[Fault.DROP_BEFORE] == 4
        assert proxy.injected[Fault.DROP_AFTER] == 3
    assert mirrored == expected  # nothing lost, every version the primary's
    assert len(expected) == WRITES
    assert pending == 0
    changes = WRITES + len(range(0, WRITES, 3))  # the adds and every third one's update
    assert relay.applied + relay.skipped == changes  # each applied once
    if proxy.injected[Fault.DROP_AFTER]:
        assert relay.skipped >= 1  # a change the mirror held already was not applied again
    count("dual writes committed", changes)
    count("dual writes cuts injected", sum(proxy.injected.values()))
    count("dual writes skipped as already applied", relay.skipped)
