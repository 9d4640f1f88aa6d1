"""What FastAPI's ``response_model`` costs against a handler that returns bytes (ADR 7).

Both endpoints answer the same 100 productions, already in memory as entities: one through
FastAPI's ``response_model`` (validation and serialisation by FastAPI), one as a Starlette
``Response`` of bytes dumped in one pass (``TypeAdapter.dump_json``).
Requests go through httpx's in-process ASGI transport, so the figure is the server's CPU
plus the same client cost on both sides.

Run: .venv/bin/python bench/response_model.py [--rounds 7] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import time
from decimal import Decimal
from uuid import uuid4

import httpx
from fastapi import FastAPI
from pydantic import TypeAdapter
from starlette.requests import Request
from starlette.responses import Response

from domain import Money, Phase, Production

START = dt.date(2030, 1, 1)
PRODUCTIONS = [
    Production(
        id=uuid4(),
        movie_id=uuid4(),
        phase=Phase.PRE_PRODUCTION,
        budget=Money(amount=Decimal(1_000_000 + i), currency="USD"),
        starts_on=START + dt.timedelta(days=i),
        wraps_on=START + dt.timedelta(days=i + 90),
    )
    for i in range(100)
]
_DUMP = TypeAdapter(list[Production])


def app() -> FastAPI:
    """Two routes answering the same JSON."""
    api = FastAPI()

    @api.get("/model", response_model=list[Production])
    async def with_model() -> list[Production]:
        return PRODUCTIONS

    async def as_bytes(request: Request) -> Response:
        return Response(_DUMP.dump_json(PRODUCTIONS))

    api.add_route("/bytes", as_bytes, methods=["GET"])
    return api


async def _rate(client: httpx.AsyncClient, path: str, requests: int) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        (await client.get(path)).raise_for_status()
    return requests / (time.perf_counter() - started)


async def main() -> None:
    """Interleaved rounds of each route; print requests/s and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        model, raw = (await client.get("/model")).json(), (await client.get("/bytes")).json()
        assert model == raw, "the two routes must answer the same JSON"
        rates: dict[str, list[float]] = {"/model": [], "/bytes": []}
        for _ in range(args.rounds):
            for path in rates:
                rates[path].append(await _rate(client, path, args.requests))
    model_rate, bytes_rate = (statistics.median(rates[p]) for p in ("/model", "/bytes"))
    print(f"median of {args.rounds} interleaved rounds of {args.requests} requests")
    print(f"| FastAPI response_model=list[Production] | {model_rate:.0f} req/s |")
    print(f"| Starlette Response(dump_json(...)) | {bytes_rate:.0f} req/s |")
    print(f"cost of response_model / bytes: {bytes_rate / model_rate:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
