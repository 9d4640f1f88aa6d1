"""``POST /_pact/provider_states``: Pact's provider-state endpoint, on when configured.

With ``service.provider_states = true`` anyone holding the write token can put the service in
any registered provider state (``app.contracts.states``), so that a standard Pact verifier,
with no code of ours, verifies the committed pacts against a running service::

    pact verifier ... --state-change-url http://HOST:PORT/_pact/provider_states
        --state-change-teardown --header "Authorization=Bearer TOKEN"

The body is Pact's: ``{"state": NAME, "params": {...}, "action": "setup" | "teardown"}``.
A state's set-up runs through the repositories of the service's own container, as every
request does. An overload state (``app.contracts.states.OVERLOADING``) instead makes the
service answer 503 to every other request until its teardown, or until the next set-up: each
interaction starts in the states it names and no other. Off, the route does not exist (404).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.contracts.states import OVERLOADING, StateSetup, load_all
from app.errors import ConfigError
from app.service.auth import allowed
from app.service.errors import http_status, public_message
from app.service.limits import send_error
from app.settings import ServiceSection
from domain import DomainError

PATH = "/_pact/provider_states"
"""Where the endpoint answers (the verifier's ``--state-change-url`` is the service URL + it)."""

RETRY_AFTER_SECONDS = 1
"""What an overloaded service tells clients to wait (``Retry-After``) before they retry."""

logger = logging.getLogger(__name__)


class StateChange(BaseModel):
    """The body a Pact verifier posts for each provider state of each interaction."""

    # Verifiers may add keys of their own: only these three are Pact's contract.
    model_config = ConfigDict(extra="ignore")

    state: str
    params: dict[str, Any] | None = None
    action: Literal["setup", "teardown"] = "setup"


@dataclass
class Condition:
    """What the service is besides its data: overloaded by a state, or not."""

    overloaded_by: str | None = None


def install(app: FastAPI, service: ServiceSection) -> None:
    """Mount the endpoint and the overload gate when ``service.provider_states`` is true."""
    if not service.provider_states:
        return  # no route at all: a request for it gets 404 like any unknown path
    logger.warning(
        "service.provider_states is on: POST %s with the write token rewrites the contracts' "
        "example entities; for contract verification only",
        PATH,
    )
    condition = Condition()
    app.include_router(_router(condition))
    app.add_middleware(OverloadGate, condition=condition)


def _router(condition: Condition) -> APIRouter:
    router = APIRouter()
    states = load_all()

    @router.post(PATH, include_in_schema=False)
    async def change_state(change: StateChange, request: Request) -> dict[str, Any]:
        """Set ``change.state`` up or tear it down; 200 with no values to inject."""
        _authorise(request)
        setup = states.get(change.state)
        if change.state and setup is None:
            raise HTTPException(400, f"unknown provider state {change.state!r}")
        if change.action == "teardown":
            if condition.overloaded_by == change.state:
                condition.overloaded_by = None
            return {}
        # A set-up starts an interaction: whatever an earlier one left set no longer holds.
        condition.overloaded_by = None
        if change.state in OVERLOADING:
            condition.overloaded_by = change.state
        elif setup is not None:
            await _set_up(request, change, setup)
        return {}

    return router


def _authorise(request: Request) -> None:
    """401 without credentials, 403 with wrong ones: a state is a write."""
    service: ServiceSection = request.app.state.container.settings.service
    header = request.headers.get("authorization")
    if allowed(header, write=True, token=service.token, read_token=service.read_token):
        return
    if header is None:
        needed = "provider states need Authorization: Bearer <token>"
        raise HTTPException(401, needed, {"WWW-Authenticate": "Bearer"})
    raise HTTPException(403, "the bearer token is not valid for provider states")


async def _set_up(request: Request, change: StateChange, setup: StateSetup) -> None:
    try:
        interactors = request.app.state.container.interactors
    except ConfigError as exc:  # the registered states are the studio domain's
        raise HTTPException(400, f"provider state {change.state!r}: {exc}") from None
    try:
        await setup(interactors, change.params or {})
    except DomainError as exc:
        # A 500 would make the verifier retry for minutes: answer what the error means.
        status = http_status(exc)
        detail = f"provider state {change.state!r}: {public_message(exc)}"
        raise HTTPException(status, detail) from None


class OverloadGate:
    """ASGI middleware: while an overload state holds, 503 to all but the state endpoint.

    The answer is the service's own error body for the path (JSON:API under ``/api``, else
    GraphQL's), with ``Retry-After``, as a service shedding load would send it.
    """

    def __init__(self, app: ASGIApp, *, condition: Condition) -> None:
        self.app = app
        self.condition = condition

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, unless the service is overloaded and it is not a state change."""
        state = self.condition.overloaded_by
        if scope["type"] != "http" or state is None or scope.get("path") == PATH:
            await self.app(scope, receive, send)
            return

        async def with_retry_after(message: Message) -> None:
            if message["type"] == "http.response.start":
                retry = (b"retry-after", str(RETRY_AFTER_SECONDS).encode())
                message = {**message, "headers": [*message["headers"], retry]}
            await send(message)

        detail = f"the service is overloaded (provider state {state!r}); retry later"
        await send_error(scope, with_retry_after, 503, "overloaded", detail)
