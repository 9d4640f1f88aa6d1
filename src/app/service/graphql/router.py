"""``/graphql``: strawberry's FastAPI router with our error format and status codes."""

from __future__ import annotations

import re
from typing import Any

from cross_web import HTTPException
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic_core import to_json
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from app.service.auth import allowed
from app.service.graphql.context import RESPONSE_KEY, GraphQLContext, get_context
from app.service.graphql.errors import INVALID_QUERY, UNAUTHORIZED, format_error
from app.service.graphql.schema import StudioSchema
from app.service.json_input import BadJson, parse_json
from app.service.limits import MAX_ERRORS

_UNAVAILABLE = "data_source_unavailable"
TOO_MANY_ERRORS = "too_many_errors"

# graphql-core's suggestions ("Did you mean 'movies'?") end a message; names hold no "?".
_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


class BodyRefused(HTTPException):
    """A 400 for a body that is no JSON object the edge accepts; ``pointer`` locates it."""

    def __init__(self, reason: str, pointer: str | None = None) -> None:
        super().__init__(400, reason)
        self.pointer = pointer


class StudioGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Errors carry ``extensions.code``; refused tokens get 401, an unavailable store 503."""

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        """Answer malformed HTTP requests (bad JSON, no query) with a JSON error too."""
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            extensions: dict[str, str] = {"code": INVALID_QUERY}
            if isinstance(exc, BodyRefused) and exc.pointer is not None:
                extensions["pointer"] = exc.pointer
            body = {"errors": [{"message": exc.reason, "extensions": extensions}]}
            return JSONResponse(body, status_code=exc.status_code)

    def parse_json(self, data: str | bytes) -> Any:
        """The body as JSON by the edge's rules (``app.service.json_input``), else a 400.

        Strawberry reads ``.get`` of what this returns, so anything but an object (or a list:
        a batch, which it refuses itself) is refused here, not left to raise AttributeError.
        """
        try:
            value = parse_json(data)
        except BadJson as exc:
            raise BodyRefused(exc.detail, exc.pointer) from None
        if not isinstance(value, (dict, list)):
            raise BodyRefused(f"expected a JSON object with a query member, got {_kind(value)}", "")
        return value

    def encode_json(self, data: object) -> bytes:
        """Compact JSON in one pass in Rust (strawberry's default is ``json.dumps``), UTF-8."""
        return to_json(data)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Format errors (at most ``MAX_ERRORS``) and choose the status from their codes."""
        body: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            errors = [format_error(error) for error in result.errors[:MAX_ERRORS]]
            if len(result.errors) > MAX_ERRORS:
                errors.append(_left_out(len(result.errors) - MAX_ERRORS))
            if isinstance(request, Request) and not _may_read(request):
                _hide_suggestions(errors)
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


def _kind(value: object) -> str:
    """The JSON name of a scalar's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a string" if isinstance(value, str) else "a number"


def _left_out(count: int) -> dict[str, Any]:
    message = f"{count:,} more errors are not reported: a response lists at most {MAX_ERRORS}"
    return {"message": message, "extensions": {"code": TOO_MANY_ERRORS}}


def _may_read(request: Request) -> bool:
    """Whether the request's token lets it read (always, when no read token is set)."""
    service = request.app.state.container.settings.service
    return allowed(
        request.headers.get("authorization"),
        write=False,
        token=service.token,
        read_token=service.read_token,
    )


def _hide_suggestions(errors: list[dict[str, Any]]) -> None:
    """Drop "Did you mean ...?" from messages.

    They would name the schema's fields and values to a client that the read token keeps out
    of introspection (issue 11).
    """
    for error in errors:
        error["message"] = _SUGGESTION.sub("", error["message"])


def graphql_router(schema: StudioSchema, *, debug: bool) -> StudioGraphQLRouter:
    """The router to mount at ``/graphql`` (GraphiQL on GET only when ``debug``)."""
    return StudioGraphQLRouter(
        schema,
        graphql_ide="graphiql" if debug else None,
        allow_queries_via_get=debug,
        context_getter=get_context,
    )
