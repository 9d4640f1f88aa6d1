"""Requests/s of the JSON:API service's hot route against a bare Starlette endpoint.

``GET /api/productions?include=movie&page[size]=100`` on the full stack (uvicorn, FastAPI
routing, the ports over SQLite, hand-built JSON:API bytes) against a bare Starlette endpoint
returning the same bytes from memory.

Run: .venv/bin/python bench/jsonapi_service.py [--rounds 7] [--requests 200]
"""

from __future__ import annotations

import argparse
import time

import httpx
from jsonapi_common import interleaved, seeded_service, serve
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

PATH = "/api/productions?include=movie&page%5Bsize%5D=100"


def main() -> None:
    """Measure both servers in interleaved rounds and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with seeded_service() as (base, _), httpx.Client() as client:
        body = client.get(base + PATH).content
        assert len(httpx.Response(200, content=body).json()["data"]) == 100

        async def bare(request: object) -> Response:
            return Response(body, media_type="application/vnd.api+json")

        with serve(Starlette(routes=[Route("/api/productions", bare)])) as baseline:

            def rate(url: str) -> float:
                started = time.perf_counter()
                for _ in range(args.requests):
                    client.get(url).raise_for_status()
                return args.requests / (time.perf_counter() - started)

            medians = interleaved(
                {
                    "full stack": lambda: rate(base + PATH),
                    "bare Starlette": lambda: rate(baseline + PATH),
                },
                args.rounds,
            )
    full, bare_rate = medians["full stack"], medians["bare Starlette"]
    print("| path | requests/s | vs bare |\n|---|---:|---:|")
    print(f"| bare Starlette, same {len(body)} bytes from memory | {bare_rate:.0f} | 1.00x |")
    print(f"| full stack (JSON:API over SQLite) | {full:.0f} | {full / bare_rate:.2f}x |")


if __name__ == "__main__":
    main()
