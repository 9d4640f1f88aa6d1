"""Requests/s of the GraphQL equivalent of the JSON:API hot route against two references.

The equivalent of ``GET /api/productions?include=movie&page[size]=100`` (100 productions with
their movies through strawberry, DataLoaders and the ports over SQLite) against, in the same
process and interleaved rounds:

- bare Starlette returning the full stack's bytes from memory (the issue's baseline);
- graphql-core alone executing the same query over the answer already in memory, as nested
  dicts: the floor of any graphql-core service (bench/graphql_reference.py).

Both references are checked to answer the same bytes before anything is timed.

Run: .venv/bin/python bench/graphql_service.py [--rounds 7] [--requests 100]
"""

from __future__ import annotations

import argparse
import json

import httpx

from graphql_reference import references
from jsonapi_common import race, seeded_service, serve

QUERY = """{ productions(first: 100) { edges { node {
  id version movieId phase budget { amount currency } startsOn wrapsOn
  movie { id version title logline genres releaseYear } } }
  pageInfo { hasNextPage endCursor } } }"""


def main() -> None:
    """Measure the full stack and the references in interleaved rounds; print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    payload = {"query": QUERY}
    with seeded_service() as (base, _), httpx.Client() as client:
        body = client.post(base + "/graphql", json=payload).content
        data = json.loads(body)["data"]
        assert len(data["productions"]["edges"]) == 100
        with serve(references(body, data)) as refs:
            urls = {
                "full stack (GraphQL over SQLite)": base + "/graphql",
                f"bare Starlette, the same {len(body)} bytes from memory": f"{refs}/bare/graphql",
                "graphql-core alone, the answer already in memory": f"{refs}/core/graphql",
            }
            for name, url in urls.items():
                assert client.post(url, json=payload).content == body, f"{name}: other bytes"

            race(
                lambda target: client.post(target, json=payload).raise_for_status(),
                urls,
                args.rounds,
                args.requests,
            )


if __name__ == "__main__":
    main()
