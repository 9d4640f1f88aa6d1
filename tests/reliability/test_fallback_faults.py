"""Fallback under the fault proxy: the primary cut, every read still answers, the breaker holds.

Movies are read from the reference service over json_api, through ``HttpFaultProxy``; the
fallback is the sql source over the service's own database, so both hold the same movies.
A seeded schedule cuts the proxy (every request reset) and heals it while reads stream in,
and moves a fake clock past the breaker's cooldown now and then. Issue 14's "Done when":
reads keep answering from the fallback with zero failed reads, and once the breaker is open
no read waits on the source known to be down; after a heal, one trial read closes it.
Bounded in ``make test``; ``make soak`` runs many more reads over a random schedule.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

from app.bootstrap import bootstrap
from app.migration.breaker import FAILURES, Breaker, State
from app.settings import Settings
from domain import MOVIES, Movie, MovieQuery, PageRequest
from tests.reliability.figures import count
from tests.reliability.soak import seeded, sized
from tests.support.fault_proxy import Fault, HttpFaultProxy
from tests.support.live_service import live_service

READS = sized(120, 4000)
COOLDOWN = 5.0
CUT, HEAL, TICK = 0.06, 0.08, 0.05
"""Per read: the chance the proxy is cut (when healed), healed (when cut), the clock moved."""


async def test_happy_path_reads_answer_through_cuts_and_the_breaker_spares_a_down_source(
    tmp_path: Path,
) -> None:
    draw = seeded("fallback under the fault proxy")
    with live_service(tmp_path) as service:
        address = urlsplit(service.base_url)
        assert address.hostname is not None
        assert address.port is not None
        with HttpFaultProxy(address.hostname, address.port).running() as proxy:
            settings = Settings(
                data_source={  # type: ignore[arg-type]
                    "default": "json_api",
                    "json_api": {"url": f"{proxy.url}/api", "token": service.token, "retries": 0},
                    "sql": {"url": service.database_url},
                },
                repositories={"movies": {"fallback": "sql"}},  # type: ignore[arg-type]
            )
            async with bootstrap(settings) as container:
                now = [0.0]
                breaker = Breaker(cooldown=COOLDOWN, clock=lambda: now[0])
                container.migration.breakers["json_api"] = breaker
                async with container.uow() as uow:
                    for n in range(20):
                        await uow.repository(MOVIES).add(Movie(title=f"Fallback movie {n}"))
                    await uow.commit()
                async with container.sources["sql"].unit_of_work() as uow:
                    page = await uow.repository(MOVIES).list(MovieQuery(), PageRequest(size=50))
                expected: dict[UUID, Movie] = {m.id: m for m in page.items}
                ids = sorted(expected)
                cut = failed = trials = closes = 0
                opened_at = 0.0
                for n in range(READS):
                    if not cut and draw.random() < CUT:
                        proxy.arm(Fault.RESET_BEFORE, times=10**9)
                        cut = 1
                    elif cut and draw.random() < HEAL:
                        proxy.disarm()
                        cut = 0
                    if draw.random() < TICK:
                        now[0] += COOLDOWN
                    state, faults = breaker.state, proxy.injected[Fault.RESET_BEFORE]
                    try:
                        async with container.uow() as uow:
                            if n % 4 == 3:
                                listed = await uow.repository(MOVIES).list(
                                    MovieQuery(), PageRequest(size=50)
                                )
                                assert list(listed.items) == list(expected.values())
                            else:
                                id = ids[draw.randrange(len(ids))]
                                assert await uow.repository(MOVIES).get(id) == expected[id]
                    except Exception as exc:  # a read that did not answer is the failure here
                        failed += 1
                        raise AssertionError(f"read {n} failed: {exc!r}") from exc
                    asked = proxy.injected[Fault.RESET_BEFORE] - faults
                    if state is State.OPEN and now[0] - opened_at < COOLDOWN:
                        # Open and not cooled down: the down source is not even tried.
                        assert asked == 0, f"read {n}: an open breaker let a read wait on it"
                        assert breaker.state is State.OPEN, f"read {n}: closed without a trial"
                    elif state is State.OPEN:  # cooled down: one trial read, no more
                        assert asked == cut, f"read {n}: {asked} trial requests, cut: {cut}"
                        assert breaker.state is (State.OPEN if cut else State.CLOSED)
                        trials += 1
                    elif cut and breaker.failures >= FAILURES:  # enough failures in a row
                        assert breaker.state is State.OPEN, f"read {n}: still closed"
                    if breaker.state is State.OPEN and (state is not State.OPEN or asked):
                        opened_at = now[0]
                    closes += state is not State.CLOSED and breaker.state is State.CLOSED
                proxy.disarm()
                now[0] += COOLDOWN
                async with container.uow() as uow:  # healed and cooled down: the trial closes it
                    assert await uow.repository(MOVIES).get(ids[0]) == expected[ids[0]]
                fallbacks = container.migration.of("movies").fallbacks
    assert failed == 0
    assert breaker.state is State.CLOSED
    assert proxy.injected[Fault.RESET_BEFORE] >= FAILURES, "the schedule never cut the proxy"
    assert fallbacks >= proxy.injected[Fault.RESET_BEFORE]  # each refused read fell back
    count("fallback reads", READS + 1)
    count("fallback reads answered by the fallback", fallbacks)
    count("fallback faults injected", proxy.injected[Fault.RESET_BEFORE])
    count("fallback breaker transitions", breaker.transitions)
    count("fallback failed reads", failed)
    count("fallback trial reads", trials)
    count("fallback breaker closes", closes)
