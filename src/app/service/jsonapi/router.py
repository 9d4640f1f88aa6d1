"""Assemble the JSON:API routes and install them, with their error rendering, on an app."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.service.jsonapi import openapi, routes, usecases
from app.service.jsonapi.errors import Problem, render
from app.service.jsonapi.operations import operations
from app.service.jsonapi.resources import TYPES

_OBJECT = {"type": "object"}


def router() -> APIRouter:
    """Every JSON:API route under /api, documented for OpenAPI."""
    api = APIRouter(prefix="/api", tags=["JSON:API"])
    api.add_api_route("/operations", operations, methods=["POST"], **openapi.operations_route())
    api.add_api_route(
        "/onboardings",
        usecases.onboard,
        methods=["POST"],
        **openapi.use_case_route(
            "Onboard a production with its shoot plan",
            {"type": "object", "required": ["data"], "properties": {"data": _OBJECT}},
            201,
        ),
    )
    api.add_api_route(
        "/productions/{id}/advance",
        usecases.advance,
        methods=["POST"],
        **openapi.use_case_route(
            "Advance a production's phase",
            {"type": "object", "required": ["data"], "properties": {"data": _OBJECT}},
        ),
    )
    for kind in TYPES.values():
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


async def _http_error(request: Request, exc: Exception) -> Response:
    """404/405 of unknown routes under /api as JSON:API errors; elsewhere FastAPI's default."""
    assert isinstance(exc, HTTPException)
    if not request.url.path.startswith("/api/") or request.url.path == "/api/openapi.json":
        return await http_exception_handler(request, exc)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return render(
        [Problem(exc.status_code, code, str(exc.detail))], exc.status_code, dict(exc.headers or {})
    )


def install(app: FastAPI) -> None:
    """Add the JSON:API routes, their error rendering and their OpenAPI components to ``app``."""
    app.include_router(router())
    app.add_exception_handler(HTTPException, _http_error)
    build = app.openapi

    def with_components() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(
                openapi.components()
            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = with_components  # type: ignore[method-assign]
