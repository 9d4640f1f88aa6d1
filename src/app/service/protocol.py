"""uvicorn's h11 protocol, refusing a request whose head folds a header over two lines.

A folded line (``Transfer-Encoding:`` then `` chunked`` on the next line: RFC 9112's obs-fold) is
read by h11 as one header, and by some proxies as an empty header and a stray line. Such a
proxy and this server then disagree on where a body ends, which is how a request is smuggled.
h11 unfolds the line before ASGI sees it, so no middleware can tell; RFC 9112 section 5.2 lets a
server refuse the message with 400 instead, and this protocol does, for every header.

``serve_in_thread`` uses it; ``uvicorn --http app.service.protocol:StrictH11Protocol`` does too.
"""

from __future__ import annotations

import re

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.service.limits import error_body

_HEAD_END = re.compile(rb"\n\r?\n")  # h11's end of a head: a blank line, CRLF or LF
_FOLD = re.compile(rb"\n[ \t]")  # a line of the head that starts with a space or a tab
_REQUEST_LINE = re.compile(rb"[!-~]+ ([!-~]+)")  # the method and the target, for the format

FOLDED = "a header line of the request is folded onto the next (obs-fold): send each on one line"


def folded_head(buffered: bytes) -> bool:
    """Whether the request head at the start of ``buffered`` (complete or not) folds a line."""
    end = _HEAD_END.search(buffered)
    return _FOLD.search(buffered, 0, end.start() if end else len(buffered)) is not None


class StrictH11Protocol(H11Protocol):
    """``H11Protocol`` that answers a folded request head with a 400 error document and closes."""

    def handle_events(self) -> None:
        """Check the head waiting in h11's buffer before h11 parses (and unfolds) it."""
        if self.conn.their_state is h11.IDLE:
            buffered, _ = self.conn.trailing_data
            if folded_head(buffered):
                self._refuse(buffered)
                return
        super().handle_events()

    def _refuse(self, buffered: bytes) -> None:
        self.logger.warning("Refused a request with a folded header line.")
        target = _REQUEST_LINE.match(buffered)
        path = target.group(1).decode("latin-1") if target else "/"
        media, payload = error_body(path, 400, "bad_request", FOLDED)
        vary = b"vary: Accept\r\n" if media == b"application/vnd.api+json" else b""
        head = (
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: %s\r\ncontent-length: %d\r\n"
            b"%sconnection: close\r\n\r\n" % (media, len(payload), vary)
        )
        self.transport.write(head + payload)
        self.transport.close()
