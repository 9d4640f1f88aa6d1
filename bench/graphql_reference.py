"""The floor of GraphQL in Python: graphql-core alone, the answer's data already in memory.

A bare Starlette endpoint runs the GraphQL hot query (bench/graphql_service.py) through
graphql-core's ``graphql_sync()`` (its fastest path: no awaitables to look for) over the
project's exported SDL, with default resolvers reading nested dicts that already hold the
answer: no database, no strawberry, no DataLoader. What it costs is what parsing, validating
and executing the query's fields costs: no service built on graphql-core answers it faster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import build_schema, graphql_sync
from pydantic_core import to_json
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SDL = Path(__file__).resolve().parent.parent / "schema.graphql"


def references(body: bytes, data: dict[str, Any]) -> Starlette:
    """Bare bytes at /bare/graphql; graphql-core over ``data`` (the root's fields) at /core."""
    schema = build_schema(SDL.read_text(encoding="utf-8"))

    async def bare(request: Request) -> Response:
        return Response(body, media_type="application/json")

    async def core(request: Request) -> Response:
        payload = await request.json()
        result = graphql_sync(schema, payload["query"], root_value=data)
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [error.formatted for error in result.errors]
        return Response(to_json(answer), media_type="application/json")

    return Starlette(
        routes=[
            Route("/bare/graphql", bare, methods=["POST"]),
            Route("/core/graphql", core, methods=["POST"]),
        ]
    )
