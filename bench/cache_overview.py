"""GetProductionOverview over json_api: uncached vs through a warm cache (Redis, hot keys).

Against the seeded reference service on loopback (a production with 50 shoot days), in one
process, interleaved rounds:
- uncached: the adapter's one planned request (``include=movie,shoot_days.location``);
- warm cache, Redis: the production, its movie and the locations are hits (MGETs), and the
  shoot days' list still goes to the service: lists pass through the cache (docs/cache.md);
- warm cache, hot keys: the same, the hits answered in-process;
- lists declared (``lists = { shoot_days = 60 }``): the shoot days' page is cached too, so a
  warm overview sends no request (Redis: four MGETs; hot keys: none);
- Redis down: a cache whose Redis refuses (stepping aside), the planned request goes through;
- the shoot days' list alone, uncached: the request a warm cache without lists cannot save.

Run: .venv/bin/python bench/cache_overview.py [--rounds 15] [--repeat 20]
     [--redis redis://127.0.0.1:6379/0]
Goal (issue 15): warm cache <= 0.2x uncached. Prints the load average (``uptime``) with the
figures: rerun on a quiet machine before comparing. Its Redis keys use a prefix of their own,
deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable
from uuid import UUID

from adapters.cache import create_data_source as create_cache
from adapters.json_api import create_data_source as create_json_api
from app.bootstrap import Interactors
from domain import SHOOT_DAYS, PageRequest, ShootDayQuery, UnitOfWorkFactory
from jsonapi_common import seeded_service

DAYS = 50


async def _days_only(uow: UnitOfWorkFactory, production_id: UUID) -> None:
    """The overview's one read a warm cache still sends: the list of its shoot days."""
    async with uow() as unit:
        page = await unit.repository(SHOOT_DAYS).list(
            ShootDayQuery(production_id=production_id), PageRequest(size=100)
        )
    assert len(page.items) == DAYS


async def measure(
    base: str, production_id: UUID, rounds: int, repeat: int, redis_url: str
) -> dict[str, list[float]]:
    """Time each path in interleaved rounds: ms per overview."""
    source = create_json_api({"url": f"{base}/api"})
    prefix = f"hexstudio:bench:{uuid.uuid4().hex[:8]}:"
    common = {"over": "json_api", "redis_url": redis_url, "prefix": prefix, "ttl": 600}
    redis_only = create_cache({**common, "hot_threshold": 0})
    redis_only.wrap(source)
    hot = create_cache({**common, "hot_threshold": 1, "hot_ttl": 600})
    hot.wrap(source)
    declared = {"lists": {"shoot_days": 60}, "max_staleness": 60}
    lists_redis = create_cache({**common, **declared, "hot_threshold": 0})
    lists_redis.wrap(source)
    lists_hot = create_cache({**common, **declared, "hot_threshold": 1, "hot_ttl": 600})
    lists_hot.wrap(source)
    # Nothing listens on port 1: the cache steps aside for the whole run.
    down = create_cache(
        {**common, "redis_url": "redis://127.0.0.1:1/0", "retry_after": 600, "hot_threshold": 0}
    )
    down.wrap(source)
    warm = (redis_only, hot, lists_redis, lists_hot)

    def overview(app: Interactors) -> Callable[[], Awaitable[None]]:
        async def call() -> None:
            found = await app.get_production_overview(production_id=production_id)
            assert len(found.shoot_days) == DAYS

        return call

    paths: dict[str, Callable[[], Awaitable[None]]] = {
        "uncached json_api (1 planned request)": overview(Interactors(source.unit_of_work)),
        "warm cache, Redis (1 list request)": overview(Interactors(redis_only.unit_of_work)),
        "warm cache, hot keys (1 list request)": overview(Interactors(hot.unit_of_work)),
        "warm cache, Redis, lists declared (0 requests)": overview(
            Interactors(lists_redis.unit_of_work)
        ),
        "warm cache, hot keys, lists declared (0 requests)": overview(
            Interactors(lists_hot.unit_of_work)
        ),
        "Redis down, stepping aside (1 planned request)": overview(Interactors(down.unit_of_work)),
        "the shoot days' list alone, uncached": lambda: _days_only(
            source.unit_of_work, production_id
        ),
    }
    try:
        for call in paths.values():
            await call()  # warm: pools, Redis entries
        await paths["warm cache, hot keys (1 list request)"]()  # and the hot tier
        await paths["warm cache, hot keys, lists declared (0 requests)"]()
        assert redis_only.stats.redis_errors == 0, "Redis did not answer: start it or --redis"
        warmed = [(c.stats.misses, c.stats.page_misses) for c in warm]
        times: dict[str, list[float]] = {name: [] for name in paths}
        order = list(paths.items())
        for turn in range(rounds):
            # Each round starts one path later, so every path takes every place in turn.
            for name, call in order[turn % len(order) :] + order[: turn % len(order)]:
                started = time.perf_counter()
                for _ in range(repeat):
                    await call()
                times[name].append((time.perf_counter() - started) / repeat * 1000)
        # Warm means warm: no id nor page was read upstream during the timed rounds.
        assert [(c.stats.misses, c.stats.page_misses) for c in warm] == warmed
        assert all(c.stats.redis_errors == 0 for c in warm)
    finally:
        for plural in ("productions", "movies", "locations", "shoot_days"):
            await redis_only.tier.purge(plural)
        await redis_only.tier.client.delete(redis_only.tier.generation_key("shoot_days"))
        for cache in (hot, lists_redis, lists_hot, down):
            await cache.listener.aclose()
            await cache.tier.aclose()
        await redis_only.aclose()  # closes json_api too
    return times


def main(rounds: int, repeat: int, redis_url: str) -> None:
    """Start the seeded service, measure, print the table and the load average."""
    with seeded_service() as (url, production):
        times = asyncio.run(measure(url, UUID(str(production)), rounds, repeat, redis_url))
    base = statistics.median(times["uncached json_api (1 planned request)"])
    print(f"GetProductionOverview, {DAYS} shoot days, median of {rounds} rounds x {repeat} calls")
    print("| path | ms per overview | ratio to uncached |")
    print("|---|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.2f} | {median / base:.2f}x |")
    print(f"load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    main(args.rounds, args.repeat, args.redis)
