"""Assemble the JSON:API routes and install them, with their error rendering, on an app."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.exception_handlers import http_exception_handler
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Match, Route

from app.service.edges import NONE, UseCaseEdges
from app.service.jsonapi import openapi, routes
from app.service.jsonapi.context import authorise, endpoint
from app.service.jsonapi.errors import Problem, render
from app.service.jsonapi.operations import operations_endpoint
from app.service.jsonapi.resources import ResourceTypes
from app.service.origin import below_root, link


def router(types: ResourceTypes, edges: UseCaseEdges = NONE) -> APIRouter:
    """Every JSON:API route under /api, documented for OpenAPI."""
    api = APIRouter(prefix="/api", tags=["JSON:API"])
    api.add_api_route(
        "/operations", operations_endpoint(types), methods=["POST"], **openapi.operations_route()
    )
    if edges.jsonapi is not None:
        edges.jsonapi(api)
    for kind in types.values():
        collection, item = f"/{kind.name}", f"/{kind.name}/{{id}}"
        api.add_api_route(
            collection, routes.list_endpoint(kind), methods=["GET"], **openapi.list_route(kind)
        )
        api.add_api_route(
            collection, routes.create_endpoint(kind), methods=["POST"], **openapi.create_route(kind)
        )
        api.add_api_route(
            item, routes.get_endpoint(kind), methods=["GET"], **openapi.get_route(kind)
        )
        api.add_api_route(
            item, routes.update_endpoint(kind), methods=["PATCH"], **openapi.update_route(kind)
        )
        api.add_api_route(
            item, routes.delete_endpoint(kind), methods=["DELETE"], **openapi.delete_route(kind)
        )
    return api


def read_routes(types: ResourceTypes) -> list[Route]:
    """The GET routes again as plain Starlette routes, for the app to match first.

    Same endpoints, same responses: only FastAPI's per-request dependency and parameter
    machinery (~0.2 ms, which these endpoints do not use: they read the request themselves) is
    skipped. FastAPI's copies stay registered, so the OpenAPI document still describes them.
    """
    found = []
    for kind in types.values():
        listing = routes.list_endpoint(kind)
        found.append(Route(f"/api/{kind.name}", listing, methods=["GET"], name=listing.__name__))
        found.append(
            Route(
                f"/api/{kind.name}/{{id}}", _by_path_id(routes.get_endpoint(kind)), methods=["GET"]
            )
        )
    for route in found:
        assert route.methods is not None
        route.methods.discard("HEAD")  # FastAPI's GET routes answer HEAD with 405; so do these
    return found


def _by_path_id(handler: Any) -> Any:
    async def get(request: Request) -> Response:
        response: Response = await handler(request, request.path_params["id"])
        return response

    get.__name__ = handler.__name__
    return get


async def _http_error(request: Request, exc: Exception) -> Response:
    """404/405 of unknown routes under /api as JSON:API errors; elsewhere FastAPI's default.

    A 404 whose path names a route but for a trailing slash is a 307 to that route instead, on
    the trusted origin (Starlette's own redirect would take the host from the request).
    """
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        redirect = _slash_redirect(request)
        if redirect is not None:
            return redirect
    if not request.url.path.startswith("/api/") or request.url.path == OPENAPI_PATH:
        return await http_exception_handler(request, exc)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return render(
        [Problem(exc.status_code, code, str(exc.detail))], exc.status_code, dict(exc.headers or {})
    )


def _slash_redirect(request: Request) -> Response | None:
    """307 to the path with its trailing slash toggled, when that path has a route."""
    scope = request.scope
    path: str = scope["path"]
    if scope["type"] != "http" or below_root(scope) == "/":
        return None
    other = {**scope, "path": path.rstrip("/") if path.endswith("/") else f"{path}/"}
    for route in request.app.router.routes:
        match, _ = route.matches(other)
        if match is not Match.NONE:
            return RedirectResponse(link(scope, below_root(other), scope["query_string"]), 307)
    return None


OPENAPI_PATH = "/api/openapi.json"


def install(
    app: FastAPI, types: ResourceTypes, edges: UseCaseEdges = NONE, *, debug: bool = False
) -> None:
    """Add the JSON:API routes, their error rendering and their OpenAPI document to ``app``.

    The document is served here rather than by FastAPI so that it needs the read token when
    one is set: it maps every route and field for whoever asks. ``debug`` adds the UI at
    ``/api/docs``.
    """
    app.include_router(router(types, edges))
    app.router.routes[:0] = read_routes(types)
    app.add_exception_handler(HTTPException, _http_error)

    @endpoint
    async def openapi_document(request: Request) -> Response:
        authorise(request, write=False)
        return JSONResponse(app.openapi())

    app.add_route(OPENAPI_PATH, openapi_document, methods=["GET"], include_in_schema=False)
    if debug:

        async def docs(request: Request) -> Response:
            return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title=f"{app.title} - docs")

        app.add_route("/api/docs", docs, methods=["GET"], include_in_schema=False)
    build = app.openapi

    def with_components() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(
                openapi.components(types)
            )
            app.openapi_schema = openapi.tidy(schema)
        return app.openapi_schema

    app.openapi = with_components  # type: ignore[method-assign]
