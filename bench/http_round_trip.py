"""What one HTTP request costs on loopback, with nothing behind it: the price of a round trip.

A bare Starlette endpoint answering 2 KB, under uvicorn in this process (as the other
benchmarks run the service), called by a reused ``httpx.AsyncClient`` and ``httpx.Client``.
An adapter that needs one request more than hand-written code pays about this much more.

Run: .venv/bin/python bench/http_round_trip.py [--requests 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jsonapi_common import serve

BODY = b"x" * 2000


async def _bare(request: Request) -> Response:
    return Response(BODY)


async def _async_client(base: str, requests: int) -> float:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(20):
            await client.get("/")
        started = time.perf_counter()
        for _ in range(requests):
            (await client.get("/")).raise_for_status()
        return (time.perf_counter() - started) / requests * 1000


def _client(base: str, requests: int) -> float:
    with httpx.Client(base_url=base) as client:
        for _ in range(20):
            client.get("/")
        started = time.perf_counter()
        for _ in range(requests):
            client.get("/").raise_for_status()
        return (time.perf_counter() - started) / requests * 1000


def main() -> None:
    """Print the mean round trip of each client."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    with serve(Starlette(routes=[Route("/", _bare)])) as base:
        async_ms = asyncio.run(_async_client(base, args.requests))
        sync_ms = _client(base, args.requests)
    print("| client | ms per request |\n|---|---:|")
    print(f"| httpx.AsyncClient | {async_ms:.2f} |")
    print(f"| httpx.Client | {sync_ms:.2f} |")


if __name__ == "__main__":
    main()
