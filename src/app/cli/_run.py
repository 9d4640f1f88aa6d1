"""What every command shares: run a coroutine; turn errors into one line and an exit code."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any, NoReturn, TypeVar

import typer

from app.errors import ConfigError
from domain import DataSourceError, DataSourceUnavailable, DomainError

T = TypeVar("T")

EXIT_BAD_INPUT = 2
EXIT_SOURCE_FAILURE = 1


DEBUG = {"enabled": False}
"""Set by the global ``--debug`` option: errors then show their traceback."""


def run(coroutine: Coroutine[Any, Any, T], *, debug: bool = False) -> T:
    """Run ``coroutine``; on a known error print one line and exit 2 (input) or 1 (source)."""
    debug = debug or DEBUG["enabled"]
    try:
        return asyncio.run(coroutine)
    except ConfigError as exc:
        fail(f"configuration error: {exc}", EXIT_BAD_INPUT, debug=debug)
    except (DataSourceUnavailable, DataSourceError) as exc:
        fail(f"{exc.code}: {exc.message}", EXIT_SOURCE_FAILURE, debug=debug)
    except DomainError as exc:
        fail(f"{exc.code}: {exc.message}", EXIT_BAD_INPUT, debug=debug)


def fail(message: str, code: int, *, debug: bool = False) -> NoReturn:
    """Print ``message`` to stderr and exit with ``code`` (re-raise instead under --debug)."""
    if debug and sys.exc_info()[0] is not None:
        raise
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
