"""Limits on what one request may ask of the service, and the edge that enforces the HTTP ones.

The numbers are named here so that both APIs apply the same ones (docs/reliability.md lists
them); the middlewares refuse, before any endpoint runs, bodies over a size and requests whose
framing two HTTP parsers could read differently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_OPERATIONS = 1_000
"""Most writes one request may carry: atomic operations on ``/api/operations`` and the changes
of GraphQL ``applyChanges`` alike (the body size limit applies as well)."""

MAX_ERRORS = 100
"""Most error objects one response carries; one more says how many were left out. 150,000
invalid values otherwise answer with 41 MB of errors after seconds of CPU (issue 11)."""

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects a JSON body may have. Our deepest legitimate body (an
atomic operation's money attribute) has 6 levels; Python's parser overflows its stack near 1,000
and pydantic's serializer refuses at 255, both as 500s."""


class BodySizeLimit:
    """ASGI middleware: a declared or streamed body over ``max_bytes`` gets 413."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 413 once its body passes the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        detail = f"the request body is larger than {self.max_bytes} bytes"
        await send_error(scope, send, 413, "payload_too_large", detail)


class _TooLarge(Exception):
    pass


class SingleFraming:
    """ASGI middleware: 400 for a request that declares both Content-Length and Transfer-Encoding.

    uvicorn's h11 reads such a body as chunked and ignores the length (RFC 9112 allows that);
    a proxy in front that honours the length instead would forward the rest of the chunked body
    as a second request of its own making: request smuggling. RFC 9112 section 6.1 lets a server
    refuse the message, and so we do. The other ambiguous framings (two Transfer-Encodings, one
    that is not exactly ``chunked``, two Content-Lengths) h11 refuses itself; a folded header
    line never reaches ASGI (see ``app.service.protocol``).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on unless its body is framed twice."""
        if scope["type"] == "http" and _framed_twice(scope.get("headers", ())):
            detail = "the request has both Content-Length and Transfer-Encoding: send one of them"
            await send_error(
                scope, send, 400, "bad_request", detail, header="Transfer-Encoding", close=True
            )
            return
        await self.app(scope, receive, send)


def _framed_twice(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether the raw ASGI ``headers`` name both body framings (one pass, no dict)."""
    length = encoding = False
    for name, _ in headers:
        if name == b"content-length":
            length = True
        elif name == b"transfer-encoding":
            encoding = True
    return length and encoding


async def send_error(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    detail: str,
    *,
    header: str | None = None,
    close: bool = False,
) -> None:
    """Answer with one error in the format of the API the request's path belongs to.

    ``close`` asks the server to drop the connection afterwards: after a framing it could not
    trust, the next bytes on it are no request to read.
    """
    media, payload = error_body(scope.get("path", ""), status, code, detail, header=header)
    headers = [(b"content-type", media), (b"content-length", str(len(payload)).encode())]
    if media == b"application/vnd.api+json":
        headers.append((b"vary", b"Accept"))  # as every JSON:API response (docs/jsonapi.md)
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def error_body(
    path: str, status: int, code: str, detail: str, *, header: str | None = None
) -> tuple[bytes, bytes]:
    """The media type and body of one error: JSON:API's under ``/api``, else GraphQL's.

    JSON:API error objects (status, code, title, detail, ``source.header``) or
    ``{"errors": [{"message", "extensions": {"code"}}]}``.
    """
    if not path.startswith("/api"):
        body: object = {"errors": [{"message": detail, "extensions": {"code": code}}]}
        return b"application/json", json.dumps(body).encode()
    error: dict[str, object] = {
        "status": str(status),
        "code": code,
        "title": _TITLES.get(status) or HTTPStatus(status).phrase,
        "detail": detail,
    }
    if header is not None:
        error["source"] = {"header": header}
    return b"application/vnd.api+json", json.dumps({"errors": [error]}).encode()


# 413 keeps the title it always had (RFC 7231's); HTTPStatus says "Request Entity Too Large".
_TITLES = {413: "Payload Too Large"}
