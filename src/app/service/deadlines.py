"""A deadline on receiving a request's body: a client that trickles it gets 408, then is dropped.

uvicorn bounds the idle time between requests (``timeout_keep_alive``) and the graceful
shutdown (``timeout_graceful_shutdown``), but not the time a request's body takes to arrive:
one byte every few seconds holds a worker's connection, and its shutdown, for as long as the
client likes (issue 11). The deadline runs from the request's start over the *whole* body, not
over each read, which a trickle of one byte per read would always meet.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.service.limits import send_error


class BodyDeadline:
    """ASGI middleware: the body must be received within ``seconds`` of the request's start.

    Past the deadline, the read the application waits on fails and the client gets 408
    Request Timeout in the API's error format. Any response sent before the whole body was
    received (the 408, a 401 or 413 that did not read it) says ``Connection: close``: uvicorn
    would otherwise keep reading, and discarding, what the client goes on trickling.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a bounded ``receive``; answer 408 past the deadline."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        state = _Progress()

        async def bounded() -> Message:
            if state.body_complete:  # e.g. waiting for http.disconnect: no body read to bound
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _TooSlow from None
            state.body_complete = message["type"] != "http.request" or not message.get(
                "more_body", False
            )
            return message

        async def closing_early(message: Message) -> None:
            if message["type"] == "http.response.start":
                state.response_started = True
                if not state.body_complete:
                    headers = [*message.get("headers", []), (b"connection", b"close")]
                    message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, bounded, closing_early)
        except _TooSlow:
            if state.response_started:
                raise  # too late for a 408: uvicorn closes the half-sent response
            detail = f"the request body did not arrive within {self.seconds:g} seconds"
            await send_error(scope, send, 408, "request_timeout", detail, close=True)


class _Progress:
    """How far one request has got: body received whole, response begun."""

    body_complete = False
    response_started = False


class _TooSlow(Exception):
    """The body's deadline passed while the application waited for more of it."""
