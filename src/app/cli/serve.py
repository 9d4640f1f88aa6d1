"""``hexstudio serve``: run the reference provider service with uvicorn."""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Annotated, Any

import typer
from opentelemetry.trace import NoOpTracerProvider

from app import domains, sources
from app.bootstrap import bootstrap
from app.cli._run import EXIT_BAD_INPUT, EXIT_SOURCE_FAILURE, fail
from app.errors import ConfigError
from app.settings import ServiceSection, Settings, load_settings
from app.telemetry.otlp import require_extra
from domain import DataSourceError, DataSourceUnavailable, PageRequest


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free one).")
    ] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (share nothing).")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve JSON:API under /api and GraphQL under /graphql over the configured data source."""
    import uvicorn  # the service extra; imported here so the CLI starts fast without it

    try:
        # Refuse a bad configuration before any worker starts: in a worker it is a traceback.
        settings = load_settings()
        unavailable = check_configuration(settings)
    except ConfigError as exc:
        fail(f"configuration error: {exc}", EXIT_BAD_INPUT)
    except DataSourceError as exc:
        # A store the service cannot read (no database file, no schema) would answer every
        # request with an error: refuse to start instead.
        fail(f"{exc.code}: {exc.message}", EXIT_SOURCE_FAILURE)
    if unavailable is not None:  # it may come up later: start, and say so
        typer.echo(f"warning: {unavailable}", err=True)
    warning = open_writes_warning(host, settings.service)
    if warning is not None:
        typer.echo(warning, err=True)
    uvicorn.run(
        "app.service:create_app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        # The access log would print query strings; the token never is (it is a header).
        access_log=True,
        # By import path, so that each worker process loads it too.
        http="app.service.protocol:StrictH11Protocol",
        # uvicorn would believe X-Forwarded-Proto from 127.0.0.1 and rewrite the peer: the
        # service trusts proxies by service.forwarded_allow_ips instead (app.service.origin).
        proxy_headers=False,
        **uvicorn_timeouts(settings.service),
    )


def uvicorn_timeouts(service: ServiceSection) -> dict[str, Any]:
    """The bounds uvicorn enforces itself; the body's deadline is the service's middleware.

    uvicorn annotates these as ``int`` but uses them as seconds of any kind (``call_later``,
    ``asyncio.timeout``), so a fraction passes through, hence the ``Any``.
    """
    return {
        "timeout_keep_alive": service.keep_alive_seconds,
        "timeout_graceful_shutdown": service.graceful_shutdown_seconds,
    }


def check_configuration(settings: Settings) -> str | None:
    """Build every data source the service would open, read from each repository, close them.

    The same wiring as the service's start-up (``create_app_from_settings`` and its
    lifespan), so that what passes here cannot fail there for a reason of configuration.
    ConfigError if a setting is bad; DataSourceError if a store answers but cannot be read
    (an unmigrated database); the message of DataSourceUnavailable, returned, if one does not
    answer now (it may later, so the service still starts).
    """
    name = settings.service.data_source
    catalog = domains.load(settings.domain).catalog  # a cache's lists name its types
    tables = settings.data_source.model_extra or {}
    source = sources.create(tables, name, key="service.data_source", catalog=catalog)

    if settings.telemetry.exporter == "otlp":
        require_extra()  # what the service's own start would refuse

    async def wire() -> None:
        # Spans of this check would be exported when it ends, and a collector that does not
        # answer yet would hold the service's start for the exporter's retries.
        async with (
            bootstrap(
                settings, source=source, source_name=name, tracer_provider=NoOpTracerProvider()
            ) as container,
            container.uow() as uow,
        ):
            for entity in container.domain.catalog:
                await uow.repository(entity).list(entity.query(), PageRequest(size=1))

    try:
        asyncio.run(wire())
    except DataSourceUnavailable as exc:
        return f"{exc.code}: {exc.message}"
    return None


def open_writes_warning(host: str, service: ServiceSection) -> str | None:
    """The warning when anyone who reaches ``host`` may write (no token), else None."""
    # Imported here: app.service imports FastAPI, which the other commands need not load.
    from app.service.auth import write_guard

    if write_guard(service.token, service.read_token) is not None or is_loopback(host):
        return None
    return (
        f"warning: writes are open to anyone who can reach {host}: "
        "set service.token (HEXSTUDIO_SERVICE__TOKEN), or bind 127.0.0.1"
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` binds the loopback interface only ("localhost" counts)."""
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False  # another name: it may resolve to any interface
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return address.is_loopback
