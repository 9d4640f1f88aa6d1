"""Requests/s of the GraphQL equivalent of the JSON:API hot route against bare Starlette.

The equivalent of ``GET /api/productions?include=movie&page[size]=100`` (100 productions with
their movies through strawberry, DataLoaders and the ports over SQLite) against a bare Starlette
endpoint returning the same bytes from memory.

Run: .venv/bin/python bench/graphql_service.py [--rounds 7] [--requests 100]
"""

from __future__ import annotations

import argparse
import time

import httpx
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from jsonapi_common import interleaved, seeded_service, serve

QUERY = """{ productions(first: 100) { edges { node {
  id version movieId phase budget { amount currency } startsOn wrapsOn
  movie { id version title logline genres releaseYear } } }
  pageInfo { hasNextPage endCursor } } }"""


def main() -> None:
    """Measure both servers in interleaved rounds and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    payload = {"query": QUERY}
    with seeded_service() as (base, _), httpx.Client() as client:
        body = client.post(base + "/graphql", json=payload).content
        assert len(httpx.Response(200, content=body).json()["data"]["productions"]["edges"]) == 100

        async def bare(request: object) -> Response:
            return Response(body, media_type="application/json")

        with serve(Starlette(routes=[Route("/graphql", bare, methods=["POST"])])) as baseline:

            def rate(url: str) -> float:
                started = time.perf_counter()
                for _ in range(args.requests):
                    client.post(url, json=payload).raise_for_status()
                return args.requests / (time.perf_counter() - started)

            medians = interleaved(
                {
                    "full stack": lambda: rate(base + "/graphql"),
                    "bare Starlette": lambda: rate(baseline + "/graphql"),
                },
                args.rounds,
            )
    full, bare_rate = medians["full stack"], medians["bare Starlette"]
    print("| path | requests/s | vs bare |\n|---|---:|---:|")
    print(f"| bare Starlette, same {len(body)} bytes from memory | {bare_rate:.0f} | 1.00x |")
    print(f"| full stack (GraphQL over SQLite) | {full:.0f} | {full / bare_rate:.2f}x |")


if __name__ == "__main__":
    main()
