"""``/graphql``: strawberry's FastAPI router with our error format and status codes.

GraphQL over HTTP (the spec draft, checked by graphql-http's audit): a client that accepts
``application/graphql-response+json`` gets it, and with it a request error (the document does
not parse or validate, the variables do not coerce, the operation is refused before it runs)
is a 400 whose body has no ``data``. ``application/json`` keeps the older rule its clients rely
on: every GraphQL answer is a 200 with ``data`` (null) beside ``errors``. 401 and 503 are the
same for both.
"""

from __future__ import annotations

import re
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic_core import to_json
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult

from app.service.auth import allowed
from app.service.graphql.context import RESPONSE_KEY, GraphQLContext, get_context
from app.service.graphql.errors import INVALID_QUERY, NOT_ACCEPTABLE, UNAUTHORIZED, format_error
from app.service.graphql.media import GRAPHQL_RESPONSE, JSON, negotiate
from app.service.graphql.schema import StudioSchema
from app.service.json_input import BadJson, parse_json
from app.service.limits import MAX_ERRORS

_UNAVAILABLE = "data_source_unavailable"
TOO_MANY_ERRORS = "too_many_errors"

# graphql-core's suggestions ("Did you mean 'movies'?") end a message; names hold no "?".
_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")

MEDIA_KEY = "hexstudio.graphql.media"
"""Where the request scope keeps the media type negotiated for the answer."""

_GRAPHQL_RESPONSE_TYPE = f"{GRAPHQL_RESPONSE}; charset=utf-8"


class BodyRefused(HTTPException):
    """A 400 (or ``status``) for a body the edge does not take; ``pointer`` locates it."""

    def __init__(self, reason: str, pointer: str | None = None, *, status: int = 400) -> None:
        super().__init__(status, reason)
        self.pointer = pointer


class StudioGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Errors carry ``extensions.code``; refused tokens get 401, an unavailable store 503."""

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        """Negotiate the answer's media type; answer malformed HTTP requests with JSON errors."""
        if not isinstance(request, Request):  # a WebSocket: its protocols have their own rules
            return await super().run(request, context=context, root_value=root_value)
        media = negotiate(request.headers.get("accept"))
        if media is None:
            if request.method == "POST":
                return _not_acceptable(request.headers.get("accept", ""))
            media = JSON  # a GET may be a browser asking for GraphiQL (debug only)
        request.scope[MEDIA_KEY] = media
        try:
            response = await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            extensions: dict[str, str] = {"code": INVALID_QUERY}
            if isinstance(exc, BodyRefused) and exc.pointer is not None:
                extensions["pointer"] = exc.pointer
            body = {"errors": [{"message": exc.reason, "extensions": extensions}]}
            response = JSONResponse(body, status_code=exc.status_code)
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                # What GET may not run (mutations; queries too outside debug): the draft's 405,
                # which HTTP wants with the methods that would do.
                response.status_code = 405
                response.headers["allow"] = "POST"
            # No operation can be chosen (GetOperation): a GraphQL request error, answered as
            # one. Anything else here is no GraphQL request at all, which the draft says must
            # not be labelled a GraphQL response.
            if not isinstance(exc.__cause__, CannotGetOperationTypeError):
                media = JSON
        if media == GRAPHQL_RESPONSE and isinstance(response, Response):
            response.headers["content-type"] = _GRAPHQL_RESPONSE_TYPE
        if isinstance(response, Response):
            response.headers["vary"] = "Accept"
        return response

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        """Strawberry's parsing, refusing a POST body that is not JSON (415) and a bad name.

        The spec draft asks for 415 (Unsupported Media Type) there; strawberry says 400.
        """
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type.lower() != JSON:
                shown = content_type or "none"
                raise BodyRefused(f"a POST body must be {JSON} (Content-Type: {shown})", status=415)
        parsed = await super().parse_http_body(request)
        # Strawberry checks query, variables and extensions but passes any operationName on.
        if isinstance(parsed, GraphQLRequestData) and not isinstance(
            parsed.operation_name, str | None
        ):
            raise BodyRefused(
                f"operationName must be a string or null, got {_kind(parsed.operation_name)}",
                "/operationName",
            )
        return parsed

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
        """Format errors (at most ``MAX_ERRORS``) and choose the status from their codes.

        A request error under ``application/graphql-response+json`` has no ``data`` and a 400.
        """
        if not result.errors:
            return {"data": result.data}
        errors = [format_error(error) for error in result.errors[:MAX_ERRORS]]
        if len(result.errors) > MAX_ERRORS:
            errors.append(_left_out(len(result.errors) - MAX_ERRORS))
        if not isinstance(request, Request):
            return {"data": result.data, "errors": list(errors)}
        if not _may_read(request):
            _hide_suggestions(errors)
        graphql_response = request.scope.get(MEDIA_KEY) == GRAPHQL_RESPONSE
        refused = graphql_response and is_request_error(result)
        body: GraphQLHTTPResponse = {"errors": list(errors)}
        if not refused:
            body = {"data": result.data, "errors": list(errors)}
        codes = {error["extensions"]["code"] for error in errors}
        response = request.scope.get(RESPONSE_KEY)
        if isinstance(response, Response):
            if UNAUTHORIZED in codes:
                response.status_code = 401
                response.headers["WWW-Authenticate"] = "Bearer"
            elif _UNAVAILABLE in codes:
                response.status_code = 503
            elif refused:
                response.status_code = 400
        return body


def is_request_error(result: ExecutionResult) -> bool:
    """Whether ``result`` is a GraphQL request error: nothing ran, so there is no ``data``.

    Parsing, validation, variable coercion and our refusals before execution (token, cost)
    all leave ``data`` None with errors that have no path; a field error always has a path,
    even one whose null reached the root.
    """
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def _not_acceptable(accept: str) -> JSONResponse:
    """406: the client accepts neither GraphQL media type (the draft's SHOULD)."""
    message = f"Accept: {accept} allows neither {GRAPHQL_RESPONSE} nor {JSON}"
    body = {"errors": [{"message": message, "extensions": {"code": NOT_ACCEPTABLE}}]}
    return JSONResponse(body, status_code=406, headers={"vary": "Accept"})


def _kind(value: object) -> str:
    """The JSON name of a value's type."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
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
