"""``hexstudio serve``: run the reference provider service with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli._run import EXIT_BAD_INPUT, fail
from app.errors import ConfigError
from app.settings import load_settings


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (share nothing).")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve JSON:API under /api and GraphQL under /graphql over the configured data source."""
    import uvicorn  # the service extra; imported here so the CLI starts fast without it

    try:
        load_settings()  # refuse a bad configuration before any worker starts
    except ConfigError as exc:
        fail(f"configuration error: {exc}", EXIT_BAD_INPUT)
    uvicorn.run(
        "app.service:create_app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        # The access log would print query strings; the token never is (it is a header).
        access_log=True,
    )
