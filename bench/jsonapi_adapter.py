"""The json_api adapter vs one hand-written httpx call + JSON parse + pydantic validation.

Cases, against the same seeded reference service on loopback, in one process:
- GetProductionOverview of a production with 50 shoot days (adapter: 1 planned request) vs one
  ``GET /api/productions/<id>?include=movie,shoot_days.location`` validated by hand;
- ListSlate, one page of 100 (adapter: 1 request) vs ``GET /api/productions?include=movie``.

Run: .venv/bin/python bench/jsonapi_adapter.py [--rounds 15] [--repeat 20] [--profile]
Target: adapter <= 1.1x the hand-written call (issue 15).

``--profile`` times the client side alone instead: both overviews over the service's captured
answer (an ``httpx.MockTransport``, so the in-process server's share of the time is gone), in
this thread's CPU time (``time.thread_time``: other processes on a busy machine barely move
it), then the adapter's overview under cProfile, its top functions by own time.

``--only hand|adapter --calls N`` makes N overviews one way against the live service and
prints nothing: for an instruction count that a busy machine cannot move, run it under
``valgrind --tool=callgrind`` with N = 0 and N = 40 (``PYTHONHASHSEED=0``) and divide the
difference by 40, for each way.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import httpx

from adapters.http import parse_http_options
from adapters.json_api import JsonApiDataSource, create_data_source
from app.bootstrap import Interactors
from domain import Movie, PageRequest, Production, ShootDay, ShootingLocation
from jsonapi_common import seeded_service

KINDS: dict[str, Any] = {
    "movies": Movie,
    "productions": Production,
    "shoot-days": ShootDay,
    "locations": ShootingLocation,
}
KEYS = {"movie": "movie_id", "production": "production_id", "location": "location_id"}


def entity(resource: dict[str, Any]) -> Any:
    """What a careful hand-written client does: flatten and validate one resource object."""
    fields = {
        **resource["attributes"],
        "id": resource["id"],
        "version": resource["meta"]["version"],
    }
    for name, rel in resource.get("relationships", {}).items():
        if name in KEYS:
            fields[KEYS[name]] = rel["data"]["id"]
    return KINDS[resource["type"]].model_validate(fields)


async def measure(base: str, production_id: UUID, rounds: int, repeat: int) -> None:
    """Time both ways of each case in interleaved rounds; print a Markdown table."""
    source = create_data_source({"url": f"{base}/api"})
    app = Interactors(source.unit_of_work)
    async with httpx.AsyncClient(base_url=f"{base}/api") as client:

        async def by_hand_overview() -> None:
            response = await client.get(
                f"/productions/{production_id}",
                params={"include": "movie,shoot_days.location"},
            )
            body = json.loads(response.content)
            entity(body["data"])
            assert len([entity(r) for r in body["included"]]) == 56

        async def by_hand_slate() -> None:
            response = await client.get(
                "/productions", params={"include": "movie", "page[size]": "100"}
            )
            body = json.loads(response.content)
            [entity(r) for r in body["data"]]
            [entity(r) for r in body["included"]]

        async def adapter_overview() -> None:
            overview = await app.get_production_overview(production_id=UUID(str(production_id)))
            assert len(overview.shoot_days) == 50

        async def adapter_slate() -> None:
            page = await app.list_slate(page=PageRequest(size=100))
            assert len(page.items) == 100

        cases: dict[str, Callable[[], Awaitable[None]]] = {
            "overview, hand-written": by_hand_overview,
            "overview, adapter": adapter_overview,
            "slate, hand-written": by_hand_slate,
            "slate, adapter": adapter_slate,
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for case in cases.values():
            await case()  # warm up pools and caches
        for _ in range(rounds):
            for name, case in cases.items():
                started = time.perf_counter()
                for _ in range(repeat):
                    await case()
                samples[name].append((time.perf_counter() - started) / repeat * 1000)
    await source.aclose()
    med = {name: sorted(v)[len(v) // 2] for name, v in samples.items()}
    print("| case | hand-written ms | adapter ms | ratio |\n|---|---:|---:|---:|")
    for case in ("overview", "slate"):
        hand, adapter = med[f"{case}, hand-written"], med[f"{case}, adapter"]
        print(f"| {case} | {hand:.2f} | {adapter:.2f} | {adapter / hand:.2f}x |")


async def profile(base: str, production_id: UUID, rounds: int, repeat: int) -> None:
    """The client side of the overview: hand-written vs adapter on captured bytes; cProfile."""
    params = {"include": "movie,shoot_days.location"}
    async with httpx.AsyncClient(base_url=f"{base}/api") as live:
        body = (await live.get(f"/productions/{production_id}", params=params)).content
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=body, headers={"Content-Type": "application/vnd.api+json"}
        )
    )
    source = JsonApiDataSource(parse_http_options({"url": "http://bench/api"}), transport=transport)
    app = Interactors(source.unit_of_work)
    async with httpx.AsyncClient(base_url="http://bench/api", transport=transport) as client:

        async def by_hand() -> None:
            response = await client.get(f"/productions/{production_id}", params=params)
            document = json.loads(response.content)
            entity(document["data"])
            assert len([entity(r) for r in document["included"]]) == 56

        async def adapter() -> None:
            overview = await app.get_production_overview(production_id=production_id)
            assert len(overview.shoot_days) == 50

        cases = {"hand-written": by_hand, "adapter": adapter}
        best: dict[str, float] = {}
        for _ in range(rounds):
            for name, case in cases.items():
                started = time.thread_time()
                for _ in range(repeat):
                    await case()
                spent = (time.thread_time() - started) / repeat * 1e6
                best[name] = min(best.get(name, spent), spent)
        print("| overview, client side only | best CPU us |\n|---|---:|")
        for name, value in best.items():
            print(f"| {name} | {value:.0f} |")
        print(f"| adapter - hand-written | {best['adapter'] - best['hand-written']:.0f} |")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(rounds * repeat):
            await adapter()
        profiler.disable()
    await source.aclose()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


async def only(base: str, production_id: UUID, way: str, calls: int) -> None:
    """``calls`` overviews, by hand or through the adapter, after 3 to warm up; no output."""
    source = create_data_source({"url": f"{base}/api"})
    app = Interactors(source.unit_of_work)
    async with httpx.AsyncClient(base_url=f"{base}/api") as client:

        async def by_hand() -> None:
            response = await client.get(
                f"/productions/{production_id}",
                params={"include": "movie,shoot_days.location"},
            )
            body = json.loads(response.content)
            entity(body["data"])
            assert len([entity(r) for r in body["included"]]) == 56

        async def adapter() -> None:
            overview = await app.get_production_overview(production_id=production_id)
            assert len(overview.shoot_days) == 50

        case = by_hand if way == "hand" else adapter
        for _ in range(3 + calls):
            await case()
    await source.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="the client side alone")
    parser.add_argument("--only", choices=("hand", "adapter"), help="one way, untimed")
    parser.add_argument("--calls", type=int, default=40, help="overviews made with --only")
    args = parser.parse_args()
    with seeded_service() as (url, production):
        if args.only is not None:
            asyncio.run(only(url, production, args.only, args.calls))
        else:
            run = profile if args.profile else measure
            asyncio.run(run(url, production, args.rounds, args.repeat))
