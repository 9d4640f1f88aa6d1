"""Dual writes through the fault proxy: the mirror cut mid-stream loses nothing, doubles nothing.

The primary is a SQLite file; the mirror is the reference service over its own database,
reached through ``HttpFaultProxy``. While writes stream in, the mirror's commits are cut:
some before they reach it (it never saw them), some after it applied them (the relay never
heard back, so it sends them again). With the proxy healed, the mirror must hold exactly what
the primary holds, at the same versions.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from adapters.sql.migrate import upgrade
from app.bootstrap import bootstrap
from app.settings import Settings
from domain import MOVIES, Movie, MovieQuery, PageRequest
from tests.support.fault_proxy import Fault, HttpFaultProxy
from tests.support.live_service import live_service

OPERATIONS = b"POST /api/operations"


async def _movies(container: object, source: str) -> dict[str, tuple[str, int]]:
    async with container.sources[source].unit_of_work() as uow:  # type: ignore[attr-defined]
        page = await uow.repository(MOVIES).list(MovieQuery(), PageRequest(size=500))
    return {str(m.id): (m.title, m.version) for m in page.items}


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
                for n in range(30):
                    if n == 5:  # the mirror goes away before it sees these
                        proxy.arm(Fault.DROP_BEFORE, when=OPERATIONS, times=4)
                    if n == 15:  # it applies these, but the answer never comes back
                        proxy.arm(Fault.DROP_AFTER, when=OPERATIONS, times=3)
                    async with container.uow() as uow:
                        movie = await uow.repository(MOVIES).add(Movie(title=f"Movie {n}"))
                        if n % 3 == 0:
                            await uow.repository(MOVIES).update(movie.evolve(logline="edited"))
                        await uow.commit()
                    await relay.drain()
                proxy.disarm()
                relay.kick()  # healed: what is still in the journal goes now
                await container.migration.drain()
                expected = await _movies(container, "sql")
                mirrored = await _movies(container, "json_api")
                pending = relay.figures()["pending"]
    assert proxy.injected[Fault.DROP_BEFORE] == 4
    assert proxy.injected[Fault.DROP_AFTER] == 3
    assert mirrored == expected  # nothing lost, every version the primary's
    assert len(expected) == 30
    assert pending == 0
    assert relay.applied + relay.skipped == 40  # 30 adds and 10 updates, each applied once
    assert relay.skipped >= 1  # a change the mirror held already was not applied again
