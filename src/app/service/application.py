"""Build the ASGI application around a container, or from settings with a lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import domains, sources
from app.bootstrap import Container, bootstrap
from app.service import gc_tuning, health, jsonapi, migration_status, provider_states
from app.service.deadlines import BodyDeadline
from app.service.edges import edges_for
from app.service.graphql import graphql_router, schema_of
from app.service.jsonapi.resources import resource_types
from app.service.limits import BodySizeLimit, SingleFraming
from app.service.origin import TrustedOrigin
from app.service.reload import reload_on_sighup
from app.settings import Settings, load_settings
from domain.declaration import Domain


def create_app(container: Container) -> FastAPI:
    """The service over an open container (tests and embedding apps own its lifetime)."""
    app = _build(container.settings, container.domain)
    app.state.container = container
    return app


def create_app_from_settings(settings: Settings | None = None) -> FastAPI:
    """The service that opens ``service.data_source`` at start-up and closes it at shutdown.

    ``uvicorn --factory app.service:create_app_from_settings`` uses this; so does
    ``hexstudio serve``.
    """
    settings = settings or load_settings()
    name = settings.service.data_source
    domain = domains.load(settings.domain)
    tables = settings.data_source.model_extra or {}
    source = sources.create(tables, name, key="service.data_source", catalog=domain.catalog)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with bootstrap(settings, source=source, source_name=name) as container:
            app.state.container = container
            gc_tuning.start()
            sources.start_serving(container.sources.values())  # e.g. a cache's stats reports
            stop_reloading = reload_on_sighup(container)
            try:
                yield
            finally:
                stop_reloading()
                gc_tuning.stop()

    return _build(settings, domain, lifespan=lifespan)


def _build(settings: Settings, domain: Domain, lifespan: object = None) -> FastAPI:
    """The app serving ``domain``: its catalog's resources and types, and its own edges."""
    edges = edges_for(domain)
    app = FastAPI(
        title="hexstudio reference service",
        summary=f"The {domain.name} domain over JSON:API 1.1 and GraphQL.",
        version="0.1.0",
        lifespan=lifespan,  # type: ignore[arg-type]
        openapi_url=None,  # served by jsonapi.install, behind the read token
        docs_url=None,
        redoc_url=None,
        # Starlette's trailing-slash redirect would take its host from the request's headers;
        # jsonapi.install redirects on the trusted origin instead.
        redirect_slashes=False,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.service.max_body_bytes)
    # Outside the size limit, so that its 413 to a body still arriving closes the connection.
    app.add_middleware(BodyDeadline, seconds=settings.service.body_timeout_seconds)
    # Before routing: no host the service does not serve reaches a link or a redirect.
    app.add_middleware(TrustedOrigin, service=settings.service)
    app.add_middleware(SingleFraming)  # wraps BodySizeLimit: a body framed twice is never read
    if settings.service.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.service.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept", "If-Match"],
            expose_headers=["ETag", "Location"],  # a browser's script reads them otherwise not
        )
    app.include_router(health.router)
    app.include_router(migration_status.router)
    jsonapi.install(app, resource_types(domain.catalog), edges, debug=settings.service.debug)
    schema = schema_of(domain.catalog, edges)
    app.include_router(graphql_router(schema, debug=settings.service.debug), prefix="/graphql")
    provider_states.install(app, settings.service)  # nothing unless service.provider_states
    if settings.telemetry.enabled:  # imported only then: prometheus-client is an extra
        from app.telemetry import endpoint

        endpoint.install(app)
    return app
