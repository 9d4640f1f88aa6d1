"""What every JSON:API endpoint does first: reach the container, check tokens, map errors."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.bootstrap import Interactors
from app.service.auth import allowed
from app.service.jsonapi.errors import JsonApiError, Problem, from_domain, render
from domain import DomainError, UnitOfWorkFactory

Endpoint = Callable[..., Awaitable[Response]]


def interactors(request: Request) -> Interactors:
    """The studio's use cases (its own endpoints call them)."""
    found: Interactors = request.app.state.container.interactors
    return found


def unit_of_work(request: Request) -> UnitOfWorkFactory:
    """The app's unit-of-work factory: resource reads and writes go through it."""
    found: UnitOfWorkFactory = request.app.state.container.uow
    return found


def authorise(request: Request, *, write: bool) -> None:
    """401 without credentials, 403 with wrong ones, when a token is configured."""
    service = request.app.state.container.settings.service
    header = request.headers.get("authorization")
    if allowed(header, write=write, token=service.token, read_token=service.read_token):
        return
    if header is None:
        raise JsonApiError(
            Problem(
                401,
                "unauthorized",
                "this request needs Authorization: Bearer <token>",
                header="Authorization",
            ),
            headers={"WWW-Authenticate": "Bearer"},
        )
    raise JsonApiError(
        Problem(
            403,
            "forbidden",
            "the bearer token is not valid for this request",
            header="Authorization",
        )
    )


def endpoint(handler: Endpoint) -> Endpoint:
    """Render JsonApiError and DomainError raised by ``handler`` as error documents."""

    @functools.wraps(handler)
    async def wrapped(*args: Any, **kwargs: Any) -> Response:
        try:
            return await handler(*args, **kwargs)
        except JsonApiError as exc:
            return render(exc.problems, exc.status, exc.headers, total=exc.total)
        except DomainError as exc:
            error = from_domain(exc)
            return render(error.problems, error.status)

    return wrapped
