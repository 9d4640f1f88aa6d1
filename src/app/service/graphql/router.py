"""``/graphql``: strawberry's FastAPI router with our error format and status codes."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic_core import to_json
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from app.service.graphql.context import RESPONSE_KEY, GraphQLContext, get_context
from app.service.graphql.errors import INVALID_QUERY, UNAUTHORIZED, format_error
from app.service.graphql.schema import schema

_UNAVAILABLE = "data_source_unavailable"


class StudioGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Errors carry ``extensions.code``; refused tokens get 401, an unavailable store 503."""

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        """Answer malformed HTTP requests (bad JSON, no query) with a JSON error too."""
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            body = {"errors": [{"message": exc.reason, "extensions": {"code": INVALID_QUERY}}]}
            return JSONResponse(body, status_code=exc.status_code)

    def encode_json(self, data: object) -> bytes:
        """Compact JSON in one pass in Rust (strawberry's default is ``json.dumps``), UTF-8."""
        return to_json(data)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Format errors and choose the status from their codes."""
        body: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            errors = [format_error(error) for error in result.errors]
            body["errors"] = list(errors)
            codes = {error["extensions"]["code"] for error in errors}
            response = request.scope.get(RESPONSE_KEY) if isinstance(request, Request) else None
            if isinstance(response, Response):
                if UNAUTHORIZED in codes:
                    response.status_code = 401
                    response.headers["WWW-Authenticate"] = "Bearer"
                elif _UNAVAILABLE in codes:
                    response.status_code = 503
        return body


def graphql_router(*, debug: bool) -> StudioGraphQLRouter:
    """The router to mount at ``/graphql`` (GraphiQL on GET only when ``debug``)."""
    return StudioGraphQLRouter(
        schema,
        graphql_ide="graphiql" if debug else None,
        allow_queries_via_get=debug,
        context_getter=get_context,
    )
