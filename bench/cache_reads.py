"""get_many of 100 movies over SQLite: uncached vs a warm cache (Redis, hot keys, Redis down).

Run: .venv/bin/python bench/cache_reads.py [--rounds 30] [--redis redis://127.0.0.1:6379/0]
Prints the median per call of each path (interleaved rounds, each starting one path later, in
one process), the ratios to the uncached read, and the load average (``uptime``): rerun on a
quiet machine before comparing.
The Redis path is one MGET; the hot path answers in-process. A second table times the same
reads over the memory source (no I/O, no thread), where the cache's own cost while Redis is
down shows without SQLite's thread hand-offs, which swing with the machine's load. A third
times Redis down against uncached SQLite on their own, in alternating order (with the hot
tier off, and on with no id hot). Its keys use a prefix of its own, deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from adapters.cache import create_data_source as create_cache
from adapters.memory import MemoryDataSource
from adapters.sql import create_data_source as create_sql
from adapters.sql.migrate import upgrade
from domain import MOVIES, Genre, Movie, UnitOfWorkFactory

SIZE = 100
MEMORY = "uncached (memory, no I/O)"
PAIRED = "uncached (SQLite), paired with Redis down"


async def _get_many(uow: UnitOfWorkFactory, ids: list[uuid.UUID]) -> None:
    async with uow() as unit:
        found = await unit.repository(MOVIES).get_many(ids)
    assert len(found) == SIZE


async def _per_call_us(call: Callable[[], Awaitable[None]], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        await call()
    return (time.perf_counter() - start) / repeat * 1e6


async def measure(rounds: int, repeat: int, redis_url: str) -> dict[str, list[float]]:
    """Fill SQLite with 100 movies; time the three paths in interleaved rounds (µs per call)."""
    with tempfile.TemporaryDirectory(prefix="hexstudio-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(url)
        sql = create_sql({"url": url})
        prefix = f"hexstudio:bench:{uuid.uuid4().hex[:8]}:"
        common = {"over": "sql", "redis_url": redis_url, "prefix": prefix, "ttl": 600}
        redis_only = create_cache({**common, "hot_threshold": 0})
        redis_only.wrap(sql)
        hot = create_cache({**common, "hot_threshold": 1, "hot_ttl": 600})
        hot.wrap(sql)
        # Nothing listens on port 1: the cache steps aside (the goal: <= 1.05x uncached).
        down = create_cache(
            {**common, "redis_url": "redis://127.0.0.1:1/0", "retry_after": 60, "hot_threshold": 0}
        )
        down.wrap(sql)
        # The same outage with the hot tier at its default threshold (hot ids still answered).
        # The same outage with the hot tier on but no id hot: what counting every read costs.
        down_hot = create_cache(
            {**common, "redis_url": "redis://127.0.0.1:1/0", "retry_after": 60}
            | {"hot_threshold": 10**9}
        )
        down_hot.wrap(sql)
        movies = [
            Movie(title=f"M{i}", logline="x", genres=[Genre.DRAMA], release_year=2028)
            for i in range(SIZE)
        ]
        memory = MemoryDataSource()
        memory_down = create_cache(
            {**common, "redis_url": "redis://127.0.0.1:1/0", "retry_after": 60, "hot_threshold": 0}
        )
        memory_down.wrap(memory)
        for source in (sql, memory):
            async with source.unit_of_work() as unit:
                for movie in movies:
                    await unit.repository(MOVIES).add(movie)
                await unit.commit()
        ids = [m.id for m in movies]
        paths = {
            "uncached (SQLite)": lambda: _get_many(sql.unit_of_work, ids),
            "warm cache (one MGET)": lambda: _get_many(redis_only.unit_of_work, ids),
            "hot keys (in-process)": lambda: _get_many(hot.unit_of_work, ids),
            "Redis down (stepping aside)": lambda: _get_many(down.unit_of_work, ids),
            MEMORY: lambda: _get_many(memory.unit_of_work, ids),
            "Redis down over memory": lambda: _get_many(memory_down.unit_of_work, ids),
        }
        for call in paths.values():
            await call()  # warm: fills Redis and the hot tier
        await _get_many(hot.unit_of_work, ids)
        assert redis_only.stats.redis_errors == 0, "Redis did not answer: start it or --redis"
        # The outage's own pairs, apart: in the rotation above the path after the hot one
        # pays SQLite's thread wake-up, which swings a 1.05x question by 0.1x.
        pairs = {
            PAIRED: lambda: _get_many(sql.unit_of_work, ids),
            "Redis down (stepping aside) ": lambda: _get_many(down.unit_of_work, ids),
            "Redis down, hot tier on, none hot": lambda: _get_many(down_hot.unit_of_work, ids),
        }
        times: dict[str, list[float]] = {name: [] for name in [*paths, *pairs]}
        for turn in range(rounds):
            for name, call in list(pairs.items())[:: 1 if turn % 2 else -1]:
                times[name].append(await _per_call_us(call, repeat))
        order = list(paths.items())
        for turn in range(rounds):
            # Each round starts one path later: a path that follows one that leaves SQLite's
            # thread idle (hot keys) pays its wake-up, so every path takes every place in turn.
            for name, call in order[turn % len(order) :] + order[: turn % len(order)]:
                times[name].append(await _per_call_us(call, repeat))
        await redis_only.tier.purge("movies")
        await hot.listener.aclose()
        await hot.tier.aclose()
        await down.tier.aclose()
        await down_hot.tier.aclose()
        await memory_down.aclose()
        await redis_only.aclose()  # closes sql too
    return times


def main(rounds: int, repeat: int, redis_url: str) -> None:
    """Measure, then print the table and the load average."""
    times = asyncio.run(measure(rounds, repeat, redis_url))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"get_many of {SIZE} movies, median of {rounds} rounds x {repeat} calls")
    names = list(medians)
    over_memory, paired = names.index(MEMORY), names.index(PAIRED)
    tables = [
        ("uncached (SQLite)", names[:over_memory]),
        (MEMORY, names[over_memory:paired]),
        (PAIRED, names[paired:]),
    ]
    for first, names in tables:
        print("| path | µs per call | ratio to uncached |")
        print("|---|---:|---:|")
        for name in names:
            print(f"| {name} | {medians[name]:,.1f} | {medians[name] / medians[first]:.2f}x |")
        print()
    print(f"load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    main(args.rounds, args.repeat, args.redis)
